import { readApiKey, readCsrfToken } from "../app/auth.ts";
import { ApiError, type ApiErrorDetail } from "./client.ts";

export interface UploadProgress {
  loaded: number;
  total: number;
  /** 0–1 of the bytes sent; the server's answer follows once it reaches 1. */
  fraction: number;
}

/**
 * Posts a CSV file as `text/csv` with XMLHttpRequest, which (unlike fetch) reports upload progress. Answers the
 * parsed JSON, or throws the API's error with its details (row and column for CSV problems).
 */
export function uploadCsv<T>(
  path: string,
  file: Blob,
  onProgress?: (progress: UploadProgress) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/v1${path}`);
    const key = readApiKey();
    const csrf = readCsrfToken();
    if (key) xhr.setRequestHeader("authorization", `Bearer ${key}`);
    else if (csrf) xhr.setRequestHeader("x-csrf-token", csrf);
    xhr.setRequestHeader("content-type", "text/csv");
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (event) => {
      const total = event.lengthComputable ? event.total : file.size;
      onProgress?.({ loaded: event.loaded, total, fraction: total ? Math.min(1, event.loaded / total) : 1 });
    };
    xhr.onerror = () => reject(new ApiError(0, "NETWORK", "The server could not be reached"));
    xhr.onload = () => {
      let payload: unknown = null;
      try {
        payload = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        payload = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(payload as T);
        return;
      }
      const error = (payload as { error?: { code?: string; message?: string; details?: ApiErrorDetail[] } })
        ?.error;
      reject(
        new ApiError(
          xhr.status,
          error?.code ?? `HTTP_${xhr.status}`,
          error?.message ?? (xhr.statusText || "Upload failed"),
          error?.details ?? [],
        ),
      );
    };
    xhr.send(file);
  });
}
