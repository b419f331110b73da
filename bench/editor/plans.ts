/** Generated plans for the editor benchmark: chains of usage → free units → tiered → discount → invoice line. */
export interface BenchDocument {
  format: "pricegraph/v1";
  currency: string;
  params: never[];
  nodes: { id: string; type: string; position: { x: number; y: number }; data: Record<string, unknown> }[];
  edges: { id: string; source: string; sourceHandle: string; target: string; targetHandle: string }[];
}

export const METRICS = 8;

export function generatedPlan(nodeCount: number): BenchDocument {
  const chains = Math.floor(nodeCount / 5);
  const nodes: BenchDocument["nodes"] = [];
  const edges: BenchDocument["edges"] = [];
  const link = (source: string, sourceHandle: string, target: string, targetHandle: string) =>
    edges.push({ id: `e${edges.length + 1}`, source, sourceHandle, target, targetHandle });
  for (let c = 0; c < chains; c++) {
    const id = (k: number) => `c${c}n${k}`;
    const y = c * 190;
    nodes.push(
      { id: id(0), type: "usage", position: { x: 0, y }, data: { metric: `metric_${c % METRICS}` } },
      { id: id(1), type: "freeUnits", position: { x: 280, y }, data: { allowance: "100" } },
      {
        id: id(2),
        type: "tiered",
        position: { x: 560, y },
        data: {
          tiers: [
            { upTo: "1000", unitPrice: "0.10" },
            { upTo: "10000", unitPrice: "0.08" },
            { upTo: null, unitPrice: "0.05" },
          ],
        },
      },
      { id: id(3), type: "discount", position: { x: 840, y }, data: { percent: "10" } },
      { id: id(4), type: "invoiceLine", position: { x: 1120, y }, data: { description: `Line ${c + 1}` } },
    );
    link(id(0), "out", id(1), "in");
    link(id(1), "billable", id(2), "in");
    link(id(2), "out", id(3), "in");
    link(id(3), "out", id(4), "amount");
  }
  return { format: "pricegraph/v1", currency: "USD", params: [], nodes, edges };
}
