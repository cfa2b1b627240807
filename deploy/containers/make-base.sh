#!/usr/bin/env bash
# Makes a JRE 17 base image from Debian's own packages, for machines that cannot pull the Dockerfiles' default
# base (no registry reachable): mmdebstrap --variant=minbase with openjdk-17-jre-headless, imported into podman as
# IMAGE (default localhost/carbonstream/jre17-debian:bookworm). The root file system tarball is cached in
# CACHE_DIR (default ~/.cache/carbonstream) and reused while it is younger than 30 days.
#   deploy/containers/make-base.sh [IMAGE]
set -euo pipefail
IMAGE="${1:-localhost/carbonstream/jre17-debian:bookworm}"
CACHE_DIR="${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/carbonstream}"
HERE="$(cd "$(dirname "$0")" && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$HERE/containers.conf}"
tarball="$CACHE_DIR/jre17-debian-bookworm.tar"

if podman image exists "$IMAGE"; then
  echo "base image $IMAGE exists"
  exit 0
fi
mkdir -p "$CACHE_DIR"
if [ ! -s "$tarball" ] || [ -n "$(find "$tarball" -mtime +30)" ]; then
  command -v mmdebstrap >/dev/null || { echo "make-base.sh needs mmdebstrap (apt-get install mmdebstrap)" >&2; exit 1; }
  echo "making $tarball from Debian bookworm (openjdk-17-jre-headless; about a minute)..."
  # update-alternatives of the JRE needs /usr/share/man/man1 even in a minimal system
  mmdebstrap --quiet --format=tar --variant=minbase --include=openjdk-17-jre-headless,ca-certificates-java \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
    bookworm "$tarball.partial" >/dev/null
  mv "$tarball.partial" "$tarball"
fi
podman import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' "$tarball" "$IMAGE" >/dev/null
echo "base image $IMAGE made from $tarball"
