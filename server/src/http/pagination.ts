import { validationFailed } from "./errors.ts";

/** Cursors are opaque: base64url of the sort key of the last row. */
export function encodeCursor(values: readonly string[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor(cursor: string | undefined, size: number): string[] | null {
  if (cursor === undefined) return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(values) && values.length === size && values.every((v) => typeof v === "string")) {
      return values as string[];
    }
  } catch {
    // fall through to the validation error
  }
  throw validationFailed([{ path: "query.cursor", message: "is not a cursor this endpoint returned" }]);
}

/** Rows fetched with `limit + 1`: the page and the cursor of its last row when more follow. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  key: (row: Row) => string[],
  map: (row: Row) => Item,
): { data: Item[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  return {
    data: pageRows.map(map),
    nextCursor: more ? encodeCursor(key(pageRows[pageRows.length - 1])) : null,
  };
}
