import { compile, evaluate } from "@pricegraph/engine";
import { templates } from "@pricegraph/engine/templates";
import { describe, expect, it } from "vitest";
import { firstPlanFrom, firstPlanShapes, metricKey } from "./guidedPlan.ts";

describe("a guided first plan", () => {
  it("turns what is billed into a metric key", () => {
    expect(metricKey("Video minutes")).toBe("video_minutes");
    expect(metricKey("  GB stored (monthly) ")).toBe("gb_stored_monthly");
    expect(metricKey("")).toBe("usage");
  });

  it.each(firstPlanShapes.map((s) => s.template))("makes the %s template the user's own, priced", (id) => {
    const template = templates.find((t) => t.id === id)!;
    const { document, sample } = firstPlanFrom({
      metric: "video_minutes",
      description: "Video minutes",
      template,
    });
    const usage = document.nodes.find((n) => n.type === "usage")!;
    expect(usage.data).toMatchObject({ metric: "video_minutes", label: "Video minutes" });
    expect(document.nodes.find((n) => n.type === "invoiceLine")!.data.description).toBe("Video minutes");
    expect(Object.keys(sample.usage ?? {})).toEqual(["video_minutes"]);
    // Priced exactly as the template's first example: only the names changed.
    const compiled = compile(document);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const result = evaluate(compiled.plan, sample);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.output.total).toBe(template.examples[0].expected.total);
    // The template itself is untouched.
    expect(template.document.nodes.find((n) => n.type === "usage")!.data.metric).not.toBe("video_minutes");
  });
});
