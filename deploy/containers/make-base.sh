#!/usr/bin/env bash
# Makes a Java base image for machines that cannot pull the Dockerfiles' default base (no registry reachable), from
# Debian bookworm (mmdebstrap --variant=minbase), imported into podman as IMAGE:
#   deploy/containers/make-base.sh [--jdk 17|25] [IMAGE]
#   --jdk 17  (the default) Debian's openjdk-17-jre-headless; IMAGE defaults to localhost/carbonstream/jre17-debian:bookworm
#   --jdk 25  Debian's minimal system with a copy of the JDK 25 in JAVA25_HOME (default
#             /usr/lib/jvm/temurin-25-jdk-amd64, the Temurin build) in /opt/java/openjdk, as the Temurin images
#             have it; IMAGE defaults to localhost/carbonstream/jre25-debian:bookworm. Debian bookworm has no JDK 25.
# The root file system tarball is cached in CACHE_DIR (default ~/.cache/carbonstream) and reused while it is
# younger than 30 days (and, for 25, while the JDK copied into it is the same release).
set -euo pipefail
JDK=17
if [ "${1:-}" = --jdk ]; then
  JDK="${2:-}"; shift 2 || { echo "make-base.sh: --jdk takes 17 or 25" >&2; exit 2; }
fi
case "$JDK" in
  17|25) ;;
  *) echo "make-base.sh: --jdk takes 17 or 25, not '$JDK'" >&2; exit 2 ;;
esac
IMAGE="${1:-localhost/carbonstream/jre$JDK-debian:bookworm}"
CACHE_DIR="${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/carbonstream}"
HERE="$(cd "$(dirname "$0")" && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$HERE/containers.conf}"
tarball="$CACHE_DIR/jre$JDK-debian-bookworm.tar"

if podman image exists "$IMAGE"; then
  echo "base image $IMAGE exists"
  exit 0
fi
mkdir -p "$CACHE_DIR"
if [ "$JDK" = 17 ]; then
  packages=openjdk-17-jre-headless,ca-certificates-java
  copy_jdk=()
  java_home=/usr/lib/jvm/java-17-openjdk-amd64
else
  JAVA25_HOME="${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
  grep -qs '^JAVA_VERSION="25' "$JAVA25_HOME/release" \
    || { echo "make-base.sh: no JDK 25 at $JAVA25_HOME (set JAVA25_HOME)" >&2; exit 1; }
  # the JDK's own trust store (lib/security/cacerts) is used; Debian's ca-certificates only for other tools
  packages=ca-certificates
  copy_jdk=(--customize-hook="mkdir -p \"\$1/opt/java\" && cp -a '$JAVA25_HOME' \"\$1/opt/java/openjdk\"")
  java_home=/opt/java/openjdk
  # a tarball made from another JDK 25 release is made again
  release="$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JAVA25_HOME/release")"
  [ "$(cat "$tarball.release" 2>/dev/null)" = "$release" ] || rm -f "$tarball"
fi
if [ ! -s "$tarball" ] || [ -n "$(find "$tarball" -mtime +30)" ]; then
  command -v mmdebstrap >/dev/null || { echo "make-base.sh needs mmdebstrap (apt-get install mmdebstrap)" >&2; exit 1; }
  echo "making $tarball from Debian bookworm (JDK $JDK; about a minute)..."
  # update-alternatives of the JRE needs /usr/share/man/man1 even in a minimal system
  mmdebstrap --quiet --format=tar --variant=minbase --include="$packages" \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    "${copy_jdk[@]}" \
    --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
    bookworm "$tarball.partial" >/dev/null
  mv "$tarball.partial" "$tarball"
  [ "$JDK" = 25 ] && echo "$release" > "$tarball.release"
fi
podman import --change "ENV PATH=$java_home/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV JAVA_HOME=$java_home" "$tarball" "$IMAGE" >/dev/null
echo "base image $IMAGE made from $tarball"
