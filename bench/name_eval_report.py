#!/usr/bin/env python3
"""Scores a match_bench run per kind, per split (tuned / held_out) and per name category.

  python3 bench/name_eval_report.py --detail D.csv --hits HITS.csv --watchlist W.csv
                                    [--queries Q.csv] [--threshold 0.75] [--misses N]
                                    [--false-positives N]

D.csv is a *_detail.csv from bench/build_name_evals.py (or its dev_detail.csv); HITS.csv is
match_bench's --hits output for the same queries. As in match_bench, a query counts as a true
positive when its best hit at or above the threshold is the expected entity; any other best hit
is a false positive.

Categories (of a positive query against the listed spellings of its entity; one query may be
in several):
  no_shared_part   no folded name part of the query is in any listed spelling (the ceiling
                   of a name matcher);
  longer_query     the query has more parts than every listed spelling;
  title_kunya      the query has a title, kunya (abu/umm) or nasab (bin/ibn) part the listed
                   spellings lack;
  compound         abd/abdel/abdul, -din/-eddine/-uddin or -allah parts;
  persian          -zadeh/-zada, -pur/-pour, -i/-y spellings;
  arabic_cons      the parts differ by an Arabic consonant written several ways (dh/th/z/d,
                   q/k/g, j/dj/g, ou/u, ch/sh, ', doubled letters);
  slavic           -ovich/-evich/-ovna patronymics or Cyrillic-origin spellings.
"""
import argparse
import collections
import csv
import re
import unicodedata

TITLES = {"sheikh", "shaykh", "shaikh", "cheikh", "haji", "hajji", "hadj", "hajj", "mullah",
          "mulla", "maulvi", "mawlawi", "maulana", "qari", "sayyid", "seyed", "seyyed", "syed",
          "sayed", "dr", "imam", "mufti", "hafiz", "amir", "emir", "abu", "abou", "umm", "um",
          "bin", "ibn", "ben", "bint", "ould"}


def fold_parts(text):
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch if "a" <= ch <= "z" else " " for ch in text).split()


def categories(query, listed):
    q = fold_parts(query)
    names = [fold_parts(n) for n in listed]
    parts = {p for n in names for p in n}
    cats = []
    if not set(q) & parts:
        cats.append("no_shared_part")
    if names and all(len(q) > len(n) for n in names):
        cats.append("longer_query")
    if any(p in TITLES for p in q if p not in parts):
        cats.append("title_kunya")
    joined = " ".join(q)
    if re.search(r"\babd|din\b|dine\b|deen\b|allah\b|ullah\b|ollah\b", joined):
        cats.append("compound")
    if re.search(r"zadeh\b|zada\b|pur\b|pour\b|khosro|khusraw", joined):
        cats.append("persian")
    if re.search(r"(vich|vych|vna|auna)\b", joined):
        cats.append("slavic")
    cons = re.compile(r"dh|th|dj|ou|ch|sh|kh|gh|q|(.)\1")
    if cons.search(joined) or "'" in query or "`" in query:
        cats.append("arabic_cons")
    return cats or ["other"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--detail", required=True)
    ap.add_argument("--hits", required=True)
    ap.add_argument("--watchlist", required=True)
    ap.add_argument("--queries", help="the queries CSV (default: D.csv's *_queries.csv)")
    ap.add_argument("--threshold", type=float, default=0.75)
    ap.add_argument("--misses", type=int, default=0, help="print N missed tuned positives")
    ap.add_argument("--false-positives", type=int, default=0)
    args = ap.parse_args()

    listed = {}
    with open(args.watchlist, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            listed[r["id"]] = [r["name"]] + [a for a in r["aliases"].split("|") if a]
    best = {}
    with open(args.hits, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            s = float(r["score"])
            if s >= args.threshold and (r["query_id"] not in best or best[r["query_id"]][0] < s):
                best[r["query_id"]] = (s, r["source_id"])
    with open(args.detail, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(args.queries or args.detail.replace("_detail.csv", "_queries.csv"),
              encoding="utf-8") as f:
        qnames = {r["id"]: r["name"] for r in csv.DictReader(f)}

    stats = collections.defaultdict(lambda: [0, 0, 0, 0])  # expected, tp, answered, fp
    missed = []
    fps = []
    for r in rows:
        qid, want = r["query_id"], r["expected_watchlist_id"]
        got = best.get(qid)
        keys = [("all", r["split"]), (r["kind"], r["split"])]
        if want:
            for c in categories(qnames.get(qid, ""), listed.get(want, [])) \
                    if r["kind"].endswith("alias") else []:
                keys.append(("cat:" + c, r["split"]))
        for k in keys + [(k[0], "both") for k in keys]:
            s = stats[k]
            if want:
                s[0] += 1
            if got:
                s[2] += 1
                if want and got[1] == want:
                    s[1] += 1
                else:
                    s[3] += 1
        if want and (not got or got[1] != want) and r["split"] == "tuned":
            missed.append((qid, qnames.get(qid, ""), want, listed.get(want, [])[:3], got))
        if got and got[1] != want and r["split"] == "tuned":
            fps.append((qid, qnames.get(qid, ""), want, got, listed.get(got[1], [])[:2]))

    print(f"{'group':24} {'split':9} {'expected':>8} {'TP':>6} {'FP':>5} {'P':>6} {'R':>6}")
    for (group, split), (exp, tp, ans, fp) in sorted(stats.items()):
        p = tp / ans if ans else 0.0
        rc = tp / exp if exp else 0.0
        print(f"{group:24} {split:9} {exp:8d} {tp:6d} {fp:5d} {p:6.3f} {rc:6.3f}")
    for m in missed[:args.misses]:
        print("MISS", *m, sep=" | ")
    for m in fps[:args.false_positives]:
        print("FP", *m, sep=" | ")


if __name__ == "__main__":
    main()
