"""Baselines for Fledge's event models (issue 6), on exactly Fledge's temporal split.

LightGBM on hand-made recency / frequency / monetary (RFM) features for churn (AUROC), propensity
(per-label AUROC and their mean) and spend (RMSE / MAE / R²), and most-popular items for next-item
recommendation (precision@K, recall@K, ndcg@K, hit_rate@K, map@K, mrr with FledgeMetrics' definitions,
scripts/reference/golden_ranking.py).

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
and test samples are the same entities at the same dates with the same targets.

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
        entities += [entity] * len(chosen)
        splits += list(chosen)
    return pd.DataFrame({"entity": entities, "split": np.asarray(splits, dtype=np.int64)})


def fixed_points(events, split, data_start):
    """Every entity with an event in [data_start, split)."""
    seen = events[(events.t >= data_start) & (events.t < split)].entity.unique()
    return pd.DataFrame({"entity": np.sort(seen), "split": np.int64(split)})


def windows(events, points, data_start, horizon, cut=None):
    """Per sample (index of `points`): its history rows and its target-window rows."""
    joined = points.reset_index(names="sample").merge(events, on="entity")
    history = joined[(joined.t >= data_start) & (joined.t < joined.split)]
    end = joined.split + horizon if cut is None else np.minimum(joined.split + horizon, cut)
    future = joined[(joined.t >= joined.split) & (joined.t < end)]
    return history, future


def features(history, points, preset, kinds, categories):
    """Hand-made RFM features per sample."""
    n = len(points)
    out = pd.DataFrame(index=pd.RangeIndex(n))
    age = (history.split - history.t) / DAY
    history = history.assign(age=age)
    grouped = history.groupby("sample")
    out["recency_days"] = grouped.age.min()
    out["tenure_days"] = grouped.age.max()
    for window in [7, 30, 90]:
        out[f"events_{window}d"] = history[history.age < window].groupby("sample").size()
    out["events_all"] = grouped.size()
    for kind in kinds:
        rows = history[history[preset["kind"]] == kind]
        by = rows.groupby("sample")
        out[f"{kind}_30d"] = rows[rows.age < 30].groupby("sample").size()
        out[f"{kind}_all"] = by.size()
        out[f"{kind}_recency_days"] = by.age.min()
    if preset["value"]:
        purchases = history[history[preset["kind"]] == preset["purchase"]]
        for window in [30, 90]:
            out[f"spend_{window}d"] = purchases[purchases.age < window].groupby("sample")[preset["value"]].sum()
        out["spend_all"] = purchases.groupby("sample")[preset["value"]].sum()
        out["purchase_mean_value"] = purchases.groupby("sample")[preset["value"]].mean()
    if preset["category"]:
        purchases = history[history[preset["kind"]] == preset["purchase"]]
        for category in categories:
            rows = purchases[purchases[preset["category"]] == category]
            out[f"cat_{category}_all"] = rows.groupby("sample").size()
            out[f"cat_{category}_90d"] = rows[rows.age < 90].groupby("sample").size()
    counts = [c for c in out.columns if "recency" not in c and "tenure" not in c and "mean" not in c]
    out[counts] = out[counts].fillna(0)
    return out.reindex(pd.RangeIndex(n))  # recencies of never-seen kinds stay NaN (LightGBM handles missing)


def targets(future, points, preset, labels):
    n = len(points)
    churn = np.ones(n)
    churn[future["sample"].unique()] = 0
    column, kinds = preset["propensity_column"], preset["propensity_events"]
    rows = future if kinds is None else future[future[preset["kind"]].isin(kinds)]
    propensity = np.zeros((n, len(labels)))
    for j, label in enumerate(labels):
        propensity[rows[rows[column] == label]["sample"].unique(), j] = 1
    purchases = future[future[preset["kind"]] == preset["purchase"]]
    spend = np.zeros(n)
    if preset["spend_value"]:
        sums = purchases.groupby("sample")[preset["spend_value"]].sum()
    else:
        sums = purchases.groupby("sample").size()
    spend[sums.index.values] = sums.values
    return {"churn": churn, "propensity": propensity, "spend": np.log1p(spend)}


def item_targets(future, points, preset, items):
    rows = future if preset["item_events"] is None else future[future[preset["kind"]].isin(preset["item_events"])]
    index = {item: j for j, item in enumerate(items)}
    matrix = np.zeros((len(points), len(items)))
    for sample, item in zip(rows["sample"].values, rows[preset["item"]].values):
        if item in index:
            matrix[sample, index[item]] = 1
    return matrix


def fit(kind, train, valid, params):
    model = (lgb.LGBMClassifier if kind == "binary" else lgb.LGBMRegressor)(**params)
    model.fit(train[0], train[1], eval_X=(valid[0],), eval_y=(valid[1],), callbacks=[lgb.early_stopping(50, verbose=False)])
    return model


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
    parser.add_argument("--out")
    args = parser.parse_args()
    preset = PRESETS[args.dataset]
    started = time.time()
    events = load(preset, args.data)
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
        history, future = windows(events, points, data_start, horizon)
        data[name] = (features(history, points, preset, kinds, categories), targets(future, points, preset, labels))
    columns = data["train"][0].columns
    params = dict(n_estimators=600, learning_rate=0.05, num_leaves=31, min_child_samples=20, subsample=0.8,
                  subsample_freq=1, colsample_bytree=0.8, random_state=args.seed, verbose=-1)
    result = {"dataset": args.dataset, "data": args.data, "events": int(len(events)),
              "entities": int(events.entity.nunique()),
              "split": {"data_start_date": args.data_start, "validation_start_date": args.validation_start,
                        "test_start_date": args.test_start, "check_target_for_next_N_days": args.horizon_days,
                        "maximum_splitpoints_per_entity": args.max_splitpoints},
              "samples": {name: int(len(points)) for name, points in splits.items()},
              "features": len(columns), "lightgbm_version": lgb.__version__}

    X = {name: data[name][0][columns] for name in data}
    y = {name: data[name][1] for name in data}
    churn = fit("binary", (X["train"], y["train"]["churn"]), (X["validation"], y["validation"]["churn"]), params)
    churn_scores = churn.predict_proba(X["test"])[:, 1]
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
    predicted = spend.predict(X["test"])
    truth = y["test"]["spend"]
    result["spend"] = {"target": "log1p", "rmse": skm.root_mean_squared_error(truth, predicted),
                       "mae": skm.mean_absolute_error(truth, predicted), "r2": skm.r2_score(truth, predicted),
                       "trees": int(spend.best_iteration_)}

    result["recommendation"] = most_popular(events, preset, splits["test"], data_start, test, horizon, args.k)
    result["seconds"] = round(time.time() - started, 1)
    text = json.dumps(result, indent=2, default=float)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")


def most_popular(events, preset, points, data_start, split, horizon, ks):
    """Most-popular items (by count of item events in the history) for every test entity with a target item."""
    rows = events if preset["item_events"] is None else events[events[preset["kind"]].isin(preset["item_events"])]
    items = sorted(events[preset["item"]].unique())
    _, future = windows(rows, points, data_start, horizon)
    truth = item_targets(future, points, preset, items)
    keep = truth.sum(axis=1) > 0
    truth = truth[keep]
    out = {"items": len(items), "test_entities_with_items": int(keep.sum())}
    for name, since in [("most_popular", data_start), ("most_popular_last_N_days", split - horizon)]:
        history = rows[(rows.t >= since) & (rows.t < split)]
        counts = history[preset["item"]].value_counts()
        # Ties and never-bought items: slightly decreasing by item order, so the ranking is deterministic.
        scores = np.array([counts.get(item, 0) for item in items], dtype=np.float64) - np.arange(len(items)) * 1e-9
        matrix = np.tile(scores, (len(truth), 1))
        out[name] = {f"{kind}@{k}": reference_metric(kind, k, matrix, truth)
                     for k in ks for kind in ["precision", "recall", "hit_rate", "map", "ndcg"]}
        out[name]["mrr"] = reference_metric("mrr", None, matrix, truth)
    return out


if __name__ == "__main__":
    main()
