import { nodeRegistry } from "@pricegraph/engine";
import {
  applyNodeChanges,
  Background,
  BackgroundVariant,
  Controls,
  type Connection as FlowConnection,
  MiniMap,
  type NodeChange,
  ReactFlow,
  useStore as useFlowStore,
  useStoreApi as useFlowStoreApi,
  useReactFlow,
} from "@xyflow/react";
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { type FlowNodeCache, flowNodes, type Position } from "./flowNodes.ts";
import type { GraphEdge, GraphNode } from "./graph.ts";
import { nodeTypes } from "./nodes/nodeTypes.ts";
import { DRAG_MIME } from "./Palette.tsx";
import { useEditor, useEditorStore, useOverlay } from "./store/editorStore.ts";

const categoryColour: Record<string, string> = {
  inputs: "#2563eb",
  pricing: "#059669",
  adjustments: "#d97706",
  logic: "#7c3aed",
  output: "#0f172a",
};

// Module-level and stable: the minimap's node list is memoised on its props, so an inline colour function
// (new on every canvas render, i.e. every drag frame) would re-render all of its nodes per frame.
const minimapNodeColour = (n: { type?: string }) =>
  categoryColour[nodeRegistry.get(n.type ?? "")?.category ?? ""] ?? "#94a3b8";
/**
 * Fitting a plan never zooms out below this: node text (12 px) stays at 7 px or more, readable. A plan too
 * large for the canvas at this zoom is fitted partly and panned (or zoomed out by hand, into the overview).
 */
export const READABLE_ZOOM = 0.6;
/**
 * Plans up to this size are fitted no further out than READABLE_ZOOM; larger ones are fitted whole, which
 * puts them in the overview (coloured blocks): a map to find a region in, then zoom into.
 */
const READABLE_FIT_MAX_NODES = 40;

export function fitViewOptionsFor(nodeCount: number) {
  return nodeCount <= READABLE_FIT_MAX_NODES ? readableFit : wholeFit;
}
const readableFit = { padding: 0.2, maxZoom: 1.1, minZoom: READABLE_ZOOM };
const wholeFit = { padding: 0.2, maxZoom: 1.1 };
/**
 * Below this zoom a node's 12 px text is under 4 px on screen: the canvas switches to an overview where nodes
 * are coloured blocks (no text, handles or shadows) and the dot grid, dense as fur by then, is dropped. What is
 * not legible is not painted, so a 200-node plan pans and drags at full frame rate (see bench/editor).
 */
const OVERVIEW_ZOOM = 0.35;
const isOverview = (s: { transform: [number, number, number] }) => s.transform[2] < OVERVIEW_ZOOM;
/**
 * Above this many nodes the canvas draws only the nodes and edges in view (React Flow measures each node once,
 * then unmounts it while it is out of view) and drops the minimap: a drag or pan frame then costs what the
 * visible part of the plan costs, not the whole plan (see bench/editor).
 */
export const LARGE_PLAN_NODES = 300;
const proOptions = { hideAttribution: true };
const multiSelectionKeyCode = ["Meta", "Control", "Shift"];

export interface CanvasProps {
  /** Extra classes per node and edge (the version diff colours them). */
  nodeClass?: (node: GraphNode) => string | undefined;
  edgeClass?: (edge: GraphEdge) => string | undefined;
}

/** The plan canvas: React Flow over the editor store; connections are judged by the engine before they exist. */
export function Canvas({ nodeClass, edgeClass }: CanvasProps) {
  const store = useEditorStore();
  // Positions of the nodes being dragged: React Flow holds them until the drag ends (see onFlowNodesChange).
  const dragged = useRef(new Map<string, Position>());
  // The store's nodes as React Flow gets them, derived inside the selector: an edit that changes only a node's
  // data leaves the list as it was, so the canvas does not even re-render.
  const toFlowNodes = useMemo(() => {
    let input: GraphNode[] | null = null;
    let output: GraphNode[] = [];
    let cache: FlowNodeCache = new Map();
    return (nodes: GraphNode[]) => {
      if (nodes === input) return output;
      const next = flowNodes(nodes, cache, output, dragged.current, nodeClass);
      input = nodes;
      output = next.list;
      cache = next.cache;
      return output;
    };
  }, [nodeClass]);
  const { nodes, edges, readOnly, onNodesChange, onEdgesChange } = useEditor(
    useShallow((s) => ({
      nodes: toFlowNodes(s.nodes),
      edges: s.edges,
      readOnly: s.readOnly,
      onNodesChange: s.onNodesChange,
      onEdgesChange: s.onEdgesChange,
    })),
  );
  const portTypes = useOverlay((o) => o.portTypes);
  const brokenEdges = useOverlay((o) => o.brokenEdges);
  const toast = useEditor((s) => s.toast);
  const { screenToFlowPosition } = useReactFlow();
  // A boolean selector: the canvas re-renders when the zoom crosses the threshold, not on every pan frame.
  const overview = useFlowStore(isOverview);
  // Fit the plan on opening; an empty canvas keeps zoom 1 so the first drops land where they are dropped.
  const [fitOnOpen] = useState(() => store.getState().nodes.length > 0);
  const [fitViewOptions] = useState(() => fitViewOptionsFor(store.getState().nodes.length));

  // Styled edges are reused while their edge and class stay the same: React Flow then re-renders only the
  // edges that changed, not all of them after every preview.
  const edgeCache = useRef(new Map<string, { edge: GraphEdge; className: string; styled: GraphEdge }>());
  const lastEdges = useRef<GraphEdge[]>([]);
  const styledEdges = useMemo(() => {
    const broken = new Set(brokenEdges);
    const cache = edgeCache.current;
    const next = new Map<string, { edge: GraphEdge; className: string; styled: GraphEdge }>();
    const styled = edges.map((e) => {
      const type = portTypes?.[`${e.source}.${e.sourceHandle}`] ?? "quantity";
      const extra = edgeClass?.(e);
      const className = `edge-${type}${broken.has(e.id) ? " edge-broken" : ""}${extra ? ` ${extra}` : ""}`;
      const hit = cache.get(e.id);
      const entry =
        hit && hit.edge === e && hit.className === className
          ? hit
          : { edge: e, className, styled: { ...e, className } };
      next.set(e.id, entry);
      return entry.styled;
    });
    edgeCache.current = next;
    // The same edges in the same order: hand React Flow the same array, so it skips its edge lookups.
    const previous = lastEdges.current;
    if (previous.length === styled.length && styled.every((e, i) => e === previous[i])) return previous;
    lastEdges.current = styled;
    return styled;
  }, [edges, portTypes, brokenEdges, edgeClass]);

  const large = nodes.length > LARGE_PLAN_NODES;

  const flowStore = useFlowStoreApi<GraphNode>();
  /**
   * A drag moves nodes inside React Flow only; the store (undo history, preview, autosave, every store
   * subscriber) hears of it once, when the drag ends. Routing each frame's position through the store made
   * React re-render the canvas and React Flow re-adopt every node per frame.
   */
  const onFlowNodesChange = useCallback(
    (changes: NodeChange<GraphNode>[]) => {
      const moving = changes.every((c) => c.type === "position" && c.dragging && c.position);
      if (moving) {
        for (const c of changes)
          if (c.type === "position" && c.position) dragged.current.set(c.id, c.position);
        const flow = flowStore.getState();
        flow.setNodes(applyNodeChanges(changes, flow.nodes));
        return;
      }
      for (const c of changes) if (c.type === "position") dragged.current.delete(c.id);
      onNodesChange(changes);
    },
    [flowStore, onNodesChange],
  );

  const onConnect = useCallback(
    (connection: FlowConnection) => {
      const result = store.getState().connect({
        source: connection.source,
        sourceHandle: connection.sourceHandle ?? "out",
        target: connection.target,
        targetHandle: connection.targetHandle ?? "in",
      });
      if (!result.ok) {
        store.getState().showToast({
          tone: "error",
          title: "Connection refused",
          text: result.reason,
          testId: "connection-refused",
        });
      }
    },
    [store],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      const type = event.dataTransfer.getData(DRAG_MIME);
      if (!type || store.getState().readOnly) return;
      // The drop point becomes the node's header centre, where the user's pointer holds it.
      const position = screenToFlowPosition({ x: event.clientX - 95, y: event.clientY - 16 });
      store.getState().addNode(type, position);
    },
    [screenToFlowPosition, store],
  );

  const onNodeDragStart = useCallback(() => store.beginDrag(), [store]);
  const onNodeDragStop = useCallback(() => {
    dragged.current.clear();
    store.endDrag();
  }, [store]);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => store.getState().dismissToast(), 7000);
    return () => clearTimeout(timer);
  }, [toast, store]);

  return (
    <div
      className={`canvas${overview ? " canvas-overview" : ""}${large ? " canvas-large" : ""}`}
      data-testid="canvas"
    >
      <ReactFlow
        nodes={nodes}
        edges={styledEdges}
        nodeTypes={nodeTypes}
        onNodesChange={onFlowNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeDragStart={onNodeDragStart}
        onNodeDragStop={onNodeDragStop}
        onDrop={onDrop}
        onDragOver={onDragOver}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={null}
        multiSelectionKeyCode={multiSelectionKeyCode}
        selectionKeyCode="Shift"
        minZoom={0.1}
        fitView={fitOnOpen}
        fitViewOptions={fitViewOptions}
        proOptions={proOptions}
        onlyRenderVisibleElements={large}
      >
        {!overview && <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#cbd5e1" />}
        <Controls showInteractive={false} />
        {!large && <MiniMap pannable zoomable nodeColor={minimapNodeColour} nodeStrokeWidth={2} />}
      </ReactFlow>
      {nodes.length === 0 && !readOnly && (
        <div className="canvas-empty" data-testid="canvas-empty">
          <strong>Start from nothing</strong>
          <span>Drag a Usage node from the palette, then a pricing model and an invoice line.</span>
        </div>
      )}
      {toast && (
        <div className={`toast toast-${toast.tone}`} role="alert" data-testid={toast.testId} key={toast.id}>
          <div>
            <strong>{toast.title}</strong>
            <p>{toast.text}</p>
          </div>
          <button type="button" aria-label="Dismiss" onClick={() => store.getState().dismissToast()}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
