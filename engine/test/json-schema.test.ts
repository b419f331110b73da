import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { planDocumentJsonSchema } from "../src/json-schema.ts";
import { nodeKinds } from "../src/registry.ts";

const root = resolve(import.meta.dirname, "../..");
const committedPath = join(root, "shared/schema/pricing-graph.v1.json");
const schema = planDocumentJsonSchema();
const validate = new Ajv2020({ strict: false }).compile(schema);
const plans = [
  ...readdirSync(join(root, "engine/src/templates"))
    .filter((name) => name.endsWith(".json"))
    .map((name) => join(root, "engine/src/templates", name)),
  ...readdirSync(join(root, "examples/plans"))
    .filter((name) => name.endsWith(".json") && !name.endsWith(".cases.json"))
    .map((name) => join(root, "examples/plans", name)),
];
const read = (path: string) => JSON.parse(readFileSync(path, "utf8"));

describe("the plan file's JSON Schema", () => {
  it("the committed shared/schema/pricing-graph.v1.json is the generated one (pnpm exec pricegraph schema)", () => {
    expect(read(committedPath)).toEqual(schema);
  });

  it("describes the data of every node kind in the registry", () => {
    const node = (schema.properties as { nodes: { items: { allOf: { if: unknown }[] } } }).nodes.items;
    expect(node.allOf.map((rule) => rule.if)).toEqual(
      nodeKinds.map((kind) => ({ properties: { type: { const: kind.type } }, required: ["type"] })),
    );
  });

  it.each(plans.map((path) => [path.slice(root.length + 1), path]))("accepts %s", (_name, path) => {
    expect(validate(read(path)), JSON.stringify(validate.errors)).toBe(true);
  });

  const changes: [string, (document: Plan) => void, string][] = [
    [
      "an exponent decimal",
      (d) => {
        d.params[0].default = "1e3";
      },
      "/params/0/default",
    ],
    [
      "an unknown node type",
      (d) => {
        d.nodes[0].type = "teleport";
      },
      "/nodes/0/type",
    ],
    ["a tier price that is a number", (d) => tierOf(d).push({ upTo: null, unitPrice: 0.1 }), "/nodes/"],
    ["an unknown top-level key", (d) => Object.assign(d, { extra: 1 }), ""],
    [
      "a lowercase currency",
      (d) => {
        d.currency = "usd";
      },
      "/currency",
    ],
  ];
  it.each(changes)("refuses %s", (_what, change, where) => {
    const document = read(join(root, "engine/src/templates/tiered.json")) as Plan;
    change(document);
    expect(validate(document)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath).join(" ")).toContain(where);
  });
});

interface Plan {
  currency: string;
  params: { default: string }[];
  nodes: { type: string; data: Record<string, unknown> }[];
}
const tierOf = (document: Plan) => document.nodes.find((n) => n.type === "tiered")!.data.tiers as unknown[];
