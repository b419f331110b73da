import { nodeKinds } from "@pricegraph/engine";
import type { NodeTypes } from "@xyflow/react";
import { CreditsNode, DiscountNode, FreeUnitsNode, MaximumNode, MinimumNode } from "./adjustmentNodes.tsx";
import { ConstantNode, UsageNode } from "./inputNodes.tsx";
import { ConditionNode, MathNode, RoundNode, SumNode } from "./logicNodes.tsx";
import { InvoiceLineNode } from "./outputNodes.tsx";
import {
  FlatFeeNode,
  MatrixNode,
  PackageNode,
  PercentNode,
  PerUnitNode,
  StepNode,
  Tiered2dNode,
  TieredNode,
  VolumeNode,
} from "./pricingNodes.tsx";

/** One component per engine node type, registered once at module level (React Flow needs a stable object). */
export const nodeTypes = {
  usage: UsageNode,
  constant: ConstantNode,
  flatFee: FlatFeeNode,
  perUnit: PerUnitNode,
  package: PackageNode,
  tiered: TieredNode,
  volume: VolumeNode,
  step: StepNode,
  percent: PercentNode,
  matrix: MatrixNode,
  tiered2d: Tiered2dNode,
  freeUnits: FreeUnitsNode,
  discount: DiscountNode,
  minimum: MinimumNode,
  maximum: MaximumNode,
  credits: CreditsNode,
  math: MathNode,
  sum: SumNode,
  round: RoundNode,
  condition: ConditionNode,
  invoiceLine: InvoiceLineNode,
} satisfies NodeTypes;

/** Engine types without a component here (a later format version); the registry test keeps this empty. */
export const missingNodeTypes = nodeKinds.map((k) => k.type).filter((t) => !(t in nodeTypes));
