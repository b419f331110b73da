import { fieldText } from "../format.ts";
import { NodeShell } from "./NodeShell.tsx";
import { Fact, type PgNodeProps } from "./parts.tsx";

export function UsageNode({ id, data, selected }: PgNodeProps) {
  const groupBy = data.groupBy as string[] | undefined;
  return (
    <NodeShell id={id} type="usage" data={data} selected={selected}>
      <div className="metric" data-testid={`metric-${id}`}>
        {String(data.metric ?? "")}
      </div>
      {groupBy?.length ? <Fact label="grouped by" value={groupBy.join(", ")} /> : null}
    </NodeShell>
  );
}

export function ConstantNode({ id, data, selected }: PgNodeProps) {
  return (
    <NodeShell id={id} type="constant" data={data} selected={selected}>
      <Fact label={String(data.valueType ?? "quantity")} value={fieldText(data.value)} />
    </NodeShell>
  );
}
