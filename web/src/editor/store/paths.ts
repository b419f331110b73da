export type Path = readonly (string | number)[];

export function getAt(value: unknown, path: Path): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** A copy of `value` with `next` at `path` (undefined removes an object key); untouched branches are shared. */
export function setAt<T>(value: T, path: Path, next: unknown): T {
  if (path.length === 0) return next as T;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[head as number] = setAt(copy[head as number], rest, next);
    return copy as T;
  }
  const record = { ...((value ?? {}) as Record<string, unknown>) };
  const child = setAt(record[head as string], rest, next);
  if (child === undefined) delete record[head as string];
  else record[head as string] = child;
  return record as T;
}

/** Replaces every `{ param: key }` in `value` by `replace(key)`'s result. */
export function mapParamRefs(value: unknown, replace: (key: string) => unknown): unknown {
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const mapped = mapParamRefs(item, replace);
      if (mapped !== item) changed = true;
      return mapped;
    });
    return changed ? out : value;
  }
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record.param === "string" && Object.keys(record).length === 1) return replace(record.param);
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) {
      out[k] = mapParamRefs(v, replace);
      if (out[k] !== v) changed = true;
    }
    return changed ? out : value;
  }
  return value;
}

export function isParamRef(value: unknown): value is { param: string } {
  return (
    !!value &&
    typeof value === "object" &&
    typeof (value as { param?: unknown }).param === "string" &&
    Object.keys(value).length === 1
  );
}
