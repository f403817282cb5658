#!/usr/bin/env python3
"""Builds the matching engine's name-variant data from public name-pair data.

Sources (read from the shared data folder, default ../shared/data beside the project):
  names/wikidata_en_ar/wd_arabic.normalized.aligned.tokens  English token, Arabic letters, count
  names/google_ar2en/ar2en.txt                              Arabic name, English name
  un_sc/consolidated_*.xml                                  UN names in Latin and original script
  eu_fsf/output_namealias_english_2.csv                     EU aliases (Latin-Latin spellings)
plus the curated classes in CURATED below. The OFAC SDN aliases are deliberately NOT used:
they are what the evaluation set tests; nor are the UN individuals in the held-out half of
bench/build_name_evals.py's split.

Method: every English spelling is attached to the Arabic spelling it most often renders
(so "mohamed", "mohammed", "muhammad" all attach to the Arabic M-H-M-D); the spellings attached
to one Arabic form make one variant class, named after its most frequent spelling. Each spelling
belongs to at most one class, so classes never chain into each other.

Output:
  data/names/name_variants.tsv       "v<TAB>spelling<TAB>class" and "a<TAB>arabic<TAB>class"
The build compiles that file into the binary (src/match/CMakeLists.txt, cmake/embed_text.cmake).

Usage: python3 scripts/build_name_variants.py [--shared DIR]
"""
import argparse
import collections
import csv
import difflib
import glob
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from build_name_evals import split_of  # noqa: E402  (the evaluation's tuned/held-out split)

# Curated classes: Maghrebi / French / English spellings the pair data under-represents.
CURATED = [
    "mohamed mohammed muhammad mohammad mohamad muhamad mohammedi mhamed mhammed mouhamed "
    "mouhammad mohamet mehmet mehmed muhammed mohd mohummad",
    "youssef yusuf youcef yousef yousif yousuf youssouf yusef jusuf joseph yosef",
    "ahmed ahmad ahmet ahmid",
    "mahmoud mahmud mahmood mahmut",
    "mustapha mustafa moustafa mostafa moustapha mostapha",
    "abdallah abdullah abdellah abdoullah abdulla abdalla",
    "abdelkader abdulkadir abdelqader abdulqadir abdelkadir abdalqadir",
    "abderrahmane abdurrahman abdulrahman abdelrahman abderahmane abdarrahman abdurahman",
    "hussein husayn hussain husain houcine hocine hossein husein",
    "hassan hasan hacen hassen",
    "ibrahim ebrahim brahim ibraheem ibrahima",
    "ismail ismael smail ismaeel",
    "khaled khalid",
    "said saeed sayed saiid saad",
    "omar umar omer oumar",
    "othman uthman osman otman outhman",
    "ali aly",
    "aicha aisha aysha aishah aiesha",
    "fatima fatma fatiha fatimah",
    "khadija khadidja khadijah kadija",
    "nasser nasir nacer naser nassir",
    "yahya yahia yehia yahiya",
    "yacine yassine yasin yassin",
    "zakaria zakariya zakariyya zakarya",
    "abou abu abo",
    "soufiane sufyan sofiane soufian sufian",
    "tarek tariq tarik",
    "walid waleed oualid",
    "rachid rashid rasheed",
    "hamid hamed",
    "karim kareem",
    "jamal djamal gamal jamel djamel",
    "nour nur noor",
    "ayoub ayub ayyub",
    "driss idriss idris",
    "ilyas ilias elias elyas",
    "bilal belal",
    "mourad murad morad",
    "salah saleh salih",
]

# East Slavic given names: the Russian, Ukrainian and Belarusian official romanizations of one
# name ("Vladimir" / "Volodymyr" / "Uladzimir"). Their patronymics are generated from them
# ("Vladimirovich" / "Volodymyrovych" / "Uladzimiravich" make one class).
CURATED_SLAVIC = [
    "aleksandr alexander aleksander oleksandr alexandre aliaksandr alyaksandr aleksandar",
    "aleksei alexei alexey aleksey oleksiy oleksii oleksij aliaksei alyaksei alyaksey",
    "anatoly anatoliy anatolii anatoli anatol",
    "andrei andrey andriy andrii andrej andrij",
    "boris barys",
    "denis denys dzianis dzyanis",
    "dmitry dmitri dmitriy dmytro dzmitry dzmitryi dmitrij",
    "fyodor fedor fedir fiodar",
    "gennady gennadiy gennadi hennadiy henadz hienadz",
    "grigory grigori grigoriy hryhoriy hryhorii ryhor rygor",
    "igor ihor ihar",
    "ilya illia ilia illya",
    "kirill kyrylo kiryl",
    "konstantin kostiantyn kanstantsin konstyantyn",
    "leonid leanid",
    "maksim maxim maksym",
    "mikhail mykhailo mykhaylo mikhailo michail mikhal",
    "nikolai nikolay mykola mikalai mikalay nicolai nikolaj",
    "oleg oleh aleh",
    "pavel pavlo paval",
    "pyotr petr petro piotr piatro pyatro",
    "semyon semen siamion",
    "sergei sergey serguei serhiy serhii siarhei siarhej",
    "stanislav stanislau",
    "valery valeri valeriy valerii",
    "vasily vasili vasiliy vasyl vasil vasilij",
    "viktor victor viktar",
    "vladimir volodymyr uladzimir uladzimer vladymyr wladimir",
    "vyacheslav viacheslav vyacheslau viachaslau",
    "yaroslav iaroslav jaroslav",
    "yevgeny evgeny yevgeniy evgeniy evgueni yevhen yevheniy yauhen ievgen",
    "yuri yury yuriy iouri yurii yurij",
    "anna hanna ganna",
    "irina iryna",
    "lyudmila liudmyla ludmila liudmila",
    "maria mariya mariia maryia",
    "natalia natalya nataliya natallia",
    "olga olha volha",
    "svetlana svitlana sviatlana",
    "tatiana tatyana tetiana tatsiana",
    "yekaterina ekaterina kateryna katsiaryna",
    "yelena elena olena alena alyona",
    "yulia yuliya iuliia",
]
PATRONYMIC_MALE = ["ovich", "evich", "ievich", "yevich", "avich", "ovych", "evych", "yovych"]
PATRONYMIC_FEMALE = ["ovna", "evna", "ievna", "yevna", "avna", "ivna", "auna", "yivna"]


def patronymics(name):
    """Spellings of the patronymics made from a given name, male and female."""
    stems = {name}
    if name[-1] in "aeiouy":
        stems.add(name[:-1])
    male = {stem + suffix for stem in stems for suffix in PATRONYMIC_MALE}
    female = {stem + suffix for stem in stems for suffix in PATRONYMIC_FEMALE}
    return male, female

ARABIC_DIACRITICS = re.compile("[\u064B-\u0652\u0670\u0640]")
ALEF_FORMS = str.maketrans({"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627",
                            "\u0671": "\u0627"})


def fold_latin(token):
    """Lower-case ASCII letters only, the form the C++ normalizer produces for a Latin token."""
    token = unicodedata.normalize("NFKD", token.lower())
    return "".join(ch for ch in token if "a" <= ch <= "z")


def fold_arabic(token):
    token = ARABIC_DIACRITICS.sub("", unicodedata.normalize("NFKC", token))
    return token.translate(ALEF_FORMS).replace(" ", "")


def is_arabic(text):
    return any("\u0600" <= ch <= "\u06FF" for ch in text)


def add_positional(counts, arabic_name, latin_name):
    ar = [fold_arabic(t) for t in re.split(r"[\s\-]+", arabic_name) if t]
    la = [fold_latin(t) for t in re.split(r"[\s\-']+", latin_name) if t]
    if len(ar) != len(la) or not ar:
        return
    for a, l in zip(ar, la):
        if a and len(l) >= 2:
            counts[a][l] += 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared", "data"))
    args = parser.parse_args()
    shared = args.shared

    counts = collections.defaultdict(collections.Counter)  # arabic -> latin -> count
    wd = os.path.join(shared, "names/wikidata_en_ar/wd_arabic.normalized.aligned.tokens")
    with open(wd, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or not parts[2].isdigit():
                continue
            latin = fold_latin(parts[0])
            if len(latin) < 2 or latin != parts[0].lower():
                continue  # drop tokens with punctuation ("mohamed.")
            counts[fold_arabic(parts[1])][latin] += int(parts[2])
    g = os.path.join(shared, "names/google_ar2en/ar2en.txt")
    with open(g, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2:
                add_positional(counts, parts[0], parts[1])
    for path in sorted(glob.glob(os.path.join(shared, "un_sc/*.xml"))):
        for ind in ET.parse(path).getroot().iter("INDIVIDUAL"):
            original = (ind.findtext("NAME_ORIGINAL_SCRIPT") or "").strip()
            if not is_arabic(original):
                continue
            # The held-out half of the Arabic-script evaluation never feeds the data.
            if split_of((ind.findtext("REFERENCE_NUMBER") or "").strip()) == "held_out":
                continue
            latin = " ".join((ind.findtext(tag) or "").strip() for tag in
                             ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"))
            add_positional(counts, original, latin)

    # Attach each Latin spelling to the Arabic form it most often renders.
    latin_total = collections.Counter()
    best = {}
    for arabic, latins in counts.items():
        for latin, n in latins.items():
            latin_total[latin] += n
            if latin not in best or n > best[latin][1]:
                best[latin] = (arabic, n)
    classes = collections.defaultdict(list)  # arabic -> [(latin, n)]
    for latin, (arabic, n) in best.items():
        arabic_total = sum(counts[arabic].values())
        # Noise filter: a spelling must be seen twice and carry a real share of the form.
        if n < 2 or n < 0.03 * arabic_total or n < 0.5 * latin_total[latin]:
            continue
        classes[arabic].append((latin, n))

    variant_class = {}
    arabic_class = {}
    for arabic, members in classes.items():
        members.sort(key=lambda m: (-m[1], m[0]))
        canonical = members[0][0]
        arabic_class[arabic] = canonical
        if len(members) < 2:
            continue
        for latin, _ in members:
            variant_class[latin] = canonical

    # EU aliases: two Latin spellings of the same person, same token count, similar tokens.
    eu = os.path.join(shared, "eu_fsf/output_namealias_english_2.csv")
    if os.path.exists(eu):
        by_entity = collections.defaultdict(list)
        with open(eu, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row.get("Entity_SubjectType") == "P" and row.get("NameAlias_WholeName"):
                    by_entity[row["Entity_LogicalId"]].append(row["NameAlias_WholeName"])
        for names in by_entity.values():
            toks = [[fold_latin(t) for t in re.split(r"[\s\-']+", n) if fold_latin(t)]
                    for n in names]
            for i in range(len(toks)):
                for j in range(i + 1, len(toks)):
                    if len(toks[i]) != len(toks[j]):
                        continue
                    for a, b in zip(toks[i], toks[j]):
                        if a == b or len(a) < 3 or len(b) < 3 or a[0] != b[0]:
                            continue
                        if difflib.SequenceMatcher(None, a, b).ratio() < 0.75:
                            continue
                        ca, cb = variant_class.get(a), variant_class.get(b)
                        if ca and not cb:
                            variant_class[b] = ca
                        elif cb and not ca:
                            variant_class[a] = cb

    # Curated classes win over derived ones.
    for line in CURATED + CURATED_SLAVIC:
        members = line.split()
        for m in members:
            variant_class[m] = members[0]
    # A class named after a spelling that a curated class took over follows it there
    # ("aleksandar" -> "alexander" -> "aleksandr"), so one name has one class.
    for latin in list(variant_class):
        seen = set()
        target = variant_class[latin]
        while variant_class.get(target, target) != target and target not in seen:
            seen.add(target)
            target = variant_class[target]
        variant_class[latin] = target
    for line in CURATED_SLAVIC:
        members = line.split()
        for m in members:
            male, female = patronymics(m)
            for spelling in male:
                variant_class.setdefault(spelling, members[0] + "ovich")
            for spelling in female:
                variant_class.setdefault(spelling, members[0] + "ovna")

    lines = ["# entente name-variant classes. Generated by scripts/build_name_variants.py; "
             "do not edit by hand.",
             "# v<TAB>latin spelling<TAB>class     a<TAB>arabic spelling<TAB>class"]
    for latin in sorted(variant_class):
        lines.append(f"v\t{latin}\t{variant_class[latin]}")
    for arabic in sorted(arabic_class):
        lines.append(f"a\t{arabic}\t{arabic_class[arabic]}")
    text = "\n".join(lines) + "\n"

    out_dir = os.path.join(ROOT, "data", "names")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "name_variants.tsv"), "w", encoding="utf-8") as f:
        f.write(text)

    print(f"{len(variant_class)} Latin spellings in "
          f"{len(set(variant_class.values()))} classes, {len(arabic_class)} Arabic spellings",
          file=sys.stderr)


if __name__ == "__main__":
    main()
