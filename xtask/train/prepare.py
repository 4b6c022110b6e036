"""Reads every training source into one JSON Lines file of labelled texts for `fit.py`.

Run by `cargo xtask train`. Each output line:
  {"text", "source", "weight", "labels": {scorer: 0 | 1}, "spans": {scorer: [[start, end], ...]} | null}
`labels` gives, per scorer (tone, promotion, story), whether the text is positive; a scorer
missing from it does not learn from the text. `spans` (UTF-8 byte offsets) say where a
positive text's problem lies, so that only the sentences holding it count as positive; without
spans only the text as a whole does.

The public sets are read where they are (`--data`, normally ../shared/data) and never copied
into the repository; docs/models.md lists their sources and licences. The project's own posts
are `xtask/train/posts/*.jsonl` and the development corpus `tests/corpus/dev*.jsonl`. Held-out
sets (tests/corpus/holdout.jsonl and probe.jsonl, the real posts in ../shared/corpus) are
never read here.
"""

import argparse
import ast
import csv
import json
import os
import sys

csv.field_size_limit(1 << 30)

SCORERS = ("tone", "promotion", "story")
# The corpus's categories and the scorer that learns each.
CATEGORY = {"tone": "tone", "conflict": "promotion", "identifier": "story"}

# How much one text of each source counts. The project's own posts are few beside the public
# sets and are what the scorers must get right, so they weigh most.
OWN_WEIGHT = 4.0


def byte_span(text, start, end):
    return [len(text[:start].encode()), len(text[:end].encode())]


def snippet_spans(text, snippets):
    spans = []
    for s in snippets:
        at = text.find(s)
        if at >= 0:
            spans.append(byte_span(text, at, at + len(s)))
    return spans


def char_runs(offsets):
    """Sorted character offsets as [start, end) runs."""
    runs = []
    for o in sorted(set(offsets)):
        if runs and o == runs[-1][1]:
            runs[-1][1] = o + 1
        else:
            runs.append([o, o + 1])
    return runs


def record(text, source, weight, labels, spans=None):
    text = text.strip()
    if not text:
        return None
    return {"text": text, "source": source, "weight": weight, "labels": labels, "spans": spans}


def labelled_posts(path, source):
    """The project's own format: labels map a category to exact snippets."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                post = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{n}: {e}")
            text = post["text"]
            labels = {s: 0 for s in SCORERS}
            spans = {}
            for category, snippets in (post.get("labels") or {}).items():
                if category in CATEGORY and snippets:
                    scorer = CATEGORY[category]
                    labels[scorer] = 1
                    spans[scorer] = snippet_spans(text, snippets)
            out.append(record(text, source, OWN_WEIGHT, labels, spans))
    return out


def olid(data):
    out = []
    with open(os.path.join(data, "olid/olid-training-v1.0.tsv"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            a, b = row["subtask_a"], row["subtask_b"]
            # Untargeted profanity is not a hostile tone towards anyone: left out.
            tone = 1 if b == "TIN" else 0 if a == "NOT" else None
            labels = {"promotion": 0, "story": 0}
            if tone is not None:
                labels["tone"] = tone
            out.append(record(row["tweet"], "olid", 1.0, labels))
    return out


def davidson(data):
    out = []
    with open(os.path.join(data, "davidson/labeled_data.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            cls = int(row["class"])
            # Hate speech and offensive language; the offensive class is mostly slang insults,
            # so it counts for less.
            tone, weight = (1, 1.0) if cls == 0 else (1, 0.3) if cls == 1 else (0, 0.5)
            out.append(record(row["tweet"], "davidson", weight, {"tone": tone, "promotion": 0, "story": 0}))
    return out


def semeval_spans(data):
    out = []
    with open(os.path.join(data, "toxic-spans/SemEval2021/data/tsd_train.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            offsets = ast.literal_eval(row["spans"])
            if not offsets:
                continue
            text = row["text"]
            spans = [byte_span(text, s, e) for s, e in char_runs(offsets)]
            out.append(record(text, "toxic-spans", 1.0, {"tone": 1}, {"tone": spans}))
    return out


def civil_comments(data):
    """Civil Comments with typed spans: a comment is hostile where at least two annotators
    marked an insult, threat or identity attack; not hostile where most marked it not toxic.
    Profanity alone is neither."""
    base = os.path.join(data, "toxic-spans/data")
    comments = {}
    with open(os.path.join(base, "comments.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            comments[row["comment_id"]] = row["comment_text"]
    annotators, not_toxic, by_annotation = {}, {}, {}
    with open(os.path.join(base, "annotations.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            cid = row["comment_id"]
            annotators[cid] = annotators.get(cid, 0) + 1
            not_toxic[cid] = not_toxic.get(cid, 0) + (row["not toxic"] == "True")
            by_annotation[row["annotation"]] = cid
    marks = {}
    with open(os.path.join(base, "spans.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["type"] not in ("Insult", "Threat", "Identity attack"):
                continue
            cid = by_annotation.get(row["annotation"])
            if cid is not None:
                marks.setdefault(cid, []).append((int(row["start"]), int(row["end"])))
    out = []
    for cid, text in sorted(comments.items()):
        spans = marks.get(cid, [])
        counted = {}
        for s, e in spans:
            for o in range(s, min(e, len(text))):
                counted[o] = counted.get(o, 0) + 1
        agreed = [o for o, c in counted.items() if c >= 2]
        if agreed:
            runs = [byte_span(text, s, e) for s, e in char_runs(agreed)]
            out.append(record(text, "civil-comments", 1.0, {"tone": 1}, {"tone": runs}))
        elif not_toxic.get(cid, 0) * 2 > annotators.get(cid, 0):
            out.append(record(text, "civil-comments", 1.0, {"tone": 0}))
    return out


def paradetox(data):
    """Rude sentences and their polite rewrites: the same topic in two tones."""
    out = []
    with open(os.path.join(data, "paradetox/paradetox.tsv"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            out.append(record(row["toxic"], "paradetox", 1.0, {"tone": 1}))
            for k in ("neutral1", "neutral2", "neutral3"):
                if row.get(k):
                    out.append(record(row[k], "paradetox", 0.7, {"tone": 0}))
    return out


def goemotions(data):
    """Reddit comments: those with no hostile emotion are tone negatives; all are neither
    promotions nor patients' stories."""
    with open(os.path.join(data, "goemotions/labels.txt"), encoding="utf-8") as f:
        names = [line.strip() for line in f if line.strip()]
    hostile = {names.index(n) for n in ("anger", "annoyance", "disapproval", "disgust")}
    out = []
    with open(os.path.join(data, "goemotions/train.tsv"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            text, emotions = row["text"], {int(x) for x in row["label"].split(",")}
            labels = {"promotion": 0, "story": 0}
            if not emotions & hostile:
                labels["tone"] = 0
            out.append(record(text, "goemotions", 0.5, labels))
    return out


def clinical_query_list(data):
    """The synthetic clinicians' queries in file order, each with its tagged patient details."""
    with open(os.path.join(data, "synthetic-clinical-queries/synthetic_dataset.txt"), encoding="utf-8") as f:
        blocks = f.read().split("===QUERY===")[1:]
    out = []
    for block in blocks:
        query, _, tags = block.partition("===PHI_TAGS===")
        out.append((query.strip(), [json.loads(t)["value"] for t in tags.strip().splitlines() if t.strip()]))
    return out


def clinical_queries(data):
    """Clinicians' questions, with the patient details they give tagged: a patient's story
    when tagged, a general question when not. Every other query is left for evaluation."""
    out = []
    for text, values in clinical_query_list(data)[::2]:
        labels = {"tone": 0, "promotion": 0, "story": 1 if values else 0}
        spans = {"story": snippet_spans(text, values)} if values else None
        out.append(record(text, "clinical-queries", 1.0, labels, spans))
    return out


def health_misinformation(data):
    """Health misinformation from Reddit: misleading claims, the advertising scorer's
    positives that no brand or offer gives away."""
    out = []
    with open(os.path.join(data, "health-misinfo-reddit/Health_Misinformation_reddit_Dataset.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.append(record(row["text"], "health-misinfo", 0.5, {"promotion": 1, "tone": 0}))
    return out


def evaluation_sets(data, corpus, real):
    """Texts the scorers are measured on and never fitted to: the real posts, the held-out
    and probe corpus files, OLID's test set, the identity-term templates and the clinical
    queries training leaves out. Each: {"text", "set", "labels": {scorer: 0 | 1}}."""
    out = []

    def add(text, name, labels):
        out.append({"text": text, "set": name, "labels": labels})

    def corpus_file(path, name):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    post = json.loads(line)
                    cats = post.get("labels") or {}
                    if isinstance(cats, dict):
                        cats = [c for c, v in cats.items() if v]
                    add(post["text"], name, {CATEGORY[c]: int(c in cats) for c in CATEGORY})

    if real and os.path.exists(real):
        corpus_file(real, "real-dev")
    for name in ("holdout", "probe"):
        path = os.path.join(corpus, name + ".jsonl")
        if os.path.exists(path):
            corpus_file(path, name)
    labels = {}
    with open(os.path.join(data, "olid/labels-levela.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            labels[row["id"]] = row["label"]
    with open(os.path.join(data, "olid/testset-levela.tsv"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            add(row["tweet"], "olid-test", {"tone": int(labels[row["id"]] == "OFF")})
    with open(os.path.join(data, "bias-madlibs/bias_madlibs_77k.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            add(row["Text"], "madlibs", {"tone": int(row["Label"] == "BAD")})
    for text, values in clinical_query_list(data)[1::2]:
        add(text, "clinical-queries", {"story": int(bool(values))})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--posts", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--real", help="real posts to measure on (../shared/corpus/real-dev.jsonl)")
    ap.add_argument("--eval-out", required=True)
    args = ap.parse_args()

    records = []
    for name in sorted(os.listdir(args.posts)):
        if name.endswith(".jsonl"):
            records += labelled_posts(os.path.join(args.posts, name), "own:" + name[: -len(".jsonl")])
    for name in sorted(os.listdir(args.corpus)):
        if name.startswith("dev") and name.endswith(".jsonl"):
            records += labelled_posts(os.path.join(args.corpus, name), "corpus:" + name[: -len(".jsonl")])
    for load in (olid, davidson, semeval_spans, civil_comments, paradetox, goemotions, clinical_queries, health_misinformation):
        records += load(args.data)
    records = [r for r in records if r is not None]

    counts = {}
    with open(args.out, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
            key = r["source"].split(":")[0]
            counts[key] = counts.get(key, 0) + 1
    print(f"{len(records)} texts: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    evaluation = evaluation_sets(args.data, args.corpus, args.real)
    with open(args.eval_out, "w", encoding="utf-8") as f:
        for e in evaluation:
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
    print(f"{len(evaluation)} texts to measure on")


if __name__ == "__main__":
    main()
