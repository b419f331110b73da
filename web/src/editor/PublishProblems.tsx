import type { Problem } from "@pricegraph/shared";
import { Dialog } from "../ui/Dialog.tsx";
import { useEditor, useEditorStore } from "./store/editorStore.ts";
import { describeProblem } from "./words/problemText.ts";

/** Why publishing was refused: the compiler's problems, each leading to its node. */
export function PublishProblems({ problems, onClose }: { problems: Problem[]; onClose(): void }) {
  const store = useEditorStore();
  const nodes = useEditor((s) => s.nodes);
  return (
    <Dialog title="Publish refused" onClose={onClose} testId="publish-refused">
      <p className="muted">
        {problems.length === 1 ? "One thing needs" : `${problems.length} things need`} fixing before this plan
        can be published. Choose one to go to it.
      </p>
      <ul className="problem-list">
        {problems.map((p) => {
          const plain = describeProblem(p, nodes);
          return (
            <li key={`${p.code}-${p.nodeId}-${p.path}-${p.message}`}>
              <button
                type="button"
                disabled={!p.nodeId}
                data-code={p.code}
                onClick={() => {
                  onClose();
                  if (p.nodeId) store.getState().focusField(p.nodeId, plain.focusPath);
                }}
              >
                {plain.sentence}
              </button>
            </li>
          );
        })}
      </ul>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose} data-testid="close-publish-refused">
          Close
        </button>
      </div>
    </Dialog>
  );
}
