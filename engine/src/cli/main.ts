import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { compile } from "../compile.ts";
import { evaluate } from "../evaluate.ts";

// pricegraph validate PLAN.json | pricegraph evaluate PLAN.json INPUT.json (spec section 6).
// Exit 0 on success, 1 with the problems as JSON on stdout, 2 on unreadable files or bad usage.

const USAGE = "usage: pricegraph validate PLAN.json\n       pricegraph evaluate PLAN.json INPUT.json";

function readJson(path: string): unknown {
  // pnpm runs scripts from the workspace root; INIT_CWD is where the user typed the command.
  const full = resolve(process.env.INIT_CWD ?? process.cwd(), path);
  let text: string;
  try {
    text = readFileSync(full, "utf8");
  } catch (error) {
    fail(2, `cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    fail(2, `${path} is not JSON: ${(error as Error).message}`);
  }
}

function fail(code: number, message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function print(value: unknown) {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function main(args: string[]): void {
  const [command, planPath, inputPath] = args;
  if (command === "validate" && planPath && !inputPath) {
    const result = compile(readJson(planPath));
    if (!result.ok) {
      print({ ok: false, problems: result.problems, warnings: result.warnings });
      process.exit(1);
    }
    print({ ok: true, warnings: result.warnings });
    return;
  }
  if (command === "evaluate" && planPath && inputPath) {
    const plan = readJson(planPath);
    const input = readJson(inputPath);
    const compiled = compile(plan);
    if (!compiled.ok) {
      print({ ok: false, problems: compiled.problems });
      process.exit(1);
    }
    const result = evaluate(compiled.plan, input);
    if (!result.ok) {
      print({ ok: false, problems: result.problems });
      process.exit(1);
    }
    print(result.output);
    return;
  }
  fail(2, USAGE);
}

main(process.argv.slice(2));
