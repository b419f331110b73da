import { type ChangeEvent, type ReactNode, useRef, useState } from "react";
import { ApiError, type ApiErrorDetail } from "../api/client.ts";
import type { UploadProgress } from "../api/upload.ts";
import { ErrorBox, ProgressBar } from "../ui/states.tsx";

type Phase =
  | { kind: "idle" }
  | { kind: "uploading"; progress: UploadProgress; file: string }
  | { kind: "done"; summary: ReactNode }
  | { kind: "failed"; error: unknown };

/** Row errors as the API reports them for CSV (`row`, `column`, `message`), sorted by row. */
export function csvRowErrors(
  error: unknown,
): { row: number | null; column: string | null; message: string }[] {
  if (!(error instanceof ApiError)) return [];
  return error.details
    .map((d: ApiErrorDetail & { row?: unknown; column?: unknown }) => ({
      row: typeof d.row === "number" ? d.row : null,
      column: typeof d.column === "string" ? d.column : null,
      message: d.message,
    }))
    .sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
}

/**
 * Uploads one CSV file with a progress bar; the import is all or nothing, so a refused file lists every bad
 * row and stores nothing.
 */
export function CsvUpload<T>({
  id,
  title,
  description,
  columns,
  upload,
  summarize,
  onDone,
}: {
  id: string;
  title: string;
  description: ReactNode;
  columns: string;
  upload(file: File, onProgress: (p: UploadProgress) => void): Promise<T>;
  summarize(result: T): ReactNode;
  onDone?(): void;
}) {
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const input = useRef<HTMLInputElement>(null);
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    setPhase({ kind: "uploading", file: file.name, progress: { loaded: 0, total: file.size, fraction: 0 } });
    try {
      const result = await upload(file, (progress) =>
        setPhase({ kind: "uploading", file: file.name, progress }),
      );
      setPhase({ kind: "done", summary: summarize(result) });
      onDone?.();
    } catch (error) {
      setPhase({ kind: "failed", error });
    } finally {
      if (input.current) input.current.value = "";
    }
  };
  const rows = phase.kind === "failed" ? csvRowErrors(phase.error) : [];
  return (
    <section className="ops-card csv-card" id={id} data-testid={`${id}-card`}>
      <div className="ops-card-head">
        <div>
          <h2>{title}</h2>
          <p className="muted small csv-desc">{description}</p>
        </div>
        <label className="btn btn-primary csv-pick">
          Choose CSV…
          <input
            ref={input}
            type="file"
            accept=".csv,text/csv"
            onChange={onFile}
            disabled={phase.kind === "uploading"}
            data-testid={`${id}-file`}
          />
        </label>
      </div>
      <p className="small csv-columns">
        Columns: <code>{columns}</code>
      </p>
      {phase.kind === "uploading" && (
        <div data-testid={`${id}-progress`}>
          <ProgressBar
            value={phase.progress.fraction}
            label={
              phase.progress.fraction < 1
                ? `Uploading ${phase.file}: ${Math.round(phase.progress.fraction * 100)}%`
                : `Uploaded ${phase.file}, importing…`
            }
          />
        </div>
      )}
      {phase.kind === "done" && (
        <p className="ops-success" data-testid={`${id}-result`}>
          {phase.summary}
        </p>
      )}
      {phase.kind === "failed" && rows.length === 0 && (
        <ErrorBox error={phase.error} title="Import refused." />
      )}
      {phase.kind === "failed" && rows.length > 0 && (
        <div data-testid={`${id}-errors`}>
          <p className="form-error">
            Nothing was imported: {rows.length} problem{rows.length === 1 ? "" : "s"} in the file. Fix them
            and upload it again.
          </p>
          <table className="data-table compact csv-errors">
            <thead>
              <tr>
                <th className="num">Row</th>
                <th>Column</th>
                <th>Problem</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: problems are positional
                <tr key={i} data-testid={`${id}-error-row`}>
                  <td className="num">{r.row ?? "—"}</td>
                  <td className="ops-mono">{r.column ?? "—"}</td>
                  <td>{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
