#!/usr/bin/python3
"""Writes src/__fixtures__/sklearn.json: every metric of @seqlearn/eval-metrics computed by
scikit-learn (Debian's python3-sklearn) and scipy on fixed, seeded inputs.

Run from packages/eval-metrics:  /usr/bin/python3 scripts/make-fixtures.py
The tests in src/sklearn-parity.test.ts compare the TypeScript functions with these numbers.
"""
import json
import math
import os
import warnings

import numpy as np
import scipy
import sklearn
from scipy import stats
from sklearn import metrics as M
from sklearn.utils.class_weight import compute_class_weight, compute_sample_weight

warnings.simplefilter("ignore")
rng = np.random.default_rng(20261123)


def clean(v):
    """numpy -> JSON-safe Python; NaN and infinities as strings."""
    if isinstance(v, dict):
        return {str(k): clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    if isinstance(v, np.ndarray):
        return clean(v.tolist())
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isnan(f):
            return "NaN"
        if math.isinf(f):
            return "Infinity" if f > 0 else "-Infinity"
        return f
    return v


def noisy(y_true, n_classes, p_correct):
    y_pred = y_true.copy()
    flip = rng.random(len(y_true)) > p_correct
    y_pred[flip] = rng.integers(0, n_classes, flip.sum())
    return y_pred


label_cases = []

y = rng.integers(0, 4, 30)
label_cases.append(dict(name="multiclass", y_true=y, y_pred=noisy(y, 4, 0.6)))

y = rng.integers(0, 4, 25)
p = noisy(y, 4, 0.5)
p[p == 3] = 2  # class 3 never predicted
label_cases.append(dict(name="missing classes", y_true=y, y_pred=p, labels=[0, 1, 2, 3, 4]))

label_cases.append(
    dict(name="zero division", y_true=np.array([0, 0, 1, 1, 0, 2]), y_pred=np.array([0, 0, 0, 0, 3, 2]))
)

y = rng.integers(0, 2, 40)
label_cases.append(dict(name="binary", y_true=y, y_pred=noisy(y, 2, 0.7), binary=True))

label_cases.append(
    dict(name="binary one class predicted", y_true=np.array([0, 1, 1, 0, 1]), y_pred=np.array([0, 0, 0, 0, 0]), binary=True)
)

y = rng.choice(4, 120, p=[0.7, 0.2, 0.07, 0.03])
label_cases.append(dict(name="imbalanced", y_true=y, y_pred=noisy(y, 4, 0.75)))

y = rng.integers(0, 3, 20)
w = rng.uniform(0.1, 3, 20).round(2)
label_cases.append(dict(name="sample weights", y_true=y, y_pred=noisy(y, 3, 0.6), sample_weight=w))

names = np.array(["cat", "dog", "pig"])
y = rng.integers(0, 3, 18)
label_cases.append(dict(name="strings", y_true=names[y], y_pred=names[noisy(y, 3, 0.6)]))

out_labels = []
for case in label_cases:
    yt, yp = case["y_true"], case["y_pred"]
    labels = case.get("labels")
    sw = case.get("sample_weight")
    kw = dict(labels=labels, sample_weight=sw)
    r = dict(
        name=case["name"],
        y_true=yt.tolist(),
        y_pred=yp.tolist(),
        labels=labels,
        sample_weight=None if sw is None else sw.tolist(),
    )
    r["confusion_matrix"] = M.confusion_matrix(yt, yp, **kw)
    for norm in ["true", "pred", "all"]:
        r["confusion_matrix_" + norm] = M.confusion_matrix(yt, yp, normalize=norm, **kw)
    r["accuracy"] = M.accuracy_score(yt, yp, sample_weight=sw)
    r["accuracy_count"] = M.accuracy_score(yt, yp, normalize=False, sample_weight=sw)
    r["balanced_accuracy"] = M.balanced_accuracy_score(yt, yp, sample_weight=sw)
    r["balanced_accuracy_adjusted"] = M.balanced_accuracy_score(yt, yp, sample_weight=sw, adjusted=True)
    prfs = []
    averages = [None, "micro", "macro", "weighted"] + (["binary"] if case.get("binary") else [])
    for average in averages:
        for zd in ["warn", 0, 1]:
            for beta in [1.0, 0.5, 2.0]:
                p_, r_, f_, s_ = M.precision_recall_fscore_support(
                    yt, yp, beta=beta, average=average, zero_division=zd, **kw
                )
                prfs.append(
                    dict(average=average or "none", zero_division=zd, beta=beta,
                         precision=p_, recall=r_, f_score=f_, support=s_)
                )
    r["prfs"] = prfs
    r["precision_macro"] = M.precision_score(yt, yp, average="macro", **kw)
    r["recall_none"] = M.recall_score(yt, yp, average=None, **kw)
    r["f1_weighted"] = M.f1_score(yt, yp, average="weighted", **kw)
    r["fbeta_micro_2"] = M.fbeta_score(yt, yp, beta=2, average="micro", **kw)
    target_names = None if labels is None and yt.dtype.kind == "U" else [
        f"class {l}" for l in (labels if labels is not None else np.unique(np.concatenate([yt, yp])))
    ]
    r["target_names"] = target_names
    r["report_2"] = M.classification_report(yt, yp, target_names=target_names, **kw)
    r["report_4"] = M.classification_report(yt, yp, digits=4, **kw)
    r["report_zero_division_1"] = M.classification_report(yt, yp, zero_division=1, **kw)
    r["report_dict"] = M.classification_report(yt, yp, output_dict=True, target_names=target_names, **kw)
    r["cohen_kappa"] = M.cohen_kappa_score(yt, yp, **kw)
    r["cohen_kappa_linear"] = M.cohen_kappa_score(yt, yp, weights="linear", **kw)
    r["cohen_kappa_quadratic"] = M.cohen_kappa_score(yt, yp, weights="quadratic", **kw)
    r["matthews_corrcoef"] = M.matthews_corrcoef(yt, yp, sample_weight=sw)
    classes = np.unique(yt)
    r["class_weight_balanced"] = compute_class_weight("balanced", classes=classes, y=yt)
    r["sample_weight_balanced"] = compute_sample_weight("balanced", yt)
    idx = np.arange(0, len(yt), 2)
    r["subsample_indices"] = idx
    r["sample_weight_balanced_subsample"] = compute_sample_weight("balanced", yt, indices=idx)
    out_labels.append(clean(r))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


score_cases = []
y = rng.integers(0, 4, 40)
z = rng.normal(0, 1, (40, 4))
z[np.arange(40), y] += 1.0
score_cases.append(dict(name="multiclass", y_true=y, y_score=softmax(z)))

y = rng.integers(0, 3, 30)
z = rng.normal(0, 1, (30, 4))
z[np.arange(30), y] += 1.5
score_cases.append(dict(name="labels beyond y_true", y_true=y, y_score=softmax(z), labels=[0, 1, 2, 3]))

y = rng.integers(0, 3, 24)
s = softmax(rng.normal(0, 1, (24, 3)).round(1))
s = np.round(s, 2)
s[:, 2] = 1 - s[:, 0] - s[:, 1]
score_cases.append(dict(name="ties", y_true=y, y_score=s, sample_weight=rng.uniform(0.5, 2, 24).round(2)))

out_scores = []
for case in score_cases:
    yt, ys = case["y_true"], case["y_score"]
    labels = case.get("labels")
    sw = case.get("sample_weight")
    r = dict(name=case["name"], y_true=yt.tolist(), y_score=ys.tolist(), labels=labels,
             sample_weight=None if sw is None else sw.tolist())
    for k in [1, 2, 3]:
        r[f"top_{k}_accuracy"] = M.top_k_accuracy_score(yt, ys, k=k, labels=labels, sample_weight=sw)
    r["top_2_accuracy_count"] = M.top_k_accuracy_score(yt, ys, k=2, labels=labels, normalize=False, sample_weight=sw)
    r["log_loss"] = M.log_loss(yt, ys, labels=labels, sample_weight=sw)
    r["log_loss_sum"] = M.log_loss(yt, ys, labels=labels, normalize=False, sample_weight=sw)
    if labels is None:
        for average in ["macro", "weighted", "micro", None]:
            r["roc_auc_ovr_" + str(average or "none")] = M.roc_auc_score(
                yt, ys, multi_class="ovr", average=average, sample_weight=sw
            )
    out_scores.append(clean(r))

binary_scores = []
for name, n in [("binary", 50), ("binary ties", 30)]:
    y = rng.integers(0, 2, n)
    s = np.clip(y * 0.3 + rng.normal(0.35, 0.25, n), 0.01, 0.99)
    if "ties" in name:
        s = s.round(1)
    w = rng.uniform(0.5, 2, n).round(2)
    r = dict(name=name, y_true=y.tolist(), y_score=s.tolist(), sample_weight=w.tolist())
    r["roc_auc"] = M.roc_auc_score(y, s)
    r["roc_auc_weighted"] = M.roc_auc_score(y, s, sample_weight=w)
    r["log_loss"] = M.log_loss(y, s)
    r["top_1_accuracy"] = M.top_k_accuracy_score(y, s, k=1)
    r["top_1_accuracy_weighted"] = M.top_k_accuracy_score(y, s, k=1, sample_weight=w)
    binary_scores.append(clean(r))

regression = []
for name, shape in [("1-D", (30,)), ("2-D", (25, 3))]:
    yt = rng.normal(0, 2, shape).round(3)
    yp = (yt + rng.normal(0, 1, shape)).round(3)
    w = rng.uniform(0.5, 2, shape[0]).round(2)
    r = dict(name=name, y_true=yt.tolist(), y_pred=yp.tolist(), sample_weight=w.tolist())
    for sw_name, sw in [("", None), ("_weighted", w)]:
        for mo in ["uniform_average", "raw_values"]:
            r[f"mse_{mo}{sw_name}"] = M.mean_squared_error(yt, yp, sample_weight=sw, multioutput=mo)
            r[f"rmse_{mo}{sw_name}"] = M.mean_squared_error(yt, yp, sample_weight=sw, multioutput=mo, squared=False)
            r[f"mae_{mo}{sw_name}"] = M.mean_absolute_error(yt, yp, sample_weight=sw, multioutput=mo)
            r[f"r2_{mo}{sw_name}"] = M.r2_score(yt, yp, sample_weight=sw, multioutput=mo)
        r[f"r2_variance_weighted{sw_name}"] = M.r2_score(yt, yp, sample_weight=sw, multioutput="variance_weighted")
    regression.append(clean(r))
regression.append(clean(dict(
    name="constant target", y_true=[2.0, 2.0, 2.0], y_pred=[2.0, 2.0, 2.5], sample_weight=None,
    r2_uniform_average=M.r2_score([2.0, 2.0, 2.0], [2.0, 2.0, 2.5]),
    r2_perfect=M.r2_score([2.0, 2.0, 2.0], [2.0, 2.0, 2.0]),
)))

runs = []
for values, conf in [([0.71, 0.74, 0.73], 0.95), ([1.0, 2.0], 0.95), (list(rng.normal(0.8, 0.05, 10).round(4)), 0.95),
                     (list(range(1, 12)), 0.99), ([0.5, 0.52, 0.49, 0.55, 0.51], 0.9)]:
    x = np.array(values, dtype=float)
    sd = x.std(ddof=1)
    lo, hi = stats.t.interval(conf, len(x) - 1, loc=x.mean(), scale=sd / np.sqrt(len(x)))
    runs.append(clean(dict(values=values, confidence=conf, mean=x.mean(), std=sd, min=x.min(), max=x.max(),
                           ci=[lo, hi], t=stats.t.ppf(1 - (1 - conf) / 2, len(x) - 1))))

fixture = dict(
    generator="scripts/make-fixtures.py",
    versions=dict(sklearn=sklearn.__version__, scipy=scipy.__version__, numpy=np.__version__),
    labels=out_labels,
    scores=out_scores,
    binary_scores=binary_scores,
    regression=regression,
    runs=runs,
)
path = os.path.join(os.path.dirname(__file__), "..", "src", "__fixtures__", "sklearn.json")
with open(path, "w") as f:
    json.dump(fixture, f, indent=1)
    f.write("\n")
print("wrote", os.path.normpath(path))
