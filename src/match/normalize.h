// Name normalization: turns a name as written (any script, any case, accents, punctuation,
// particles) into a short list of folded Latin tokens that meet their French and English
// transliterations. This runs once per name (index build, query); the scorer and the index only
// see its output, so the hot path makes no ICU call.
//
// Steps: NFKC + case folding (ICU); Latin letters lose their diacritics ("Zümrüt" -> "zumrut");
// Arabic script is mapped part by part, first through the name-variant data ("محمد" ->
// "mohamed"), else letter by letter into a consonant-heavy Latin form; Cyrillic, Greek and
// other scripts go through ICU transliteration (Russian BGN for Cyrillic). Then the name parts
// are canonicalized both ways: articles dropped (al-, el-, ad-Din's "ad-"), "abd"/"abdel"/"abdul"
// + next part joined into one part ("Abd al-Qadir" == "Abdelkader" -> "abdkader"), "abu/abou"
// likewise, "ben/bin/ibn/ould" become the particle "bin" and joined forms are split when the
// rest is a known name ("Benali" -> "bin ali"), "ed-Din/eddine/uddin" endings unified.
//
// Thread-safety: all functions are thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace entente::match {

// What a name part is, which decides its weight.
enum class TokenRole : uint8_t {
  kWord,       // a name part proper
  kParticle,   // bin, ould, ait, titles (sheikh, dr), stop words (de, of, the)
  kLegalForm,  // llc, sarl, gmbh, ltd, sa, company...
  kCommon,     // words frequent in organization names: trading, group, international, bank...
};

struct NameToken {
  std::string text;  // folded: [a-z0-9]+
  TokenRole role = TokenRole::kWord;
  // For a part written in Arabic script: its letters as ArabicCode bytes (match/cross_script.h),
  // the article dropped, joined like `text` ("عبد الرحمن" -> one part). Empty otherwise.
  std::string arabic;
};

struct NormalizedName {
  std::vector<NameToken> tokens;
};

// Limits checked by NormalizeName.
inline constexpr size_t kMaxNameBytes = 1024;
inline constexpr size_t kMaxNameTokens = 16;

// Folds `text` to lower-case ASCII letters and digits separated by single spaces; a '-' marks
// a hyphen between parts. InvalidArgument for invalid UTF-8 (naming the byte offset).
Result<std::string> FoldToLatin(std::string_view text);

// The full pipeline. InvalidArgument (field "name") when the name is empty, longer than
// kMaxNameBytes, not valid UTF-8, or has nothing matchable (only particles or punctuation).
// Names with more than kMaxNameTokens parts keep their first kMaxNameTokens parts.
Result<NormalizedName> NormalizeName(std::string_view text);

// The variant class of a folded, canonical token ("mhamed" -> "mohamed"), or the token itself.
std::string_view ClassKey(std::string_view token);

// True when the folded, canonical token is a given name the variant data knows ("karim",
// "hakim"): two known names of different classes are different names, not typos of each other.
bool IsKnownName(std::string_view token);

// A consonant skeleton that survives vowel changes, doubled letters and common
// transliteration digraphs: "mohammed", "muhammad", "mhamed" -> "mhmd"; "pankrashkin" and
// "pankrachkin" -> "pnkrskn".
std::string Skeleton(std::string_view token);

// Identity numbers: upper-case letters and digits only ("AB-123 456" -> "AB123456").
std::string NormalizeIdNumber(std::string_view text);

}  // namespace entente::match
