import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { PlanDocumentInput } from "@pricegraph/shared";
import { planDocument } from "../testing/plan.ts";
import { scratchFolder } from "./testing.ts";

// Plan and input files the command tests share, written once into a scratch folder.

const templates = resolve(import.meta.dirname, "../templates");
export const template = (name: string): PlanDocumentInput =>
  JSON.parse(readFileSync(join(templates, `${name}.json`), "utf8"));
export const scratch = scratchFolder();
export const file = scratch.write;
export const valid = file(
  "valid.json",
  planDocument(
    [
      ["u", "usage", { metric: "minutes" }],
      ["p", "perUnit", { unitPrice: "0.004" }],
      ["line", "invoiceLine", { description: "Minutes" }],
    ],
    ["u.out -> p.in", "p.out -> line.amount"],
  ),
);
export const broken = file(
  "broken.json",
  planDocument(
    [
      ["u", "usage", { metric: "minutes" }],
      ["p", "teleport", {}],
    ],
    [],
  ),
);
export const divides = file(
  "divides.json",
  planDocument(
    [
      ["a", "constant", { value: "1", valueType: "money" }],
      ["b", "usage", { metric: "seats" }],
      ["d", "math", { op: "divide" }],
      ["line", "invoiceLine", { description: "x" }],
    ],
    ["a.out -> d.a", "b.out -> d.b", "d.out -> line.amount"],
  ),
);
export const input = file("input.json", { usage: { minutes: "11000" } });
export const noSeats = file("no-seats.json", { usage: { seats: "0" } });
export const badInput = file("bad-input.json", { usage: { minutes: "lots" } });
export const notJson = file("not.json", "{ nope");
export const missing = join(scratch.dir, "missing.json");
