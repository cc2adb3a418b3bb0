#!/usr/bin/env bash
# Fails when the committed generated code differs from a fresh `npm run generate`,
# so a proto change can never land without its stubs (and stubs are never hand-edited).
set -euo pipefail
cd "$(dirname "$0")/.."
gen_dirs=(server/src/gen web/src/gen)
npm run --silent generate
if [[ -n "$(git status --porcelain -- "${gen_dirs[@]}")" ]]; then
  echo "Generated code is out of date with proto/. Run 'npm run generate' and commit the result:" >&2
  git status --short -- "${gen_dirs[@]}" >&2
  exit 1
fi
echo "generated code matches proto/"
