"""Turns the output of `fledge-bench foundation` (one JSON line per stage, plus any `uptime` lines
written before and after it) into Benchmarks/results/foundation_speed.json and prints the stage
table of docs/foundation.md ("Speed"): seconds and events/s per stage, total minutes, machine load.

Run:  (uptime; /usr/bin/time -v .build/release/fledge-bench foundation --events 1000000 2>&1; uptime) > speed.jsonl
      python3 scripts/bench/foundation_speed.py speed.jsonl --build "release, main <commit>"
"""
import argparse
import json
import os
import platform
import re

# The bench's lines in stage order, with what each stage covers.
STAGES = [
    ("foundation_generate", "generate", "write the synthetic shop as CSV (not part of a user's run)"),
    ("foundation_load", "load", "read the CSV files into the event store"),
    ("foundation_representation", "representation", "Cleora item embeddings + EMDE partitions"),
    ("foundation_inputs", "inputs", "split points, features and sketches of epoch 1 and validation, scaler"),
    ("foundation_pretrain", "pretraining", "training epochs (incl. the redrawn inputs of later epochs), checkpoint"),
    ("foundation_finetune", "fine-tuning (churn)", "load the checkpoint, inputs and labels of every split, training (the test evaluation is in the total only)"),
]
LOAD = re.compile(r"load averages?:\s*([\d.]+),?\s+([\d.]+),?\s+([\d.]+)")
# GNU time -v lines, when the run was wrapped in /usr/bin/time -v.
TIME_FIELDS = {"User time (seconds)": "user_seconds", "System time (seconds)": "system_seconds",
               "Maximum resident set size (kbytes)": "max_rss_kb"}


def read(path):
    lines, uptimes, process = {}, [], {}
    with open(path) as f:
        for raw in f:
            text = raw.strip()
            if text.startswith("{"):
                record = json.loads(text)
                lines[record["benchmark"]] = record
            elif LOAD.search(text):
                uptimes.append({"uptime": text.lstrip("# "), "load_average": [float(x) for x in LOAD.search(text).groups()]})
            else:
                for label, key in TIME_FIELDS.items():
                    if label + ":" in text:
                        process[key] = float(text.split(label + ":", 1)[1])
    return lines, uptimes, process


def stage_rows(lines):
    rows = []
    for key, name, covers in STAGES:
        record = lines.get(key)
        if record is None:
            continue
        seconds = record["seconds"] + record.get("prepare_seconds", 0.0)  # fine-tuning: preparation + training
        events = record.get("events") or lines.get("foundation_load", {}).get("events")
        rows.append({"stage": name, "covers": covers, "seconds": round(seconds, 3),
                     "events_per_s": round(events / seconds) if events and seconds > 0 else None,
                     "foreign_cores": record.get("foreign_cores"), "record": record})
    return rows


def markdown(rows, total):
    out = ["| stage | seconds | events/s | what |", "|---|---|---|---|"]
    for r in rows:
        rate = "" if r["events_per_s"] is None else f"{r['events_per_s']:,}"
        out.append(f"| {r['stage']} | {r['seconds']:.1f} | {rate} | {r['covers']} |")
    if total:
        out.append(f"| **total** | **{total['seconds']:.1f}** ({total['seconds'] / 60:.1f} min) | "
                   f"{total.get('events_per_s', 0):,} | {total.get('stages', '')} |")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("jsonl", help="fledge-bench foundation's output, with uptime lines")
    parser.add_argument("--out", default="Benchmarks/results/foundation_speed.json")
    parser.add_argument("--build", default="", help="which binary ran, e.g. 'release, main 5f6596f'")
    args = parser.parse_args()
    lines, uptimes, process = read(args.jsonl)
    if "foundation_load" not in lines:
        raise SystemExit(f"{args.jsonl} has no foundation_load line: is it fledge-bench foundation's output?")
    rows = stage_rows(lines)
    total = lines.get("foundation_total")
    generate = lines.get("foundation_generate", {}).get("seconds", 0.0)
    # The total also holds what no stage line covers (e.g. fine-tuning's test evaluation).
    without_generate = (total["seconds"] if total else sum(r["seconds"] for r in rows)) - generate
    result = {"description": "Issue 7 speed: fledge-bench foundation (generated shop, representation + pretraining + "
                             "fine-tuning), seconds and events/s per stage (scripts/bench/foundation_speed.py)",
              "build": args.build, "source": os.path.basename(args.jsonl),
              "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
              "events": lines["foundation_load"]["events"], "entities": lines["foundation_load"].get("entities"),
              "threads": lines["foundation_load"].get("threads"), "uptime": uptimes, "process": process,
              "stages": rows, "total_seconds": total["seconds"] if total else None,
              "total_minutes": round(total["seconds"] / 60, 2) if total else None,
              "total_seconds_without_generate": round(without_generate, 3),
              "total_foreign_cores": total.get("foreign_cores") if total else None}
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")
    print(markdown(rows, total))
    print(f"\nwithout generating the data: {without_generate:.1f} s ({without_generate / 60:.1f} min)")
    for u in uptimes:
        print("uptime:", u["uptime"])
    if process:
        print("process:", ", ".join(f"{k} {v:g}" for k, v in process.items()))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
