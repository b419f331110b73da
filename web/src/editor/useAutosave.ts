import { useCallback, useEffect, useRef, useState } from "react";
import { plansApi } from "../api/plans.ts";
import { toDocument } from "./graph.ts";
import type { EditorStore } from "./store/editorStore.ts";

export type SaveStatus = "saved" | "unsaved" | "saving" | "error";

/**
 * Saves the draft (`PUT /plans/:id/draft`) a moment after the last edit. `flush` saves now and resolves when
 * the server has the current graph (publish waits for it).
 */
export function useAutosave(store: EditorStore, planId: string | null, delayMs = 600) {
  const [status, setStatus] = useState<SaveStatus>("saved");
  const [error, setError] = useState<string | null>(null);
  const savedRevision = useRef<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);

  const save = useCallback(async (): Promise<void> => {
    if (!planId) return;
    if (inFlight.current) await inFlight.current;
    const state = store.getState();
    if (state.revision === savedRevision.current) return;
    const revision = state.revision;
    setStatus("saving");
    const request = plansApi
      .saveDraft(planId, toDocument(state))
      .then(() => {
        savedRevision.current = revision;
        setError(null);
        setStatus(store.getState().revision === revision ? "saved" : "unsaved");
      })
      .catch((e: Error) => {
        setError(e.message);
        setStatus("error");
        throw e;
      })
      .finally(() => {
        inFlight.current = null;
      });
    inFlight.current = request.catch(() => undefined);
    await request;
  }, [planId, store]);

  /** Marks the loaded graph as what the server has. */
  const markSaved = useCallback(() => {
    savedRevision.current = store.getState().revision;
    setStatus("saved");
  }, [store]);

  useEffect(() => {
    if (!planId) return;
    return store.subscribe((state, previous) => {
      if (state.revision === previous.revision || state.readOnly || savedRevision.current === null) return;
      if (state.revision === savedRevision.current) return;
      setStatus("unsaved");
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        timer.current = null;
        save().catch(() => undefined);
      }, delayMs);
    });
  }, [store, planId, save, delayMs]);

  useEffect(
    () => () => {
      if (timer.current) {
        clearTimeout(timer.current);
        save().catch(() => undefined);
      }
    },
    [save],
  );

  const flush = useCallback(async () => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    await save();
  }, [save]);

  return { status, error, flush, markSaved };
}
