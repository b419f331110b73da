import type { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { ApiError, type ErrorDetail } from "./errors.ts";

/** One CSV record; `row` is the line a spreadsheet shows (the header is row 1). */
export interface CsvRow {
  row: number;
  fields: string[];
}

export const MAX_CSV_BYTES = 64 * 1024 * 1024;

export function isReadable(body: unknown): body is Readable {
  return typeof body === "object" && body !== null && typeof (body as Readable).pipe === "function";
}

export function requireCsvBody(body: unknown): Readable {
  if (!isReadable(body)) {
    throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the CSV with `Content-Type: text/csv`");
  }
  return body;
}

export function csvDetail(row: number, column: string | null, message: string): ErrorDetail {
  return column === null
    ? { path: `row ${row}`, row, message }
    : { path: `row ${row}, ${column}`, row, column, message };
}

/** Records of a CSV stream as they arrive; malformed CSV is a 400 naming the row. */
export async function* csvRows(stream: Readable): AsyncGenerator<CsvRow> {
  let bytes = 0;
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true });
  stream.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > MAX_CSV_BYTES)
      stream.destroy(new ApiError(413, "PAYLOAD_TOO_LARGE", "The CSV is larger than 64 MB"));
  });
  stream.on("error", (error) => parser.destroy(error));
  stream.pipe(parser);
  let index = 0;
  try {
    for await (const record of parser) {
      index += 1;
      yield { row: index, fields: record as string[] };
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof CsvError) {
      const row = index + 1;
      throw new ApiError(400, "CSV_MALFORMED", "The CSV could not be parsed", [
        csvDetail(row, null, error.message),
      ]);
    }
    throw error;
  }
}

/** Header names → canonical field names (`external_id`, `External ID` → `externalId`). */
export function canonicalHeader(name: string): string {
  const compact = name.replace(/[\s_-]+/g, "").toLowerCase();
  return compact;
}
