#!/usr/bin/env bash
# Validates every plan file in a folder and runs its golden cases (PLAN.cases.json beside PLAN.json).
# Exit 0 when every plan compiles and every case passes, 1 otherwise. Usage: check-plans.sh [FOLDER]
set -uo pipefail
folder=${1:-examples/plans}
read -r -a pricegraph <<<"${PRICEGRAPH_BIN:-pnpm exec pricegraph}"
failed=0
for plan in "$folder"/*.json; do
  case "$plan" in *.cases.json) continue ;; esac
  if ! problems=$("${pricegraph[@]}" validate "$plan"); then
    echo "FAIL $plan does not compile"
    echo "$problems"
    failed=1
    continue
  fi
  cases="${plan%.json}.cases.json"
  if [ -f "$cases" ]; then
    echo "== $cases"
    "${pricegraph[@]}" test "$plan" "$cases" || failed=1
  else
    echo "ok   $plan compiles (no golden cases beside it)"
  fi
done
exit $failed
