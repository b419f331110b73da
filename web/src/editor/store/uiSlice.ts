import type { EditorSlice } from "./types.ts";

export interface Toast {
  id: number;
  tone: "error" | "info";
  title: string;
  text: string;
  testId: string;
}

/** A request to put the cursor on a node's field (a data path) or input (`$inputs.port`) in the inspector. */
export interface FocusRequest {
  id: number;
  nodeId: string;
  path?: string;
}

export interface UiSlice {
  toast: Toast | null;
  focusRequest: FocusRequest | null;
  /** Selects the node and asks the inspector to open on it with the cursor on `path`. */
  focusField(nodeId: string, path?: string): void;
  clearFocusRequest(): void;
  showToast(toast: Omit<Toast, "id">): void;
  dismissToast(): void;
}

let toastSeq = 0;

let focusSeq = 0;

export const createUiSlice: EditorSlice<UiSlice> = (set, get) => ({
  toast: null,
  focusRequest: null,
  focusField(nodeId, path) {
    get().select([nodeId]);
    set({ focusRequest: { id: ++focusSeq, nodeId, path } });
  },
  clearFocusRequest() {
    set({ focusRequest: null });
  },
  showToast(toast) {
    set({ toast: { ...toast, id: ++toastSeq } });
  },
  dismissToast() {
    set({ toast: null });
  },
});
