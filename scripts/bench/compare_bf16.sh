#!/usr/bin/env bash
# bf16-mixed precision and gradient checkpointing, measured side by side in one run:
#  1. the engine benchmark's big MLP (64→512→512→10, batch 256, Adam, 3 epochs, peer_data.py data):
#     Fledge fp32 and bf16-mixed, PyTorch eager and bf16 autocast (../shared/peers/bench_mlp_torch.py),
#     alternating, REPEATS times: samples/s (steady epochs), val accuracy, peak RSS (VmHWM) and, for
#     Fledge, the bytes a step keeps for backward counted by the engine;
#  2. the same MLP at batch 4096 (where activations, not weights, dominate), Fledge fp32 vs bf16-mixed;
#  3. a deep MLP (16 × 1024, batch 2048): fp32 / checkpointed / bf16-mixed / both.
# Needs a release build: swift build -c release --product fledge-bench
# Usage: scripts/bench/compare_bf16.sh [REPEATS=3] [THREADS=1]   (env TORCH_PYTHON overrides the venv)
# Writes Benchmarks/results/bf16_vs_torch.json and prints a table.
# Memory runs (2, 3) set MALLOC_MMAP_THRESHOLD_ so glibc returns freed tensors (>128 KiB) to the OS and
# VmHWM follows the live tensors; by default glibc raises the threshold and keeps freed blocks, so
# VmHWM would measure the allocator's cache. The speed runs (1) keep the default allocator.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PEERS="$(cd "$ROOT/../shared/peers" && pwd)"
PYTHON="${TORCH_PYTHON:-/tmp/peers-venv/bin/python}"
REPEATS="${1:-3}"
THREADS="${2:-1}"
BENCH="$ROOT/.build/release/fledge-bench"
[ -x "$BENCH" ] || { echo "build first: swift build -c release --product fledge-bench" >&2; exit 1; }
WORK="$(mktemp -d /tmp/fledge-bf16-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
"$PYTHON" "$PEERS/peer_data.py" --export --outdir "$WORK/data" >/dev/null

# PyTorch's script, with the process's peak RSS added to its result line.
torch_run() {
  "$PYTHON" - "$PEERS" "$1" "$THREADS" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import bench_mlp_torch
result = bench_mlp_torch.run_one("big", sys.argv[2], int(sys.argv[3]), 3, 0, "default")
with open("/proc/self/status") as status:
    result["vm_hwm_kb"] = int(next(l for l in status if l.startswith("VmHWM")).split()[1])
print(json.dumps(result))
PY
}

final_line() { grep '"val_accuracy"' | tail -1; }
: > "$WORK/runs.jsonl"
for repeat in $(seq 1 "$REPEATS"); do
  for precision in 32-true bf16-mixed; do
    echo "{\"run\":\"fledge\",\"precision\":\"$precision\",\"result\":$("$BENCH" mlp --variant big --threads "$THREADS" --data "$WORK/data" --precision "$precision" | final_line)}" >> "$WORK/runs.jsonl"
  done
  for mode in eager bf16; do
    echo "{\"run\":\"torch\",\"precision\":\"$mode\",\"result\":$(torch_run "$mode")}" >> "$WORK/runs.jsonl"
  done
  echo "repeat $repeat done" >&2
done
for precision in 32-true bf16-mixed; do
  echo "{\"run\":\"fledge_batch4096\",\"precision\":\"$precision\",\"result\":$(MALLOC_MMAP_THRESHOLD_=131072 "$BENCH" mlp --variant big --threads "$THREADS" --data "$WORK/data" --precision "$precision" --batch-size 4096 --epochs 2 | final_line)}" >> "$WORK/runs.jsonl"
done
for precision in 32-true bf16-mixed; do
  for checkpointing in "" --gradient-checkpointing; do
    echo "{\"run\":\"deep\",\"precision\":\"$precision\",\"result\":$(MALLOC_MMAP_THRESHOLD_=131072 "$BENCH" deep-mlp --depth 16 --width 1024 --batch-size 2048 --steps 3 --threads "$THREADS" --precision "$precision" $checkpointing)}" >> "$WORK/runs.jsonl"
  done
done

python3 - "$WORK/runs.jsonl" "$ROOT/Benchmarks/results/bf16_vs_torch.json" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
def pick(run, precision):
    return [r["result"] for r in runs if r["run"] == run and r["precision"] == precision]
def median(rows, key):
    return statistics.median(r[key] for r in rows)
f32, fbf, teager, tbf = pick("fledge", "32-true"), pick("fledge", "bf16-mixed"), pick("torch", "eager"), pick("torch", "bf16")
mib = lambda b: round(b / 2**20, 2)
summary = {
    "big_mlp": {
        "fledge_fp32_samples_per_s": median(f32, "samples_per_s"), "fledge_bf16_samples_per_s": median(fbf, "samples_per_s"),
        "torch_eager_samples_per_s": median(teager, "sps_steady"), "torch_bf16_samples_per_s": median(tbf, "sps_steady"),
        "fledge_bf16_over_fp32": round(median(fbf, "samples_per_s") / median(f32, "samples_per_s"), 3),
        "torch_bf16_over_eager": round(median(tbf, "sps_steady") / median(teager, "sps_steady"), 3),
        "fledge_bf16_over_torch_bf16": round(median(fbf, "samples_per_s") / median(tbf, "sps_steady"), 3),
        "val_accuracy": {"fledge_fp32": f32[-1]["val_accuracy"], "fledge_bf16": fbf[-1]["val_accuracy"],
                         "torch_eager": teager[-1]["val_acc"], "torch_bf16": tbf[-1]["val_acc"]},
        "vm_hwm_mib": {"fledge_fp32": mib(1024 * median(f32, "vm_hwm_kb")), "fledge_bf16": mib(1024 * median(fbf, "vm_hwm_kb")),
                       "torch_eager": mib(1024 * median(teager, "vm_hwm_kb")), "torch_bf16": mib(1024 * median(tbf, "vm_hwm_kb"))},
        "stored_for_backward_mib": {"fledge_fp32": mib(f32[-1]["stored_for_backward_bytes"]), "fledge_bf16": mib(fbf[-1]["stored_for_backward_bytes"])},
        "activation_mib": {"fledge_fp32": mib(f32[-1]["activation_bytes"]), "fledge_bf16": mib(fbf[-1]["activation_bytes"])},
        "foreign_cores": {"fledge": [r["foreign_cores"] for r in f32 + fbf], "torch": [r["foreign_cores"] for r in teager + tbf]},
    },
    "big_mlp_batch4096": {r["precision"]: {k: r["result"][k] for k in ("samples_per_s", "val_accuracy", "stored_for_backward_bytes",
                                                                     "activation_bytes", "weight_copy_bytes", "peak_tensor_bytes", "vm_hwm_kb")}
                          for r in runs if r["run"] == "fledge_batch4096"},
    "deep_mlp_16x1024_batch2048": [{k: r["result"][k] for k in ("precision", "gradient_checkpointing", "checkpoint_segments",
                                                                 "seconds_per_step_median", "stored_for_backward_bytes", "tape_bytes",
                                                                 "peak_tensor_bytes", "vm_hwm_kb", "parameter_bytes")}
                                   for r in runs if r["run"] == "deep"],
    "runs": runs,
}
with open(sys.argv[2], "w") as out:
    json.dump(summary, out, indent=1)
big = summary["big_mlp"]
print(f"big MLP samples/s: fledge fp32 {big['fledge_fp32_samples_per_s']:.0f}, bf16 {big['fledge_bf16_samples_per_s']:.0f} "
      f"(x{big['fledge_bf16_over_fp32']}); torch eager {big['torch_eager_samples_per_s']:.0f}, bf16 autocast "
      f"{big['torch_bf16_samples_per_s']:.0f} (x{big['torch_bf16_over_eager']}); fledge bf16 / torch bf16 x{big['fledge_bf16_over_torch_bf16']}")
print("val accuracy:", big["val_accuracy"])
print("peak RSS MiB:", big["vm_hwm_mib"], " stored for backward MiB:", big["stored_for_backward_mib"])
for precision, row in summary["big_mlp_batch4096"].items():
    print(f"batch 4096 {precision}: stored for backward {mib(row['stored_for_backward_bytes'])} MiB, "
          f"peak tensors {mib(row['peak_tensor_bytes'])} MiB, VmHWM {mib(1024 * row['vm_hwm_kb'])} MiB, val acc {row['val_accuracy']}")
for row in summary["deep_mlp_16x1024_batch2048"]:
    print(f"deep {row['precision']:10} checkpointing={str(row['gradient_checkpointing']):5}: {row['seconds_per_step_median']} s/step, "
          f"stored {mib(row['stored_for_backward_bytes'])} MiB, peak tensors {mib(row['peak_tensor_bytes'])} MiB, "
          f"VmHWM {mib(1024 * row['vm_hwm_kb'])} MiB")
PY
