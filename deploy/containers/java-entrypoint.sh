#!/bin/sh
# The entrypoint of carbonstream's JVM images (each service's src/main/docker/Dockerfile.jvm; the build copies this
# file into target/docker/). It starts the service's JVM with the settings the images share, read from the
# container's environment:
#   JAVA_MAX_MEM_RATIO    the heap as a percentage of the container's memory limit (default 50)
#   JAVA_OPTS_APPEND      more JVM options, last, so they win
#   CARBONSTREAM_AOT_DIR  a writable directory that outlives the container (the StatefulSets' volume) for the JDK's
#                         ahead-of-time cache, on JDK 25 and later; ignored on older JDKs and when unset
#                         (docs/kubernetes.md, "The AOT cache"; docs/performance.md has what it saves).
# The serial collector, a 64 MiB code cache, 512 KiB thread stacks and two malloc arenas (set in the Dockerfile) are
# what the local stack runs with (docs/performance.md, "The full benchmark").
#
# The AOT cache, in three steps, each in its own start of the container, so that no step needs more memory than the
# service alone or more time than a stop's grace period:
#   1. record: the first run of an image on a JDK records what the service loads and which methods its real load
#      runs, and the JVM writes that (the configuration, about 120 MB) in under a second as it exits on SIGTERM;
#   2. assemble: the next start turns the configuration into the cache before the service starts (7-30 s once, with
#      the container's memory to itself), then starts the service with it;
#   3. every later start of the same image on the same JDK uses the cache.
# A new image or JDK starts again at 1. A configuration only counts once its JVM has exited after writing all of it;
# a cache only once assembling it succeeded; if assembling fails, the image runs without a cache and does not try
# again.
set -u
APP=/deployments

aot=""
if [ -n "${CARBONSTREAM_AOT_DIR:-}" ]; then
  major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${JAVA_HOME:-/nonexistent}/release" 2>/dev/null)"
  if [ "${major:-0}" -ge 25 ] 2>/dev/null && mkdir -p "$CARBONSTREAM_AOT_DIR" 2>/dev/null && [ -w "$CARBONSTREAM_AOT_DIR" ]; then
    # a cache belongs to one JDK and one build of the application: the JDK's release and every file's name, size and
    # time (not its blocks on disk: a freshly written image layer's change once the kernel has written it out)
    key="$( { cat "$JAVA_HOME/release"; find "$APP/quarkus-run.jar" "$APP/lib" "$APP/app" "$APP/quarkus" -type f \
      -exec ls -ln --time-style=+%s {} + | sort; } 2>/dev/null | cksum | cut -d' ' -f1)"
    aot="$CARBONSTREAM_AOT_DIR/carbonstream-$key"
  else
    echo "java-entrypoint: CARBONSTREAM_AOT_DIR=$CARBONSTREAM_AOT_DIR is not used: it needs JDK 25 or later (JAVA_HOME=${JAVA_HOME:-unset}) and a writable directory" >&2
  fi
fi

set -- -XX:MaxRAMPercentage="${JAVA_MAX_MEM_RATIO:-50}" -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -Xss512k \
  -XX:+ExitOnOutOfMemoryError

# shellcheck disable=SC2086 # JAVA_OPTS_APPEND holds several options
run() { exec java "$@" ${JAVA_OPTS_APPEND:-} -jar "$APP/quarkus-run.jar"; }

[ -n "$aot" ] || run "$@"
if [ -s "$aot.aot" ]; then
  echo "java-entrypoint: using the AOT cache $aot.aot" >&2
  run "$@" -XX:AOTCache="$aot.aot"
fi
if [ -e "$aot.failed" ]; then
  echo "java-entrypoint: no AOT cache for this image: assembling it failed before ($aot.failed)" >&2
  run "$@"
fi
if [ -s "$aot.aotconf" ]; then
  echo "java-entrypoint: assembling the AOT cache $aot.aot from the recorded run..." >&2
  # the same options as the service's runs (a cache is used only by a JVM started like the one it was made for); the
  # JVM's warnings about the classes it leaves out (proxies, JFR's events, classes that failed verification) are
  # expected and left out of the log, its errors are not
  # shellcheck disable=SC2086
  if java "$@" ${JAVA_OPTS_APPEND:-} -Xlog:all=error -XX:AOTMode=create -XX:AOTConfiguration="$aot.aotconf" \
      -XX:AOTCache="$aot.assembling.aot" -jar "$APP/quarkus-run.jar" >&2 && [ -s "$aot.assembling.aot" ]; then
    mv -f "$aot.assembling.aot" "$aot.aot"
    rm -f "$aot.aotconf"
    echo "java-entrypoint: using the AOT cache $aot.aot" >&2
    run "$@" -XX:AOTCache="$aot.aot"
  fi
  rm -f "$aot.assembling.aot" "$aot.aotconf"
  : > "$aot.failed"
  echo "java-entrypoint: assembling the AOT cache failed; this image runs without one" >&2
  run "$@"
fi

# The recording run. This shell stays, passing SIGTERM and SIGINT on, to keep the configuration only once the JVM
# has exited after writing all of it: a container killed while it writes leaves none, and the next start records.
rm -f "$CARBONSTREAM_AOT_DIR"/carbonstream-*
echo "java-entrypoint: recording an AOT configuration for $aot.aot; it is written when the service stops" >&2
# shellcheck disable=SC2086
java "$@" -XX:AOTMode=record -XX:AOTConfiguration="$aot.recording.aotconf" ${JAVA_OPTS_APPEND:-} -jar "$APP/quarkus-run.jar" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null' TERM
trap 'kill -INT "$pid" 2>/dev/null' INT
status=0
while :; do
  wait "$pid"; status=$?
  kill -0 "$pid" 2>/dev/null || break # wait came back for a signal this shell passed on: wait again
done
if [ -s "$aot.recording.aotconf" ]; then
  mv -f "$aot.recording.aotconf" "$aot.aotconf" \
    && echo "java-entrypoint: AOT configuration written to $aot.aotconf; the next start assembles the cache from it" >&2
fi
rm -f "$aot.recording.aotconf"
exit "$status"
