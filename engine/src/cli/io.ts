import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

/** Exit codes, as `pricegraph --help` documents them. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Stops a command with an exit code; the message goes to stderr, never to stdout. */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(EXIT.usage, message);

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Where relative paths are resolved. */
  cwd: string;
  env: Record<string, string | undefined>;
}

export function readText(io: Io, path: string): string {
  try {
    return readFileSync(resolve(io.cwd, path), "utf8");
  } catch (error) {
    throw usageError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

export function readJson(io: Io, path: string): unknown {
  const text = readText(io, path);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw usageError(`${path} is not JSON: ${(error as Error).message}`);
  }
}

export function writeText(io: Io, path: string, text: string): void {
  try {
    writeFileSync(resolve(io.cwd, path), text);
  } catch (error) {
    throw usageError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

export const jsonText = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
