import { PLAN_FORMAT } from "@pricegraph/shared";

export const HELP = `pricegraph: pricing plans as files (format ${PLAN_FORMAT})

Usage: pricegraph <command> [arguments] [options]

Commands
  validate PLAN.json                 compile the plan; prints {ok, warnings} or {ok: false, problems, warnings}
  evaluate PLAN.json INPUT.json      price one input; prints the evaluation output as JSON
  diff A.json B.json                 what changed from plan A to plan B (the web's version comparison)
      --json                           the change list as JSON
      --exit-code                      exit 1 when the plans price differently
  curve PLAN.json --metric M --from A --to B [--steps N] [--input INPUT.json]
                                     CSV of the total as usage of M goes from A to B in N steps (default 50)
  test PLAN.json CASES.json [--json] run golden cases; exit 1 with every difference when one fails
  pull PLAN_ID [--version N|latest] [--out FILE]
                                     download the draft, or a published version, as a plan file
  push PLAN.json (PLAN_ID | --new NAME) [--publish] [--json]
                                     upload the file as the plan's draft; --publish makes it the next version
  schema                             print the JSON Schema of a plan file

Input formats
  PLAN.json    a ${PLAN_FORMAT} document: {format, currency, params, nodes, edges} (docs/plan-format.md)
  INPUT.json   {"usage": {"metric": "12000", "grouped": [{"group": {"quality": "hd"}, "value": "40"}]},
                "params": {"key": "0.005"}, "credits": {"pool": "500"}, "proration": "1"}
  CASES.json   {"cases": [{"name": "...", "input": INPUT, "expect": {"total": "44.00",
                "lines": [{"description": "...", "amount": "44.00"}], "credits": {...}, "problems": [...]}}]}
  Decimals are strings ("0.004"). Relative paths are read from the current directory.

Server (pull, push)
  PRICEGRAPH_URL       the server, e.g. http://localhost:3000
  PRICEGRAPH_API_KEY   an API key of the tenant

Exit codes
  0  done: the plan is valid, the cases pass, the transfer worked
  1  a check failed: the plan has problems, a case differs, the server refused the plan
     (and diff --exit-code found a difference)
  2  usage or input error: unknown command or option, an unreadable or non-JSON file, a bad cases file,
     an unreachable server, a refused key or an unknown plan

Options
  -h, --help      this text
  -v, --version   the CLI's version
`;
