#!/usr/bin/env python3
"""Generate Examples/Data/multilabel.csv: a small, seeded, synthetic multilabel dataset.

Usage (from the repository root; any Python 3, standard library only):

    python3 Examples/Data/make_multilabel.py            # writes Examples/Data/multilabel.csv
    python3 Examples/Data/make_multilabel.py --rows 2000 --seed 7 --out /tmp/big.csv

The story: each row is a customer with eight numeric features and a categorical `plan`
column; three 0/1 labels say which newsletters the customer subscribed to. A customer can hold
any subset of the labels (that is what makes it multilabel rather than multiclass). Each label
is a noisy logistic function of a few features, so the labels are correlated but not copies:

    label_sports  <- age, activity, plan == "premium"
    label_tech    <- income, screen_time, age (negatively)
    label_travel  <- income, activity * distance (an interaction an MLP can learn)

The same seed always gives the same file (Python's `random.Random` is stable across versions
for `random()`, `gauss()` and `choice()`), so the committed CSV can be regenerated bit for bit.
"""

import argparse
import csv
import math
import random

FEATURES = ["age", "income", "activity", "screen_time", "distance", "tenure", "visits", "noise"]
PLANS = ["basic", "standard", "premium"]
LABELS = ["label_sports", "label_tech", "label_travel"]


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def make_row(rng, index):
    # Features are drawn on roughly standard scales, then shifted into plausible units so the
    # trainer's standardisation has real work to do.
    age = rng.gauss(0, 1)
    income = rng.gauss(0, 1)
    activity = rng.gauss(0, 1)
    screen_time = rng.gauss(0, 1)
    distance = rng.gauss(0, 1)
    tenure = rng.random()
    visits = rng.gauss(0, 1)
    noise = rng.gauss(0, 1)  # carries no signal: a model should learn to ignore it
    plan = rng.choice(PLANS)

    premium = 1.0 if plan == "premium" else 0.0
    logits = [
        1.6 * age + 1.2 * activity + 1.5 * premium - 0.6,
        1.4 * income + 1.3 * screen_time - 0.8 * age,
        1.1 * income + 1.8 * activity * distance + 0.5 * visits - 0.3,
    ]
    labels = [1 if rng.random() < sigmoid(2.0 * z) else 0 for z in logits]

    features = [
        round(40 + 12 * age, 2),
        round(50000 + 15000 * income, 2),
        round(3 + 1.5 * activity, 3),
        round(4 + 2 * screen_time, 3),
        round(20 + 8 * distance, 2),
        round(10 * tenure, 2),
        round(12 + 4 * visits, 2),
        round(noise, 4),
    ]
    return [f"c{index:04d}"] + features + [plan] + labels


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=800)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", default="Examples/Data/multilabel.csv")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    with open(args.out, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id"] + FEATURES + ["plan"] + LABELS)
        for index in range(args.rows):
            writer.writerow(make_row(rng, index))


if __name__ == "__main__":
    main()
