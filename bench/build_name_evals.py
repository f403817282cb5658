#!/usr/bin/env python3
"""Builds the name-matching evaluations that the dev set does not cover, from the real lists
in the shared data folder (default ../shared/data beside the project). Deterministic: the same
input gives byte-identical output.

Every entity is put in one of two halves by a hash of its list id (`Split` below): "tuned"
(misses in it may be looked at while changing the engine) and "held_out" (never looked at;
reported apart). scripts/build_name_variants.py skips the held-out UN individuals, so no
held-out name pair reaches the engine's variant data either.

Sets written to OUT (default build/name_eval):

  fresh_*        Latin-script real aliases not used by the dev set, against the dev watchlist.
                 Positives: OFAC aliases of listed entities that are neither in the watchlist
                 nor a dev query (ofac_sdn/alt.csv, alt_2025-08-11.csv, ofac_sdn_2021/alt.csv),
                 with the entity's listed birth date when it has one. Negatives: the names and
                 aliases of the entities delisted between the 2021 and the 2024 SDN lists, with
                 their own birth dates.
  ar2lat_*       Arabic-script queries against Latin-script lists. Watchlist: the UN
                 consolidated list (2025-11-20), every individual and entity in Latin script,
                 its aliases included. Positives: NAME_ORIGINAL_SCRIPT of the UN individuals and
                 entities written in Arabic script. Negatives: the same names with the first
                 (given) part exchanged for another listed person's ("the brother"), and names
                 of three real Arabic name parts drawn by their frequency in the Wikidata
                 Arabic-English name tokens. Names only, no birth dates.
  lat2ar_*       The reverse: Latin-script queries (the UN primary names of two parts or more,
                 which transliterate the original script; aliases are other names) against a
                 list holding the same people in Arabic script only; negatives:
                 the Latin names of the "brother" negatives and the Latin spellings of the
                 drawn names.
  dev_detail.csv The dev set's truth_detail.csv with the split column added.

Each *_detail.csv has query_id, expected_watchlist_id, kind, split, source_name.
Score a run with bench/name_eval_report.py (see its usage line).

Usage: python3 bench/build_name_evals.py [--shared DIR] [--out DIR]
"""
import argparse
import collections
import csv
import hashlib
import os
import random
import re
import unicodedata
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UN_FILE = "un_sc/consolidated_2025-11-20.xml"
# A name of one part besides these (a kunya "Abu Ali" alone) is no test of a full-name match.
PARTICLES = {"abu", "abou", "umm", "um", "al", "el", "bin", "ibn", "ben", "bint"}
MONTHS = {m: i + 1 for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}


def split_of(key):
    """'tuned' or 'held_out', by a hash of the entity's list id (SDN ent_num, UN reference)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return "held_out" if digest[0] % 2 else "tuned"


def is_arabic(text):
    return any("\u0600" <= ch <= "\u06FF" for ch in text)


def fold(text):
    text = unicodedata.normalize("NFKD", text.lower())
    return " ".join("".join(ch if "a" <= ch <= "z" else " " for ch in text).split())


def read_sdn(path):
    """ent_num -> (name, type, remarks) from a raw OFAC sdn.csv."""
    out = {}
    with open(path, encoding="latin-1", newline="") as f:
        for row in csv.reader(f):
            if len(row) >= 12 and row[0].strip().isdigit():
                out[row[0].strip()] = (row[1].strip(), row[2].strip(), row[11].strip())
    return out


def sdn_birth_date(remarks):
    """ISO date (or year, year-month) of the first 'DOB ...' in OFAC remarks, else ''."""
    m = re.search(r"DOB (\d{1,2}) ([A-Za-z]{3}) (\d{4})", remarks)
    if m and m.group(2).lower() in MONTHS:
        return f"{m.group(3)}-{MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"
    m = re.search(r"DOB ([A-Za-z]{3}) (\d{4})", remarks)
    if m and m.group(1).lower() in MONTHS:
        return f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}"
    m = re.search(r"DOB (?:circa )?(\d{4})", remarks)
    return m.group(1) if m else ""


def read_alt(path):
    with open(path, encoding="latin-1", newline="") as f:
        for row in csv.reader(f):
            if len(row) >= 4 and row[0].strip().isdigit() and row[3].strip() not in ("", "-0-"):
                yield row[0].strip(), row[3].strip()


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write_set(out, prefix, queries):
    """queries: [(name, birth_date, expected_id, kind, split, source)], ids assigned here."""
    q_rows, t_rows, d_rows = [], [], []
    for i, (name, dob, expected, kind, split, source) in enumerate(queries, 1):
        qid = f"{prefix.upper()}{i:05d}"
        q_rows.append([qid, name, dob, "", ""])
        t_rows.append([qid, expected])
        d_rows.append([qid, expected, kind, split, source])
    write_csv(os.path.join(out, f"{prefix}_queries.csv"),
              ["id", "name", "birth_date", "nationality", "id_number"], q_rows)
    write_csv(os.path.join(out, f"{prefix}_truth.csv"), ["query_id", "expected_watchlist_id"],
              t_rows)
    write_csv(os.path.join(out, f"{prefix}_detail.csv"),
              ["query_id", "expected_watchlist_id", "kind", "split", "source_name"], d_rows)
    counts = collections.Counter((k, s) for _, _, _, k, s, _ in queries)
    print(f"{prefix}: {len(queries)} queries " +
          ", ".join(f"{k}/{s} {n}" for (k, s), n in sorted(counts.items())))


def build_fresh(shared, dev, out):
    with open(os.path.join(dev, "watchlist.csv"), encoding="utf-8") as f:
        watch = {r["id"]: r for r in csv.DictReader(f)}
    with open(os.path.join(dev, "queries.csv"), encoding="utf-8") as f:
        dev_queries = {fold(r["name"]) for r in csv.DictReader(f)}
    listed = collections.defaultdict(set)
    all_listed = set()
    for wid, r in watch.items():
        for n in [r["name"]] + [a for a in r["aliases"].split("|") if a]:
            listed[wid].add(fold(n))
            all_listed.add(fold(n))
    queries, seen = [], set()
    for rel in ("ofac_sdn/alt.csv", "ofac_sdn/alt_2025-08-11.csv", "ofac_sdn_2021/alt.csv"):
        for ent, alias in read_alt(os.path.join(shared, rel)):
            wid = "SDN-" + ent
            key = fold(alias)
            if wid not in watch or not key or key in listed[wid] or key in dev_queries:
                continue
            if (wid, key) in seen:
                continue
            seen.add((wid, key))
            queries.append((alias, watch[wid]["birth_date"], wid, "positive_real_alias",
                            split_of(ent), rel))
    old = read_sdn(os.path.join(shared, "ofac_sdn_2021/sdn.csv"))
    new = read_sdn(os.path.join(shared, "ofac_sdn/sdn.csv"))
    old_alts = collections.defaultdict(list)
    for ent, alias in read_alt(os.path.join(shared, "ofac_sdn_2021/alt.csv")):
        old_alts[ent].append(alias)
    for ent in sorted(set(old) - set(new), key=int):
        name, sdn_type, remarks = old[ent]
        if sdn_type in ("vessel", "aircraft"):
            continue
        for n in [name] + old_alts[ent]:
            key = fold(n)
            if key and key not in all_listed and key not in dev_queries and ("x", key) not in seen:
                seen.add(("x", key))
                queries.append((n, sdn_birth_date(remarks), "", "negative_delisted",
                                split_of(ent), "ofac_sdn_2021/sdn.csv"))
    write_set(out, "fresh", queries)


def un_records(shared):
    """(reference, kind 'P'|'E', latin names [primary first], arabic original or '')."""
    root = ET.parse(os.path.join(shared, UN_FILE)).getroot()
    for tag, alias_tag, kind in (("INDIVIDUAL", "INDIVIDUAL_ALIAS", "P"),
                                 ("ENTITY", "ENTITY_ALIAS", "E")):
        for el in root.iter(tag):
            ref = (el.findtext("REFERENCE_NUMBER") or "").strip()
            primary = " ".join(p for p in ((el.findtext(t) or "").strip() for t in (
                "FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")) if p)
            aliases = [(a.findtext("ALIAS_NAME") or "").strip() for a in el.iter(alias_tag)]
            names = [primary] + [a for a in aliases if a and not is_arabic(a)]
            original = (el.findtext("NAME_ORIGINAL_SCRIPT") or "").strip()
            if ref and primary:
                yield ref, kind, names, original if is_arabic(original) else ""


def arabic_name_parts(shared):
    """Arabic name parts with their Latin spelling and count, from the Wikidata tokens."""
    path = os.path.join(shared, "names/wikidata_en_ar/wd_arabic.normalized.aligned.tokens")
    best = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or not parts[2].isdigit() or not parts[0].isalpha():
                continue
            arabic = parts[1].replace(" ", "")
            n = int(parts[2])
            if n >= 20 and (arabic not in best or best[arabic][1] < n):
                best[arabic] = (parts[0], n)
    return sorted((a, l, n) for a, (l, n) in best.items())


def build_arabic(shared, out):
    records = list(un_records(shared))
    watch_latin, watch_arabic = [], []
    for ref, kind, names, original in records:
        cat = "UN-" + ("PERSON" if kind == "P" else "ENTITY")
        watch_latin.append(["UN-" + ref, names[0], "|".join(names[1:]), "", "", "", cat])
        if original:
            watch_arabic.append(["UN-" + ref, original, "", "", "", "", cat])
    header = ["id", "name", "aliases", "birth_date", "nationality", "id_number", "category"]
    write_csv(os.path.join(out, "ar2lat_watchlist.csv"), header, watch_latin)
    write_csv(os.path.join(out, "lat2ar_watchlist.csv"), header, watch_arabic)

    rng = random.Random(19)
    with_arabic = [r for r in records if r[3]]
    persons = [r for r in with_arabic if r[1] == "P" and len(r[3].split()) >= 3]
    listed_arabic = {r[3] for r in with_arabic}
    listed_latin = {fold(n) for r in records for n in r[2]}
    ar_q, lat_q = [], []
    for ref, kind, names, original in with_arabic:
        split = split_of(ref)
        ar_q.append((original, "", "UN-" + ref, "positive_same_name", split, names[0]))
        # The primary Latin name transliterates NAME_ORIGINAL_SCRIPT; the aliases are other
        # names (a kunya, a nickname, another order), not the same name in another script.
        if len([t for t in fold(names[0]).split() if t not in PARTICLES]) >= 2:
            lat_q.append((names[0], "", "UN-" + ref, "positive_same_name", split, original))
    # "The brother": another listed person's given name with this person's other parts.
    for ref, _, names, original in persons:
        other = persons[rng.randrange(len(persons))]
        if other[0] == ref:
            continue
        ar_parts, lat_parts = original.split(), names[0].split()
        given_ar, given_lat = other[3].split()[0], other[2][0].split()[0]
        if given_ar == ar_parts[0] or fold(given_lat) == fold(lat_parts[0]):
            continue
        ar_name = " ".join([given_ar] + ar_parts[1:])
        lat_name = " ".join([given_lat] + lat_parts[1:])
        if ar_name in listed_arabic or fold(lat_name) in listed_latin:
            continue
        ar_q.append((ar_name, "", "", "negative_brother", split_of(ref), original))
        lat_q.append((lat_name, "", "", "negative_brother", split_of(ref), names[0]))
    # Three real Arabic name parts drawn by frequency.
    parts = arabic_name_parts(shared)
    weights = [n for _, _, n in parts]
    for i in range(600):
        drawn = rng.choices(parts, weights=weights, k=3)
        ar_name = " ".join(a for a, _, _ in drawn)
        lat_name = " ".join(l.capitalize() for _, l, _ in drawn)
        if ar_name in listed_arabic or fold(lat_name) in listed_latin:
            continue
        split = "tuned" if i % 2 == 0 else "held_out"
        ar_q.append((ar_name, "", "", "negative_drawn", split, lat_name))
        lat_q.append((lat_name, "", "", "negative_drawn", split, ar_name))
    write_set(out, "ar2lat", ar_q)
    write_set(out, "lat2ar", lat_q)


def build_dev_detail(dev, out):
    with open(os.path.join(dev, "truth_detail.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out_rows = []
    for r in rows:
        ent = r["expected_watchlist_id"].replace("SDN-", "") or r["query_id"]
        out_rows.append([r["query_id"], r["expected_watchlist_id"], r["kind"], split_of(ent),
                         r["source_name"], r["ops"]])
    write_csv(os.path.join(out, "dev_detail.csv"),
              ["query_id", "expected_watchlist_id", "kind", "split", "source_name", "ops"],
              out_rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared", "data"))
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "name_eval"))
    args = parser.parse_args()
    dev = os.path.join(args.shared, "..", "eval", "screening_dev")
    os.makedirs(args.out, exist_ok=True)
    build_fresh(args.shared, dev, args.out)
    build_arabic(args.shared, args.out)
    build_dev_detail(dev, args.out)


if __name__ == "__main__":
    main()
