import type { EditorSlice } from "./types.ts";

export interface Toast {
  id: number;
  tone: "error" | "info";
  title: string;
  text: string;
  testId: string;
}

export interface UiSlice {
  toast: Toast | null;
  showToast(toast: Omit<Toast, "id">): void;
  dismissToast(): void;
}

let toastSeq = 0;

export const createUiSlice: EditorSlice<UiSlice> = (set) => ({
  toast: null,
  showToast(toast) {
    set({ toast: { ...toast, id: ++toastSeq } });
  },
  dismissToast() {
    set({ toast: null });
  },
});
