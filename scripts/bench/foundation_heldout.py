"""The tuned label curve of docs/foundation.md on held-out seeds: (a) fine-tuned minus (b) from scratch, shop churn
test AUROC per label fraction, at the settings scripts/bench/foundation_lr_select.py chose on the selection seeds 0-4
(GRID/chosen.txt), for the selection seeds, the held-out seeds 5-9 and all ten; paired t-test per set.
Run scripts/bench/foundation_lr_grid.sh "5 6 7 8 9" with SELECT_SEEDS="0 1 2 3 4" first (docs/foundation.md).

Usage: foundation_heldout.py [--grid runs/foundation-lrgrid] [--out Benchmarks/results/foundation_heldout_seeds.json]
"""
import argparse
import json
import os
import statistics as st

from scipy import stats

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--grid", default="runs/foundation-lrgrid")
parser.add_argument("--out", default="Benchmarks/results/foundation_heldout_seeds.json")
args = parser.parse_args()
grid = args.grid
chosen = [l.split() for l in open(f"{grid}/chosen.txt")]
def point(variant, lr, warm, mult, l2):
    p = f"{grid}/{variant}-lr{lr}-w{warm}"
    if mult != "1": p += f"-b{mult}"
    if l2 != "0": p += f"-l{l2}"
    return p
def auroc(path, split):
    s = json.load(open(path))
    return {o["split"]: o["metrics"] for o in s["outcomes"]}[split]["auroc"]
seed_sets = {"selection seeds 0-4": [0, 1, 2, 3, 4], "held-out seeds 5-9": [5, 6, 7, 8, 9], "all 10": list(range(10))}
out = {}
for fraction in ["0.01", "0.03", "0.1", "0.3", "1.0"]:
    runs = {}
    for variant, frac, lr, warm, mult, l2 in chosen:
        if frac != fraction: continue
        model = f"foundation_{variant}" + ("" if frac == "1.0" else f"_f{frac}")
        runs[variant] = {s: {sp: auroc(f"{point(variant, lr, warm, mult, l2)}/{model}/shop-churn/s{s}/summary.json", sp) for sp in ("test", "validation")}
                         for s in range(10) if os.path.exists(f"{point(variant, lr, warm, mult, l2)}/{model}/shop-churn/s{s}/summary.json")}
    for name, seeds in seed_sets.items():
        if not all(s in runs["finetuned"] and s in runs["scratch"] for s in seeds): continue
        a = [runs["finetuned"][s]["test"] for s in seeds]; b = [runs["scratch"][s]["test"] for s in seeds]
        d = [x - y for x, y in zip(a, b)]
        p = stats.ttest_rel(a, b).pvalue
        print(f"{fraction:>5} {name:22} (a) {st.mean(a):.3f} ± {st.stdev(a):.3f}  (b) {st.mean(b):.3f} ± {st.stdev(b):.3f}  "
              f"(a)-(b) {st.mean(d):+.4f} ± {st.stdev(d):.4f}  ahead {sum(x > 0 for x in d)}/{len(d)}  p {p:.3g}  per seed {' '.join(f'{x:+.3f}' for x in d)}")
        out.setdefault(fraction, {})[name] = {"seeds": seeds, "finetuned": a, "scratch": b, "differences": d, "paired_t_p": p}
with open(args.out, "w") as f:
    json.dump({"task": "shop churn, test AUROC", "grid": grid, "chosen": chosen, "curve": out}, f, indent=1)
    f.write("\n")
