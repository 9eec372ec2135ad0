"""Baselines for Fledge's event models (issue 6), on exactly Fledge's temporal split.

LightGBM on hand-made recency / frequency / monetary (RFM) features for churn (AUROC), propensity
(per-label AUROC and their mean) and spend (RMSE / MAE / R², next to predicting the training mean),
and non-learned rankings for next-item recommendation: most-popular items (over the whole history
and the last N days) and two personal ones (the entity's own items by count, or by a count decayed
with a 30-day half-life, then most-popular), all scored with FledgeMetrics' definitions
(precision@K, recall@K, ndcg@K, hit_rate@K, map@K, mrr; scripts/reference/golden_ranking.py).

Split semantics (docs/events.md, FledgeEvents' TemporalSplits and SampleBuilder), with N =
check_target_for_next_N_days, all windows half-open, split points at midnight UTC:
- training: per entity, up to --max-splitpoints midnights drawn at random from
  [first midnight after max(first event, data_start - 1 s), validation_start - 1 day - N days]
  (recommendation: up to validation_start, target window cut at validation_start);
  input = events in [data_start, t), target from [t, t + N);
- validation: t = validation_start (LightGBM's early stopping), test: t = test_start, target
  [test_start, test_start + N); every entity with at least one event in [data_start, t);
  next items: only entities with at least one target item (Fledge's target returns nil otherwise).
Training split points are drawn with NumPy's generator, so they are not Fledge's draws; validation
and test samples are the same entities at the same dates with the same targets (a split point with
no history in [data_start, t) is no sample, as in SampleBuilder).

Every window is two binary searches in the (entity, time)-sorted events and a difference of prefix
sums (`Index`), so the shop (5,000 customers, 40 k training samples) takes seconds before LightGBM.
LightGBM runs with --threads (default 1): its OpenMP threads spin-wait, which on a shared machine
costs far more than it gains.

Targets per dataset preset (matching the Examples/configs/events-*.yaml of the same data):
  shop (fledge generate-events): churn = no event of any kind; propensity = a purchase in each
    product category; spend = log(1 + sum of purchase prices); next items = purchased product_ids.
  clickstream (../shared/data/shop_clickstream_synthetic.csv): churn = no event; propensity = an
    event of each of purchase, add_to_cart, wishlist_add, support_chat, payment_error; spend =
    log(1 + number of purchase events); next items = the event types (pages) visited.

Features at a split point t (history only): days since the last event and since the first (tenure),
event counts over 7 / 30 / 90 days and all history, per event type counts over 30 days and all
history and days since the last of each type, and where there are prices / categories: purchase
value over 30 / 90 days and all history, mean purchase value, days since the last purchase,
per-category purchase counts over 90 days and all history.

Run: /tmp/peers-venv/bin/python scripts/peers/events_baselines.py --dataset shop --data data/shop \
        --data-start 2023-01-01 --validation-start 2023-11-01 --test-start 2023-12-01 --horizon-days 30 --out shop.json
     /tmp/peers-venv/bin/python scripts/peers/events_baselines.py --dataset clickstream \
        --data Examples/Data/shop_clickstream_synthetic.csv --data-start 2024-01-01 \
        --validation-start 2024-05-01 --test-start 2024-06-01 --horizon-days 28 --out clickstream.json
     --predictions-dir DIR also writes the churn model's per-entity scores on validation and test
     (DIR/<dataset>-churn-<split>-s<seed>.csv: entity id, label, score), e.g. for
     scripts/bench/paired_auroc.py; the JSON output is the same with or without it.
"""
import argparse
import json
import os
import sys
import time

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn import metrics as skm

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "reference"))
from golden_ranking import reference_metric  # noqa: E402  (one definition of the ranking metrics)

DAY = 86_400

PRESETS = {
    "shop": dict(entity="customer_id", time="timestamp", kind="event_type", item="product_id",
                 category="category", value="price", purchase="purchase", item_events=["purchase"],
                 propensity_column="category", propensity_events=["purchase"], propensity_labels=None,
                 spend_value="price", file="events.csv"),
    "clickstream": dict(entity="user_id", time="timestamp", kind="event", item="event", category=None, value=None,
                        purchase="purchase", item_events=None, propensity_column="event", propensity_events=None,
                        propensity_labels=["purchase", "add_to_cart", "wishlist_add", "support_chat", "payment_error"],
                        spend_value=None, file=None),
}


def seconds(date):
    return int(pd.Timestamp(date, tz="UTC").timestamp())


def load(preset, path):
    if preset["file"] and os.path.isdir(path):
        path = os.path.join(path, preset["file"])
    frame = pd.read_csv(path)
    stamps = pd.to_datetime(frame[preset["time"]], format="%Y-%m-%d %H:%M:%S")
    frame["t"] = ((stamps - pd.Timestamp("1970-01-01")) // pd.Timedelta(seconds=1)).astype(np.int64)
    frame = frame.sort_values([preset["entity"], "t"], kind="stable").reset_index(drop=True)
    frame["entity"] = frame[preset["entity"]].astype("category").cat.codes
    return frame


def training_points(events, data_start, max_split, max_points, rng):
    """(entity, split) pairs: up to max_points random midnights per entity, as SampleBuilder draws them."""
    first = events.groupby("entity")["t"].min()
    low = np.maximum(first.values, data_start - 1)
    low = low - low % DAY + DAY
    high = max_split - max_split % DAY
    entities, splits = [], []
    for entity, lo in zip(first.index.values, low):
        if lo > high:
            continue
        days = np.arange(lo, high + 1, DAY)
        chosen = rng.choice(days, size=min(max_points, len(days)), replace=False)
        entities.append(np.full(len(chosen), entity))
        splits.append(chosen)
    return pd.DataFrame({"entity": np.concatenate(entities) if entities else np.zeros(0, np.int64),
                         "split": np.concatenate(splits).astype(np.int64) if splits else np.zeros(0, np.int64)})


def fixed_points(events, split, data_start):
    """Every entity with an event in [data_start, split)."""
    seen = events[(events.t >= data_start) & (events.t < split)].entity.unique()
    return pd.DataFrame({"entity": np.sort(seen), "split": np.int64(split)})


class Index:
    """The events sorted by (entity, time) with prefix sums, so every window of every sample is two
    binary searches and a difference: no per-sample join of the events (what made the first version
    of this script take over 40 minutes on the shop).

    `rows(points, low, high)` gives each sample's half-open row range [first row with t >= low, first
    row with t >= high) of its entity; `count(mask, a, b)` / `total(values, a, b)` the number / sum
    over those rows, `last(mask, a, b)` the last matching row (-1 if none)."""

    def __init__(self, events):
        self.entity = events.entity.values.astype(np.int64)
        self.t = events.t.values.astype(np.int64)
        self.keys = self.entity * (1 << 34) + self.t  # sorted: events are sorted by entity, then time
        self._prefix = {}

    def rows(self, points, low, high):
        base = points.entity.values.astype(np.int64) * (1 << 34)
        return (np.searchsorted(self.keys, base + np.asarray(low, dtype=np.int64), side="left"),
                np.searchsorted(self.keys, base + np.asarray(high, dtype=np.int64), side="left"))

    def prefix(self, name, values):
        if name not in self._prefix:
            self._prefix[name] = np.concatenate([[0.0], np.cumsum(np.asarray(values, dtype=np.float64))])
        return self._prefix[name]

    def count(self, name, mask, a, b):
        prefix = self.prefix(name, mask)
        return prefix[b] - prefix[a]

    def total(self, name, values, a, b):
        prefix = self.prefix(name, values)
        return prefix[b] - prefix[a]

    def last(self, name, mask, a, b):
        key = "last:" + name
        if key not in self._prefix:
            self._prefix[key] = np.maximum.accumulate(np.where(mask, np.arange(len(mask)), -1))
        latest = np.where(b > 0, self._prefix[key][np.maximum(b - 1, 0)], -1)
        return np.where(latest >= a, latest, -1)

    @staticmethod
    def expand(a, b):
        """(sample of each row, row) for the concatenated ranges [a_i, b_i)."""
        lengths = b - a
        samples = np.repeat(np.arange(len(a)), lengths)
        offsets = np.repeat(b - np.cumsum(lengths), lengths)
        return samples, np.arange(len(samples)) + offsets


def features(index, events, points, data_start, preset, kinds, categories):
    """Hand-made RFM features per sample, from the history [data_start, split) only."""
    split = points.split.values.astype(np.int64)
    start, end = index.rows(points, np.full(len(points), data_start), split)
    out = {}

    def age(rows):
        return np.where(rows >= 0, (split - index.t[np.maximum(rows, 0)]) / DAY, np.nan)

    everything = np.ones(len(events), dtype=bool)
    out["recency_days"] = age(np.where(end > start, end - 1, -1))
    out["tenure_days"] = age(np.where(end > start, start, -1))

    def window_start(days):  # first row with age < days, i.e. t > split - days
        low = np.maximum(split - days * DAY + 1, data_start)
        return np.maximum(index.rows(points, low, split)[0], start)

    recent = {window: window_start(window) for window in (7, 30, 90)}
    for window in [7, 30, 90]:
        out[f"events_{window}d"] = index.count("all", everything, recent[window], end)
    out["events_all"] = index.count("all", everything, start, end)
    kind_values = events[preset["kind"]].values
    for kind in kinds:
        mask = kind_values == kind
        out[f"{kind}_30d"] = index.count(f"kind={kind}", mask, recent[30], end)
        out[f"{kind}_all"] = index.count(f"kind={kind}", mask, start, end)
        out[f"{kind}_recency_days"] = age(index.last(f"kind={kind}", mask, start, end))
    purchase = kind_values == preset["purchase"]
    if preset["value"]:
        value = np.where(purchase, events[preset["value"]].values, 0.0)
        for window in [30, 90]:
            out[f"spend_{window}d"] = index.total("purchase_value", value, recent[window], end)
        out["spend_all"] = index.total("purchase_value", value, start, end)
        bought = index.count("purchase", purchase, start, end)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["purchase_mean_value"] = np.where(bought > 0, out["spend_all"] / np.maximum(bought, 1), np.nan)
    if preset["category"]:
        category_values = events[preset["category"]].values
        for category in categories:
            mask = purchase & (category_values == category)
            out[f"cat_{category}_all"] = index.count(f"cat={category}", mask, start, end)
            out[f"cat_{category}_90d"] = index.count(f"cat={category}", mask, recent[90], end)
    # Recencies of never-seen kinds stay NaN (LightGBM handles missing).
    return pd.DataFrame(out), end > start


def targets(index, events, points, horizon, preset, labels):
    """Churn (no event at all), propensity (one column per label), spend (log1p) in [split, split + horizon)."""
    split = points.split.values.astype(np.int64)
    a, b = index.rows(points, split, split + horizon)
    churn = (b == a).astype(np.float64)
    column, kinds = preset["propensity_column"], preset["propensity_events"]
    counted = np.ones(len(events), dtype=bool) if kinds is None else events[preset["kind"]].isin(kinds).values
    values = events[column].values
    propensity = np.stack([index.count(f"{column}={label}:{kinds}", counted & (values == label), a, b) > 0
                           for label in labels], axis=1).astype(np.float64)
    purchase = events[preset["kind"]].values == preset["purchase"]
    if preset["spend_value"]:
        spend = index.total("purchase_value", np.where(purchase, events[preset["value"]].values, 0.0), a, b)
    else:
        spend = index.count("purchase", purchase, a, b)
    return {"churn": churn, "propensity": propensity, "spend": np.log1p(spend)}


def fit(kind, train, valid, params):
    model = (lgb.LGBMClassifier if kind == "binary" else lgb.LGBMRegressor)(**params)
    model.fit(train[0], train[1], eval_X=(valid[0],), eval_y=(valid[1],), callbacks=[lgb.early_stopping(50, verbose=False)])
    return model


def write_scores(path, entity_column, entity_ids, labels, scores):
    """One row per sample: the entity id (named as in the data), the 0/1 label and the model's score."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    pd.DataFrame({entity_column: entity_ids, "label": labels.astype(np.int64), "score": scores}).to_csv(
        path, index=False, float_format="%.9g")


def regression_metrics(truth, predicted):
    return {"rmse": skm.root_mean_squared_error(truth, predicted), "mae": skm.mean_absolute_error(truth, predicted),
            "r2": skm.r2_score(truth, predicted)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", choices=PRESETS, required=True)
    parser.add_argument("--data", required=True, help="events.csv (or the generator's output directory)")
    parser.add_argument("--data-start", required=True)
    parser.add_argument("--validation-start", required=True)
    parser.add_argument("--test-start", required=True)
    parser.add_argument("--horizon-days", type=int, required=True)
    parser.add_argument("--max-splitpoints", type=int, default=8)
    parser.add_argument("--k", type=int, nargs="+", default=[10])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1,
                        help="LightGBM threads (default 1: OpenMP threads spin when the cores are shared)")
    parser.add_argument("--out")
    parser.add_argument("--predictions-dir",
                        help="also write LightGBM's per-entity churn scores on the validation and test splits to "
                             "DIR/<dataset>-churn-<split>-s<seed>.csv (entity id, label, score), for paired "
                             "comparisons (scripts/bench/paired_auroc.py)")
    args = parser.parse_args()
    preset = PRESETS[args.dataset]
    started = time.time()
    phases = {}

    def phase(name, since):
        phases[name] = round(time.time() - since, 2)
        return time.time()

    events = load(preset, args.data)
    index = Index(events)
    clock = phase("load", started)
    data_start, validation, test = seconds(args.data_start), seconds(args.validation_start), seconds(args.test_start)
    horizon = args.horizon_days * DAY
    kinds = sorted(events[preset["kind"]].unique())
    categories = sorted(events[preset["category"]].unique()) if preset["category"] else []
    labels = preset["propensity_labels"] or sorted(events[preset["propensity_column"]].unique())
    rng = np.random.default_rng(args.seed)

    splits = {"train": training_points(events, data_start, validation - DAY - horizon, args.max_splitpoints, rng),
              "validation": fixed_points(events, validation, data_start),
              "test": fixed_points(events, test, data_start)}
    data = {}
    for name, points in splits.items():
        X, has_history = features(index, events, points, data_start, preset, kinds, categories)
        # Like SampleBuilder: a split point without history in [data_start, split) is no sample.
        splits[name] = points = points[has_history].reset_index(drop=True)
        data[name] = (X[has_history].reset_index(drop=True), targets(index, events, points, horizon, preset, labels))
    clock = phase("samples_features_targets", clock)
    columns = data["train"][0].columns
    params = dict(n_estimators=600, learning_rate=0.05, num_leaves=31, min_child_samples=20, subsample=0.8,
                  subsample_freq=1, colsample_bytree=0.8, random_state=args.seed, n_jobs=args.threads, verbose=-1)
    result = {"dataset": args.dataset, "data": args.data, "events": int(len(events)),
              "entities": int(events.entity.nunique()),
              "split": {"data_start_date": args.data_start, "validation_start_date": args.validation_start,
                        "test_start_date": args.test_start, "check_target_for_next_N_days": args.horizon_days,
                        "maximum_splitpoints_per_entity": args.max_splitpoints},
              "samples": {name: int(len(points)) for name, points in splits.items()},
              "features": len(columns), "lightgbm_version": lgb.__version__, "lightgbm_threads": args.threads}

    X = {name: data[name][0][columns] for name in data}
    y = {name: data[name][1] for name in data}
    churn = fit("binary", (X["train"], y["train"]["churn"]), (X["validation"], y["validation"]["churn"]), params)
    churn_scores = churn.predict_proba(X["test"])[:, 1]
    if args.predictions_dir:
        ids = events[preset["entity"]].astype("category").cat.categories  # load()'s codes index these
        for name in ("validation", "test"):
            scores = churn_scores if name == "test" else churn.predict_proba(X[name])[:, 1]
            write_scores(os.path.join(args.predictions_dir, f"{args.dataset}-churn-{name}-s{args.seed}.csv"),
                         preset["entity"], ids[splits[name].entity.values], y[name]["churn"], scores)
    result["churn"] = {"auroc": skm.roc_auc_score(y["test"]["churn"], churn_scores),
                       "average_precision": skm.average_precision_score(y["test"]["churn"], churn_scores),
                       "positive_rate_test": float(y["test"]["churn"].mean()), "trees": int(churn.best_iteration_)}

    per_label = {}
    for j, label in enumerate(labels):
        train_y, valid_y, test_y = (y[s]["propensity"][:, j] for s in ("train", "validation", "test"))
        if len(set(train_y)) < 2 or len(set(valid_y)) < 2 or len(set(test_y)) < 2:
            continue  # AUROC undefined (FledgeMetrics' macro AUROC skips such labels too)
        model = fit("binary", (X["train"], train_y), (X["validation"], valid_y), params)
        per_label[str(label)] = skm.roc_auc_score(test_y, model.predict_proba(X["test"])[:, 1])
    result["propensity"] = {"auroc_mean": float(np.mean(list(per_label.values()))), "auroc_per_label": per_label}

    spend = fit("regression", (X["train"], y["train"]["spend"]), (X["validation"], y["validation"]["spend"]), params)
    truth = y["test"]["spend"]
    mean = float(y["train"]["spend"].mean())
    result["spend"] = {"target": "log1p", **regression_metrics(truth, spend.predict(X["test"])),
                       "trees": int(spend.best_iteration_),
                       # Predicting the training samples' mean target for everyone: the floor a model must beat.
                       "mean_predictor": {"value": mean, **regression_metrics(truth, np.full(len(truth), mean))},
                       "target_mean": {split: float(y[split]["spend"].mean()) for split in y}}
    clock = phase("lightgbm", clock)

    result["recommendation"] = recommendation_baselines(index, events, preset, splits["test"], data_start, test,
                                                        horizon, args.k)
    phase("recommendation", clock)
    result["seconds"] = round(time.time() - started, 1)
    result["seconds_by_phase"] = phases
    text = json.dumps(result, indent=2, default=float)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")


def recommendation_baselines(index, events, preset, points, data_start, split, horizon, ks, half_life_days=30):
    """Non-learned rankings for every test entity with a target item, scored with FledgeMetrics' definitions:
    - most_popular: items by their number of item events (all entities) in [data_start, split);
    - most_popular_last_N_days: the same over the last N days before the split;
    - personal_popularity: the entity's own items by its own count in its history, then most_popular;
    - personal_recency: the entity's own items by a count decayed with a half-life of 30 days
      (recent re-purchases first), then most_popular.
    Ties and never-seen items fall back to the item order, so every ranking is deterministic."""
    counted = np.ones(len(events), dtype=bool) if preset["item_events"] is None \
        else events[preset["kind"]].isin(preset["item_events"]).values
    codes, items = pd.factorize(events[preset["item"]], sort=True)
    split_times = points.split.values.astype(np.int64)
    a, b = index.rows(points, split_times, split_times + horizon)
    sample, row = Index.expand(a, b)
    keep_rows = counted[row]
    truth = np.zeros((len(points), len(items)))
    truth[sample[keep_rows], codes[row[keep_rows]]] = 1
    keep = truth.sum(axis=1) > 0  # Fledge's next-items target is nil without a target item
    out = {"items": len(items), "test_entities_with_items": int(keep.sum())}

    tiebreak = -np.arange(len(items)) * 1e-9
    t = index.t
    rankings = {}
    for name, since in [("most_popular", data_start), ("most_popular_last_N_days", split - horizon)]:
        window = counted & (t >= since) & (t < split)
        rankings[name] = np.bincount(codes[window], minlength=len(items)).astype(np.float64) + tiebreak
    popular = rankings["most_popular"]
    history_start, history_end = index.rows(points, np.full(len(points), data_start), split_times)
    sample, row = Index.expand(history_start, history_end)
    own = counted[row]
    sample, row = sample[own], row[own]
    personal = np.zeros((len(points), len(items)))
    np.add.at(personal, (sample, codes[row]), 1.0)
    decayed = np.zeros((len(points), len(items)))
    np.add.at(decayed, (sample, codes[row]), np.exp2(-(split_times[sample] - t[row]) / DAY / half_life_days))
    # Own items first, then the rest by global popularity: popularity scaled into [0, 1) so an own count
    # (an integer >= 1) always wins and ties among own items keep the global order.
    global_order = popular / (popular.max() + 1.0)
    matrices = {"most_popular": np.tile(rankings["most_popular"], (keep.sum(), 1)),
                "most_popular_last_N_days": np.tile(rankings["most_popular_last_N_days"], (keep.sum(), 1)),
                "personal_popularity": personal[keep] + global_order,
                "personal_recency": np.where(decayed[keep] > 0, 1.0 + decayed[keep], 0.0) + global_order * 1e-6}
    truth = truth[keep]
    for name, matrix in matrices.items():
        out[name] = {f"{kind}@{k}": reference_metric(kind, k, matrix, truth)
                     for k in ks for kind in ["precision", "recall", "hit_rate", "map", "ndcg"]}
        out[name]["mrr"] = reference_metric("mrr", None, matrix, truth)
    return out


if __name__ == "__main__":
    main()
