#!/usr/bin/env bash
# The GitHub Action's step (action.yml), runnable as the runner runs it: inputs arrive as
# TRUSTSCAN_ACTION_* variables, reports go to the output folder, the markdown summary to
# $GITHUB_STEP_SUMMARY (trustscan appends it itself), and `sarif` / `exit-code` to $GITHUB_OUTPUT.
# The step itself always succeeds, so the SARIF upload still runs; the next step fails the job.
set -euo pipefail

root="${GITHUB_ACTION_PATH:?not run by a GitHub runner: GITHUB_ACTION_PATH is unset}"
command="${TRUSTSCAN_ACTION_COMMAND:-iac}"
out="${TRUSTSCAN_ACTION_OUTPUT_DIR:-trustscan-out}"

case "$command" in
  iac | evaluate | scan) ;;
  *) echo "::error::trustscan action: command must be iac, evaluate or scan, got '$command'" >&2; exit 2 ;;
esac

# trustscan itself: $TRUSTSCAN_BIN when given, else this action's checkout, built on first use.
if [[ -n "${TRUSTSCAN_BIN:-}" ]]; then
  bin=("$TRUSTSCAN_BIN")
else
  if [[ ! -f "$root/dist/cli/main.js" ]]; then
    (cd "$root" && npm ci --no-audit --no-fund >&2 && npm run build --silent >&2)
  fi
  bin=(node "$root/bin/trustscan.js")
fi

mkdir -p "$out"
read -r -a target <<<"${TRUSTSCAN_ACTION_TARGET:-.}"
read -r -a extra <<<"${TRUSTSCAN_ACTION_ARGS:-}"
formats=(--format table --format "junit=$out/junit.xml" --format "html=$out/report.html" --format "json=$out/results.json")
# Code scanning needs a file location for every result: only infrastructure code goes there.
sarif=""
if [[ "$command" == iac ]]; then
  sarif="$out/results.sarif"
  formats+=(--format "sarif=$sarif")
fi
gate=()
[[ -n "${TRUSTSCAN_ACTION_FAIL_ON:-}" ]] && gate=(--fail-on "$TRUSTSCAN_ACTION_FAIL_ON")

set +e
"${bin[@]}" "$command" "${target[@]}" "${formats[@]}" "${gate[@]}" "${extra[@]}"
code=$?
set -e

[[ -f "$sarif" ]] || sarif=""
{
  echo "sarif=$sarif"
  echo "exit-code=$code"
} >>"${GITHUB_OUTPUT:-/dev/null}"
if [[ $code -ge 2 ]]; then echo "::error::trustscan exited with $code (2: usage or input error, 3: bug); see the log above" >&2; fi
exit 0
