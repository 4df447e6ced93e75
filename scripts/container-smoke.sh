#!/usr/bin/env bash
# Builds the image from ./Dockerfile with podman and smoke-tests it on loopback:
#   /fhir/metadata answers; the HEALTHCHECK command returns 0; the server runs as uid 10001, not root; the H2
#   database lands in the /data volume; a request without a token gets 401 (an issuer is set); `stop` shuts the
#   server down gracefully (SIGTERM, no kill).
# Works without Docker Hub: the JDK and JRE base images are made from Debian packages (mmdebstrap, podman import)
# and passed as JDK_IMAGE / JRE_IMAGE. Needs root on Debian 12 with deb.debian.org and Maven Central reachable;
# installs podman, runc and mmdebstrap if missing. Not part of `./mvnw verify` (5-10 min on 2 cores): run it before
# a release and after any change to the Dockerfile, the start-up or the configuration.
#
# Usage: scripts/container-smoke.sh            (from anywhere in the repository)
# Environment: WORK (cache of base images, default /var/tmp/mcs-fhir-image), TAG, PORT (default 18080),
#              START_TIMEOUT (s, default 300), SKIP_BUILD=1 (smoke-test an image already built as TAG).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/var/tmp/mcs-fhir-image}
TAG=${TAG:-localhost/mcs-fhir:smoke}
PORT=${PORT:-18080}
START_TIMEOUT=${START_TIMEOUT:-300}
EXPECTED_UID=10001
ISSUER=https://issuer.invalid/realms/mcs
mkdir -p "$WORK"
started_at=$(date +%s)
log() { printf '[%(%T)T] %s\n' -1 "$*"; }
elapsed() { echo $(( $(date +%s) - $1 )); }

if ! command -v podman >/dev/null || ! command -v runc >/dev/null || ! command -v mmdebstrap >/dev/null; then
  log "installing podman, runc, mmdebstrap"
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman runc mmdebstrap
fi

# podman's defaults fail on this machine kind: crun refuses the hybrid cgroup v1/v2 setup, and without
# CAP_SYS_RESOURCE a container may not get higher rlimits than the caller has (podman asks for 1048576).
hard_nproc=$(ulimit -Hu)
if [ "$hard_nproc" = unlimited ] || [ "$hard_nproc" -gt 32768 ]; then hard_nproc=32768; fi
export CONTAINERS_CONF=$WORK/containers.conf
cat > "$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=$hard_nproc:$hard_nproc"]
[engine]
runtime = "runc"
EOF

# Stand-ins for eclipse-temurin:17-jdk / 17-jre: Debian bookworm minbase with OpenJDK 17, cached as tarballs.
cat > "$WORK/apt-no-cache" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
base_image() { # name packages
  local name=$1 packages=$2
  if [ ! -s "$WORK/$name.tar" ]; then
    mmdebstrap --quiet --format=tar --variant=minbase --include="$packages" \
      --aptopt='Acquire::Languages "none"' \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
      --customize-hook="upload $WORK/apt-no-cache /etc/apt/apt.conf.d/docker-clean" \
      --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
      bookworm "$WORK/$name.tar.part" "deb http://deb.debian.org/debian bookworm main" \
      "deb http://deb.debian.org/debian-security bookworm-security main"
    mv -f "$WORK/$name.tar.part" "$WORK/$name.tar"
  fi
  podman image exists "localhost/$name:bookworm" ||
    podman import -q --change 'CMD ["bash"]' --change 'ENV LANG=C.UTF-8' "$WORK/$name.tar" \
      "localhost/$name:bookworm" >/dev/null
}

if [ "${SKIP_BUILD:-}" != 1 ]; then
  t=$(date +%s)
  log "base images (cached in $WORK)"
  base_image mcs-jdk17 openjdk-17-jdk-headless,ca-certificates & jdk=$!
  base_image mcs-jre17 openjdk-17-jre-headless,ca-certificates & jre=$!
  wait $jdk
  wait $jre
  log "base images ready after $(elapsed "$t") s"

  t=$(date +%s)
  log "podman build $TAG"
  # --format docker: the OCI image format has no HEALTHCHECK. The host's CA certificates are mounted (not copied)
  # so that the build's HTTPS downloads trust what the host trusts.
  podman build --format docker --pull=never \
    --build-arg JDK_IMAGE=localhost/mcs-jdk17:bookworm --build-arg JRE_IMAGE=localhost/mcs-jre17:bookworm \
    -v /etc/ssl/certs:/etc/ssl/certs:ro -t "$TAG" "$REPO"
  build_seconds=$(elapsed "$t")
  log "image built in $build_seconds s"
fi
image_bytes=$(podman image inspect "$TAG" --format '{{.Size}}')
log "image $TAG: $(( image_bytes / 1000000 )) MB, user $(podman image inspect "$TAG" --format '{{.Config.User}}')"

container=mcs-fhir-smoke-$$
volume=mcs-fhir-smoke-$$
cleanup() {
  podman rm -f -t 5 "$container" >/dev/null 2>&1 || true
  podman volume rm -f "$volume" >/dev/null 2>&1 || true
}
trap cleanup EXIT
fail() {
  echo "SMOKE FAILED: $*" >&2
  podman logs "$container" 2>&1 | tail -40 >&2
  exit 1
}
status_of() { curl -s -o /dev/null -w '%{http_code}' "$@" || true; }

log "podman run (issuer $ISSUER, volume $volume on /data, port 127.0.0.1:$PORT)"
t=$(date +%s)
podman run -d --name "$container" -p "127.0.0.1:$PORT:8080" -v "$volume:/data" \
  -e MCS_SECURITY_ISSUER="$ISSUER" "$TAG" >/dev/null
until [ "$(status_of "http://127.0.0.1:$PORT/fhir/metadata")" = 200 ]; do
  [ "$(podman inspect -f '{{.State.Running}}' "$container")" = true ] || fail "the container exited"
  [ "$(elapsed "$t")" -lt "$START_TIMEOUT" ] || fail "no 200 on /fhir/metadata after $START_TIMEOUT s"
  sleep 1
done
start_seconds=$(elapsed "$t")
log "/fhir/metadata answered 200 after $start_seconds s"

metadata=$(curl -fsS "http://127.0.0.1:$PORT/fhir/metadata")
grep -q '"resourceType" *: *"CapabilityStatement"' <<<"$metadata" || fail "/fhir/metadata is not a CapabilityStatement"
log "ok: /fhir/metadata is a CapabilityStatement"

podman healthcheck run "$container" >/dev/null || fail "the HEALTHCHECK command did not return 0"
log "ok: HEALTHCHECK command returned 0"

uid=$(podman exec "$container" awk '/^Uid:/ { print $2 }' /proc/1/status)
command=$(podman exec "$container" cat /proc/1/cmdline | tr '\0' ' ')
[ "$uid" = "$EXPECTED_UID" ] || fail "PID 1 runs as uid $uid, expected $EXPECTED_UID"
case "$command" in java*) ;; *) fail "PID 1 is '$command', not java (signals would not reach it)" ;; esac
log "ok: PID 1 is java, uid $uid"

podman exec "$container" test -s /data/h2/mcs-fhir.mv.db || fail "no H2 database in /data"
volume_dir=$(podman volume inspect "$volume" --format '{{.Mountpoint}}')
[ -s "$volume_dir/h2/mcs-fhir.mv.db" ] || fail "the database is not in the volume ($volume_dir)"
log "ok: database in the /data volume ($(stat -c %U:%u "$volume_dir/h2/mcs-fhir.mv.db"))"

no_token=$(status_of "http://127.0.0.1:$PORT/fhir/Patient")
[ "$no_token" = 401 ] || fail "GET /fhir/Patient without a token answered $no_token, expected 401"
log "ok: GET /fhir/Patient without a token: 401"

t=$(date +%s)
podman stop -t 60 "$container" >/dev/null
stop_seconds=$(elapsed "$t")
exit_code=$(podman inspect -f '{{.State.ExitCode}}' "$container")
# 143 = exited on SIGTERM after the shutdown hooks; 137 would mean podman had to kill it.
[ "$exit_code" = 143 ] || [ "$exit_code" = 0 ] || fail "exit code $exit_code after stop"
# the whole log first: with pipefail, grep -q stopping at the first match fails the pipe (SIGPIPE to podman logs)
stop_log=$(podman logs "$container" 2>&1)
grep -q 'Graceful shutdown complete' <<<"$stop_log" || fail "no graceful shutdown in the log"
log "ok: stop took $stop_seconds s, exit code $exit_code, graceful shutdown logged"

log "SMOKE OK: build ${build_seconds:-skipped} s, image $(( image_bytes / 1000000 )) MB, first 200 after" \
  "$start_seconds s, stop $stop_seconds s, total $(elapsed "$started_at") s"
