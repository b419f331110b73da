import { useCallback, useEffect, useRef, useState } from "react";
import { plansApi } from "../api/plans.ts";
import { readApiKey } from "../app/auth.ts";
import { toDocument } from "./graph.ts";
import type { EditorStore } from "./store/editorStore.ts";

export type SaveStatus = "saved" | "unsaved" | "saving" | "error";

/**
 * Drafts still on their way to the server, by plan. The editor waits for its plan's entry before it loads the
 * draft again, so leaving the editor and coming straight back shows the last edit, never the one before.
 */
const pendingDrafts = new Map<string, Promise<void>>();

/** Resolves once every save of this plan's draft begun so far has finished (saved or failed). */
export function draftSettled(planId: string): Promise<void> {
  return pendingDrafts.get(planId) ?? Promise.resolve();
}

const RETRY_MS = 4000;

/**
 * Saves the draft (`PUT /plans/:id/draft`) a moment after the last edit. `flush` saves now and resolves when
 * the server has the current graph (publish waits for it). Leaving the editor saves what is pending at once;
 * closing or reloading the tab sends it with `keepalive`, so it outlives the page. A failed save is retried.
 */
export function useAutosave(store: EditorStore, planId: string | null, delayMs = 600) {
  const [status, setStatus] = useState<SaveStatus>("saved");
  const [error, setError] = useState<string | null>(null);
  const savedRevision = useRef<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);
  const mounted = useRef(true);

  const save = useCallback(async (): Promise<void> => {
    if (!planId) return;
    if (inFlight.current) await inFlight.current;
    const state = store.getState();
    if (state.revision === savedRevision.current || state.readOnly) return;
    const revision = state.revision;
    const report = (next: SaveStatus) => mounted.current && setStatus(next);
    report("saving");
    const request = plansApi
      .saveDraft(planId, toDocument(state))
      .then(() => {
        savedRevision.current = revision;
        if (mounted.current) setError(null);
        report(store.getState().revision === revision ? "saved" : "unsaved");
      })
      .catch((e: Error) => {
        if (mounted.current) setError(e.message);
        report("error");
        throw e;
      })
      .finally(() => {
        inFlight.current = null;
      });
    const settled = request.catch(() => undefined);
    inFlight.current = settled;
    const previous = pendingDrafts.get(planId);
    const all = Promise.all([previous, settled]).then(() => undefined);
    pendingDrafts.set(planId, all);
    all.then(() => pendingDrafts.get(planId) === all && pendingDrafts.delete(planId));
    await request;
  }, [planId, store]);

  const schedule = useCallback(
    (ms: number) => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        timer.current = null;
        save().catch(() => {
          // Never drop an edit: a failed save (the server away, a network blip) is tried again.
          if (mounted.current && !timer.current) schedule(RETRY_MS);
        });
      }, ms);
    },
    [save],
  );

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
      schedule(delayMs);
    });
  }, [store, planId, schedule, delayMs]);

  // Leaving the editor (another page, another plan) saves what is pending now, not after the delay.
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      save().catch(() => undefined);
    };
  }, [save]);

  // Closing or reloading the tab: a request begun now is cancelled with the page unless it is `keepalive`.
  useEffect(() => {
    if (!planId) return;
    const onUnload = (event: BeforeUnloadEvent) => {
      const state = store.getState();
      if (state.readOnly || state.revision === savedRevision.current) return;
      sendDraftOnUnload(planId, toDocument(state));
      // Also ask the browser to confirm, in case the draft is larger than a keepalive request may carry.
      event.preventDefault();
    };
    const onHidden = () => {
      if (document.visibilityState === "hidden" && timer.current) {
        clearTimeout(timer.current);
        timer.current = null;
        save().catch(() => undefined);
      }
    };
    window.addEventListener("beforeunload", onUnload);
    document.addEventListener("visibilitychange", onHidden);
    return () => {
      window.removeEventListener("beforeunload", onUnload);
      document.removeEventListener("visibilitychange", onHidden);
    };
  }, [planId, store, save]);

  const flush = useCallback(async () => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    await save();
  }, [save]);

  return { status, error, flush, markSaved };
}

/**
 * The draft save as a `keepalive` request, which the browser completes after the page is gone. The API
 * client cannot be used here: its request would be cancelled with the page.
 */
function sendDraftOnUnload(planId: string, document: ReturnType<typeof toDocument>) {
  const key = readApiKey();
  try {
    fetch(`/v1/plans/${encodeURIComponent(planId)}/draft`, {
      method: "PUT",
      keepalive: true,
      headers: {
        "content-type": "application/json",
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      },
      body: JSON.stringify({ document }),
    }).catch(() => undefined);
  } catch {
    // A body over the keepalive limit throws at once; the browser's leave-page prompt covers that case.
  }
}
