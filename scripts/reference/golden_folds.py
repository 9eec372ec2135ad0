"""Fold sizes and per-class fold counts from scikit-learn's KFold, StratifiedKFold and GroupKFold
on the real datasets, for Tests/FledgeDataTests/FoldSemanticsTests.swift.

Fledge shuffles with its own generator, so the rows in each fold differ from scikit-learn's; what
must agree are the sizes: KFold(shuffle=True) fold sizes, StratifiedKFold(shuffle=True) counts of
each class in each fold, and GroupKFold (size-balanced greedy placement) fold sizes.
Run: /tmp/peers-venv/bin/python scripts/reference/golden_folds.py
"""
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold

from golden_common import ROOT, case, write_fixture

DATA = os.path.join(ROOT, "Tests", "Fixtures", "data")


def main():
    cases = []
    for name in ["iris", "wine", "breast_cancer", "digits"]:
        frame = pd.read_csv(os.path.join(DATA, f"{name}.csv"))
        y = frame["target"].to_numpy()
        n = len(y)
        classes = sorted(set(y.tolist()))
        for k in [3, 5, 10]:
            sizes = [len(test) for _, test in KFold(k, shuffle=True, random_state=0).split(np.zeros(n))]
            cases.append(case(f"kfold_{name}_k{k}", {}, {"fold_sizes": sizes}, count=n, k=k))
            counts = []
            for _, test in StratifiedKFold(k, shuffle=True, random_state=0).split(np.zeros(n), y):
                counts.append([int((y[test] == c).sum()) for c in classes])
            cases.append(case(f"stratified_{name}_k{k}", {"labels": y}, {"class_counts": counts},
                              classes=[float(c) for c in classes], k=k))
            # Unequal groups: row i belongs to group (i * 7) % 23 for i < n/2, else its own pair.
            groups = np.array([(i * 7) % 23 if i < n // 2 else 23 + i // 2 for i in range(n)])
            sizes = [len(test) for _, test in GroupKFold(k).split(np.zeros(n), groups=groups)]
            cases.append(case(f"group_{name}_k{k}", {"groups": groups}, {"fold_sizes": sizes}, k=k))
    write_fixture("folds", f"scripts/reference/golden_folds.py (scikit-learn {sklearn.__version__})", cases)


if __name__ == "__main__":
    main()
