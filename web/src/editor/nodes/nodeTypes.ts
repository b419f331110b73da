import { nodeKinds } from "@pricegraph/engine";
import type { NodeProps } from "@xyflow/react";
import { type ComponentType, createElement, memo } from "react";
import type { GraphNode } from "../graph.ts";
import { nodeById, useEditor } from "../store/editorStore.ts";
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

type NodeComponent = ComponentType<NodeProps<GraphNode>>;

const components = {
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
} satisfies Record<string, NodeComponent>;

/**
 * A canvas node draws the data the editor store holds for its id (React Flow's copy is the fallback, for
 * canvases whose nodes are not in the store): an edit re-renders the edited node without handing React Flow a
 * new node list, which would re-run every node's and edge's selector (see `flowNodes` in Canvas.tsx).
 */
const StoredNode = memo(function StoredNode(props: NodeProps<GraphNode>) {
  const data = useEditor((s) => nodeById(s.nodes, props.id)?.data) ?? props.data;
  return createElement(components[props.type as keyof typeof components], { ...props, data });
});

/** One component per engine node type, registered once at module level (React Flow needs a stable object). */
export const nodeTypes: Record<keyof typeof components, NodeComponent> = Object.fromEntries(
  Object.keys(components).map((type) => [type, StoredNode as NodeComponent]),
) as Record<keyof typeof components, NodeComponent>;

/** Engine types without a component here (a later format version); the registry test keeps this empty. */
export const missingNodeTypes = nodeKinds.map((k) => k.type).filter((t) => !(t in nodeTypes));
