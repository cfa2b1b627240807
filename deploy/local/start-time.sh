#!/usr/bin/env bash
# How long carbon-service takes to be ready after `deploy/local/carbonstream start carbon`, and its RSS then, on
# JDK 17 with and without an AppCDS archive and on JDK 25 with and without an AOT cache (docs/performance.md).
# Brings up a fresh stack in CARBONSTREAM_HOME (default /tmp/start-home), makes each archive in one training run,
# measures each JVM three times, alternating, appends the figures to OUT (default /tmp/carbonstream-start-time.txt)
# and brings the stack down. Settings: JAVA17 (java), JAVA25 (/usr/lib/jvm/temurin-25-jdk-amd64/bin/java),
# ARCHIVES (/tmp/carbonstream-archives). Takes about 7 minutes.
set -uo pipefail
cd "$(dirname "$0")/../.."
export CARBONSTREAM_HOME="${CARBONSTREAM_HOME:-/tmp/start-home}"
L=deploy/local/carbonstream
J17="${JAVA17:-java}"
J25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
OUT="${OUT:-/tmp/carbonstream-start-time.txt}"
A="${ARCHIVES:-/tmp/carbonstream-archives}"
RUN="$CARBONSTREAM_HOME/run"
command -v "$J25" > /dev/null 2>&1 || { echo "no JDK 25 at $J25 (set JAVA25)" >&2; exit 2; }

$L down > /dev/null 2>&1
$L up --fresh --no-build > /dev/null || exit 1
mkdir -p "$A"; rm -f "$A"/carbon17.jsa "$A"/carbon25.aot

# SIGTERM, then wait without a limit: the JVM writes its archive as it exits
term_wait() {
  local pid; pid="$(cat "$RUN/carbon.pid")"
  kill -TERM "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.5; done; rm -f "$RUN/carbon.pid"
}

# one training run: start with the option, some REST work as a running service does, stop
train() {
  $L stop carbon > /dev/null
  CARBONSTREAM_JAVA="$1" CARBONSTREAM_JAVA_OPTS="$2" $L start carbon > /dev/null || exit 1
  for _ in $(seq 1 20); do
    curl -s -o /dev/null http://127.0.0.1:8083/q/health/ready; curl -s -o /dev/null http://127.0.0.1:8083/hardware
  done
  sleep 10
  local t0; t0=$(date +%s.%N); term_wait
  echo "training run $1 $2: exit and archive took $(echo "$(date +%s.%N) - $t0" | bc) s" >> "$OUT"
}

measure() {
  $L stop carbon > /dev/null
  sync; local t0 t1 pid rss started
  t0=$(date +%s.%N)
  CARBONSTREAM_JAVA="$2" CARBONSTREAM_JAVA_OPTS="$3" $L start carbon > /dev/null || exit 1
  t1=$(date +%s.%N)
  pid="$(cat "$RUN/carbon.pid")"
  sleep 5
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
  started=$(grep -o 'started in [0-9.]*s' "$CARBONSTREAM_HOME/logs/carbon.log" | tail -1)
  echo "$1: ready after $(echo "$t1 - $t0" | bc) s ($started), RSS 5 s later $rss MiB" >> "$OUT"
}

echo "== $(date -u +%FT%TZ) $(git rev-parse --short HEAD)" >> "$OUT"
train "$J17" "-XX:ArchiveClassesAtExit=$A/carbon17.jsa"
train "$J25" "-XX:AOTCacheOutput=$A/carbon25.aot"
ls -la "$A" >> "$OUT"
for _ in 1 2 3; do
  measure "jdk17" "$J17" ""
  measure "jdk17+appcds" "$J17" "-XX:SharedArchiveFile=$A/carbon17.jsa"
  measure "jdk25" "$J25" ""
  measure "jdk25+aot" "$J25" "-XX:AOTCache=$A/carbon25.aot"
done
$L down > /dev/null 2>&1
cat "$OUT"
