import { fieldText } from "../format.ts";
import { NodeShell } from "./NodeShell.tsx";
import { Fact, type PgNodeProps } from "./parts.tsx";

const symbols: Record<string, string> = {
  add: "a + b",
  subtract: "a − b",
  multiply: "a × b",
  divide: "a ÷ b",
  min: "min(a, b)",
  max: "max(a, b)",
};

export function MathNode({ id, data, selected }: PgNodeProps) {
  return (
    <NodeShell id={id} type="math" data={data} selected={selected}>
      <div className="formula">{symbols[String(data.op)] ?? String(data.op)}</div>
    </NodeShell>
  );
}

export function SumNode({ id, data, selected }: PgNodeProps) {
  return <NodeShell id={id} type="sum" data={data} selected={selected} />;
}

export function RoundNode({ id, data, selected }: PgNodeProps) {
  return (
    <NodeShell id={id} type="round" data={data} selected={selected}>
      <Fact label="decimals" value={String(data.decimals ?? 0)} />
      <Fact label="mode" value={String(data.mode ?? "")} />
    </NodeShell>
  );
}

export function ConditionNode({ id, data, selected }: PgNodeProps) {
  return (
    <NodeShell id={id} type="condition" data={data} selected={selected}>
      <div className="formula">
        test {String(data.op ?? "")} {fieldText(data.threshold)}
      </div>
    </NodeShell>
  );
}
