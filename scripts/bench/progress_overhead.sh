#!/usr/bin/env bash
# What logging, plots, progress output and the run report cost on the engine benchmark's big MLP
# (64 -> 512 -> 512 -> 10, batch 256, Adam 1e-3, 80k training rows, 3 epochs, one thread).
#
# 1. `fledge-bench logging-overhead` trains the same seeded model in one process once per mode per
#    repetition (rotating order) and reports the CPU seconds of fit() for: bare (no callbacks),
#    lines-no-report, lines (= `fledge train` writing to a file or CI), bar (progress bar drawn
#    into a file), verbose (a line per step, log_every_n_steps 1, TensorBoard); medians, the
#    overhead against bare and the foreign CPU load (other processes' cores; > ~0.25 means measure again).
# 2. The CLI on the same data: `fledge train --quiet` against the live progress bar in a real
#    terminal (tmux), CPU seconds of the whole process (user+sys) — what drawing in a terminal adds.
# Usage: scripts/bench/progress_overhead.sh [repetitions] [build directory]
# Build first (once): swift build -c release --product fledge-bench && swift build -c release --product fledge
set -euo pipefail
reps=${1:-5}
bin=$(realpath "${2:-.build/release}")
for tool in fledge fledge-bench; do
    [ -x "$bin/$tool" ] || { echo "error: $bin/$tool missing; run: swift build -c release --product $tool" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "# fledge-bench logging-overhead (in-process, CPU seconds of fit())"
"$bin/fledge-bench" logging-overhead --repeats "$reps" --epochs 3 --threads 1 --work "$work/bench" | tee "$work/bench.jsonl"

cat > "$work/big.yaml" <<YAML
experiment: {name: overhead, seed: 1, experiment_dir: $work/runs}
data: {train_path: $work/bench/train.csv, validation_path: $work/bench/validation.csv, label_column: label, test_size: 0.0, standardize: false}
model: {task: multiclass, type: mlp, layers: [512, 512], activation: relu}
training:
  epochs: 3
  batch_size: 256
  optimizer: adam
  learning_rate: 1.0e-3
  drop_last: true
  checkpoint: {save_strategy: "no", save_last: false}
YAML
run() {  # label, then fledge train arguments; appends "label user sys" to cpu.txt
    local label=$1; shift
    FLEDGE_NUM_THREADS=1 /usr/bin/time -f "$label %U %S" -a -o "$work/cpu.txt" "$fledge" train "$work/big.yaml" "$@" > "$work/out-$label.txt"
}
fledge=$bin/fledge
if ! command -v tmux > /dev/null; then
    echo "# tmux missing: the terminal measurement is skipped"
    exit 0
fi
echo "# fledge train: --quiet (Q) vs the progress bar in a tmux terminal (T), CPU seconds of the process"
for i in $(seq "$reps"); do
    run Q --quiet --set experiment.run_id="Q$i"
    session=fledge-overhead-$$-$i
    tmux -L "$session" new-session -d -s "$session" -x 200 -y 50 \
        "$(declare -f run); work=$work fledge=$fledge; run T --set experiment.run_id=T$i; tmux -L $session kill-server"
    while tmux -L "$session" has-session -t "$session" 2> /dev/null; do sleep 0.2; done
done
python3 - "$work/cpu.txt" <<'PY'
import json, statistics, sys
cpu = {}
for line in open(sys.argv[1]):
    label, user, system = line.split()
    cpu.setdefault(label, []).append(float(user) + float(system))
quiet = statistics.median(cpu["Q"])
for label in sorted(cpu):
    median = statistics.median(cpu[label])
    print(json.dumps({"cli": label, "median_cpu_s": round(median, 3), "vs_quiet_pct": round(100 * (median / quiet - 1), 2), "n": len(cpu[label])}))
PY
