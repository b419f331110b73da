import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { templates } from "@pricegraph/engine/templates";
import { describe, expect, it } from "vitest";
import { growthPlan, starterPlan } from "../src/modules/demo/plans.ts";

// examples/plans keeps the demo tenant's plans as files; they must stay the documents the demo seed publishes.

const plans = resolve(import.meta.dirname, "../../examples/plans");
const read = (name: string) => JSON.parse(readFileSync(join(plans, `${name}.json`), "utf8"));

describe("examples/plans", () => {
  it.each([
    ["starter", starterPlan],
    ["growth", growthPlan],
    ["video-infrastructure", templates.find((t) => t.id === "video-infrastructure")?.document],
  ])("%s.json is the demo seed's plan", (name, seeded) => {
    expect(read(name)).toEqual(seeded);
  });
});
