#!/usr/bin/env bash
# The few-label end of issue 7's label-fraction curve with each variant's settings chosen on VALIDATION:
# 1. on the selection seeds (SELECT_SEEDS), every point of a small grid (learning rate; for the fine-tuned
#    model also fine_tuning.warm_start_steps, fine_tuning.backbone_learning_rate_multiplier and
#    fine_tuning.l2sp_strength) for every label fraction and variant, each run by foundation_results.sh
#    into GRID/<variant>-lr<lr>-w<warm>/ (with -b<multiplier> for a multiplier other than 1 and
#    -l<strength> for an L2-SP strength other than 0);
# 2. foundation_lr_select.py picks per (variant, fraction) the point with the best mean validation AUROC
#    over the selection seeds (test is never used to choose);
# 3. the other seeds (SEEDS) run only the chosen points; foundation_lr_select.py then copies the chosen
#    runs of every seed into WORK's layout and records the grid and the choice in WORK/selection.json,
#    which foundation_results.py adds to its JSON.
# Runs already in GRID are kept (rerunning resumes); needs WORK's pretraining (foundation_results.sh).
#
# Usage: scripts/bench/foundation_lr_grid.sh [SEEDS="0 1 2"]
#   env FLEDGE, PYTHON, WORK (runs/foundation-results), GRID (runs/foundation-lrgrid), DATASET (shop),
#   SELECT_SEEDS ("0"), FRACTIONS ("0.01 0.03 0.1"; 1.0 is all the labels, spelled so), LEARNING_RATES ("1e-4 3e-4 1e-3"),
#   WARM_STARTS ("10 50", fine-tuned only), BACKBONE_MULTIPLIERS ("1", fine-tuned only: the backbone's
#   learning rate as a multiple of the head's), L2SP_STRENGTHS ("0", fine-tuned only), FRACTION_EPOCHS ("0.01=40 0.03=30 0.1=20 0.3=20 1.0=10": 256-row batches,
#   so 1% of the shop is 2 steps an epoch; early stopping on val_loss, patience 3, ends most runs sooner),
#   VARIANTS ("finetuned scratch": the variants whose grid runs, e.g. each at its own LEARNING_RATES),
#   KEEP_CHECKPOINTS (0: each run's checkpoints/ is deleted once it has finished; 1 keeps them).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
SEEDS="${1:-0 1 2}"
PYTHON="${PYTHON:-/tmp/peers-venv/bin/python}"
WORK="${WORK:-runs/foundation-results}"
GRID="${GRID:-runs/foundation-lrgrid}"
DATASET="${DATASET:-shop}"
SELECT_SEEDS="${SELECT_SEEDS:-0}"
FRACTIONS="${FRACTIONS:-0.01 0.03 0.1}"
LEARNING_RATES="${LEARNING_RATES:-1e-4 3e-4 1e-3}"
WARM_STARTS="${WARM_STARTS:-10 50}"
BACKBONE_MULTIPLIERS="${BACKBONE_MULTIPLIERS:-1}"
L2SP_STRENGTHS="${L2SP_STRENGTHS:-0}"
FRACTION_EPOCHS="${FRACTION_EPOCHS:-0.01=40 0.03=30 0.1=20 0.3=20 1.0=10}"
VARIANTS="${VARIANTS:-finetuned scratch}"
select_args=(--grid "$GRID" --work "$WORK" --dataset "$DATASET" --select-seeds "$SELECT_SEEDS")

point_run() {  # point_run <variant> <lr> <warm> <multiplier> <l2sp> <fraction> <seed>: one grid point, unless it already ran
  local variant="$1" lr="$2" warm="$3" multiplier="$4" l2sp="$5" fraction="$6" seed="$7"
  local point="$GRID/$variant-lr$lr-w$warm"
  [ "$multiplier" = 1 ] || point="$point-b$multiplier"
  [ "$l2sp" = 0 ] || point="$point-l$l2sp"
  # foundation_results.sh's layout: all the labels (fraction 1.0) is foundation_<variant>, fewer foundation_<variant>_f<fraction>.
  local model="foundation_$variant"; [ "$fraction" = 1.0 ] || model="${model}_f$fraction"
  [ -f "$point/$model/$DATASET-churn/s$seed/summary.json" ] && return 0
  [ -f "$WORK/pretrain/$DATASET-s$seed/foundation/foundation.json" ] || {
    echo "no pretraining in $WORK/pretrain/$DATASET-s$seed: run scripts/bench/foundation_results.sh '$seed' first" >&2; exit 2; }
  mkdir -p "$point"; [ -e "$point/pretrain" ] || ln -s "$(realpath "$WORK/pretrain")" "$point/pretrain"
  local set_kv="training.learning_rate=$lr"
  [ "$variant" = finetuned ] && set_kv="$set_kv fine_tuning.warm_start_steps=$warm"
  [ "$multiplier" = 1 ] || set_kv="$set_kv fine_tuning.backbone_learning_rate_multiplier=$multiplier"
  [ "$l2sp" = 0 ] || set_kv="$set_kv fine_tuning.l2sp_strength=$l2sp"
  WORK="$point" OUT="$point/results.json" DATASET="$DATASET" TASKS=churn CURVE_TASKS=churn FRACTIONS="$fraction" \
    VARIANTS="$variant" BASELINES=0 FINETUNE_SET="$set_kv" FRACTION_EPOCHS="$FRACTION_EPOCHS" \
    scripts/bench/foundation_results.sh "$seed" > /dev/null
  # A grid run needs only its summary, metrics and model/: its checkpoints (every epoch's, ~25 MB each)
  # would fill the disk over hundreds of runs.
  [ "${KEEP_CHECKPOINTS:-0}" = 1 ] || rm -rf "$point/$model/$DATASET-churn/s$seed/checkpoints"
}

for seed in $SELECT_SEEDS; do
  for fraction in $FRACTIONS; do
    for variant in $VARIANTS; do
      warms="$WARM_STARTS" multipliers="$BACKBONE_MULTIPLIERS" strengths="$L2SP_STRENGTHS"
      [ "$variant" = scratch ] && warms=0 multipliers=1 strengths=0
      for lr in $LEARNING_RATES; do for warm in $warms; do for multiplier in $multipliers; do for l2sp in $strengths; do
        point_run "$variant" "$lr" "$warm" "$multiplier" "$l2sp" "$fraction" "$seed"
      done; done; done; done
    done
  done
done
"$PYTHON" scripts/bench/foundation_lr_select.py "${select_args[@]}" --chosen-only > "$GRID/chosen.txt"
for seed in $SEEDS; do
  [[ " $SELECT_SEEDS " == *" $seed "* ]] && continue
  while read -r variant fraction lr warm multiplier l2sp; do
    [[ " $FRACTIONS " == *" $fraction "* ]] && point_run "$variant" "$lr" "$warm" "$multiplier" "$l2sp" "$fraction" "$seed"
  done < "$GRID/chosen.txt"
done
"$PYTHON" scripts/bench/foundation_lr_select.py "${select_args[@]}"
