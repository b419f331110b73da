import type { PlanTemplate } from "@pricegraph/engine/templates";
import type { PlanDocumentInput } from "@pricegraph/shared";

/** The pricing shapes a first plan can take, in a pricing team's words, each backed by a template. */
export const firstPlanShapes = [
  { template: "per-unit", label: "One price for every unit", example: "2 cents per API call" },
  {
    template: "tiered",
    label: "Cheaper as usage grows, band by band",
    example: "the first 10,000 at 1 cent, the next 90,000 at 0.8 cents…",
  },
  {
    template: "volume-pricing",
    label: "One price for all units, set by how many",
    example: "all of 5,000 GB at 8 cents, because the total passed 1,000",
  },
  {
    template: "free-tier",
    label: "A free allowance, then a price per unit",
    example: "10,000 free, then 0.2 cents",
  },
] as const;

export interface FirstPlanAnswers {
  /** The metric key usage events carry. */
  metric: string;
  /** What the invoice line says. */
  description: string;
  template: PlanTemplate;
}

/** A metric key from what the user typed: "API calls" → "api_calls". */
export function metricKey(text: string): string {
  return (
    text
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "") || "usage"
  );
}

/**
 * The template's plan made the user's own: its usage node reads their metric, its invoice lines say what they
 * bill for, and the opening sample uses their metric too.
 */
export function firstPlanFrom({ metric, description, template }: FirstPlanAnswers): {
  document: PlanDocumentInput;
  sample: PlanTemplate["examples"][number]["input"];
} {
  const document = structuredClone(template.document);
  const original = document.nodes.find((n) => n.type === "usage")?.data?.metric as string | undefined;
  const lines = document.nodes.filter((n) => n.type === "invoiceLine");
  for (const node of document.nodes) {
    const data = node.data as Record<string, unknown>;
    if (node.type === "usage" && data.metric === original) {
      data.metric = metric;
      data.label = description;
    }
    if (node.type === "invoiceLine" && lines.length === 1) data.description = description;
  }
  const input = structuredClone(template.examples[0]?.input ?? {});
  if (original && input.usage && original in input.usage) {
    input.usage = { [metric]: input.usage[original] };
  }
  return { document, sample: input };
}
