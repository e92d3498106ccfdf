#!/usr/bin/env bash
# Runs every test: unit, integration (real Azurite + the local host), browser (headless Chromium) and system.
# Installs what they need first: Azurite and axe-core from npm, Chromium from Debian's packages.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if [ ! -x scripts/node_modules/.bin/azurite ] || [ ! -f scripts/node_modules/axe-core/axe.min.js ]; then
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
