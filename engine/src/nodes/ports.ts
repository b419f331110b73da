import type { InputPort, OutputPort, ValueType } from "../types.ts";

// Small constructors so every node declares its ports the same way.
export const NUMERIC: readonly ValueType[] = ["quantity", "money"];

export function input(
  name: string,
  accepts: readonly ValueType[],
  extra: Partial<InputPort> = {},
): InputPort {
  return { name, label: extra.label ?? name, accepts, ...extra };
}

export function output(name: string, types: readonly ValueType[], label = name): OutputPort {
  return { name, label, types };
}

/** The one resolved type of a same-typed group of inputs, or an error text. */
export function commonType(types: (ValueType | undefined)[], what: string): ValueType | string | undefined {
  const present = types.filter((t): t is ValueType => t !== undefined);
  if (present.length === 0) return undefined;
  const first = present[0];
  return present.every((t) => t === first)
    ? first
    : `${what} must all be of one type (got ${[...new Set(present)].join(" and ")})`;
}
