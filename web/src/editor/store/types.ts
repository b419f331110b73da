import type { StoreApi } from "zustand";
import type { ClipboardSlice } from "./clipboardSlice.ts";
import type { GraphSlice } from "./graphSlice.ts";
import type { PreviewSlice } from "./previewSlice.ts";
import type { UiSlice } from "./uiSlice.ts";

export type EditorState = GraphSlice & PreviewSlice & ClipboardSlice & UiSlice;

/** A slice creator: gets the whole store's set/get, returns its own part. */
export type EditorSlice<T> = (set: StoreApi<EditorState>["setState"], get: () => EditorState) => T;
