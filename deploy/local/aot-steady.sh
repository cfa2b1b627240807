#!/usr/bin/env bash
# What a steady stream costs in the first minutes after the stream services start, on JDK 17, on JDK 25, and on
# JDK 25 with an AOT cache recorded under load (docs/performance.md, "The JDK 25 AOT cache").
# Brings up a fresh stack in CARBONSTREAM_HOME (default /tmp/aot-home); records one cache per stream service in a
# training run (both services started with -XX:AOTCacheOutput, two `bench steady 250 30`, then SIGTERM: the JVM
# writes the cache as it exits); then ROUNDS times (default 2) restarts both services on each JVM in turn and runs
# `bench steady 250 30` twice after each restart. Appends the figures to OUT (default /tmp/carbonstream-aot-steady.txt)
# and brings the stack down. Settings: JAVA17 (java), JAVA25 (/usr/lib/jvm/temurin-25-jdk-amd64/bin/java),
# ARCHIVES (/tmp/carbonstream-aot). Takes about 17 minutes with two rounds.
set -uo pipefail
cd "$(dirname "$0")/../.."
export CARBONSTREAM_HOME="${CARBONSTREAM_HOME:-/tmp/aot-home}"
L=deploy/local/carbonstream
RUN="$CARBONSTREAM_HOME/run"
J17="${JAVA17:-java}"
J25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
A="${ARCHIVES:-/tmp/carbonstream-aot}"
OUT="${OUT:-/tmp/carbonstream-aot-steady.txt}"
ROUNDS="${ROUNDS:-2}"
command -v "$J25" > /dev/null 2>&1 || { echo "no JDK 25 at $J25 (set JAVA25)" >&2; exit 2; }
[[ "$ROUNDS" =~ ^[1-9]$ ]] || { echo "ROUNDS is 1 to 9, not $ROUNDS" >&2; exit 2; }

$L down > /dev/null 2>&1
$L up --fresh --no-build > /dev/null || exit 1
mkdir -p "$A"; rm -f "$A"/telemetry.aot "$A"/carbon.aot

# SIGTERM to both, then wait without a limit: each JVM writes its cache as it exits
term_wait() {
  local s p
  for s in carbon telemetry; do kill -TERM "$(cat "$RUN/$s.pid")"; done
  for s in carbon telemetry; do
    p="$(cat "$RUN/$s.pid")"; while kill -0 "$p" 2>/dev/null; do sleep 0.5; done; rm -f "$RUN/$s.pid"
  done
}

# restart JAVA TELEMETRY_OPTS CARBON_OPTS: both stream services stopped, then started (each start returns once ready)
restart() {
  $L stop carbon > /dev/null; $L stop telemetry > /dev/null; sync
  local t0 t1 t2
  t0=$(date +%s.%N)
  CARBONSTREAM_JAVA="$1" CARBONSTREAM_JAVA_OPTS="$2" $L start telemetry > /dev/null || exit 1
  t1=$(date +%s.%N)
  CARBONSTREAM_JAVA="$1" CARBONSTREAM_JAVA_OPTS="$3" $L start carbon > /dev/null || exit 1
  t2=$(date +%s.%N)
  echo "  ready after start: telemetry $(echo "$t1 - $t0" | bc) s, carbon $(echo "$t2 - $t1" | bc) s" >> "$OUT"
}

steady() { # LABEL: one bench steady 250 30, its two summary lines on one line
  $L bench steady 250 30 > "$A/last-run.log" 2>&1
  echo "  $1: $(grep -A1 '^steady' "$A/last-run.log" | tr '\n' ' ' | sed 's/  */ /g')" >> "$OUT"
}

echo "== $(date -u +%FT%TZ) $(git rev-parse --short HEAD)" >> "$OUT"
echo "training run (JDK 25, -XX:AOTCacheOutput)" >> "$OUT"
restart "$J25" "-XX:AOTCacheOutput=$A/telemetry.aot" "-XX:AOTCacheOutput=$A/carbon.aot"
steady "training 1"; steady "training 2"
t0=$(date +%s.%N); term_wait
echo "  exit and caches took $(echo "$(date +%s.%N) - $t0" | bc) s; $(ls -l "$A"/*.aot | awk '{ printf "%s %d MB; ", $NF, $5 / 1000000 }')" >> "$OUT"
for round in $(seq 1 "$ROUNDS"); do
  for jvm in jdk17 jdk25 jdk25+aot; do
    echo "$jvm, round $round" >> "$OUT"
    case "$jvm" in
      jdk17) restart "$J17" "" "" ;;
      jdk25) restart "$J25" "" "" ;;
      jdk25+aot) restart "$J25" "-XX:AOTCache=$A/telemetry.aot" "-XX:AOTCache=$A/carbon.aot" ;;
    esac
    steady "run 1"; steady "run 2"
    for s in carbon telemetry; do
      echo "  RSS $s $(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$(cat "$RUN/$s.pid")/status") MiB" >> "$OUT"
    done
  done
done
$L down > /dev/null 2>&1
cat "$OUT"
