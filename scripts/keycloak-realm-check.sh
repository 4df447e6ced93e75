#!/usr/bin/env bash
# Proves deploy/keycloak/realm.json: starts Keycloak from its Maven Central distribution (dev-file mode, loopback),
# imports the realm, obtains a token for every client (client_credentials) and shows that the packaged server, started
# on loopback with that Keycloak as its issuer, accepts each of them for what its kind may do, and refuses what the
# token's claims forbid (a registry without the identifiable-data grant reading Patients).
#
# Needs JDK 17+, curl, python3 and the packaged jar (./mvnw -B -DskipTests package); the first run downloads
# org.keycloak:keycloak-quarkus-dist (~160 MB) into ~/.m2. Not part of `./mvnw verify` (3-8 min).
# Usage: scripts/keycloak-realm-check.sh    Environment: KC_VERSION, KC_PORT (18180), SERVER_PORT (18081).
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
cp "$REPO/deploy/keycloak/realm.json" "$kc_home/data/import/mcs-realm.json"

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
JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m" "$kc_home/bin/kc.sh" start-dev --import-realm --http-host=127.0.0.1 \
  --http-port="$KC_PORT" --http-management-port=$(( KC_PORT + 1 )) >"$WORK/keycloak.log" 2>&1 &
pids+=($!)
await "$ISSUER/.well-known/openid-configuration" 300 "${pids[-1]}" Keycloak

log "starting the server on 127.0.0.1:$SERVER_PORT with issuer $ISSUER"
java -XX:+UseSerialGC -Xms128m -Xmx768m -Xss512k -XX:MaxMetaspaceSize=320m -jar "$JAR" \
  --server.port="$SERVER_PORT" --mcs.data-dir="$WORK/server-data-$$" --mcs.security.issuer="$ISSUER" \
  --mcs.validation.mode=warn >"$WORK/server.log" 2>&1 &
pids+=($!)
await "$FHIR/metadata" 300 "${pids[-1]}" "the server"

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
expect "governance searches the audit trail" 200 "$TOKEN_mcs_governance" GET "$FHIR/AuditEvent?_count=1"
expect "governance may not read patients" 403 "$TOKEN_mcs_governance" GET "$FHIR/Patient"

if [ "$failures" -gt 0 ]; then
  log "REALM CHECK FAILED: $failures request(s) answered otherwise"
  exit 1
fi
log "REALM CHECK OK: 8 clients, every kind accepted for what it may do"
