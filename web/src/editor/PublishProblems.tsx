import type { Problem } from "@pricegraph/shared";
import { Dialog } from "../ui/Dialog.tsx";
import { useEditorStore } from "./store/editorStore.ts";

/** Why publishing was refused: the compiler's problems, each leading to its node. */
export function PublishProblems({ problems, onClose }: { problems: Problem[]; onClose(): void }) {
  const store = useEditorStore();
  return (
    <Dialog title="Publish refused" onClose={onClose} testId="publish-refused">
      <p className="muted">The compiler found {problems.length} problem(s). Fix them and publish again.</p>
      <ul className="problem-list">
        {problems.map((p) => (
          <li key={`${p.code}-${p.nodeId}-${p.path}-${p.message}`}>
            <button
              type="button"
              disabled={!p.nodeId}
              onClick={() => {
                if (p.nodeId) store.getState().select([p.nodeId]);
                onClose();
              }}
            >
              <code>{p.code ?? "PROBLEM"}</code> {p.message}
            </button>
          </li>
        ))}
      </ul>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose} data-testid="close-publish-refused">
          Close
        </button>
      </div>
    </Dialog>
  );
}
