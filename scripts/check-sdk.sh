#!/usr/bin/env bash
# Fails when the committed SDKs under sdk/ are not what scripts/gen-sdk.sh generates from
# today's schema: regenerates into a temporary folder and compares file by file. CI runs it.
# Fix a failure with `npm run sdk` and commit sdk/.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if ! bash scripts/gen-sdk.sh "$work" >"$work/gen.log" 2>&1; then
  cat "$work/gen.log" >&2
  printf '\ncheck-sdk: FAILED: the SDKs could not be regenerated (see above), so whether sdk/ is current is unknown.\n' >&2
  exit 1
fi

# What the SDKs' own .gitignore files leave out (a local `pip install ./sdk/python` or Node build
# writes them into sdk/): never generated, never committed, so never compared.
ignored=(-x '*.pyc' -x __pycache__ -x .mypy_cache -x dist -x build -x '*.egg-info' -x node_modules -x bin)
stale=()
for language in python go nodejs; do
  if ! diff -ru "${ignored[@]}" "sdk/$language" "$work/$language" >"$work/$language.diff" 2>&1; then
    stale+=("$language")
    head -n 60 "$work/$language.diff" >&2
  fi
done
if ((${#stale[@]})); then
  printf '\ncheck-sdk: FAILED: %s differ from what the schema generates (diff above, first 60 lines each).\n' "${stale[*]/#/sdk/}" >&2
  printf 'check-sdk: run `npm run sdk` and commit sdk/.\n' >&2
  exit 1
fi
echo "check-sdk: sdk/python, sdk/go and sdk/nodejs are current"
