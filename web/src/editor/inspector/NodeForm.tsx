import { nodeRegistry } from "@pricegraph/engine";
import type { NodeData } from "../graph.ts";
import type { FormApi } from "./formApi.ts";
import { ObjectFields } from "./SchemaForm.tsx";
import { dataSchema } from "./schema.ts";

/** The form for one node's data, generated from its type's schema. */
export function NodeForm({ type, data, api }: { type: string; data: NodeData; api: FormApi }) {
  const kind = nodeRegistry.get(type);
  const schema = dataSchema(type);
  if (!kind || !schema) return <p className="form-error">Unknown node type “{type}”.</p>;
  return (
    <div className="node-form" data-testid="node-form">
      <div className="form-row">
        <span className="form-label">Name on canvas</span>
        <div className="form-control">
          <input
            type="text"
            value={typeof data.label === "string" ? data.label : ""}
            placeholder={kind.label}
            readOnly={api.readOnly}
            data-testid="field-label"
            aria-label="Name on canvas"
            onChange={(e) => api.set(["label"], e.target.value === "" ? undefined : e.target.value)}
          />
        </div>
      </div>
      <ObjectFields schema={schema} value={data} path={[]} api={api} skip={["label"]} />
    </div>
  );
}
