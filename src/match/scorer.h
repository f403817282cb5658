// Scoring of one candidate against one query: name parts aligned order-free, each pair
// compared (exact, variant class, consonant skeleton, Jaro-Winkler, initials, joined parts) and
// weighed by rarity; then birth date, nationality, identity number and gender adjust the score.
// Every step leaves a MatchFactor, so the result explains itself.
//
// Scoring never fails: its inputs were checked when they were normalized.
// Thread-safety: pure functions over caller-owned data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "match/matcher.h"
#include "match/normalize.h"
#include "model/partial_date.h"

namespace entente::match {

// A name part ready for comparison: folded text, ids of its variant class and skeleton (equal
// ids mean equal keys; kNoKey when absent) and its weight (rarity x role).
inline constexpr uint32_t kNoKey = 0xFFFFFFFFu;
struct ScoredToken {
  std::string_view text;
  uint32_t class_id = kNoKey;
  uint32_t skeleton_id = kNoKey;
  TokenRole role = TokenRole::kWord;
  float weight = 1.0f;
  bool known_name = false;  // IsKnownName(text)
  uint32_t letters = 0;     // LetterMask(text), or 0 to have it computed when needed
  uint32_t id = kNoKey;     // the listed part's id in the index (kNoKey: not memoized)
  std::string_view arabic;  // NameToken::arabic: the part's Arabic-script letters, if any
};

// Part-pair similarities remembered within one query: the names scored for a query share
// most of their parts, so each (query part, listed part) pair is compared once.
// Not thread-safe: one per thread (the index keeps one in each query's scratch).
class SimilarityMemo {
 public:
  SimilarityMemo();
  // Forgets everything (call when the query changes). Cheap.
  void Clear();
  // TokenSimilarity(query_part, listed_part) for query part number `query_index`, from memory
  // when the pair was compared since Clear(). `listed_part.id` identifies the listed part.
  double Similarity(size_t query_index, const ScoredToken& query_part,
                    const ScoredToken& listed_part, const char** how);

 private:
  struct Entry {
    uint64_t key = 0;
    uint32_t stamp = 0;
    float similarity = 0.0f;
    const char* how = nullptr;
  };
  std::vector<Entry> entries_;
  uint32_t stamp_ = 1;
  size_t used_ = 0;
};

// The set of letters a-z in `text`, one bit each (other bytes fold onto them).
uint32_t LetterMask(std::string_view text);

struct NameScore {
  double score = 0.0;  // [0, 1]
  std::string detail;  // "mohamed~muhammad variant; idrissi exact; missing: hassan"
};

// How much weight a name part missing from the query (present in the candidate) costs,
// relative to one that the query has and the candidate lacks (1.0).
inline constexpr double kMissingInQueryCost = 0.45;

// When both names keep a part the other lacks (two different given names), that is a conflict,
// not a missing middle name: this share of the lighter unmatched part is added to the cost.
inline constexpr double kConflictCost = 0.5;

// Two known given names of different classes ("karim" / "hakim") are different names: however
// close their spelling, their similarity is at most this.
inline constexpr double kDistinctNamesCap = 0.5;

// A Latin part close in spelling to an Arabic-script one whose letters it cannot render
// ("sad" for سعيد, Said) scores at most this.
inline constexpr double kScriptDiffersCap = 0.75;

// Two romanizations of one Korean or Chinese syllable ("Chang" / "Jang", "Cho" / "Jo": the older
// systems write ch, k, p, t where the newer write j, g, b, d) score this.
inline constexpr double kRomanizedSyllableSimilarity = 0.85;
// A French "ou" before a vowel against a "w" ("Ouaz" / "Waz": both write و) scores this.
inline constexpr double kFrenchWawSimilarity = 0.9;

// Two renderings of one word that differ only in their vowels, letter for letter ("Obeidi" /
// "Ubaydi": unvocalized Arabic leaves the vowels to the writer) score this.
inline constexpr double kVowelsDifferSimilarity = 0.8;

// When the query is one known given name and nothing else ("Muhammad"), the name scores at
// most this (below the default threshold): a given name alone is not a hit.
inline constexpr double kSingleGivenNameCap = 0.6;

// A listed part agreeing at least this much is in the query (for ListedPartsCovered): the
// listed name is a subset of the query, whose other parts may then be explained.
inline constexpr double kCoveringSimilarity = 0.8;

// A query part the listed name lacks that is a title, kunya, nasab or nisba
// (match/name_affixes.h), when the listed name is a subset of the query, costs this share of its
// weight: "Sheikh Hassan Dahir Aweys" is a near-exact match of "Hassan Dahir Aweys".
inline constexpr double kExplainedExtraCost = 0.1;
// A nasab or nisba is explained only when the listed name has at least this many parts.
inline constexpr int kFamilyAffixListedParts = 3;

// When one side is in Arabic script and the first given names differ, or one side has a first
// given name the other lacks (a brother, son or father sharing the other parts), the name scores
// at most this (below the default threshold; an agreeing birth date can still make a hit).
inline constexpr double kOtherGivenNameCap = 0.7;
// Two first given names paired with less similarity than this count as different names there.
inline constexpr double kFirstNamesAgree = 0.8;

// Scores how well `query` names `candidate`. When `explain` is false, `detail` stays empty.
// `candidate_is_organization`: single letters in an organization's name are not initials.
// `memo`, when given, remembers the part-pair similarities for the query's next names.
NameScore ScoreNames(const std::vector<ScoredToken>& query,
                     const std::vector<ScoredToken>& candidate, bool explain,
                     bool candidate_is_organization = false, SimilarityMemo* memo = nullptr);

// The similarity of two name parts in [0, 1] and how it was found ("exact", "variant",
// "script", "skeleton", "romanization", "ou=w", "vowels", "typo", "translit+typo", "similar",
// "initial", "other name", "script differs"); 0 and nullptr when they differ. A part written in
// Arabic script and a Latin one consistent with it (match/cross_script.h) are "script", 1.0:
// as exact as the script can tell, unless both are known given names of different classes.
double TokenSimilarity(const ScoredToken& a, const ScoredToken& b, const char** how);

// Birth dates: exact, one day off, day/month swapped, year only, one digit off add; a year
// far away (a namesake) takes off. Returns 0 with no factor when either side is unknown.
// `name_score` (the names' agreement, [0, 1]) lets a full date that agrees (exact, one day off,
// day and month swapped) corroborate a name that already agrees in part: two independent pieces
// of evidence say more together than each alone. Pass a negative value to leave it out.
double CompareBirthDates(const PartialDate& query, const std::vector<PartialDate>& candidate,
                         std::string* detail, double name_score = -1.0);

// A name agreeing at least this much is corroborated by an agreeing full birth date.
inline constexpr double kCorroboratedNameScore = 0.35;
// What the corroboration adds.
inline constexpr double kCorroborationBonus = 0.12;
double CompareNationality(const std::string& query, const std::vector<std::string>& candidate,
                          std::string* detail);
// The most CompareBirthDates (an exact full date backing up the name) and CompareNationality
// can add together, for a query with a birth date and/or a nationality (CompareGender only takes
// off; identity numbers are left out): a name scoring under the threshold by more than this is
// not a hit whatever the entity's facts.
double MostFactsAdd(bool birth_date, bool nationality);
// `query` and `candidate` normalized by NormalizeIdNumber. An exact match adds
// kSameIdNumberBonus; the result is then at least kSameDocumentScore (see below).
inline constexpr double kSameIdNumberBonus = 0.25;
// A result whose identity number is the query's (at least six letters and digits) scores at
// least this, whatever the names say: the same document under another name is an alias to
// review, not a namesake.
inline constexpr double kSameDocumentScore = 0.85;
double CompareIdNumbers(const std::string& query, const std::vector<std::string>& candidate,
                        std::string* detail);
double CompareGender(Gender query, Gender candidate, std::string* detail);

}  // namespace entente::match
