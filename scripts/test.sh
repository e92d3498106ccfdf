#!/usr/bin/env bash
# Runs every test: unit, integration (real Azurite + the local host), browser (headless Chromium) and system.
# Installs what they need first: Azurite, axe-core and Redocly's CLI from npm, Chromium from Debian's packages.
# Lints docs/openapi.json (Redocly) before any test.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if [ ! -x scripts/node_modules/.bin/azurite ] || [ ! -f scripts/node_modules/axe-core/axe.min.js ] \
  || [ ! -x scripts/node_modules/.bin/redocly ] || [ ! -f scripts/node_modules/altcha-lib/package.json ]; then
  npm ci --prefix scripts --no-audit --no-fund --loglevel=error
fi

if ! command -v chromium > /dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
  else
    echo "The browser tests need Chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi

# The HTTP contract first (a second): Redocly's recommended rules over docs/openapi.json; any warning fails the run.
# Deliberate exceptions are in docs/.redocly.lint-ignore.yaml.
lint_log="$(mktemp)"
if ! REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true scripts/node_modules/.bin/redocly lint docs/openapi.json \
    --config docs/redocly.yaml --format=json 2> "$lint_log" \
  | node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
      for (const p of r.problems) console.error(`docs/openapi.json ${p.location[0].pointer}: ${p.severity} ${p.ruleId}: ${p.message}`);
      console.log(`Redocly lint of docs/openapi.json: ${r.totals.errors} errors, ${r.totals.warnings} warnings`);
      process.exit(r.totals.errors + r.totals.warnings > 0 ? 1 : 0);'; then
  cat "$lint_log" >&2
  rm -f "$lint_log"
  echo "docs/openapi.json does not pass Redocly's lint" >&2
  exit 1
fi
rm -f "$lint_log"

log="$(mktemp)"
set +e
dotnet test SurveyBackend.sln --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line for the whole run, summed over the test assemblies.
awk '/(Passed|Failed)!  -/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
