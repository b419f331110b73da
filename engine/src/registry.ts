import { conditionNode } from "./nodes/condition.ts";
import { constantNode } from "./nodes/constant.ts";
import { creditsNode } from "./nodes/credits.ts";
import { discountNode } from "./nodes/discount.ts";
import { flatFeeNode } from "./nodes/flat-fee.ts";
import { freeUnitsNode } from "./nodes/free-units.ts";
import { invoiceLineNode } from "./nodes/invoice-line.ts";
import { mathNode } from "./nodes/math.ts";
import { matrixNode } from "./nodes/matrix.ts";
import { maximumNode } from "./nodes/maximum.ts";
import { minimumNode } from "./nodes/minimum.ts";
import { packageNode } from "./nodes/package.ts";
import { perUnitNode } from "./nodes/per-unit.ts";
import { percentNode } from "./nodes/percent.ts";
import { roundNode } from "./nodes/round.ts";
import { stepNode } from "./nodes/step.ts";
import { sumNode } from "./nodes/sum.ts";
import { tieredNode } from "./nodes/tiered.ts";
import { tiered2dNode } from "./nodes/tiered-2d.ts";
import { usageNode } from "./nodes/usage.ts";
import { volumeNode } from "./nodes/volume.ts";
import type { AnyNodeKind, NodeCategory } from "./types.ts";

/** Every node type of pricegraph/v1, in palette order. The editor's palette and connection rules read this. */
export const nodeKinds: readonly AnyNodeKind[] = [
  usageNode,
  constantNode,
  flatFeeNode,
  perUnitNode,
  packageNode,
  tieredNode,
  volumeNode,
  stepNode,
  percentNode,
  matrixNode,
  tiered2dNode,
  freeUnitsNode,
  discountNode,
  minimumNode,
  maximumNode,
  creditsNode,
  mathNode,
  sumNode,
  roundNode,
  conditionNode,
  invoiceLineNode,
];

export const nodeRegistry: ReadonlyMap<string, AnyNodeKind> = new Map(
  nodeKinds.map((kind) => [kind.type, kind]),
);

export const nodeCategories: readonly { id: NodeCategory; label: string }[] = [
  { id: "inputs", label: "Inputs" },
  { id: "pricing", label: "Pricing models" },
  { id: "adjustments", label: "Adjustments" },
  { id: "logic", label: "Logic" },
  { id: "output", label: "Output" },
];
