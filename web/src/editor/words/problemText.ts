import { nodeRegistry } from "@pricegraph/engine";
import type { Problem } from "@pricegraph/shared";
import type { GraphNode } from "../graph.ts";
import { dataSchema, fieldKind, type JsonSchema } from "../inspector/schema.ts";
import { fieldLabelFor } from "./fieldCopy.ts";

/**
 * Compiler and evaluator problems in a pricing team's words. The API and the engine keep their codes and
 * messages (machines read those); the editor names the node as the canvas shows it and the field as the
 * inspector labels it, and says what to do.
 */
export interface PlainProblem {
  /** The node as the canvas names it: `Invoice line 'Video minutes'`. */
  subject: string | null;
  /** What is wrong, without the subject when it is about a field: `Tier 2: up to must be greater than 500`. */
  text: string;
  /** The whole sentence for lists: subject and text. */
  sentence: string;
  nodeId?: string;
  /** Where the inspector should put the cursor: a data path (`$.tiers[1].upTo`) or an input (`$inputs.in`). */
  focusPath?: string;
}

type NodeLike = Pick<GraphNode, "id" | "type" | "data">;

/** The name a node goes by on the canvas: its own label, or what it bills or reads. */
export function nodeName(node: NodeLike): string | null {
  const data = node.data as Record<string, unknown>;
  const own = [data.label, node.type === "invoiceLine" ? data.description : undefined];
  if (node.type === "usage") own.push(data.metric);
  if (node.type === "credits") own.push(data.grant);
  const name = own.find((v): v is string => typeof v === "string" && v.trim() !== "");
  return name ?? null;
}

/** `Invoice line 'Video minutes'`, or just `Invoice line` for a node with no name of its own. */
export function nodeTitle(node: NodeLike | undefined, fallbackId?: string): string {
  if (!node) return fallbackId ? `A removed node (${fallbackId})` : "A node";
  const kind = nodeRegistry.get(node.type ?? "")?.label ?? node.type ?? "Node";
  const name = nodeName(node);
  return name && name !== kind ? `${kind} '${name}'` : kind;
}

/** `$.tiers[1].upTo` → `["tiers", 1, "upTo"]`. */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.replace(/^\$/, "").matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) {
    segments.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  }
  return segments;
}

const itemNames: Record<string, string> = {
  tiers: "Tier",
  rows: "Row",
  columns: "Column",
  entries: "Entry",
  rates: "Rate",
  cases: "Case",
};

/** `["tiers", 1, "upTo"]` → `Tier 2: up to`, with the node type's own labels where it has them. */
export function fieldPathLabel(type: string | undefined, segments: (string | number)[]): string {
  const parts: string[] = [];
  let previous: string | number | undefined;
  for (const segment of segments) {
    if (typeof segment === "number") {
      const item = typeof previous === "string" ? itemNames[previous] : undefined;
      if (item) parts[parts.length - 1] = `${item} ${segment + 1}`;
      else parts.push(`#${segment + 1}`);
    } else {
      const label =
        segment === "upTo" ? "Up to" : fieldLabelFor(parts.length === 0 ? type : undefined, segment);
      parts.push(parts.length === 0 ? label : label.toLowerCase());
    }
    previous = segment;
  }
  return parts.reduce((text, part, index) => {
    if (index === 0) return part;
    const afterItem = /^(Tier|Row|Column|Entry|Rate|Case|#)/.test(parts[index - 1] ?? "");
    return afterItem ? `${text}: ${part}` : `${text} ${part}`;
  }, "");
}

function schemaAt(schema: JsonSchema | null, segments: (string | number)[]): JsonSchema | null {
  let current = schema;
  for (const segment of segments) {
    if (!current) return null;
    const inner = current.anyOf?.find((s) => s.type !== "null" && (s.properties || s.items)) ?? current;
    current = typeof segment === "number" ? (inner.items ?? null) : (inner.properties?.[segment] ?? null);
  }
  return current;
}

/** A field message from zod or a node's own checks, said plainly. */
function fieldMessage(message: string, schema: JsonSchema | null): string {
  const previousTier = /^upTo must be greater than the previous tier's (.+)$/.exec(message);
  if (previousTier) return `must be greater than ${previousTier[1]}`;
  if (message.startsWith("upTo must be greater than 0")) return "must be greater than 0";
  if (message.startsWith("the last tier must be unbounded"))
    return "must be empty: the last tier has no limit";
  if (message.startsWith("only the last tier may be unbounded"))
    return "needs a limit: only the last tier is open-ended";
  const notDecimal = /^"(.*)" is not a decimal/.exec(message);
  if (notDecimal) return notDecimal[1] === "" ? "needs a number" : `“${notDecimal[1]}” is not a number`;
  if (message === "name the credit pool") return "needs the name of a credit pool";
  if (message.startsWith("give either allowance or tiers"))
    return "choose either a fixed number of free units or a waterfall, not both";
  if (/^Too small: expected string/.test(message)) return "can't be empty";
  if (message === "Invalid input" || message.startsWith("Invalid input:")) {
    const kind = schema ? fieldKind(schema).kind : "json";
    if (kind === "decimal") return "needs a number, like 12.50";
    if (kind === "enum") return "needs one of the listed choices";
    return "is not filled in correctly";
  }
  return message.replace(/ \(with the parameters' defaults\)$/, " (with the parameters' default values)");
}

const withArticle = (label: string) =>
  /s$/.test(label) ? label : `${/^[aeiou]/i.test(label) ? "an" : "a"} ${label}`;

/** One problem in people's words. `nodes` is the graph the problem was found in. */
export function describeProblem(problem: Problem, nodes: readonly NodeLike[]): PlainProblem {
  const byId = (id: string | undefined) => (id ? nodes.find((n) => n.id === id) : undefined);
  const node = byId(problem.nodeId);
  const subject = problem.nodeId ? nodeTitle(node, problem.nodeId) : null;
  const kind = node?.type ? nodeRegistry.get(node.type) : undefined;
  const ports = kind?.ports(node?.data as never);
  const inputLabel = (path: string | undefined) => {
    const name = path?.replace(/^\$inputs\./, "") ?? "";
    return ports?.inputs.find((p) => p.name === name)?.label ?? name;
  };
  const done = (text: string, extra: Partial<PlainProblem> = {}, sentence?: string): PlainProblem => ({
    subject,
    text,
    sentence: sentence ?? (subject ? `${subject}: ${text}` : text),
    nodeId: problem.nodeId,
    ...extra,
  });

  switch (problem.code) {
    case "INPUT_UNCONNECTED": {
      const text = `needs ${withArticle(inputLabel(problem.path))} connected`;
      return done(text, { focusPath: problem.path }, `${subject} ${text}`);
    }
    case "INPUT_MULTIPLE_EDGES": {
      const text = `takes one connection into ${inputLabel(problem.path)}; remove the extra ones`;
      return done(text, { focusPath: problem.path }, `${subject} ${text}`);
    }
    case "PORT_TYPE_MISMATCH": {
      const types = /takes (.+), not (\w+)$/.exec(problem.message);
      const port = /^Input "([^"]+)"/.exec(problem.message)?.[1];
      if (types && port) {
        return done(`${inputLabel(`$inputs.${port}`)} takes ${types[1]}, but is connected to ${types[2]}`, {
          focusPath: `$inputs.${port}`,
        });
      }
      return done(problem.message.replace(/^Node "[^"]+": /, ""));
    }
    case "CYCLE": {
      const loop = (problem.nodeIds ?? []).map((id) => nodeTitle(byId(id), id)).join(" → ");
      const text = `These nodes feed each other in a loop (${loop}); a plan must flow one way`;
      return done(text, {}, text);
    }
    case "NO_INVOICE_LINE": {
      const text =
        "The plan has no invoice line yet, so it bills nothing: add one from the palette's Output group";
      return done(text, {}, text);
    }
    case "UNREACHABLE_NODE":
      return done("isn't connected to any invoice line, so it doesn't affect the bill", {}, undefined);
    case "UNKNOWN_NODE_TYPE":
      return done(`is a kind of node this version doesn't know`);
    case "EDGE_MISSING_NODE":
    case "EDGE_MISSING_PORT":
      return done("has a connection to something that no longer exists; delete that connection");
    case "DUPLICATE_NODE_ID":
    case "DUPLICATE_EDGE_ID":
      return done("shares its id with another node; remove one of the copies");
    case "MISSING_USAGE":
    case "INVALID_USAGE":
    case "MATRIX_NO_PRICE":
    case "DIVISION_BY_ZERO":
      return done(problem.message.replace(/^Node "[^"]+":? ?/, ""));
    default:
      break;
  }
  if (problem.path?.startsWith("$.") && node) {
    const segments = pathSegments(problem.path);
    const field = fieldPathLabel(node.type, segments);
    const schema = schemaAt(dataSchema(node.type ?? ""), segments);
    let message = fieldMessage(problem.message, schema);
    if (problem.code === "PARAM_UNDECLARED") {
      const key = /Parameter "([^"]+)"/.exec(problem.message)?.[1];
      message = `uses the parameter “${key}”, which the plan doesn't declare`;
    } else if (problem.code === "PARAM_WRONG_TYPE") {
      const match = /Parameter "([^"]+)" is (\w+) but this field needs (\w+)/.exec(problem.message);
      if (match) message = `uses the parameter “${match[1]}”, a ${match[2]}, but needs ${match[3]}`;
    }
    return done(`${field} ${message}`, { focusPath: problem.path });
  }
  return done(problem.message);
}
