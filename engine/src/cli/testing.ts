import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./main.ts";

// Runs the CLI in this process with captured output: every command path without a process per case.

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runInProcess(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}

/** A scratch folder with a `write(name, content)` that stores JSON (or text) and returns the path. */
export function scratchFolder(prefix = "pricegraph-cli-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write(name: string, content: unknown): string {
      const path = join(dir, name);
      writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
      return path;
    },
  };
}
