#!/usr/bin/env bash
# Shop churn, Fledge against LightGBM on the same entities: per seed, train Fledge with
# Examples/configs/events-shop-churn.yaml (as scripts/bench/events_results.sh does), score every
# validation and test customer with `fledge predict`, run scripts/peers/events_baselines.py with
# --predictions-dir for LightGBM's scores of the same customers, and compare the two with
# scripts/bench/paired_auroc.py (AUROCs, paired bootstrap 95% CI of the difference, DeLong's p).
# Fledge seed s is paired with LightGBM seed s; the mean over the seeds of the difference is tested too.
# docs/events-results.md has the results; scripts/bench/events_results.py puts them into
# Benchmarks/results/events_vs_baselines.json (`paired_comparison`).
#
# Usage: scripts/bench/churn_paired.sh [SEEDS="0 1 2"]
#   env FLEDGE (default .build/release/fledge), PYTHON (default /tmp/peers-venv/bin/python),
#   WORK (default runs/churn-paired), RESAMPLES (default 2000).
# Writes WORK/fledge/s<seed> (runs), WORK/fledge/{validation,test}-s<seed>.tsv (fledge predict),
# WORK/lightgbm/shop-churn-{validation,test}-s<seed>.csv, WORK/lightgbm/shop-s<seed>.json and
# WORK/paired-{validation,test}.json (every seed's pair and the mean over them).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
SEEDS="${1:-0 1 2}"
FLEDGE="${FLEDGE:-$ROOT/.build/release/fledge}"
PYTHON="${PYTHON:-/tmp/peers-venv/bin/python}"
WORK="${WORK:-runs/churn-paired}"
[ -x "$FLEDGE" ] || flock /tmp/fledge-build.lock swift build -c release --product fledge
[ -f data/shop/events.csv ] || "$FLEDGE" generate-events --customers 5000 --days 365 --seed 7 --out data/shop
mkdir -p "$WORK/fledge" "$WORK/lightgbm"

for seed in $SEEDS; do
  echo "== fledge train events-shop-churn (seed $seed)" >&2
  rm -rf "$WORK/fledge/s$seed"
  "$FLEDGE" train Examples/configs/events-shop-churn.yaml --quiet --set experiment.seed="$seed" \
    --set experiment.experiment_dir="$WORK/fledge" --set experiment.run_id="s$seed" > "$WORK/fledge/s$seed.log"
  "$FLEDGE" predict "$WORK/fledge/s$seed" --prediction-date 2023-11-01 --out "$WORK/fledge/validation-s$seed.tsv" >&2
  "$FLEDGE" predict "$WORK/fledge/s$seed" --prediction-date 2023-12-01 --out "$WORK/fledge/test-s$seed.tsv" >&2
  echo "== LightGBM baselines shop (seed $seed)" >&2
  "$PYTHON" scripts/peers/events_baselines.py --dataset shop --data data/shop --data-start 2023-01-01 \
    --validation-start 2023-11-01 --test-start 2023-12-01 --horizon-days 30 --k 10 --seed "$seed" \
    --out "$WORK/lightgbm/shop-s$seed.json" --predictions-dir "$WORK/lightgbm" > /dev/null
done
for split in validation test; do
  echo "== $split, seeds $SEEDS" >&2
  files=()
  for seed in $SEEDS; do
    files+=("$WORK/lightgbm/shop-churn-$split-s$seed.csv" "$WORK/fledge/$split-s$seed.tsv")
  done
  "$PYTHON" scripts/bench/paired_auroc.py "${files[@]}" --name-a lightgbm --name-b fledge \
    --resamples "${RESAMPLES:-2000}" --seed 0 --out "$WORK/paired-$split.json"
done
