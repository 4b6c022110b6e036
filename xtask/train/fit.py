"""Fits the learned scorers and writes them in the engine's model file format.

Run by `cargo xtask train` after `prepare.py` and the feature hashing. For each scorer (tone,
promotion, story) one L2-regularised logistic model over hashed features, on the units the
engine scores (sentences and whole posts), then quantised to one signed byte per weight. The
format is described in crate/src/model/mod.rs; a unit with features f1..fn (repeats counted)
scores sigmoid(bias + sum(w) / sqrt(n)), so each feature's value here is count / sqrt(n).

Deterministic: the data are read in a fixed order, the solver (liblinear) is seeded, and
nothing depends on the clock or the number of threads.
"""

import argparse
import json
import struct

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

SCORERS = ("tone", "promotion", "story")
BITS = 18
BALANCE = 0.5
# Inverse regularisation strength per scorer.
C = {"tone": 4.0, "promotion": 4.0, "story": 4.0}
# A sentence of a negative text that is not the whole text: a weaker negative, as some
# sentences of a clean post read alone could be taken either way.
SENTENCE_OF_NEGATIVE = 0.5


def read_units(path, count):
    """Per text, its units as (start, end, hashes)."""
    data = np.fromfile(path, dtype="<u4")
    at = 0
    texts = []
    for _ in range(count):
        n = int(data[at])
        at += 1
        units = []
        for _ in range(n):
            start, end, k = int(data[at]), int(data[at + 1]), int(data[at + 2])
            at += 3
            units.append((start, end, data[at : at + k]))
            at += k
        texts.append(units)
    if at != len(data):
        raise SystemExit("units.bin does not match texts.jsonl")
    return texts


def overlaps(unit, spans):
    return any(s < unit[1] and unit[0] < e for s, e in spans)


def rows_for(scorer, records, units):
    """The training rows of one scorer: (text index, unit index, label, weight)."""
    rows = []
    for i, (r, us) in enumerate(zip(records, units)):
        label = r["labels"].get(scorer)
        if label is None or not us:
            continue
        spans = (r.get("spans") or {}).get(scorer)
        last = len(us) - 1
        for j, u in enumerate(us):
            whole = j == last
            if label == 0:
                rows.append((i, j, 0, r["weight"] * (1.0 if whole else SENTENCE_OF_NEGATIVE)))
            elif whole:
                rows.append((i, j, 1, r["weight"]))
            elif spans and overlaps(u, spans):
                rows.append((i, j, 1, r["weight"]))
    return rows


def matrix(rows, units):
    indptr, indices, values = [0], [], []
    mask = (1 << BITS) - 1
    for i, j, _, _ in rows:
        hashes = units[i][j][2] & mask
        uniq, counts = np.unique(hashes, return_counts=True)
        indices.append(uniq)
        values.append(counts / np.sqrt(len(hashes)))
        indptr.append(indptr[-1] + len(uniq))
    return sparse.csr_matrix(
        (np.concatenate(values), np.concatenate(indices), np.array(indptr)), shape=(len(rows), 1 << BITS)
    )


def quantise(weights):
    """One signed byte per weight, scaled so that the largest weights (past the 99.995th
    percentile of their size) are clipped rather than every small weight rounded to zero."""
    limit = float(np.quantile(np.abs(weights), 0.99995)) or 1.0
    scale = limit / 127.0
    q = np.clip(np.round(weights / scale), -127, 127).astype(np.int8)
    return q, scale


def write_model(path, q, scale, bias):
    with open(path, "wb") as f:
        f.write(b"SOM1" + bytes([BITS, 0, 0, 0]) + struct.pack("<ff", scale, bias) + q.tobytes())


def unit_scores(units, q, scale, bias):
    """Each text's highest unit probability under the quantised model, as the engine
    computes it."""
    w = q.astype(float) * scale
    mask = (1 << BITS) - 1
    out = []
    for us in units:
        best = 0.0
        for _, _, hashes in us:
            if len(hashes):
                z = bias + w[hashes & mask].sum() / np.sqrt(len(hashes))
                best = max(best, 1 / (1 + np.exp(-z)))
        out.append(best)
    return np.array(out)


THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)


def measure(scorer, evals, eval_units, q, scale, bias):
    """Precision and recall per evaluation set at several thresholds (a text counts as
    flagged when any of its units reaches the threshold), with OLID's macro-F1."""
    result = {}
    idx = [i for i, e in enumerate(evals) if scorer in e["labels"]]
    scores = unit_scores([eval_units[i] for i in idx], q, scale, bias)
    by_set = {}
    for k, i in enumerate(idx):
        by_set.setdefault(evals[i]["set"], []).append((evals[i]["labels"][scorer], scores[k]))
    for name, pairs in sorted(by_set.items()):
        y = np.array([p[0] for p in pairs])
        s = np.array([p[1] for p in pairs])
        rows = {}
        for t in THRESHOLDS:
            flag = s >= t
            tp, fp, fn = int((flag & (y == 1)).sum()), int((flag & (y == 0)).sum()), int((~flag & (y == 1)).sum())
            tn = int((~flag & (y == 0)).sum())
            p = tp / (tp + fp) if tp + fp else 1.0
            r = tp / (tp + fn) if tp + fn else 1.0
            f_pos = 2 * p * r / (p + r) if p + r else 0.0
            p_neg = tn / (tn + fn) if tn + fn else 1.0
            r_neg = tn / (tn + fp) if tn + fp else 1.0
            f_neg = 2 * p_neg * r_neg / (p_neg + r_neg) if p_neg + r_neg else 0.0
            rows[str(t)] = {"p": round(p, 3), "r": round(r, 3), "flagged_negatives": round(fp / max(1, fp + tn), 4),
                            "macro_f1": round((f_pos + f_neg) / 2, 3)}
        result[name] = {"positives": int(y.sum()), "negatives": int((y == 0).sum()), "at": rows}
        line = "  ".join(f"{t}: {v['p']:.2f}/{v['r']:.2f}" for t, v in rows.items())
        print(f"  {name:17} ({int(y.sum())}+/{int((y == 0).sum())}-) P/R  {line}")
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--texts", required=True)
    ap.add_argument("--units", required=True)
    ap.add_argument("--models", required=True)
    ap.add_argument("--eval-texts", required=True)
    ap.add_argument("--eval-units", required=True)
    ap.add_argument("--report", required=True)
    args = ap.parse_args()

    with open(args.texts, encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    units = read_units(args.units, len(records))
    with open(args.eval_texts, encoding="utf-8") as f:
        evals = [json.loads(line) for line in f]
    eval_units = read_units(args.eval_units, len(evals))
    report = {}
    for scorer in SCORERS:
        rows = rows_for(scorer, records, units)
        x = matrix(rows, units)
        y = np.array([r[2] for r in rows])
        w = np.array([r[3] for r in rows], dtype=float)
        # Positives are rarer than negatives; they are weighed up by the square root of the ratio
        # (not the whole ratio, which bought recall with too many false alarms on held-out posts).
        pos = w[y == 1].sum()
        neg = w[y == 0].sum()
        w = np.where(y == 1, w * (neg / pos) ** BALANCE, w)
        model = LogisticRegression(C=C[scorer], solver="liblinear", max_iter=200, random_state=0)
        model.fit(x, y, sample_weight=w)
        q, scale = quantise(model.coef_[0])
        bias = float(model.intercept_[0])
        write_model(f"{args.models}/{scorer}.bin", q, scale, bias)
        quantised = 1 / (1 + np.exp(-(bias + x @ (q.astype(float) * scale))))
        exact = model.predict_proba(x)[:, 1]
        report[scorer] = {
            "rows": len(rows),
            "positives": int(y.sum()),
            "nonzero_weights": int((q != 0).sum()),
            "scale": scale,
            "bias": bias,
            "quantisation_max_error": float(np.abs(quantised - exact).max()),
        }
        print(f"{scorer}: {len(rows)} units ({int(y.sum())} positive), {report[scorer]['nonzero_weights']} weights")
        report[scorer]["measured"] = measure(scorer, evals, eval_units, q, scale, bias)
    with open(args.report, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
