#!/usr/bin/env bash
# Issue 7's comparison on one dataset and its temporal split: for churn, propensity, spend and next
# items, (a) the pretrained foundation model fine-tuned, (b) the same network from scratch
# (`fledge finetune --from-scratch`), (c) LightGBM on RFM features / most-popular items
# (scripts/peers/events_baselines.py, as scripts/bench/events_results.sh runs it); plus the
# label-fraction curve (data_params.training_entity_fraction) of (a) vs (b) on churn.
#   DATASET=shop (default): the generator's shop (5,000 customers, 2023, seed 7; validation 2023-11-01,
#     test 2023-12-01, 30-day horizon), Examples/configs/foundation-pretrain.yaml and
#     foundation-finetune-<task>.yaml;
#   DATASET=clickstream: Examples/Data/shop_clickstream_synthetic.csv (600 users, 2024; validation
#     2024-05-01, test 2024-06-01, 28-day horizon), foundation-pretrain-clickstream.yaml and
#     foundation-finetune-clickstream-<task>.yaml.
# Writes Benchmarks/results/foundation_vs_baselines.json (scripts/bench/foundation_results.py, every
# dataset found under WORK).
#
# Usage: scripts/bench/foundation_results.sh [SEEDS="0"]
#   env FLEDGE (default .build/release/fledge), PYTHON (default /tmp/peers-venv/bin/python),
#   WORK (default runs/foundation-results), DATASET (shop), PRETRAIN_EPOCHS (2), FINETUNE_EPOCHS (3),
#   FRACTIONS ("1.0 0.1 0.3"), CURVE_TASKS ("churn"), TASKS ("churn propensity spend next_items"),
#   PRETRAIN_SET (extra space-separated key=value overrides of the pretraining config,
#   e.g. "foundation.hidden_layers=[256,256] representation.sketch_partitions=8"; fine-tuning inherits them),
#   FINETUNE_SET (the same for every fine-tuning run, finetuned and scratch alike, applied to the
#   fine-tuning configs, e.g. "fine_tuning.warm_start_steps=5"),
#   FRACTION_EPOCHS (fine-tuning epochs per label fraction, e.g. "0.1=6 0.3=4"; other fractions use
#   FINETUNE_EPOCHS: fewer labels make fewer steps per epoch),
#   VARIANTS ("finetuned scratch"), BASELINES (1; 0 skips them): parallel invocations with different
#   TASKS / FRACTIONS / VARIANTS may share one WORK once its pretraining exists.
#
# WORK uses events_results.sh's layout, so its summary reads these runs too:
#   WORK/<model>/<dataset>-<task>/s<seed>/summary.json   model = foundation_finetuned | foundation_scratch
#   (label fraction f < 1: foundation_finetuned_f<f> | foundation_scratch_f<f>)
#   WORK/pretrain/<dataset>-s<seed>/                      the pretraining run
#   WORK/baselines/<dataset>-s<seed>.json
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
SEEDS="${1:-0}"
FLEDGE="${FLEDGE:-$ROOT/.build/release/fledge}"
PYTHON="${PYTHON:-/tmp/peers-venv/bin/python}"
WORK="${WORK:-runs/foundation-results}"
OUT="${OUT:-Benchmarks/results/foundation_vs_baselines.json}"
DATASET="${DATASET:-shop}"
PRETRAIN_EPOCHS="${PRETRAIN_EPOCHS:-2}"
FINETUNE_EPOCHS="${FINETUNE_EPOCHS:-3}"
FRACTIONS="${FRACTIONS:-1.0 0.1 0.3}"
CURVE_TASKS="${CURVE_TASKS:-churn}"
TASKS="${TASKS:-churn propensity spend next_items}"
PRETRAIN_SET="${PRETRAIN_SET:-}"
FINETUNE_SET="${FINETUNE_SET:-}"
FRACTION_EPOCHS="${FRACTION_EPOCHS:-}"
VARIANTS="${VARIANTS:-finetuned scratch}"
case "$DATASET" in
  shop)
    pretrain_config=Examples/configs/foundation-pretrain.yaml; finetune_prefix=Examples/configs/foundation-finetune
    baseline_args=(--data data/shop --data-start 2023-01-01 --validation-start 2023-11-01 --test-start 2023-12-01
                   --horizon-days 30 --k 10) ;;
  clickstream)
    pretrain_config=Examples/configs/foundation-pretrain-clickstream.yaml
    finetune_prefix=Examples/configs/foundation-finetune-clickstream
    baseline_args=(--data Examples/Data/shop_clickstream_synthetic.csv --data-start 2024-01-01
                   --validation-start 2024-05-01 --test-start 2024-06-01 --horizon-days 28 --k 5) ;;
  *) echo "DATASET is '$DATASET'; it must be shop or clickstream" >&2; exit 2 ;;
esac
pretrain_set=(); for kv in $PRETRAIN_SET; do pretrain_set+=(--set "$kv"); done
finetune_set=(); for kv in $FINETUNE_SET; do finetune_set+=(--set "$kv"); done
epochs_for() {  # epochs_for <fraction>: FRACTION_EPOCHS' entry for it, else FINETUNE_EPOCHS
  local entry
  for entry in $FRACTION_EPOCHS; do [ "${entry%%=*}" = "$1" ] && { echo "${entry#*=}"; return; }; done
  echo "$FINETUNE_EPOCHS"
}
[ -x "$FLEDGE" ] || swift build -c release --product fledge
mkdir -p "$WORK/baselines" "$WORK/pretrain"
[ "$DATASET" != shop ] || [ -f data/shop/events.csv ] || "$FLEDGE" generate-events --customers 5000 --days 365 --seed 7 --out data/shop

run() {  # run <log> <command...>: the command's output in <log>, its wall time in <log>.time
  local log="$1"; shift
  /usr/bin/time -f "%e s wall" "$@" > "$log" 2> "$log.time" || { tail -n 5 "$log" "$log.time" >&2; return 1; }
}

for seed in $SEEDS; do
  pretrained="$WORK/pretrain/$DATASET-s$seed"
  if [ ! -f "$pretrained/foundation/foundation.json" ]; then
    echo "== fledge pretrain $pretrain_config (seed $seed, $PRETRAIN_EPOCHS epochs)" >&2
    rm -rf "$pretrained"
    run "$pretrained.log" "$FLEDGE" pretrain "$pretrain_config" --quiet \
      --set experiment.seed="$seed" --set experiment.experiment_dir="$WORK/pretrain" --set experiment.run_id="$DATASET-s$seed" \
      --set training.epochs="$PRETRAIN_EPOCHS" "${pretrain_set[@]}"
  fi
  for task in $TASKS; do
    config="$finetune_prefix-${task//_/-}.yaml"
    fractions="1.0"
    [[ " $CURVE_TASKS " == *" $task "* ]] && fractions="$FRACTIONS"
    for fraction in $fractions; do
      suffix=""; [ "$fraction" = "1.0" ] || suffix="_f$fraction"
      for variant in $VARIANTS; do
        dir="$WORK/foundation_$variant$suffix/$DATASET-$task"
        rm -rf "$dir/s$seed"; mkdir -p "$dir"
        flag=(); [ "$variant" = scratch ] && flag=(--from-scratch)
        echo "== fledge finetune $config $variant fraction $fraction (seed $seed)" >&2
        run "$dir/s$seed.log" "$FLEDGE" finetune "$config" --foundation "$pretrained" "${flag[@]}" --quiet \
          --set experiment.seed="$seed" --set experiment.experiment_dir="$dir" --set experiment.run_id="s$seed" \
          --set training.epochs="$(epochs_for "$fraction")" --set data_params.training_entity_fraction="$fraction" \
          "${finetune_set[@]}"
      done
    done
  done
  if [ "${BASELINES:-1}" = 1 ] && [ ! -f "$WORK/baselines/$DATASET-s$seed.json" ]; then
    echo "== baselines $DATASET (seed $seed)" >&2
    "$PYTHON" scripts/peers/events_baselines.py --dataset "$DATASET" "${baseline_args[@]}" --seed "$seed" \
      --out "$WORK/baselines/$DATASET-s$seed.json" > /dev/null
  fi
done
"$PYTHON" scripts/bench/foundation_results.py --work "$WORK" --out "$OUT" \
  --settings "dataset=$DATASET pretrain_set=$PRETRAIN_SET pretrain_epochs=$PRETRAIN_EPOCHS finetune_set=$FINETUNE_SET finetune_epochs=$FINETUNE_EPOCHS fraction_epochs=$FRACTION_EPOCHS fractions=$FRACTIONS seeds=$SEEDS fledge=$FLEDGE"
