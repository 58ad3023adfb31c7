#!/bin/sh
# Build a stand-in for python:3.11-slim from Debian's own packages, for machines that reach Debian's
# mirror but not Docker Hub. Debian bookworm ships Python 3.11, the same minor version as the real base.
#   sudo scripts/docker-standin-base.sh            -> image dramabot-base:bookworm-py311
#   docker build -t dramabot --build-arg BASE_IMAGE=dramabot-base:bookworm-py311 .
# Any CA certificates the host trusts locally (/usr/local/share/ca-certificates, e.g. an egress proxy's)
# are trusted inside too, so pip in the build can reach PyPI the way the host does.
set -eu
TAG="${1:-dramabot-base:bookworm-py311}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
ROOT="$(mktemp -d)"
trap 'rm -rf "$ROOT"' EXIT

command -v debootstrap >/dev/null || apt-get install -y -q debootstrap >/dev/null
debootstrap --variant=minbase --include=python3,python3-pip,python3-venv,ca-certificates \
    bookworm "$ROOT" "$MIRROR" >/dev/null

# Match the official image's layout: python and pip on PATH, pip free to install into the system.
ln -sf /usr/bin/python3 "$ROOT/usr/local/bin/python"
ln -sf /usr/bin/pip3 "$ROOT/usr/local/bin/pip"
rm -f "$ROOT"/usr/lib/python3*/EXTERNALLY-MANAGED
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
    cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
    chroot "$ROOT" update-ca-certificates >/dev/null
fi
rm -rf "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/*

tar -C "$ROOT" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["python3"]' - "$TAG" >/dev/null
echo "$TAG"
