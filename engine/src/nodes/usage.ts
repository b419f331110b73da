import { z } from "zod";
import { Decimal, humanNumber, ZERO } from "../decimal.ts";
import { defineNode, type GroupValue } from "../types.ts";
import { output } from "./ports.ts";

const schema = z
  .object({
    metric: z.string().min(1, "name the billable metric"),
    groupBy: z.array(z.string().min(1)).min(1).optional(),
    label: z.string().optional(),
  })
  .strict();

/** Projects input groups onto the node's dimensions and sums groups that coincide; sorted by group. */
function regroup(
  rows: { group: Record<string, string>; value: string }[],
  dimensions: string[],
): GroupValue[] {
  // Usage mostly comes in a handful of groups, where a linear search beats a Map; many groups use one.
  const keys: string[] = [];
  const groups: GroupValue[] = [];
  const positions = rows.length > 32 ? new Map<string, number>() : null;
  const single = dimensions.length === 1 ? dimensions[0] : null;
  for (const row of rows) {
    // The sort key: the value itself for one dimension, else the JSON of the values.
    const key =
      single !== null ? (row.group[single] ?? "") : JSON.stringify(dimensions.map((d) => row.group[d] ?? ""));
    const at = positions ? (positions.get(key) ?? -1) : keys.indexOf(key);
    if (at >= 0) {
      groups[at].value = groups[at].value.plus(row.value);
      continue;
    }
    const group: Record<string, string> = {};
    for (const dimension of dimensions) group[dimension] = row.group[dimension] ?? "";
    positions?.set(key, keys.length);
    keys.push(key);
    groups.push({ group, value: new Decimal(row.value) });
  }
  const order = keys.map((_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
  return order.map((i) => groups[i]);
}

export const usageNode = defineNode({
  type: "usage",
  category: "inputs",
  label: "Usage",
  description: "The aggregated usage of a billable metric for the period, optionally grouped by dimensions.",
  schema,
  defaultData: { metric: "api_calls" },
  ports: (data) => ({
    inputs: [],
    outputs: [output("out", [data?.groupBy ? "grouped" : "quantity"], "usage")],
  }),
  evaluate(data, _inputs, context) {
    const given = context.usage(data.metric);
    if (given === undefined) {
      context.warn("MISSING_USAGE", `No usage given for metric "${data.metric}"; using 0`);
      return { out: data.groupBy ? [] : ZERO };
    }
    if (data.groupBy) {
      if (!Array.isArray(given)) {
        return context.fail(
          "INVALID_USAGE",
          `Metric "${data.metric}" is grouped by ${data.groupBy.join(", ")}; give a list of groups`,
        );
      }
      return { out: regroup(given, data.groupBy) };
    }
    if (Array.isArray(given)) return { out: given.reduce((sum, row) => sum.plus(row.value), ZERO) };
    return { out: new Decimal(given) };
  },
  explain(data, _inputs, outputs) {
    const out = outputs.out;
    if (Array.isArray(out)) {
      return {
        text: `${data.metric} by ${data.groupBy?.join(", ")}: ${out.length} group(s)`,
        items: out.map((g) => ({
          text: `${Object.values(g.group).join(" / ")}: ${humanNumber(g.value)}`,
          quantity: g.value.toString(),
        })),
      };
    }
    return { text: `${data.metric} = ${humanNumber(out)}` };
  },
});
