#!/usr/bin/env bash
# Proves deploy/keycloak/realm.json: starts Keycloak from its Maven Central distribution (dev-file mode, loopback),
# imports the realm, obtains a token for every client (client_credentials) and shows that the packaged server, started
# on loopback with that Keycloak as its issuer, accepts each of them for what its kind may do, and refuses what the
# token's claims forbid (a registry without the identifiable-data grant reading Patients).
#
# Needs JDK 17+, curl, python3 and the packaged jar (./mvnw -B -DskipTests package); the first run downloads
# org.keycloak:keycloak-quarkus-dist (~160 MB) into ~/.m2. Not part of `./mvnw verify` (3-8 min).
# Usage: scripts/keycloak-realm-check.sh    Environment: KC_VERSION, KC_PORT (18180), SERVER_PORT (18081),
# START_SECONDS (300: how long the server may take to start).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
KC_VERSION=${KC_VERSION:-26.5.6}
KC_PORT=${KC_PORT:-18180}
SERVER_PORT=${SERVER_PORT:-18081}
WORK=$REPO/target/keycloak-check
JAR=$REPO/fhir-server/target/mcs-fhir-server.jar
ISSUER=http://127.0.0.1:$KC_PORT/realms/mcs
FHIR=http://127.0.0.1:$SERVER_PORT/fhir
log() { printf '[%(%T)T] %s\n' -1 "$*"; }
[ -s "$JAR" ] || { echo "build the jar first: ./mvnw -B -DskipTests package" >&2; exit 1; }

mkdir -p "$WORK"
kc_home=$WORK/keycloak-$KC_VERSION
if [ ! -x "$kc_home/bin/kc.sh" ]; then
  log "fetching keycloak-quarkus-dist $KC_VERSION"
  (cd "$REPO" && ./mvnw -B -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:tar.gz" \
    -DoutputDirectory="$WORK")
  tar -xzf "$WORK/keycloak-quarkus-dist-$KC_VERSION.tar.gz" -C "$WORK"
fi
# a fresh realm on every run: dev-file data and the import folder are reset
rm -rf "$kc_home/data"
mkdir -p "$kc_home/data/import"
# the realm as shipped, plus one governance user to sign in to the dashboard's public client with
python3 - "$REPO/deploy/keycloak/realm.json" "$kc_home/data/import/mcs-realm.json" <<'PY'
import json, sys
realm = json.load(open(sys.argv[1]))
realm["users"] = [{"username": "realm-check-governance", "enabled": True, "firstName": "Realm", "lastName": "Check",
                   "email": "realm-check@example.org", "emailVerified": True,
                   "credentials": [{"type": "password", "value": "realm-check-password", "temporary": False}]}]
json.dump(realm, open(sys.argv[2], "w"))
PY

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
await() { # url seconds pid what
  local t0=$SECONDS
  until curl -fs -o /dev/null "$1"; do
    kill -0 "$3" 2>/dev/null || { echo "$4 exited; see its log in $WORK" >&2; exit 1; }
    [ $(( SECONDS - t0 )) -lt "$2" ] || { echo "$4 not up after $2 s; see $WORK" >&2; exit 1; }
    sleep 1
  done
  log "$4 up after $(( SECONDS - t0 )) s"
}

log "starting Keycloak $KC_VERSION on 127.0.0.1:$KC_PORT (start-dev, realm import)"
MCS_PUBLIC_FHIR="http://127.0.0.1:$SERVER_PORT" JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m" "$kc_home/bin/kc.sh" start-dev --import-realm --http-host=127.0.0.1 \
  --http-port="$KC_PORT" --http-management-port=$(( KC_PORT + 1 )) >"$WORK/keycloak.log" 2>&1 &
pids+=($!)
await "$ISSUER/.well-known/openid-configuration" 300 "${pids[-1]}" Keycloak

log "starting the server on 127.0.0.1:$SERVER_PORT with issuer $ISSUER"
java -XX:+UseSerialGC -Xms128m -Xmx768m -Xss512k -XX:MaxMetaspaceSize=320m -jar "$JAR" \
  --server.port="$SERVER_PORT" --mcs.data-dir="$WORK/server-data-$$" --mcs.security.issuer="$ISSUER" \
  --mcs.validation.mode=warn >"$WORK/server.log" 2>&1 &
pids+=($!)
await "$FHIR/metadata" "${START_SECONDS:-300}" "${pids[-1]}" "the server"

token() { # client-id -> access token
  local client=$1 env secret
  env=$(echo "${client#mcs-}" | tr 'a-z-' 'A-Z_')
  secret=$(eval "echo \${MCS_${env}_SECRET:-dev-$client-secret}")
  curl -fsS -u "$client:$secret" -d grant_type=client_credentials \
    "$ISSUER/protocol/openid-connect/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
claims() { # token -> the claims the server reads
  python3 -c 'import base64,json,sys
p=sys.argv[1].split(".")[1]; c=json.loads(base64.urlsafe_b64decode(p+"="*(-len(p)%4)))
print({k: c.get(k) for k in ("aud","azp","mcs_client_kind","mcs_centre","mcs_identifiable_data","scp") if k in c})' "$1"
}
failures=0
expect() { # what expected-status token method path [body] [content-type]
  local what=$1 expected=$2 tok=$3 method=$4 url=$5 body=${6:-} type=${7:-application/fhir+json} status
  if [ -n "$body" ]; then
    status=$(curl -s -o "$WORK/last.json" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $tok" \
      -H "Content-Type: $type" --data-binary "$body" "$url")
  else
    status=$(curl -s -o "$WORK/last.json" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $tok" "$url")
  fi
  if [ "$status" = "$expected" ]; then
    log "ok   $status $what"
  else
    log "FAIL $status (expected $expected) $what: $(head -c 300 "$WORK/last.json")"
    failures=$(( failures + 1 ))
  fi
}

for client in mcs-ehr-centre-1 mcs-ehr-centre-2 mcs-gateway-centre-1 mcs-gateway-centre-2 mcs-registry \
  mcs-registry-identifiable mcs-admin mcs-governance; do
  declare "TOKEN_${client//-/_}=$(token "$client")"
  tok_var="TOKEN_${client//-/_}"
  log "token for $client: $(claims "${!tok_var}")"
done

# The dashboard's public client: authorization code with PKCE S256, as the page does it (docs/dashboard.md).
dashboard_sign_in() { # with-pkce(yes|no) -> the access token, or the issuer's answer without PKCE
  python3 - "$ISSUER" "http://127.0.0.1:$SERVER_PORT/dashboard/" "$1" <<'PY'
import base64, hashlib, html, http.cookiejar, json, os, re, sys, urllib.error, urllib.parse, urllib.request
issuer, redirect, pkce = sys.argv[1:4]
class Stop(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
class AlsoOverHttp(http.cookiejar.DefaultCookiePolicy):  # the issuer marks its session cookies Secure; this is loopback
    def return_ok_secure(self, cookie, request):
        return True
cookies = http.cookiejar.CookieJar(AlsoOverHttp())
browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies), Stop)
verifier = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
query = {"client_id": "mcs-dashboard", "response_type": "code", "redirect_uri": redirect, "scope": "openid",
         "state": "realm-check"}
if pkce == "yes":
    query.update(code_challenge=challenge, code_challenge_method="S256")
try:
    page = browser.open(issuer + "/protocol/openid-connect/auth?" + urllib.parse.urlencode(query)).read().decode()
except urllib.error.HTTPError as refused:
    print("refused:", refused.code, refused.headers.get("Location", ""))
    sys.exit(0)
if pkce != "yes":
    print("sign-in page shown without PKCE")
    sys.exit(0)
form = html.unescape(re.search(r'action="([^"]+)"', page).group(1))
credentials = {"username": "realm-check-governance", "password": "realm-check-password"}
try:
    browser.open(form, urllib.parse.urlencode(credentials).encode())
    sys.exit("the issuer did not redirect back after sign-in")
except urllib.error.HTTPError as back:
    if back.code != 302:
        sys.exit("sign-in answered %d: %s" % (back.code, back.read()[:300]))
    code = urllib.parse.parse_qs(urllib.parse.urlparse(back.headers["Location"]).query)["code"][0]
exchange = {"grant_type": "authorization_code", "client_id": "mcs-dashboard", "code": code, "redirect_uri": redirect,
            "code_verifier": verifier}
token = json.load(browser.open(issuer + "/protocol/openid-connect/token", urllib.parse.urlencode(exchange).encode()))
print(token["access_token"])
PY
}
without_pkce=$(dashboard_sign_in no)
case "$without_pkce" in
  *error=invalid_request*|refused:\ 400*) log "ok   the dashboard client refuses a sign-in without PKCE ($without_pkce)" ;;
  *) log "FAIL the dashboard client accepted a sign-in without PKCE: $without_pkce"; failures=$(( failures + 1 )) ;;
esac
TOKEN_mcs_dashboard=$(dashboard_sign_in yes)
log "token for mcs-dashboard (user realm-check-governance): $(claims "$TOKEN_mcs_dashboard")"

expect "no token" 401 "" GET "$FHIR/Patient"
for n in 1 2; do
  org="{\"resourceType\":\"Organization\",\"id\":\"mcs-example-centre-$n\",\"name\":\"Example centre $n\"}"
  expect "admin registers centre $n" 201 "$TOKEN_mcs_admin" PUT "$FHIR/Organization/mcs-example-centre-$n" "$org"
done
expect "admin reads the register of centres" 200 "$TOKEN_mcs_admin" GET "$FHIR/Organization"
for n in 1 2; do
  ehr_var="TOKEN_mcs_ehr_centre_$n"
  patient="{\"resourceType\":\"Patient\",\"id\":\"realm-check-patient-$n\",\"gender\":\"female\","
  patient+="\"managingOrganization\":{\"reference\":\"Organization/mcs-example-centre-$n\"}}"
  device="{\"resourceType\":\"Device\",\"id\":\"realm-check-pump-$n\",\"owner\":{\"reference\":"
  device+="\"Organization/mcs-example-centre-$n\"},\"patient\":{\"reference\":\"Patient/realm-check-patient-$n\"}}"
  expect "EHR centre $n writes its patient" 201 "${!ehr_var}" PUT "$FHIR/Patient/realm-check-patient-$n" "$patient"
  expect "EHR centre $n writes its pump" 201 "${!ehr_var}" PUT "$FHIR/Device/realm-check-pump-$n" "$device"
done
sample="{\"time\":\"$(date -u -d '-1 min' +%Y-%m-%dT%H:%M:%SZ)\",\"pump-flow\":3.2}"
for n in 1 2; do
  ehr_var="TOKEN_mcs_ehr_centre_$n"
  gateway_var="TOKEN_mcs_gateway_centre_$n"
  other=$(( 3 - n ))
  expect "EHR centre $n reads its patient" 200 "${!ehr_var}" GET "$FHIR/Patient/realm-check-patient-$n"
  expect "EHR centre $n may not read centre $other's patient" 403 "${!ehr_var}" GET \
    "$FHIR/Patient/realm-check-patient-$other"
  expect "gateway centre $n sends samples of its pump" 200 "${!gateway_var}" POST \
    "http://127.0.0.1:$SERVER_PORT/telemetry/v1/devices/realm-check-pump-$n/samples" "$sample" application/x-ndjson
  expect "gateway centre $n may not send for centre $other's pump" 403 "${!gateway_var}" POST \
    "http://127.0.0.1:$SERVER_PORT/telemetry/v1/devices/realm-check-pump-$other/samples" "$sample" \
    application/x-ndjson
done
expect "registry searches devices across centres" 200 "$TOKEN_mcs_registry" GET "$FHIR/Device"
expect "registry without the grant may not read patients" 403 "$TOKEN_mcs_registry" GET "$FHIR/Patient"
expect "registry with the grant reads patients" 200 "$TOKEN_mcs_registry_identifiable" GET "$FHIR/Patient"
expect "governance searches the access log" 200 "$TOKEN_mcs_governance" GET "$FHIR/AuditEvent?_count=1"
expect "governance may not read patients" 403 "$TOKEN_mcs_governance" GET "$FHIR/Patient"
expect "a dashboard user runs the outcome audit" 200 "$TOKEN_mcs_dashboard" GET \
  "$FHIR/Measure/\$audit?periodStart=2026-01-01&periodEnd=2026-12-31"
expect "a dashboard user may not read patients" 403 "$TOKEN_mcs_dashboard" GET "$FHIR/Patient"

if [ "$failures" -gt 0 ]; then
  log "REALM CHECK FAILED: $failures request(s) answered otherwise"
  exit 1
fi
log "REALM CHECK OK: 9 clients (the dashboard's with PKCE sign-in), every kind accepted for what it may do"
