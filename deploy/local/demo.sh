#!/usr/bin/env bash
# Runs the built-in trainer against a running local stack and prints the job's footprint as it grows.
#   CARBONSTREAM_TOKEN=<a trainer,viewer token> demo.sh TRAINER_URL CARBON_URL [STEPS]
set -euo pipefail
TRAINER="$1"; CARBON="$2"; STEPS="${3:-300}"
: "${CARBONSTREAM_TOKEN:?set CARBONSTREAM_TOKEN (deploy/local/carbonstream token --tenant demo --role trainer,viewer)}"
AUTH="Authorization: Bearer $CARBONSTREAM_TOKEN"

if ! command -v jq >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing jq (used to print the footprint)..."
    apt-get update -qq && apt-get install -y -qq jq >/dev/null
  else
    echo "the demo prints with jq: install it (apt-get install jq, brew install jq) and run again" >&2
    exit 1
  fi
fi

run=$(curl -fsS -X POST -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"name\":\"char-mlp demo\",\"steps\":$STEPS,\"batchSize\":128,\"datacenter\":\"on-prem-de\"}" \
  "$TRAINER/trainer/runs")
job=$(jq -r .jobId <<<"$run")
echo "training job $job: $(jq -r .parameters <<<"$run") parameters, $STEPS steps, data centre on-prem-de"
echo "footprint: $CARBON/footprints/$job"
echo "dashboard: $CARBON/job.html?id=$job#token=${CARBONSTREAM_TOKEN:-}"
printf '%-8s %-9s %-8s %-12s %-14s %-12s %s\n' time batches loss "IT energy J" "facility J" "CO2e mg" "intensity applied"
start=$(date +%s)
while :; do
  status=$(curl -fsS -H "$AUTH" "$TRAINER/trainer/runs/$job")
  state=$(jq -r .state <<<"$status")
  fp=$(curl -sS -H "$AUTH" "$CARBON/footprints/$job" || true)
  if jq -e .batches >/dev/null 2>&1 <<<"$fp"; then
    printf '%-8s %-9s %-8s %-12s %-14s %-12s %s\n' "+$(( $(date +%s) - start ))s" \
      "$(jq -r .batches <<<"$fp")/$STEPS" "$(jq -r '.loss // 0 | . * 1000 | round / 1000' <<<"$status")" \
      "$(jq -r '[.itEnergyJoules[]] | add | . * 1000 | round / 1000' <<<"$fp")" \
      "$(jq -r '.facilityEnergyJoules | . * 1000 | round / 1000' <<<"$fp")" \
      "$(jq -r '.operationalGCo2e | . * 1000000 | round / 1000' <<<"$fp")" \
      "$(jq -r '"\(.lastIntensity.gCo2ePerKWh) g/kWh \(.lastIntensity.zone) (\(.lastIntensity.source)), PUE \(.lastIntensity.pue)"' <<<"$fp")"
    if [ "$state" != RUNNING ] && [ "$(jq -r .batches <<<"$fp")" -ge "$(jq -r .step <<<"$status")" ]; then break; fi
  fi
  [ "$state" = FAILED ] && { echo "training failed: $(jq -r .error <<<"$status")"; exit 1; }
  sleep 1
done
echo
echo "final footprint of $job (first loss $(jq -r .firstLoss <<<"$status"), last loss $(jq -r .loss <<<"$status")):"
jq '{batches, tokens, flops, itEnergyJoules, facilityEnergyKWh, operationalGCo2e, averageGCo2ePerKWh,
     gCo2ePerMillionTokens, joulesPerPetaFlop, lastIntensity}' <<<"$fp"
echo "The stack keeps running: deploy/local/carbonstream status | down"
