#!/usr/bin/env bash
# Builds one seed folder per fuzz target under OUT (default build-fuzz/fuzz-seeds): small
# pieces of the real public data in ../shared/data (README.md there says what each file is)
# plus the hand-written seeds committed under fuzz/seeds/<target>/. Nothing large is copied:
# every seed is a few KiB at most, cut at record or element boundaries.
#
#   fuzz/seeds.sh [OUT] [SHARED_DATA_DIR]
#
# Without the shared data folder only the committed seeds are used (a warning says so).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$ROOT/build-fuzz/fuzz-seeds}"
DATA="${2:-${ENTENTE_SHARED_DIR:-$ROOT/../shared}/data}"
TARGETS=(csv sdn un ftm generic_csv jsonl stix_bundle taxii_envelope agreement risk_rules
         hitnohit_plain hitnohit_private normalize http_path)

rm -rf "$OUT"
for t in "${TARGETS[@]}"; do
  mkdir -p "$OUT/$t"
  if [ -d "$ROOT/fuzz/seeds/$t" ]; then cp "$ROOT/fuzz/seeds/$t/"* "$OUT/$t/" 2>/dev/null || true; fi
done
cp "$ROOT"/config/agreements/*.toml "$OUT/agreement/"
cp "$ROOT/config/risk_rules.toml" "$OUT/risk_rules/"

if [ ! -d "$DATA" ]; then
  echo "seeds: $DATA not found; only the committed seeds are used" >&2
  exit 0
fi

python3 - "$DATA" "$OUT" <<'PY'
import json, os, re, sys

data, out = sys.argv[1], sys.argv[2]

def put(target, name, content):
    if isinstance(content, str):
        content = content.encode("utf-8")
    with open(os.path.join(out, target, name), "wb") as f:
        f.write(content)

def lines(path, start, count):
    with open(os.path.join(data, path), "rb") as f:
        all_lines = f.read().splitlines(keepends=True)
    return b"".join(all_lines[start:start + count])

# csv: the heads and a middle slice of every CSV of the shared data.
csv_files = ["ofac_sdn/sdn.csv", "ofac_sdn/alt.csv", "ofac_sdn/add.csv",
             "ofac_sdn/alt_2025-08-11.csv", "ofac_sdn_2021/sdn.csv",
             "eu_fsf/output_namealias_english_2.csv", "eu_fsf/eu-list-BirthDate-src.csv",
             "uk_fcdo/uk_sanctions_list_2025-08-11.csv", "uk_hmt_conlist_sample/ConList.csv",
             "names/nomenklatura_name_bench/cases.csv"]
for i, path in enumerate(csv_files):
    if os.path.exists(os.path.join(data, path)):
        put("csv", "head%02d.csv" % i, lines(path, 0, 12))
        put("csv", "mid%02d.csv" % i, lines(path, 400, 8))

# sdn: sdn.csv + 0x1E 0x1E + alt.csv + 0x1E 0x1E + add.csv, for matching ent_nums; the tail
# with the 0x1A end-of-file record; rows with long remarks (DOB, passports, Linked To).
SEP = b"\x1e\x1e"
for folder in ["ofac_sdn", "ofac_sdn_2021"]:
    base = os.path.join(data, folder)
    if not os.path.isdir(base):
        continue
    sdn = open(os.path.join(base, "sdn.csv"), "rb").read().splitlines(keepends=True)
    alt = open(os.path.join(base, "alt.csv"), "rb").read().splitlines(keepends=True)
    add = open(os.path.join(base, "add.csv"), "rb").read().splitlines(keepends=True)
    def ent(line):
        m = re.match(rb"\s*(\d+),", line)
        return m.group(1) if m else None
    for k, start in enumerate([0, 3000, 6000, 9000]):
        rows = sdn[start:start + 10]
        ids = {ent(r) for r in rows}
        a = [l for l in alt if ent(l) in ids][:10]
        d = [l for l in add if ent(l) in ids][:10]
        put("sdn", "%s_%d" % (folder, k), b"".join(rows) + SEP + b"".join(a) + SEP + b"".join(d))
    put("sdn", folder + "_tail", b"".join(sdn[-4:]))
    rich = [l for l in sdn if b"Linked To" in l or b"Passport" in l][:8]
    put("sdn", folder + "_remarks", b"".join(rich))

# un: the list's head and a few INDIVIDUAL and ENTITY elements, closed.
for name in ["consolidated_2025-11-20.xml", "consolidated_2025-04-19.xml"]:
    path = os.path.join(data, "un_sc", name)
    if not os.path.exists(path):
        continue
    text = open(path, encoding="utf-8").read()
    head = text[:text.index("<INDIVIDUALS>")]
    people = re.findall(r"<INDIVIDUAL>.*?</INDIVIDUAL>", text, re.S)
    entities = re.findall(r"<ENTITY>.*?</ENTITY>", text, re.S)
    scripts = [p for p in people if "<NAME_ORIGINAL_SCRIPT>" in p]
    for k, group in enumerate([people[:2], people[100:102], scripts[:2], scripts[50:52]]):
        put("un", "%s_people%d.xml" % (name[:23], k),
            head + "<INDIVIDUALS>" + "".join(group) + "</INDIVIDUALS><ENTITIES>" +
            "".join(entities[k:k + 1]) + "</ENTITIES></CONSOLIDATED_LIST>\n")

# ftm: each line of the OpenSanctions samples on its own, and small groups of lines.
for name in sorted(os.listdir(os.path.join(data, "opensanctions"))):
    with open(os.path.join(data, "opensanctions", name), "rb") as f:
        rows = [l for l in f.read().splitlines(keepends=True) if l.strip()]
    for k, row in enumerate(rows[:40]):
        if len(row) < 8192:
            put("ftm", "%s_%02d" % (name[:20], k), row)
    put("ftm", "%s_group" % name[:20], b"".join(r for r in rows[:6] if len(r) < 4096))

# stix_bundle: the OASIS examples under 16 KiB, and single objects of the larger bundles and of
# MITRE ATT&CK, each in a bundle of its own.
stix = os.path.join(data, "stix")
bundles = []
for name in sorted(os.listdir(os.path.join(stix, "oasis_examples"))):
    path = os.path.join(stix, "oasis_examples", name)
    raw = open(path, "rb").read()
    if len(raw) <= 16384:
        put("stix_bundle", name, raw)
    doc = json.loads(raw)
    bundles.append(doc.get("objects", [doc]))
for name in ["mitre_attack/ics-attack-18.1.json", "mitre_attack/mobile-attack-17.1.json"]:
    path = os.path.join(stix, name)
    if os.path.exists(path):
        objs = json.load(open(path, encoding="utf-8"))["objects"]
        seen, picked = set(), []
        for o in objs:
            if o.get("type") not in seen:
                seen.add(o.get("type"))
                picked.append(o)
        bundles.append(picked)
n = 0
for objs in bundles:
    for o in objs[:12]:
        b = {"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e%03d" % (n % 1000),
             "objects": [o]}
        text = json.dumps(b)
        if len(text) < 8192:
            put("stix_bundle", "object%03d.json" % n, text)
            # taxii_envelope: the same object in an envelope, posted (0x00), posted signed
            # (0x02) and served as a pulled page (0x03 0x02).
            env = json.dumps({"more": False, "objects": [o]})
            put("taxii_envelope", "post%03d" % n, b"\x00\x00" + env.encode())
            put("taxii_envelope", "signed%03d" % n, b"\x02\x00" + env.encode())
            put("taxii_envelope", "pull%03d" % n, b"\x03\x02" + env.encode())
        n += 1

# normalize: names in every script the data holds.
names = []
sdn_path = os.path.join(data, "ofac_sdn/sdn.csv")
if os.path.exists(sdn_path):
    for line in open(sdn_path, encoding="latin-1").read().splitlines()[:4000:40]:
        m = re.match(r'\d+,"([^"]*)"', line)
        if m:
            names.append(m.group(1))
for name in ["consolidated_2025-11-20.xml"]:
    path = os.path.join(data, "un_sc", name)
    if os.path.exists(path):
        names += re.findall(r"<NAME_ORIGINAL_SCRIPT>(.*?)</NAME_ORIGINAL_SCRIPT>",
                            open(path, encoding="utf-8").read())[:60]
putin = os.path.join(data, "names/nomenklatura_name_bench/putin_names.txt")
if os.path.exists(putin):
    names += [l.strip() for l in open(putin, encoding="utf-8") if l.strip()]
cases = os.path.join(data, "names/nomenklatura_name_bench/cases.csv")
if os.path.exists(cases):
    import csv
    for k, row in enumerate(csv.reader(open(cases, encoding="utf-8"))):
        if k and k % 8 == 0 and len(row) > 3:
            names += [row[2], row[3]]
for k, name in enumerate(names):
    put("normalize", "name%03d" % k, name)
PY
for t in "${TARGETS[@]}"; do
  printf '%s:%s ' "$t" "$(find "$OUT/$t" -type f | wc -l)"
done
echo
