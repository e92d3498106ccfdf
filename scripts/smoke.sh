#!/usr/bin/env bash
# Smoke test of a running backend, local or in Azure (azure.yaml runs it after every deploy):
#   scripts/smoke.sh BASE_URL [FUNCTION_KEY]
# Checks health; the survey with its ETag and a 304; a CORS preflight from an allowed origin (headers present)
# and from a foreign one (headers absent); a bad submission answering problem+json at its field path (or 403 without
# a proof of work, as deployed); a proof-of-work challenge; admin routes answering 401 without a key (and 200 with
# FUNCTION_KEY, if given); the form page's CSP; embed.js coded with Brotli for a browser (the app's own compression,
# which must run in the worker's pipeline too).
# It only reads: the one POST is invalid and is refused before anything is stored.
# Settings (environment):
#   SMOKE_SURVEY          survey to check (social-media-in-local-government)
#   SMOKE_ORIGIN          an allowed origin (the first of ALLOWED_ORIGINS, as azd has it, else BASE_URL's origin)
#   SMOKE_FOREIGN_ORIGIN  an origin that must not be allowed (https://not-allowed.invalid)
#   SMOKE_WAIT            seconds to wait for health first, for a cold start after a deploy (0)
# Prints one line per check and exits 0 only if every check passed.
set -uo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ] || [ -z "$1" ]; then
  echo "usage: scripts/smoke.sh BASE_URL [FUNCTION_KEY]" >&2
  exit 2
fi
base="${1%/}"
key="${2:-}"
survey="${SMOKE_SURVEY:-social-media-in-local-government}"
origin_of() { printf '%s\n' "$1" | sed -E 's#^([a-zA-Z]+://[^/]+).*#\1#'; }
if [ -n "${SMOKE_ORIGIN:-}" ]; then
  origin="$SMOKE_ORIGIN"
elif [ -n "${ALLOWED_ORIGINS:-}" ]; then
  # ALLOWED_ORIGINS is a JSON array in azd (["https://a","https://b"]) or a comma list: take the first.
  origin="$(printf '%s' "$ALLOWED_ORIGINS" | tr -d '[]" ' | cut -d, -f1)"
else
  origin="$(origin_of "$base")"
fi
foreign="${SMOKE_FOREIGN_ORIGIN:-https://not-allowed.invalid}"
wait_seconds="${SMOKE_WAIT:-0}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

# request NAME [curl args...]: headers to $work/NAME.h, body to $work/NAME.b; prints the status (000: no answer).
request() {
  local name="$1"; shift
  curl -s -o "$work/$name.b" -D "$work/$name.h" -w '%{http_code}' --max-time 15 "$@" 2> /dev/null || true
}
# header NAME HEADER: the value of a response header (case-insensitive), without the CR.
header() { grep -i "^$2:" "$work/$1.h" 2> /dev/null | head -n 1 | cut -d: -f2- | sed -e 's/^ *//' -e 's/\r$//'; }

echo "Smoke test of $base (survey $survey, allowed origin $origin)"

# Health, waiting for a cold start if asked.
deadline=$((SECONDS + wait_seconds))
while :; do
  status="$(request health "$base/api/health")"
  if [ "$status" = 200 ] || [ "$SECONDS" -ge "$deadline" ]; then break; fi
  sleep 5
done
if [ "$status" = 200 ] && grep -q '"healthy"' "$work/health.b"; then ok "health: 200 healthy"
else fail "health" "GET /api/health answered $status (want 200 with status healthy)"; fi

# The survey: 200 with an ETag and Cache-Control, then 304 on If-None-Match.
status="$(request survey "$base/api/surveys/$survey")"
etag="$(header survey ETag)"
if [ "$status" = 200 ] && [ -n "$etag" ] && grep -q "\"id\":\"$survey\"" "$work/survey.b"; then ok "survey: 200 with ETag $etag"
else fail "survey" "GET /api/surveys/$survey answered $status, ETag '${etag}' (want 200, an ETag and the definition)"; fi
if [ "$status" = 404 ]; then
  echo "     (no survey $survey here yet: load it with PUT /api/admin/surveys/$survey and the function key, then run this again)"
fi
if [ -n "$etag" ]; then
  status="$(request survey304 "$base/api/surveys/$survey" -H "If-None-Match: $etag")"
  if [ "$status" = 304 ]; then ok "survey: 304 on If-None-Match"
  else fail "survey 304" "If-None-Match $etag answered $status (want 304)"; fi
else
  fail "survey 304" "no ETag to send"
fi

# CORS preflights: the allowed origin gets the CORS headers, a foreign one none.
preflight() {
  request "$1" -X OPTIONS "$base/api/surveys/$survey/responses" -H "Origin: $2" \
    -H "Access-Control-Request-Method: POST" -H "Access-Control-Request-Headers: content-type"
}
status="$(preflight cors-allowed "$origin")"
allow="$(header cors-allowed Access-Control-Allow-Origin)"
if [ "$allow" = "$origin" ] || [ "$allow" = "*" ]; then
  if header cors-allowed Access-Control-Allow-Methods | grep -qi post; then ok "CORS preflight from $origin: allowed ($status)"
  else fail "CORS allowed origin" "no Access-Control-Allow-Methods with POST for $origin"; fi
else
  fail "CORS allowed origin" "preflight from $origin answered $status with Access-Control-Allow-Origin '${allow}'"
fi
status="$(preflight cors-foreign "$foreign")"
if [ "$status" = 000 ]; then
  fail "CORS foreign origin" "preflight from $foreign got no answer"
elif [ -z "$(header cors-foreign Access-Control-Allow-Origin)" ] && [ -z "$(header cors-foreign Access-Control-Allow-Methods)" ]; then
  ok "CORS preflight from $foreign: no CORS headers ($status)"
else
  fail "CORS foreign origin" "preflight from $foreign got Access-Control-Allow-Origin '$(header cors-foreign Access-Control-Allow-Origin)'"
fi

# A bad submission: 400 problem+json with the fault at its field path, or, with proof of work on (as deployed), 403
# proof-required before the body's fields are looked at. Nothing is stored for it either way.
status="$(request bad -X POST "$base/api/surveys/$survey/responses" -H "Content-Type: application/json" \
  --data '{"submissionId":"not-a-uuid","answers":{}}')"
type="$(header bad Content-Type)"
if [ "$status" = 400 ] && [[ "$type" == application/problem+json* ]] && grep -q '"errors":{[^}]*"submissionId"' "$work/bad.b"; then
  ok "bad submission: 400 problem+json at errors.submissionId"
elif [ "$status" = 403 ] && [[ "$type" == application/problem+json* ]] && grep -q '"type":"urn:survey-backend:problem:proof-required"' "$work/bad.b"; then
  ok "submission without a proof of work: 403 proof-required"
else
  fail "bad submission" "answered $status, $type: $(head -c 300 "$work/bad.b" 2> /dev/null)"
fi

# The proof of work's challenge: signed, and never cached.
status="$(request challenge "$base/api/challenge")"
if [ "$status" = 200 ] && grep -q '"algorithm":"PBKDF2/SHA-256"' "$work/challenge.b" && grep -q '"signature":"[0-9a-f]\{64\}"' "$work/challenge.b" \
  && [ "$(header challenge Cache-Control)" = no-store ]; then
  ok "GET /api/challenge: a signed PBKDF2/SHA-256 challenge, no-store"
else
  fail "challenge" "answered $status: $(head -c 300 "$work/challenge.b" 2> /dev/null)"
fi

# Admin routes: 401 without a key; with the key, 200, and the deep health check finds Tables and Queues answering.
for route in "GET admin/surveys/$survey/results" "PUT admin/surveys/$survey" "GET admin/poison" "GET admin/health"; do
  method="${route%% *}"; path="${route#* }"
  if [ "$method" = GET ]; then status="$(request admin "$base/api/$path")"
  else status="$(request admin -X "$method" "$base/api/$path" -H "Content-Type: application/json" --data-binary '{}')"; fi
  if [ "$status" = 401 ]; then ok "admin $method /api/$path without a key: 401"
  else fail "admin without a key" "$method /api/$path answered $status (want 401)"; fi
done
if [ -n "$key" ]; then
  status="$(request admin-key "$base/api/admin/surveys/$survey/results" -H "x-functions-key: $key")"
  if [ "$status" = 200 ]; then ok "admin results with the function key: 200"
  else fail "admin with the key" "GET /api/admin/surveys/$survey/results with the key answered $status (want 200)"; fi
  status="$(request admin-health "$base/api/admin/health" -H "x-functions-key: $key")"
  if [ "$status" = 200 ] && grep -q '"tables":"up"' "$work/admin-health.b" && grep -q '"queues":"up"' "$work/admin-health.b"; then
    ok "admin health with the function key: 200, Tables and Queues up"
  else
    fail "admin health" "GET /api/admin/health with the key answered $status: $(head -c 300 "$work/admin-health.b" 2> /dev/null)"
  fi
fi

# The form page: a strict CSP (no inline script, nothing from elsewhere, framing limited).
status="$(request form "$base/api/surveys/$survey/form")"
csp="$(header form Content-Security-Policy)"
if [ "$status" = 200 ] && [[ "$csp" == *"default-src 'none'"* ]] && [[ "$csp" == *"script-src 'self'"* ]] \
  && [[ "$csp" == *"frame-ancestors "* ]] && [[ "$csp" != *unsafe-inline* ]] && [[ "$csp" != *unsafe-eval* ]]; then
  ok "form page: 200 with CSP"
else
  fail "form page CSP" "answered $status with Content-Security-Policy '${csp}'"
fi

# Compression: a browser's Accept-Encoding gets embed.js as Brotli, varying by Accept-Encoding.
status="$(request coded "$base/api/embed.js" -H "Accept-Encoding: gzip, deflate, br")"
coding="$(header coded Content-Encoding)"
if [ "$status" = 200 ] && [ "$coding" = br ] && header coded Vary | grep -qi accept-encoding; then
  ok "embed.js: coded br, Vary: Accept-Encoding"
else
  fail "compression" "GET /api/embed.js with Accept-Encoding br answered $status, Content-Encoding '${coding}', Vary '$(header coded Vary)'"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
