/** One changed field between two snapshots of the same object, by its dotted path. */
export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The fields that differ between `before` and `after`, nested objects walked to their leaves; arrays compare
 * as whole values (a line list that changed is shown as one change, not one per index).
 */
export function snapshotChanges(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => snapshotChanges(before[key], after[key], path ? `${path}.${key}` : key));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: path || "(object)", before, after }];
}
