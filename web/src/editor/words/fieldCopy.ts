import { fieldLabel as keyLabel } from "../inspector/schema.ts";

/**
 * Field names and help in a pricing team's words, where the data key alone misleads. Everything else is the
 * key as words ("unitPrice" → "Unit price"), read from the same registry schemas the inspector renders.
 */
const copy: Record<string, Record<string, { label?: string; help?: string }>> = {
  credits: {
    grant: {
      label: "Credit pool",
      help:
        "The name of the credit pool this charge is paid from, e.g. “startup”. It holds no amount: " +
        "credits are granted per contract (a contract's Grant credits), and the preview's sample sets a balance.",
    },
  },
  freeUnits: {
    allowance: { label: "Free units", help: "Units free every period, whatever the usage." },
    tiers: {
      label: "Waterfall",
      help: "The free allowance grows with usage: find the tier the period's usage falls in, and that many units are free.",
    },
  },
  invoiceLine: { description: { help: "The line's text on the invoice the customer reads." } },
  usage: { metric: { help: "The metric key your usage events carry, e.g. api_calls." } },
};

/** The label a field shows, for a node type (when known) and its data key. */
export function fieldLabelFor(type: string | undefined, key: string): string {
  return (type && copy[type]?.[key]?.label) || keyLabel(key);
}

export function fieldHelpFor(type: string | undefined, key: string): string | undefined {
  return type ? copy[type]?.[key]?.help : undefined;
}

/**
 * Fields of which a node takes exactly one: shown as a choice between them rather than as two optional
 * fields to add and remove (the engine refuses both or neither).
 */
export interface FieldChoice {
  legend: string;
  options: { field: string; label: string; hint: string }[];
}

const choices: Record<string, FieldChoice> = {
  freeUnits: {
    legend: "How many units are free",
    options: [
      { field: "allowance", label: "A fixed allowance", hint: "The same number of free units every period." },
      {
        field: "tiers",
        label: "A waterfall that grows with usage",
        hint: "The more a customer uses, the more units are free.",
      },
    ],
  },
};

export function fieldChoiceFor(type: string | undefined): FieldChoice | undefined {
  return type ? choices[type] : undefined;
}
