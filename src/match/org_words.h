// Organization words that lists translate: "الجماعة الإسلامية المسلحة" is listed as ARMED
// ISLAMIC GROUP and GROUPE ISLAMIQUE ARME, not as a transliteration. Each word of the table
// (org_words.tsv, compiled in) has one English form; NormalizeName gives that form to the
// Arabic-script word and to its French form, so the parts meet in the index (retrieval) and in
// the scorer (an exact part, in any order: Arabic puts the adjective after the noun). The
// Arabic letters stay on the part, so a Latin transliteration ("jamaat") still meets it.
//
// The table holds words that are never a person's name (group, army, front, office...).
//
// Thread-safety: pure functions over constant tables.
#pragma once

#include <string_view>

namespace entente::match {

// The English form of an Arabic-script word given as its ArabicCode letters, article dropped
// (NameToken::arabic), or "" when the table does not list it.
std::string_view OrgWordForArabic(std::string_view arabic_code);

// The English form of a folded Latin word the table lists in another language ("groupe" ->
// "group", "armee" -> "army"), or "" when it does not.
std::string_view OrgWordForLatin(std::string_view folded);

// How the explanation writes the Arabic-script word `arabic_code` ("jamaa" for جماعة), or ""
// when the table does not list it.
std::string_view OrgWordRomanization(std::string_view arabic_code);

}  // namespace entente::match
