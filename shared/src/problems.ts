import type { z } from "zod";

/** Machine-readable codes for everything the compiler, the evaluator and the API can refuse. */
export const problemCodes = {
  // document and nodes
  INVALID_DOCUMENT: "The document is not a pricegraph/v1 plan",
  UNKNOWN_NODE_TYPE: "The node names a type this version does not know",
  INVALID_NODE_DATA: "A field of the node's data is invalid",
  DUPLICATE_NODE_ID: "Two nodes share an id",
  DUPLICATE_EDGE_ID: "Two edges share an id",
  DUPLICATE_PARAM: "Two parameters share a key",
  TIERS_OUT_OF_ORDER: "Tier upper bounds must strictly ascend",
  TIERS_NOT_UNBOUNDED: "Only the last tier is unbounded, and it must be",
  PARAM_UNDECLARED: "A parameter reference names no declared parameter",
  PARAM_WRONG_TYPE: "A parameter reference has the wrong type for its field",
  // connections
  EDGE_MISSING_NODE: "An edge joins a node that does not exist",
  EDGE_MISSING_PORT: "An edge joins a port the node does not have",
  PORT_TYPE_MISMATCH: "An edge joins ports of incompatible types",
  INPUT_UNCONNECTED: "A required input has no edge",
  INPUT_MULTIPLE_EDGES: "An input that takes one edge has several",
  CYCLE: "The graph has a cycle",
  NO_INVOICE_LINE: "The plan has no invoice line",
  UNREACHABLE_NODE: "The node reaches no invoice line",
  // publishing
  UNKNOWN_METRIC: "A usage node names a metric the tenant has not defined",
  // evaluation
  INVALID_INPUT: "The evaluation input is invalid",
  UNKNOWN_PARAM: "A parameter override names no declared parameter",
  MISSING_USAGE: "No usage was given for a metric",
  MISSING_CREDIT_POOL: "No balance was given for a credit pool",
  DIVISION_BY_ZERO: "Division by zero",
  MATRIX_NO_PRICE: "A usage group matches no matrix row and there is no default",
  INVALID_USAGE: "Usage has the wrong shape for the node",
} as const;
export type ProblemCode = keyof typeof problemCodes;

export interface Problem {
  code: ProblemCode;
  message: string;
  severity?: "error" | "warning";
  nodeId?: string;
  edgeId?: string;
  /** JSON path within the node's data (or the document, when no node is named). */
  path?: string;
  /** Every node of a cycle. */
  nodeIds?: string[];
}

/** `["tiers", 1, "upTo"]` → `$.tiers[1].upTo` */
export function jsonPath(segments: readonly PropertyKey[]): string {
  let path = "$";
  for (const segment of segments) {
    path += typeof segment === "number" ? `[${segment}]` : `.${String(segment)}`;
  }
  return path;
}

export function issuesToPaths(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: jsonPath(issue.path), message: issue.message }));
}
