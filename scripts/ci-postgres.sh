#!/usr/bin/env bash
# CI helper: make PostgreSQL's server programs (initdb, pg_ctl) available for the tests' throwaway servers.
# Installs Debian's postgresql package where they are missing (the tests start and remove their own server;
# the package's own cluster service is not needed). Exits non-zero when they cannot be had here.
set -uo pipefail
log() { echo "ci-postgres: $*" >&2; }
have() { command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }

have && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    log "initdb is missing and cannot be installed here (need root and apt-get)"; exit 1
fi
log "installing postgresql from Debian"
export DEBIAN_FRONTEND=noninteractive
timeout 600 apt-get install -y -q postgresql >/dev/null 2>&1 \
    || { timeout 300 apt-get update -q >/dev/null 2>&1 \
         && timeout 600 apt-get install -y -q postgresql >/dev/null 2>&1; } \
    || { log "could not install postgresql"; exit 1; }
have || { log "postgresql installed but initdb not found"; exit 1; }
