#!/usr/bin/env python3
"""Validate the Second Opinion labelled corpus (dev.jsonl, holdout.jsonl, dev2.jsonl, dev3.jsonl,
dev4.jsonl).

Usage:  python3 tests/corpus/validate_corpus.py [file.jsonl ...]
        (defaults to dev.jsonl and holdout.jsonl next to this script, plus
        dev2.jsonl, dev3.jsonl and dev4.jsonl when they exist)

Errors (exit status 1):
  * a line that is not a JSON object, or is missing a required field
  * duplicate ids (within or across files), or ids not matching d0001 / h0001 / e0001 /
    f0001 / g0001 style (e0001 is used by dev2.jsonl, f0001 by dev3.jsonl, g0001 by dev4.jsonl)
  * platform or label category not in the allowed sets
  * a label snippet that is empty or not an exact substring of text
  * a "clean-*" kind with labels, or a non-clean kind without labels
  * identical text appearing twice
Warnings (printed, not fatal):
  * a snippet that occurs more than once in its text (underline position ambiguous)
  * an x (Twitter) post longer than 280 characters
  * a clean post containing a digit run that passes a health-ID checksum
    (only if /work/shared/research/checksums.py or CHECKSUMS_PY is available)
Then prints counts per category, per kind and per platform for each file.
"""
from __future__ import annotations

import collections
import importlib.util
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PLATFORMS = {"x", "facebook", "linkedin", "instagram", "reddit", "bluesky",
             "threads", "mastodon", "review-reply", "tiktok", "blog"}
CATEGORIES = ("identifier", "tone", "conflict")
REQUIRED = ("id", "platform", "text", "labels", "kind", "note")
ID_RE = {"dev": re.compile(r"^d\d{4}$"), "holdout": re.compile(r"^h\d{4}$"),
         "dev2": re.compile(r"^e\d{4}$"), "dev3": re.compile(r"^f\d{4}$"),
         "dev4": re.compile(r"^g\d{4}$"), "probe": re.compile(r"^p\d{4}$"),
         "probe-learned": re.compile(r"^f[p-z]-\d{4}$")}
# Public service numbers that happen to pass a health-ID checksum. They are
# deliberate "looks like an ID but is not" cases in clean posts, so the
# checksum cross-check reports them as INFO rather than WARN.
KNOWN_PUBLIC_NUMBERS = {
    "1300659467": "Suicide Call Back Service (AU) - passes UK NHS and US NPI checksums",
    "1800247247": "Pieta crisis line (IE) - passes the Ontario OHIP (Luhn) checksum",
    "0800733843": "Women's Refuge crisis line (NZ) - passes the UK NHS checksum",
    "1800551800": "Kids Helpline (AU) - passes UK NHS and US NPI checksums",
    "0800376633": "Youthline (NZ) - passes the UK NHS checksum",
}


def load_checksums():
    path = os.environ.get("CHECKSUMS_PY", "/work/shared/research/checksums.py")
    if not os.path.exists(path):
        return None
    spec = importlib.util.spec_from_file_location("checksums", path)
    mod = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(mod)
    except Exception:
        return None
    return mod


def checksum_hits(cs, text):
    """Digit runs (spaces/hyphens allowed) that pass any health-ID validator."""
    hits = []
    for m in re.finditer(r"\d[\d \-]{7,20}\d", text):
        raw = m.group(0)
        digits = re.sub(r"[ \-]", "", raw)
        for name in ("au_medicare_valid", "au_ihi_valid", "uk_nhs_valid", "us_npi_valid",
                     "ca_bc_phn_valid", "ca_ohip_valid"):
            fn = getattr(cs, name, None)
            if fn and len(digits) in (10, 11, 16) and fn(digits):
                hits.append((raw, name))
    for m in re.finditer(r"\b[A-Z]{3}\d{2}[A-Z\d]{2}\b", text):
        fn = getattr(cs, "nz_nhi_valid", None)
        if fn and fn(m.group(0)):
            hits.append((m.group(0), "nz_nhi_valid"))
    for m in re.finditer(r"\b\d{3}-\d{2}-\d{4}\b", text):
        fn = getattr(cs, "us_ssn_valid", None)
        if fn and fn(m.group(0)):
            hits.append((m.group(0), "us_ssn_valid"))
    return hits


def validate(path, seen_ids, seen_texts, cs, infos):
    errors, warnings = [], []
    base = os.path.basename(path)
    split = ("probe-learned" if base.startswith("probe-learned") else "probe" if base.startswith("probe") else "holdout" if "holdout" in base else "dev2" if base.startswith("dev2")
             else "dev3" if base.startswith("dev3") else "dev4" if base.startswith("dev4")
             else "dev")
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            where = f"{os.path.basename(path)}:{n}"
            if not line.strip():
                errors.append(f"{where}: blank line")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{where}: invalid JSON ({e})")
                continue
            if not isinstance(obj, dict):
                errors.append(f"{where}: not an object")
                continue
            missing = [k for k in REQUIRED if k not in obj]
            if missing:
                errors.append(f"{where}: missing {missing}")
                continue
            extra = set(obj) - set(REQUIRED)
            if extra:
                warnings.append(f"{where}: unexpected fields {sorted(extra)}")
            pid, text, labels = obj["id"], obj["text"], obj["labels"]
            where = f"{where} [{pid}]"
            if not isinstance(pid, str) or not ID_RE[split].match(pid):
                errors.append(f"{where}: bad id format for {split}")
            if pid in seen_ids:
                errors.append(f"{where}: duplicate id (also {seen_ids[pid]})")
            seen_ids[pid] = where
            if not isinstance(text, str) or not text.strip():
                errors.append(f"{where}: empty text")
                continue
            if text in seen_texts:
                errors.append(f"{where}: duplicate text (also {seen_texts[text]})")
            seen_texts[text] = where
            if obj["platform"] not in PLATFORMS:
                errors.append(f"{where}: unknown platform {obj['platform']!r}")
            if obj["platform"] == "x" and len(text) > 280:
                warnings.append(f"{where}: x post is {len(text)} chars (> 280)")
            for k in ("kind", "note"):
                if not isinstance(obj[k], str) or not obj[k].strip():
                    errors.append(f"{where}: empty {k}")
            if not isinstance(labels, dict):
                errors.append(f"{where}: labels must be an object")
                continue
            positive = []
            for cat, snippets in labels.items():
                if cat not in CATEGORIES:
                    errors.append(f"{where}: unknown category {cat!r}")
                    continue
                if not isinstance(snippets, list):
                    errors.append(f"{where}: {cat} must be a list")
                    continue
                if snippets:
                    positive.append(cat)
                for s in snippets:
                    if not isinstance(s, str) or not s:
                        errors.append(f"{where}: empty/non-string snippet in {cat}")
                    elif s not in text:
                        errors.append(f"{where}: {cat} snippet not in text: {s!r}")
                    elif text.count(s) > 1:
                        warnings.append(f"{where}: {cat} snippet occurs {text.count(s)}x: {s!r}")
            is_clean_kind = obj["kind"].startswith("clean")
            if is_clean_kind and positive:
                errors.append(f"{where}: kind {obj['kind']!r} but has labels {positive}")
            if not is_clean_kind and not positive:
                errors.append(f"{where}: kind {obj['kind']!r} but no labels")
            if cs and not positive:
                for raw, name in checksum_hits(cs, text):
                    digits = re.sub(r"[ \-]", "", raw)
                    if digits in KNOWN_PUBLIC_NUMBERS:
                        infos.append(f"{where}: {raw!r} passes {name} (known public number: "
                                     f"{KNOWN_PUBLIC_NUMBERS[digits]})")
                    else:
                        warnings.append(f"{where}: clean post contains {raw!r} which passes {name}")
            rows.append((obj, positive))
    return rows, errors, warnings


def report(path, rows):
    print(f"\n=== {os.path.basename(path)}: {len(rows)} posts ===")
    cat = collections.Counter()
    combo = collections.Counter()
    kinds = collections.Counter()
    plats = collections.Counter()
    lengths = []
    for obj, positive in rows:
        for c in positive:
            cat[c] += 1
        combo["+".join(positive) or "clean"] += 1
        kinds[obj["kind"]] += 1
        plats[obj["platform"]] += 1
        lengths.append(len(obj["text"]))
    print("posts positive per category:", ", ".join(f"{c}={cat[c]}" for c in CATEGORIES),
          f", clean={combo['clean']}")
    print("label combinations:", dict(sorted(combo.items(), key=lambda kv: -kv[1])))
    print("platforms:", dict(sorted(plats.items(), key=lambda kv: -kv[1])))
    if lengths:
        print(f"text length: min {min(lengths)}, median {sorted(lengths)[len(lengths)//2]}, max {max(lengths)}")
    print("kinds:")
    for k, v in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {v:4d}  {k}")


def main(argv):
    paths = argv[1:] or [os.path.join(HERE, "dev.jsonl"), os.path.join(HERE, "holdout.jsonl")]
    for extra in ("dev2.jsonl", "dev3.jsonl", "dev4.jsonl"):
        if not argv[1:] and os.path.exists(os.path.join(HERE, extra)):
            paths.append(os.path.join(HERE, extra))
    cs = load_checksums()
    seen_ids, seen_texts = {}, {}
    all_errors, all_warnings, results, infos = [], [], [], []
    for p in paths:
        if not os.path.exists(p):
            all_errors.append(f"{p}: missing")
            continue
        rows, errs, warns = validate(p, seen_ids, seen_texts, cs, infos)
        results.append((p, rows))
        all_errors += errs
        all_warnings += warns
    for p, rows in results:
        report(p, rows)
    for i in infos:
        print("  INFO", i)
    if all_warnings:
        print(f"\n{len(all_warnings)} warning(s):")
        for w in all_warnings:
            print("  WARN", w)
    if all_errors:
        print(f"\n{len(all_errors)} error(s):")
        for e in all_errors:
            print("  ERROR", e)
        return 1
    print("\nOK" + ("" if cs else " (checksum cross-check skipped: checksums.py not found)"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
