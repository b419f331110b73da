import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { PLAN_FORMAT } from "@pricegraph/shared";
import { planDocumentJsonSchema } from "../json-schema.ts";
import { evaluateCommand, validateCommand } from "./commands/check.ts";
import { curveCommand } from "./commands/curve.ts";
import { diffCommand } from "./commands/diff.ts";
import { pullCommand, pushCommand } from "./commands/remote.ts";
import { testCommand } from "./commands/test.ts";
import { HELP } from "./help.ts";
import { CliError, EXIT, type Io, jsonText, usageError } from "./io.ts";

// The `pricegraph` command. stdout carries only the command's own output (JSON, CSV or a report); messages
// go to stderr. Exit codes: 0 done, 1 a check failed, 2 usage or input error (see help.ts).

type Values = Record<string, string | boolean | undefined>;

interface Command {
  /** Positional arguments, for the usage line and their count. */
  args: string[];
  options?: Record<string, { type: "string" | "boolean"; default?: string }>;
  run(io: Io, positionals: string[], values: Values): number | Promise<number>;
}

const commands: Record<string, Command> = {
  validate: { args: ["PLAN.json"], run: validateCommand },
  evaluate: { args: ["PLAN.json", "INPUT.json"], run: evaluateCommand },
  diff: {
    args: ["A.json", "B.json"],
    options: { json: { type: "boolean" }, "exit-code": { type: "boolean" } },
    run: (io, args, values) =>
      diffCommand(io, args, { json: values.json === true, exitCode: values["exit-code"] === true }),
  },
  curve: {
    args: ["PLAN.json"],
    options: {
      metric: { type: "string" },
      from: { type: "string", default: "0" },
      to: { type: "string" },
      steps: { type: "string", default: "50" },
      input: { type: "string" },
    },
    run: (io, args, values) =>
      curveCommand(io, args, {
        metric: values.metric as string | undefined,
        from: values.from as string,
        to: values.to as string | undefined,
        steps: values.steps as string,
        input: values.input as string | undefined,
      }),
  },
  test: {
    args: ["PLAN.json", "CASES.json"],
    options: { json: { type: "boolean" } },
    run: (io, args, values) => testCommand(io, args, { json: values.json === true }),
  },
  pull: {
    args: ["PLAN_ID"],
    options: { version: { type: "string" }, out: { type: "string" } },
    run: (io, args, values) =>
      pullCommand(io, args, {
        version: values.version as string | undefined,
        out: values.out as string | undefined,
      }),
  },
  push: {
    args: ["PLAN.json", "PLAN_ID"],
    options: { new: { type: "string" }, publish: { type: "boolean" }, json: { type: "boolean" } },
    run: (io, args, values) =>
      pushCommand(io, args, {
        new: values.new as string | undefined,
        publish: values.publish === true,
        json: values.json === true,
      }),
  },
  schema: {
    args: [],
    run: (io) => {
      io.stdout(jsonText(planDocumentJsonSchema()));
      return EXIT.ok;
    },
  },
};

/** Positionals a command may go without (push takes `--new NAME` instead of a plan id). */
const optionalArgs: Record<string, number> = { push: 1 };

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return `pricegraph ${pkg.version} (plan format ${PLAN_FORMAT})\n`;
}

/** Runs one command line; returns the exit code. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  try {
    if (argv.length === 0 || argv.includes("--help") || argv.includes("-h") || argv[0] === "help") {
      io.stdout(HELP);
      return EXIT.ok;
    }
    if (argv[0] === "--version" || argv[0] === "-v" || argv[0] === "version") {
      io.stdout(version());
      return EXIT.ok;
    }
    const [name, ...rest] = argv;
    const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
    if (!command) throw usageError(`unknown command "${name}"; \`pricegraph --help\` lists the commands`);
    let parsed: { values: Values; positionals: string[] };
    try {
      parsed = parseArgs({
        args: rest,
        options: command.options ?? {},
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw usageError(`${name}: ${(error as Error).message}`);
    }
    const max = command.args.length;
    const min = max - (optionalArgs[name] ?? 0);
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw usageError(`usage: pricegraph ${name} ${command.args.join(" ")}`.trimEnd());
    }
    return await command.run(io, parsed.positionals, parsed.values);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.stderr(`pricegraph: ${error.message}\n`);
    return error.exitCode;
  }
}

/**
 * Where relative paths start. `pnpm exec` (also with `-C repo`) and the root `pnpm pricegraph` script run in
 * the workspace root and keep the folder the command was typed in as INIT_CWD; any other parent's INIT_CWD
 * may be stale, so the process's own folder wins then.
 */
function workingDirectory(): string {
  const env = process.env;
  const typedIn =
    env.npm_lifecycle_event === "pricegraph" || env.npm_command === "exec" ? env.INIT_CWD : undefined;
  return typedIn || process.cwd();
}

export async function main(argv: string[]): Promise<void> {
  try {
    process.exitCode = await runCli(argv, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      cwd: workingDirectory(),
      env: process.env,
    });
  } catch (error) {
    // A bug, not a verdict on the plan: never exit 1, which CI would read as "a check failed".
    process.stderr.write(`pricegraph: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = EXIT.usage;
  }
}
