#!/usr/bin/env bash
# Runs every Node-side test file (`*.test.ts` outside web/src, which Vitest owns)
# in one `node --test` run, so CI reads one closing summary for all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find server gateway deploy web/e2e bench client tools -name '*.test.ts' \
  -not -path '*/node_modules/*' -not -path '*/gen/*' 2>/dev/null | sort)
if ((${#files[@]} == 0)); then
  echo "no Node test files found" >&2
  exit 1
fi
# --test-force-exit: a file whose tests have all ended exits even if a handle is left open
# (a teardown that hangs must fail or pass that file, never hang the whole run).
exec node --import tsx --test --test-force-exit --test-concurrency="${TEST_CONCURRENCY:-2}" "$@" "${files[@]}"
