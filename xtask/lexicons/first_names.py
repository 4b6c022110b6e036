"""Writes rules/lexicons/first-names.txt: common first names, for the patient-first-name rule.

Source: the 1990 US Census name-frequency files (public domain), as shipped in the PyPI
package `names` 0.3.0 (`names/dist.female.first`, `names/dist.male.first`); pass the folder
that holds them. Names that are also everyday lower-case words ("will", "may", "grace", "bill")
are left out: for each name, the project's training texts (target/train/texts.jsonl, written
by `cargo xtask train`) are searched, and a name seen more often in lower case than
capitalised inside a sentence is dropped, since a capitalised "May" or "Hope" at a sentence
start would otherwise read as a name. Month names are dropped too (dates have their own rules), and a few names listed in WORDS.

    python3 xtask/lexicons/first_names.py DIR target/train/texts.jsonl > rules/lexicons/first-names.txt
"""

import collections
import json
import re
import sys

# The share of people (percent, in the census sample) a name must cover to be listed.
MIN_PERCENT = 0.005
MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"}
# Names that posts use more often as words the texts above do not show: a faith, a drug's
# street name, a warning colour.
WORDS = {"Christian", "Crystal", "Amber", "Sandy", "Major", "Royal", "Precious", "Golden"}


def census(path):
    for line in open(path, encoding="ascii"):
        name, percent, _, _ = line.split()
        if float(percent) >= MIN_PERCENT and len(name) > 2:
            yield name.capitalize()


def main():
    folder, texts = sys.argv[1], sys.argv[2]
    names = sorted(set(census(f"{folder}/dist.female.first")) | set(census(f"{folder}/dist.male.first")))
    lower = {n.lower() for n in names}
    as_word, as_name = collections.Counter(), collections.Counter()
    for line in open(texts, encoding="utf-8"):
        # Words inside a sentence: after a letter, digit or comma and a space.
        for word in re.findall(r"(?<=[\w,] )[A-Za-z]+\b", json.loads(line)["text"]):
            key = word.lower()
            if key in lower:
                (as_word if word.islower() else as_name)[key] += 1
    kept = [n for n in names if n not in MONTHS and n not in WORDS and as_word[n.lower()] <= as_name[n.lower()]]
    print("# Common first names, for the patient-first-name rule. From the 1990 US Census name")
    print("# frequency files (public domain), names covering at least 0.005 % of people, less those")
    print("# that are also everyday words; made by xtask/lexicons/first_names.py (its doc says how).")
    for n in kept:
        print(n)


if __name__ == "__main__":
    main()
