// Name parts that say something about a person without naming them: titles (Sheikh, Qari,
// Hajj, Seyyed, Mullah, Dr, General...), kunyas (Abu X, Umm X), nasab links (bin/ibn/ould X),
// nisbas (al-Masri, al-Sudani: where a person or their family comes from) and patronymics
// (Fiodorovich, Grygorovych: the father's given name, which many lists leave out). The table
// also lists the names that make a compound with a bare "Abd" ("Abd Rabbuh", "Abd Manaf").
//
// A query often adds one of these to a listed name ("Sheikh Hassan Dahir Aweys" for the listed
// "Hassan Dahir Aweys"): when every part of the listed name is in the query, the extra part is
// explained, not a conflict. Each part by itself names thousands of people, so it never makes a
// hit on its own. The word lists are data (name_affixes.tsv, compiled in), not rules in the scorer.
//
// Thread-safety: pure functions over constant tables.
#pragma once

#include <cstdint>
#include <string_view>

namespace entente::match {

enum class AffixKind : uint8_t {
  kNone,
  kTitle,       // sheikh, hajj, qari, mullah, seyyed, dr, general...
  kKunya,       // abu X, umm X (joined into one part by NormalizeName: "abubakr", "ummhani")
  kNasab,       // bin X: the part after a "bin" (ben, ibn, ould), and the "bin" itself
  kNisba,       // masri, sudani, libi, baghdadi... (the article is dropped by NormalizeName)
  kPatronymic,  // a part ending -ovich, -evna, -ovych, -auna, ogly... (the father's name)
};

// True when the folded part is a title (NormalizeName gives titles the particle role).
bool IsTitle(std::string_view folded);

// True when the folded part is a nisba the table lists.
bool IsNisba(std::string_view folded);

// True when the folded part is a name that follows a bare "Abd" in a compound without an
// article ("rabbuh", "manaf", "rahman": the `abd` lines of the table). NormalizeName joins "abd"
// to the next part only then, or when the article was written ("Abd al-Qadir").
bool IsAbdCompoundHalf(std::string_view folded);

// The kind of a folded, canonical part taken alone (never kNasab: that depends on the part
// before it, see the scorer).
AffixKind AffixKindOf(std::string_view folded);

// "title", "kunya", "nasab", "nisba", "patronymic" ("" for kNone), for explanations.
const char* AffixKindName(AffixKind kind);

}  // namespace entente::match
