import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { resolve } from "node:path";

/**
 * One process at a time per PGlite folder: two would each keep their own copy of the database in memory and
 * overwrite each other's files (acknowledged events lost, or a folder that no longer opens).
 *
 * The lock is a file beside the folder (`<folder>.lock`) created with O_EXCL and holding the owner's pid and
 * host. A lock whose process is gone (killed, crashed, or a container restarted with the same pid) is stale and
 * taken over; a live owner makes the opener fail with DataDirLockedError. Lock files on another host cannot be
 * checked and are never taken over.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly lockFile: string,
    readonly owner: LockOwner | null,
  ) {
    const who = owner ? `process ${owner.pid} on ${owner.host} (since ${owner.since})` : "another process";
    super(
      `The database folder ${dataDir} is in use by ${who}. Stop that process first (a PGlite folder can be ` +
        `open in one process at a time), or use PostgreSQL (DATABASE_URL) to share a database. If no such ` +
        `process exists, delete ${lockFile}.`,
    );
    this.name = "DataDirLockedError";
  }
}

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

export interface DataDirLock {
  readonly lockFile: string;
  release(): void;
}

/** Lock files this process holds: a second open in the same process is refused like any other. */
const held = new Set<string>();

process.once("exit", () => {
  for (const file of held) removeQuietly(file);
});

function readOwner(file: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(file, "utf8")) as Partial<LockOwner>;
    if (typeof owner.pid !== "number" || typeof owner.host !== "string") return null;
    return { pid: owner.pid, host: owner.host, since: String(owner.since ?? "?") };
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

/** Creates `file` only if it does not exist; false when it does. */
function createExclusive(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** An owner this process can prove gone: same host, and the pid is dead or is ours without our holding it. */
function isStale(file: string, owner: LockOwner | null): boolean {
  if (!owner) {
    // Unreadable or half-written: stale once it is old enough that its writer cannot still be writing it.
    try {
      return Date.now() - statSync(file).mtimeMs > 10_000;
    } catch {
      return true;
    }
  }
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return !held.has(file);
  return !isAlive(owner.pid);
}

/**
 * Removes a stale lock under a short takeover lock, so two processes that both found it stale cannot each
 * delete the lock the other has just taken.
 */
function takeOverStale(file: string, stale: LockOwner | null): void {
  const takeover = `${file}.takeover`;
  if (!createExclusive(takeover, String(process.pid))) {
    // Someone else is taking over; a takeover lock older than 10 s belongs to a process that died doing it.
    if (isStale(takeover, null)) removeQuietly(takeover);
    return;
  }
  try {
    const now = readOwner(file);
    if (now?.pid === stale?.pid && now?.since === stale?.since) removeQuietly(file);
  } finally {
    removeQuietly(takeover);
  }
}

/** Takes the folder's lock or throws DataDirLockedError; `release` (also run at process exit) frees it. */
export function lockDataDir(dataDir: string): DataDirLock {
  const folder = resolve(dataDir);
  const lockFile = `${folder}.lock`;
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!held.has(lockFile) && createExclusive(lockFile, JSON.stringify(me))) {
      held.add(lockFile);
      let released = false;
      return {
        lockFile,
        release: () => {
          if (released) return;
          released = true;
          held.delete(lockFile);
          const owner = readOwner(lockFile);
          if (owner?.pid === me.pid && owner.since === me.since) removeQuietly(lockFile);
        },
      };
    }
    const owner = readOwner(lockFile);
    if (held.has(lockFile) || !isStale(lockFile, owner))
      throw new DataDirLockedError(folder, lockFile, owner);
    takeOverStale(lockFile, owner);
  }
  throw new DataDirLockedError(folder, lockFile, readOwner(lockFile));
}
