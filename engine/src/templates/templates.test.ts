import { describe, expect, it } from "vitest";
import { compile } from "../compile.ts";
import { evaluate } from "../evaluate.ts";
import { templates } from "./index.ts";

describe("templates", () => {
  it("include the required plans, with unique ids", () => {
    expect(templates.map((t) => t.id)).toEqual([
      "per-unit",
      "tiered",
      "prepaid-subscription",
      "prepaid-commitment",
      "video-infrastructure",
      "free-tier",
      "volume-pricing",
      "custom-pricing",
      "waterfall-free-units",
      "startup-credits",
    ]);
  });

  describe.each(templates)("$id", (template) => {
    const compiled = compile(template.document);

    it("compiles with no problems and no warnings", () => {
      expect(compiled.problems).toEqual([]);
      expect(compiled.warnings).toEqual([]);
    });

    it("lays nodes out left to right without overlap", () => {
      const spots = template.document.nodes.map((n) => `${n.position.x},${n.position.y}`);
      expect(new Set(spots).size).toBe(spots.length);
      for (const edge of template.document.edges ?? []) {
        const x = (id: string) => template.document.nodes.find((n) => n.id === id)!.position.x;
        expect(x(edge.target)).toBeGreaterThan(x(edge.source));
      }
    });

    it.each(template.examples)("example: $name", (example) => {
      if (!compiled.ok) throw new Error("template does not compile");
      const result = evaluate(compiled.plan, example.input);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      expect({
        total: result.output.total,
        lines: result.output.lines.map((l) => ({ description: l.description, amount: l.amount })),
      }).toEqual(example.expected);
    });
  });
});
