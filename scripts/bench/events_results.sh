#!/usr/bin/env bash
# Fledge's event models against the baselines of issue 6, on the same temporal splits:
# LightGBM on hand-made RFM features (churn, propensity, spend) and most-popular items (next items),
# on the seeded generator's shop and on the synthetic clickstream. Writes
# Benchmarks/results/events_vs_baselines.json and prints the table of docs/events-results.md.
#
# Usage: scripts/bench/events_results.sh [SEEDS="0 1 2"]
#   env FLEDGE (default .build/release/fledge; built with `swift build -c release --product fledge`
#   when missing), PYTHON (default /tmp/peers-venv/bin/python), WORK (default runs/events-results),
#   DATASETS (default "shop clickstream"), TASKS (default "churn propensity spend next_items"),
#   BASELINES (default 1; 0 skips scripts/peers/events_baselines.py). Runs already in WORK stay,
#   so a subset can be rerun (e.g. TASKS=next_items with another FLEDGE) and the summary has them all.
#
# Layout of WORK, which the summary reads (scripts/bench/events_results.py):
#   WORK/<model>/<dataset>-<task>/s<seed>/summary.json   one Fledge run (FledgeTrain's run summary)
#   WORK/baselines/<dataset>-s<seed>.json                scripts/peers/events_baselines.py's output
# Another model becomes another column by writing its runs under WORK/<its name>/ the same way
# (e.g. a foundation model fine-tuned per task, or the same network trained from scratch).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
SEEDS="${1:-0}"
DATASETS="${DATASETS:-shop clickstream}"
TASKS="${TASKS:-churn propensity spend next_items}"
FLEDGE="${FLEDGE:-$ROOT/.build/release/fledge}"
PYTHON="${PYTHON:-/tmp/peers-venv/bin/python}"
WORK="${WORK:-runs/events-results}"
OUT="${OUT:-Benchmarks/results/events_vs_baselines.json}"
[ -x "$FLEDGE" ] || flock /tmp/fledge-build.lock swift build -c release --product fledge
mkdir -p "$WORK/baselines"

# The generator's shop: 5,000 customers, 2023, seed 7 (docs/event-generator.md).
[ -f data/shop/events.csv ] || "$FLEDGE" generate-events --customers 5000 --days 365 --seed 7 --out data/shop

# dataset task config
RUNS="shop churn events-shop-churn
shop propensity events-shop-propensity
shop spend events-shop-spend
shop next_items events-shop-next-items
clickstream churn events-churn
clickstream propensity events-propensity
clickstream spend events-spend
clickstream next_items events-next-items"

for seed in $SEEDS; do
  while read -r dataset task config; do
    [[ " $DATASETS " == *" $dataset "* && " $TASKS " == *" $task "* ]] || continue
    dir="$WORK/fledge_mlp/$dataset-$task"
    rm -rf "$dir/s$seed"
    mkdir -p "$dir"
    echo "== fledge train $config (seed $seed)" >&2
    /usr/bin/time -f "%e s wall" "$FLEDGE" train "Examples/configs/$config.yaml" --quiet \
      --set experiment.seed="$seed" --set experiment.experiment_dir="$dir" --set experiment.run_id="s$seed" \
      > "$dir/s$seed.log" 2> "$dir/s$seed.time"
  done <<< "$RUNS"
  [ "${BASELINES:-1}" = 1 ] || continue
  if [[ " $DATASETS " == *" shop "* ]]; then
    echo "== baselines shop (seed $seed)" >&2
    "$PYTHON" scripts/peers/events_baselines.py --dataset shop --data data/shop --data-start 2023-01-01 \
      --validation-start 2023-11-01 --test-start 2023-12-01 --horizon-days 30 --k 10 --seed "$seed" \
      --out "$WORK/baselines/shop-s$seed.json" > /dev/null
  fi
  if [[ " $DATASETS " == *" clickstream "* ]]; then
    echo "== baselines clickstream (seed $seed)" >&2
    "$PYTHON" scripts/peers/events_baselines.py --dataset clickstream --data Examples/Data/shop_clickstream_synthetic.csv \
      --data-start 2024-01-01 --validation-start 2024-05-01 --test-start 2024-06-01 --horizon-days 28 --k 5 --seed "$seed" \
      --out "$WORK/baselines/clickstream-s$seed.json" > /dev/null
  fi
done
"$PYTHON" scripts/bench/events_results.py --work "$WORK" --out "$OUT"
