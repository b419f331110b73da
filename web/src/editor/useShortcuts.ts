import { useEffect } from "react";
import type { EditorStore } from "./store/editorStore.ts";

const typing = (target: EventTarget | null) => {
  const el = target as HTMLElement | null;
  return (
    !!el &&
    (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable)
  );
};

/**
 * Editor keys: Ctrl/Cmd+Z undo, Shift+Ctrl/Cmd+Z or Ctrl+Y redo, Ctrl/Cmd+C/V copy and paste, Ctrl/Cmd+A
 * select all, Delete/Backspace delete. Keys typed into a form field stay with the field.
 */
export function useShortcuts(store: EditorStore, enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (typing(event.target)) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      const state = store.getState();
      if (mod && key === "z") {
        event.preventDefault();
        if (event.shiftKey) store.redo();
        else store.undo();
      } else if (mod && key === "y") {
        event.preventDefault();
        store.redo();
      } else if (mod && key === "c") {
        state.copySelection();
      } else if (mod && key === "v") {
        event.preventDefault();
        state.paste();
      } else if (mod && key === "a") {
        event.preventDefault();
        state.select(state.nodes.map((n) => n.id));
      } else if ((key === "delete" || key === "backspace") && !state.readOnly) {
        event.preventDefault();
        state.deleteSelection();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [store, enabled]);
}
