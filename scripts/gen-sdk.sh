#!/usr/bin/env bash
# Regenerates the SDKs under sdk/ (python, go, nodejs) from the plugin's package schema, with
# Pulumi's own code generators linked into sdk-gen/ (no language host needed).
#
#   scripts/gen-sdk.sh            # rewrites sdk/
#   scripts/gen-sdk.sh DIR        # writes DIR/python, DIR/go, DIR/nodejs instead (check-sdk.sh)
#
# Needs Node (the build), Go and the Go module proxy (sdk-gen's modules, and `go mod tidy` of
# the Go SDK). Every failure ends the script non-zero with a line saying which step failed.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
out="${1:-$root/sdk}"
languages=(python go nodejs)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() {
  printf '\ngen-sdk: FAILED: %s\n' "$*" >&2
  exit 1
}

# Runs a go command, keeping its output; when it fails, says whether the Go module proxy
# refused or could not serve a module (the usual cause on a fresh machine), then fails.
go_step() {
  local what="$1" log="$work/go.log"
  shift
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    if grep -Eq '40[34] Forbidden|404 Not Found|410 Gone|not available|disabled by GOPROXY|proxy\.golang|dial tcp|i/o timeout|no such host|TLS handshake' "$log"; then
      fail "$what: the Go module proxy refused or could not serve a module (see the lines above; GOPROXY=$(go env GOPROXY)). The SDKs were not generated."
    fi
    fail "$what (see the lines above)."
  fi
  cat "$log"
}

command -v go >/dev/null || fail "no 'go' on PATH: the SDK generator is a Go program (sdk-gen/)"

# The schema, exactly as the plugin's GetSchema answers it.
npm run --silent build || fail "npm run build"
node dist/scripts/schema.js "$work/schema.json" || fail "writing the schema (dist/scripts/schema.js)"

# -mod=readonly: sdk-gen/go.mod and go.sum are committed and never rewritten here.
go_step "building sdk-gen (Pulumi's code generators, github.com/pulumi/pulumi/pkg/v3)" \
  env -C sdk-gen GOFLAGS=-mod=readonly go build -o "$work/sdk-gen" .
"$work/sdk-gen" "$work/schema.json" "$work/out" "${languages[@]}" || fail "sdk-gen"

# The Go SDK's full requirement list and go.sum, so `go build ./...` works in sdk/go as it is.
go_step "go mod tidy in the generated Go SDK" env -C "$work/out/go" GOFLAGS=-mod=mod go mod tidy

mkdir -p "$out"
for language in "${languages[@]}"; do
  rm -rf "${out:?}/$language"
  cp -R "$work/out/$language" "$out/$language"
done
echo "gen-sdk: wrote ${languages[*]} SDKs to $out"
