#!/usr/bin/env bash
# Starts the whole backend locally: Azurite (storage emulator, data under .azurite/), the local host
# (every function of the app on http://127.0.0.1:7071), loads the sample survey and its 2016 wave, on a first start
# seeds demo answers to both (scripts/demo-waves.mjs) and publishes a report of each, and prints the URLs.
# Email goes to .outbox/ as .eml files. Ctrl-C stops everything.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# Azurite comes from npm, into scripts/node_modules, on first use.
if [ ! -x scripts/node_modules/.bin/azurite ]; then
  echo "Installing Azurite (first run only)..."
  npm ci --prefix scripts --no-audit --no-fund --loglevel=error
fi

# local.settings.json is yours (git-ignored): made from the sample once, with a fresh function key and secret.
if [ ! -f local.settings.json ]; then
  node -e '
    const fs = require("fs"), crypto = require("crypto");
    const s = JSON.parse(fs.readFileSync("local.settings.sample.json", "utf8"));
    s.Values.LocalHost__FunctionKey = crypto.randomBytes(24).toString("base64url");
    s.Values.Anonymity__Secret = crypto.randomBytes(32).toString("base64url");
    fs.writeFileSync("local.settings.json", JSON.stringify(s, null, 2) + "\n");'
  echo "Wrote local.settings.json (your function key and secret; git-ignored)."
fi
# As everywhere else, a setting given in the environment wins over local.settings.json.
key="${LocalHost__FunctionKey:-$(node -p 'JSON.parse(require("fs").readFileSync("local.settings.json","utf8")).Values.LocalHost__FunctionKey')}"
if [ -z "$key" ]; then
  echo "LocalHost__FunctionKey is empty in the environment and in local.settings.json: set one (any long random string)." >&2
  exit 1
fi
export LocalHost__FunctionKey="$key"
# The demo host page is off unless turned on (it is off in Azure); here it is on unless the environment says otherwise.
export DemoPage__Enabled="${DemoPage__Enabled:-true}"
# Proof of work is on, as in Azure, but at a low difficulty unless the environment says otherwise: the demo seeds 160
# answers through the public route, each paying with a solved challenge, in seconds rather than minutes.
export Intake__ProofOfWorkMaxNumber="${Intake__ProofOfWorkMaxNumber:-40}"
base="${ASPNETCORE_URLS:-http://127.0.0.1:7071}"
base="${base%%;*}"

pids=()
# Background jobs of a script ignore Ctrl-C's SIGINT, so stop them explicitly: TERM, then KILL if they linger.
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 20); do
    alive=0; for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break; sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p .azurite
# --skipApiVersionCheck: the Azure SDKs send a newer storage service version than Azurite 3.37 knows.
# --disableTelemetry: Azurite would otherwise report on its use to Microsoft. No --debug: its log keeps every request
# body, raw submissions (answers beside email addresses) included, long after the pipeline has anonymised them.
scripts/node_modules/.bin/azurite --silent --skipApiVersionCheck --disableTelemetry --location .azurite \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 &
pids+=($!)
for port in 10000 10001 10002; do
  for _ in $(seq 1 120); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.5; done
done

echo "Building the app and the local host..."
dotnet build functions/SurveyBackend.LocalHost --nologo -v q -clp:ErrorsOnly
dotnet functions/SurveyBackend.LocalHost/bin/Debug/net10.0/SurveyBackend.LocalHost.dll &
pids+=($!)

for _ in $(seq 1 240); do
  curl -fs "$base/api/health" > /dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "$base/api/health" > /dev/null || { echo "The local host did not become healthy." >&2; exit 1; }

# The 2016 wave first: the current survey names it as its previousWave, which must exist when it is put.
for id in social-media-in-local-government-2016 social-media-in-local-government; do
  curl -fsS -o /dev/null -X PUT "$base/api/admin/surveys/$id" \
    -H "x-functions-key: $key" -H "Content-Type: application/json" --data-binary "@functions/SurveyBackend/Surveys/Samples/$id.json"
done
# On a first start, demo answers to both waves through the public routes, a release and a report of each, so the
# current report shows the change since 2016 (DEMO_WAVES=0 skips it; it never runs twice on the same storage).
if [ "${DEMO_WAVES:-1}" != 0 ]; then
  node scripts/demo-waves.mjs "$base" "$key" || echo "Seeding the demo waves failed; the host is still running." >&2
fi

cat <<MSG

  The survey backend is running.
    Console (owners)   $base/api/console   (sign in with the function key below)
    Survey definition  $base/api/surveys/social-media-in-local-government
    Form (iframe page) $base/api/surveys/social-media-in-local-government/form
    Demo host page     $base/api/demo
    Health             $base/api/health
    Results (admin)    curl -H "x-functions-key: $key" $base/api/admin/surveys/social-media-in-local-government/results
  Function key for admin routes: $key
  Email is written to $root/.outbox as .eml files.
  Ctrl-C stops Azurite and the host.

MSG
wait -n "${pids[@]}"
