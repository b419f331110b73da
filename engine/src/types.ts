import type { Problem, ProblemCode, ValueType } from "@pricegraph/shared";
import type { z } from "zod";
import type { Decimal } from "./decimal.ts";
import type { Materialized } from "./fields.ts";

export type { ValueType };

export interface GroupValue {
  group: Record<string, string>;
  value: Decimal;
}
/** A port's value: a quantity or money amount, or a list of grouped quantities. */
export type Value = Decimal | GroupValue[];

export type NodeCategory = "inputs" | "pricing" | "adjustments" | "logic" | "output";

export interface InputPort {
  name: string;
  label: string;
  accepts: readonly ValueType[];
  optional?: boolean;
  /** Takes any number of edges (their values arrive as an array). */
  many?: boolean;
}

export interface OutputPort {
  name: string;
  label: string;
  /** Types the port may carry; `outputTypes` picks one when there are several. */
  types: readonly ValueType[];
}

export interface PortLayout {
  inputs: InputPort[];
  outputs: OutputPort[];
}

/** Resolved input types: one per single input, a list for a `many` input, absent when unconnected. */
export type InputTypes = Record<string, ValueType | ValueType[] | undefined>;
export type InputValues = Record<string, Value | Value[] | undefined>;
export type OutputValues = Record<string, Value>;

export interface ExplanationItem {
  text: string;
  quantity?: string;
  unitPrice?: string;
  amount?: string;
  [key: string]: string | undefined;
}

export interface NodeExplanation {
  text: string;
  items?: ExplanationItem[];
}

/** What a node sees of the evaluation beyond its inputs. */
export interface EvaluationContext {
  readonly nodeId: string;
  readonly proration: Decimal;
  /** Usage of a metric as given in the input; undefined when missing. */
  usage(metric: string): string | { group: Record<string, string>; value: string }[] | undefined;
  /** Draws up to `wanted` from a credit pool and returns what was drawn. */
  drawCredits(pool: string, wanted: Decimal): Decimal;
  warn(code: ProblemCode, message: string): void;
  /** Fails the whole evaluation: runtime problems are never a silent 0. */
  fail(code: ProblemCode, message: string): never;
}

export interface NodeKind<Data = unknown> {
  type: string;
  category: NodeCategory;
  label: string;
  description: string;
  /** Validates and parses a node's `data`; decimal fields become DecimalFields. */
  schema: z.ZodType<Data>;
  /** What the palette drops on the canvas. */
  defaultData: Record<string, unknown>;
  /** Ports for the given (parsed) data, or for default data when it is undefined. */
  ports(data: Data | undefined): PortLayout;
  /** Output types from input types, for polymorphic nodes; a string is a type error. */
  outputTypes?(data: Data, inputs: InputTypes): Record<string, ValueType> | string;
  evaluate(data: Materialized<Data>, inputs: InputValues, context: EvaluationContext): OutputValues;
  explain(data: Materialized<Data>, inputs: InputValues, outputs: OutputValues): NodeExplanation;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds kinds of every data type
export type AnyNodeKind = NodeKind<any>;

export function defineNode<Data>(kind: NodeKind<Data>): NodeKind<Data> {
  return kind;
}

export class EvaluationFailure extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}
