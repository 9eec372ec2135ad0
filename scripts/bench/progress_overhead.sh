#!/usr/bin/env bash
# Measures what progress output and logging cost on the engine benchmark's big MLP
# (64 -> 512 -> 512 -> 10, batch 256, Adam): CPU seconds (user+sys, one thread, so a shared
# machine's load distorts it less than wall time) of `fledge train` in four modes:
#   A  --quiet, log_every_n_steps huge (the minimum: one metrics.jsonl line per epoch)
#   B  plain timestamped lines every 10 steps + report_to: [tensorboard]  (what CI sees)
#   C  --verbose + log_every_n_steps=1 + tensorboard                       (the worst case)
#   D  the live progress bar in a real terminal (tmux) + tensorboard        (what a person sees)
# Usage: scripts/bench/progress_overhead.sh [path/to/fledge] [repetitions]
set -euo pipefail
fledge=$(realpath "${1:-.build/release/fledge}")
reps=${2:-4}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/big.csv" <<'PY'
import random, sys
random.seed(0)
with open(sys.argv[1], "w") as f:
    f.write(",".join(f"x{i}" for i in range(64)) + ",label\n")
    for _ in range(20000):
        xs = [random.gauss(0, 1) for _ in range(64)]
        f.write(",".join(f"{x:.4f}" for x in xs) + f",{int(abs(xs[0] * 3 + xs[1] * 2)) % 10}\n")
PY
cat > "$work/big.yaml" <<YAML
experiment: {name: overhead, seed: 1, experiment_dir: $work/runs}
data: {train_path: $work/big.csv, label_column: label, validation_split: 0.1, test_size: 0.0, standardize: true}
model: {task: multiclass, type: mlp, layers: [512, 512], activation: relu}
training:
  epochs: 10
  batch_size: 256
  optimizer: adam
  learning_rate: 1.0e-3
  checkpoint: {save_strategy: "no", save_last: false}
YAML
run() {  # label, then fledge train arguments
    local label=$1; shift
    FLEDGE_NUM_THREADS=1 /usr/bin/time -f "$label %U %S" -a -o "$work/cpu.txt" \
        "$fledge" train "$work/big.yaml" "$@" > "$work/out-$label.txt"
}
for i in $(seq "$reps"); do
    run A --quiet --set training.log_every_n_steps=100000 --set experiment.run_id=A$i
    run B --set 'training.report_to=[tensorboard]' --set experiment.run_id=B$i
    run C --verbose --set 'training.report_to=[tensorboard]' --set training.log_every_n_steps=1 --set experiment.run_id=C$i
    if command -v tmux >/dev/null; then
        session=fledge-overhead-$$-$i
        tmux -L "$session" new-session -d -s "$session" -x 200 -y 50 \
            "$(declare -f run); work=$work fledge=$fledge; run D --set 'training.report_to=[tensorboard]' --set experiment.run_id=D$i; tmux -L $session kill-server"
        while tmux -L "$session" has-session -t "$session" 2>/dev/null; do sleep 0.2; done
    fi
done
awk '{c[$1] += $2 + $3; n[$1]++} END {
    for (k in c) m[k] = c[k] / n[k]
    for (k in m) printf "%s  %.3f s CPU  %+.1f%% vs A  (n=%d)\n", k, m[k], 100 * (m[k] / m["A"] - 1), n[k]
}' "$work/cpu.txt" | sort
