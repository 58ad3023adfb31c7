#!/usr/bin/env bash
# CI helper: make a Docker engine usable if this machine can have one, and print the base image to build
# on. Prints nothing and exits non-zero when Docker cannot run here (the image test then skips).
#   base=$(scripts/ci-docker.sh) && export DRAMABOT_DOCKER_TESTS=1 DRAMABOT_BASE_IMAGE="$base"
set -uo pipefail
cd "$(dirname "$0")/.."
log() { echo "ci-docker: $*" >&2; }

if ! docker info >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        log "no Docker engine and no way to install one"; exit 1
    fi
    if ! command -v dockerd >/dev/null; then
        log "installing docker.io from Debian"
        export DEBIAN_FRONTEND=noninteractive
        timeout 600 apt-get install -y -q docker.io >/dev/null 2>&1 \
            || { timeout 300 apt-get update -q >/dev/null 2>&1 \
                 && timeout 600 apt-get install -y -q docker.io >/dev/null 2>&1; } \
            || { log "could not install docker.io"; exit 1; }
    fi
    log "starting dockerd"
    nohup dockerd >/tmp/dramabot-ci-dockerd.log 2>&1 &
    for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || { log "dockerd did not start (see /tmp/dramabot-ci-dockerd.log)"; exit 1; }
fi

if timeout 120 docker pull -q python:3.11-slim >/dev/null 2>&1; then
    base="python:3.11-slim"
else
    log "Docker Hub unreachable: building a stand-in base from Debian's packages"
    base="dramabot-base:bookworm-py311"
    docker image inspect "$base" >/dev/null 2>&1 \
        || timeout 900 scripts/docker-standin-base.sh "$base" >/dev/null \
        || { log "stand-in base failed"; exit 1; }
fi
# The image build installs from PyPI: a container that cannot reach it says nothing about our Dockerfile.
if ! timeout 120 docker run --rm "$base" python -c \
        "import urllib.request; urllib.request.urlopen('https://pypi.org/simple/pip/', timeout=60)" \
        >/dev/null 2>&1; then
    log "containers cannot reach PyPI here"; exit 1
fi
echo "$base"
