import type { ParamType, PlanParam } from "@pricegraph/shared";
import type { Path } from "../store/paths.ts";

/** What the generated form needs from its host: the store in the editor, plain callbacks in tests. */
export interface FormApi {
  readOnly: boolean;
  /** The node type whose data the form edits: its fields' labels and help come from it. */
  nodeType?: string;
  set(path: Path, value: unknown): void;
  expose(path: Path, type: ParamType): void;
  /** Compiler messages for a field. */
  errorsAt(path: Path): string[];
  params: PlanParam[];
}

/** `["tiers", 1, "upTo"]` → `tiers.1.upTo`, used in test ids. */
export const pathKey = (path: Path) => path.join(".");

/** `["tiers", 1, "upTo"]` → `$.tiers[1].upTo`, the engine's problem path. */
export const jsonPathOf = (path: Path) =>
  path.reduce<string>((acc, s) => (typeof s === "number" ? `${acc}[${s}]` : `${acc}.${s}`), "$");
