#include "match/scorer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "match/cross_script.h"
#include "match/org_words.h"
#include "match/name_affixes.h"
#include "match/similarity.h"

namespace entente::match {

namespace {

std::string Fixed2(double value) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f", value);
  return buf;
}

// Cheap filter before Jaro-Winkler: parts sharing fewer than half their distinct letters are
// not spellings of one another.
bool ShareEnoughLetters(const ScoredToken& a, const ScoredToken& b) {
  const uint32_t mask_a = a.letters != 0 ? a.letters : LetterMask(a.text);
  const uint32_t mask_b = b.letters != 0 ? b.letters : LetterMask(b.text);
  return 2 * __builtin_popcount(mask_a & mask_b) >= __builtin_popcount(mask_a | mask_b);
}

// Part pairs a SimilarityMemo holds (a power of two; half are used before it stops storing).
constexpr size_t kMemoEntries = 1024;

// Transliterated typos: parts at least this long, credit between the floor and the cap.
constexpr int kMinTransliteratedTypoLength = 5;
constexpr double kTransliteratedTypoFloor = 0.65;
constexpr double kTransliteratedTypoCap = 0.8;

// The letters that carry a name through transliteration: vowels, y, w and h dropped (and v
// when `drop_v`: see ConsonantsWithinOneEdit).
size_t Consonants(std::string_view text, char* out, size_t capacity, bool drop_v = false) {
  size_t size = 0;
  for (char ch : text) {
    if (size == capacity) break;
    if (ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u' || ch == 'y' || ch == 'w' ||
        ch == 'h' || (drop_v && ch == 'v')) {
      continue;
    }
    out[size++] = ch;
  }
  return size;
}

bool ConsonantsWithinOneEdit(std::string_view a, std::string_view b) {
  char buf_a[32];
  char buf_b[32];
  const size_t size_a = Consonants(a, buf_a, sizeof(buf_a));
  const size_t size_b = Consonants(b, buf_b, sizeof(buf_b));
  const int edits = BoundedOsa(std::string_view(buf_a, size_a), std::string_view(buf_b, size_b), 1);
  // One consonant of three is a third of the name ("bouzid" / "bouazza"): too much.
  if (edits == 0 || (edits == 1 && std::min(size_a, size_b) >= 4)) return true;
  // Persian writes و as v where Arabic renderings write w ("Fadavi" / "Fadwi"): with a v on one
  // side and a w on the other, the v is read as the w.
  const bool v_a = a.find('v') != std::string_view::npos;
  const bool v_b = b.find('v') != std::string_view::npos;
  const bool w_a = a.find('w') != std::string_view::npos;
  const bool w_b = b.find('w') != std::string_view::npos;
  if (!((v_a && w_b) || (v_b && w_a))) return false;
  const size_t read_a = Consonants(a, buf_a, sizeof(buf_a), true);
  const size_t read_b = Consonants(b, buf_b, sizeof(buf_b), true);
  return std::string_view(buf_a, read_a) == std::string_view(buf_b, read_b);
}

bool IsLatinVowel(char ch) { return ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u'; }

// The first consonant of a romanized Korean or Chinese syllable: "ch" or one letter of the pairs
// below; 0 when the part starts otherwise.
size_t SyllableInitial(std::string_view part) {
  if (part.size() >= 2 && part[0] == 'c' && part[1] == 'h') return 2;
  const char ch = part.empty() ? '\0' : part[0];
  return ch == 'j' || ch == 'k' || ch == 'g' || ch == 'p' || ch == 'b' || ch == 't' || ch == 'd'
             ? 1
             : 0;
}

// Two romanizations of one Korean or Chinese syllable: McCune-Reischauer and Wade-Giles write
// ch, k, p, t where the newer systems write j, g, b, d ("Chang" / "Jang", "Chin" / "Jin",
// "Cho" / "Jo", "Kil" / "Gil", "Tong" / "Dong"). The rest of the syllable (one run of vowels,
// then consonants; four letters at most) must be the same.
bool SyllableRomanizations(std::string_view a, std::string_view b) {
  const size_t initial_a = SyllableInitial(a);
  const size_t initial_b = SyllableInitial(b);
  if (initial_a == 0 || initial_b == 0) return false;
  const std::string_view rest = a.substr(initial_a);
  if (rest != b.substr(initial_b) || rest.empty() || rest.size() > 4) return false;
  if (!IsLatinVowel(rest[0]) && rest[0] != 'y' && rest[0] != 'w') return false;
  // One syllable: one run of vowels ("Tarek" / "Darek" are two).
  size_t pos = 1;
  while (pos < rest.size() && IsLatinVowel(rest[pos])) ++pos;
  for (; pos < rest.size(); ++pos) {
    if (IsLatinVowel(rest[pos])) return false;
  }
  const std::string_view x = a.substr(0, initial_a);
  const std::string_view y = b.substr(0, initial_b);
  auto pair = [&](std::string_view one, std::string_view other) {
    return (x == one && y == other) || (x == other && y == one);
  };
  return pair("ch", "j") || pair("k", "g") || pair("p", "b") || pair("t", "d");
}

bool IsVowelOrGlide(char ch) { return IsLatinVowel(ch) || ch == 'y' || ch == 'w'; }

// Two renderings of one Arabic word that differ only in its vowels, letter for letter, one of
// them a diphthong written with y or w after a vowel where the other writes a vowel ("Obeidi" /
// "Ubaydi", "Seyfullah" / "Saifullah"): unvocalized Arabic leaves the vowels to the writer. Both
// parts have the same length and the same consonants in the same places, at least two of them.
// Without the y or w, vowels alone tell Latin names apart ("Imane" / "Amine", "Emilia" / "Amalia").
bool OnlyVowelsDiffer(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.size() < 5) return false;
  int consonants = 0;
  bool diphthong = false;
  for (size_t i = 0; i < a.size(); ++i) {
    const bool vowel_a = IsVowelOrGlide(a[i]);
    if (vowel_a != IsVowelOrGlide(b[i])) return false;
    if (!vowel_a) {
      if (a[i] != b[i]) return false;
      ++consonants;
    } else if (a[i] != b[i] && i > 0 && IsLatinVowel(a[i]) != IsLatinVowel(b[i])) {
      // A vowel against the y or w of a diphthong (after a vowel: "ay", "ey", "aw").
      const std::string_view glide_side = IsLatinVowel(a[i]) ? b : a;
      diphthong = diphthong || IsLatinVowel(glide_side[i - 1]);
    }
  }
  return consonants >= 2 && diphthong;
}

// A part with "ou" before a vowel read as "w", as French spelling writes و there ("Ouaz" /
// "Waz", "Oualid" / "Walid"), into `out` (at least part.size() bytes); returns its size.
size_t FrenchWawAsW(std::string_view part, char* out) {
  size_t size = 0;
  for (size_t i = 0; i < part.size(); ++i) {
    if (part[i] == 'o' && i + 2 < part.size() && part[i + 1] == 'u' && IsLatinVowel(part[i + 2])) {
      out[size++] = 'w';
      ++i;
    } else {
      out[size++] = part[i];
    }
  }
  return size;
}

// "Ouaz" and "Waz" are one spelling once the French "ou" before a vowel is read as "w".
bool SameWithFrenchWaw(std::string_view a, std::string_view b) {
  // "ou" -> "w" makes a part one letter shorter: the longer part has the "ou".
  if (a.size() < b.size()) std::swap(a, b);
  if (a.size() == b.size() || a.size() - b.size() > 2 || a.size() > 32 ||
      a.find("ou") == std::string_view::npos) {
    return false;
  }
  char read_a[32];
  char read_b[32];
  const size_t size_a = FrenchWawAsW(a, read_a);
  const size_t size_b = FrenchWawAsW(b, read_b);
  return std::string_view(read_a, size_a) == std::string_view(read_b, size_b);
}

bool IsInitialOf(std::string_view initial, std::string_view word) {
  return initial.size() == 1 && word.size() > 1 && word[0] == initial[0];
}

// Concatenation test for joined/split parts: "benjaouad" vs "ben"+"jaouad".
double JoinedSimilarity(std::string_view joined, std::string_view left, std::string_view right) {
  if (joined.size() < left.size() + right.size() - 2 ||
      joined.size() > left.size() + right.size() + 2 || joined[0] != left[0]) {
    return 0.0;
  }
  char buf[130];
  if (left.size() + right.size() > 128) return 0.0;
  std::copy(left.begin(), left.end(), buf);
  std::copy(right.begin(), right.end(), buf + left.size());
  std::string_view both(buf, left.size() + right.size());
  if (both == joined) return 0.95;
  double jw = JaroWinkler(both, joined);
  return jw >= 0.92 ? jw * 0.95 : 0.0;
}

// What an unmatched part costs: its weight; a "bin" makes the part after it another name
// ("Bensaid" is not "Said"), so it costs more than that part.
double UnmatchedCost(const std::vector<ScoredToken>& name, size_t idx) {
  if (name[idx].text != "bin") return name[idx].weight;
  double cost = std::max(name[idx].weight, 2.0f);
  if (idx + 1 < name.size()) cost = std::max<double>(cost, 1.5 * name[idx + 1].weight);
  return cost;
}

}  // namespace

uint32_t LetterMask(std::string_view text) {
  uint32_t mask = 0;
  for (char ch : text) mask |= 1u << ((ch - 'a') & 31);
  return mask;
}

namespace {
double SpellingSimilarity(const ScoredToken& a, const ScoredToken& b, const char** how);
}  // namespace

namespace {

// What the Arabic script tells about two parts (see TokenSimilarity).
enum class ScriptVerdict {
  kUnknown,    // neither side in Arabic script, or two known names of different classes
  kSame,       // the same spelling, or a Latin one consistent with the Arabic letters
  kDifferent,  // one side in Arabic script, and the other's Latin letters cannot render it
};

ScriptVerdict CompareScripts(const ScoredToken& a, const ScoredToken& b) {
  if (a.arabic.empty() && b.arabic.empty()) return ScriptVerdict::kUnknown;
  if (a.known_name && b.known_name && a.class_id != b.class_id) return ScriptVerdict::kUnknown;
  if (!a.arabic.empty() && !b.arabic.empty()) {
    return SameArabicSpelling(a.arabic, b.arabic) ? ScriptVerdict::kSame : ScriptVerdict::kUnknown;
  }
  const bool same = !a.arabic.empty() ? CrossScriptConsistent(a.arabic, b.text)
                                      : CrossScriptConsistent(b.arabic, a.text);
  return same ? ScriptVerdict::kSame : ScriptVerdict::kDifferent;
}

// When two equal parts met because one is the translation of an Arabic-script organization
// word (match/org_words.h): how the explanation writes that word ("jamaa"), else "".
std::string_view TranslatedFrom(const ScoredToken& query, const ScoredToken& listed) {
  if (query.text != listed.text || query.arabic.empty() == listed.arabic.empty()) return {};
  const std::string_view arabic = query.arabic.empty() ? listed.arabic : query.arabic;
  if (CrossScriptConsistent(arabic, listed.text)) return {};
  return OrgWordRomanization(arabic);
}

}  // namespace

double TokenSimilarity(const ScoredToken& a, const ScoredToken& b, const char** how) {
  if (a.text == b.text) {
    *how = "exact";
    return 1.0;
  }
  const ScriptVerdict script = CompareScripts(a, b);
  if (script == ScriptVerdict::kSame) {
    *how = "script";
    return 1.0;
  }
  if (a.class_id != kNoKey && a.class_id == b.class_id) {
    // Two given names one variant class joins but the Arabic letters tell apart (سعيد is Said,
    // not Saad): other names.
    if (script == ScriptVerdict::kDifferent && a.known_name && b.known_name) {
      *how = "other name";
      return kDistinctNamesCap;
    }
    *how = "variant";
    return 0.95;
  }
  const double similarity = SpellingSimilarity(a, b, how);
  if (a.known_name && b.known_name && similarity > kDistinctNamesCap) {
    *how = "other name";
    return kDistinctNamesCap;
  }
  // Close in spelling, but not a rendering of the Arabic letters: a typo at best.
  if (script == ScriptVerdict::kDifferent && similarity > kScriptDiffersCap) {
    *how = "script differs";
    return kScriptDiffersCap;
  }
  return similarity;
}

namespace {

// Parts that are neither equal nor variants: how close their spelling is.
double SpellingSimilarity(const ScoredToken& a, const ScoredToken& b, const char** how) {
  if (SyllableRomanizations(a.text, b.text)) {
    *how = "romanization";
    return kRomanizedSyllableSimilarity;
  }
  if (SameWithFrenchWaw(a.text, b.text)) {
    *how = "ou=w";
    return kFrenchWawSimilarity;
  }
  // Before the letter-share filter: the vowels are most of what differs.
  if (OnlyVowelsDiffer(a.text, b.text) && BoundedOsa(a.text, b.text, 1) > 1) {
    *how = "vowels";
    return kVowelsDifferSimilarity;
  }
  if (!ShareEnoughLetters(a, b)) {
    if (IsInitialOf(a.text, b.text) || IsInitialOf(b.text, a.text)) {
      *how = "initial";
      return 0.55;
    }
    *how = nullptr;
    return 0.0;
  }
  const int longer_len = static_cast<int>(std::max(a.text.size(), b.text.size()));
  const bool same_skeleton = a.skeleton_id != kNoKey && a.skeleton_id == b.skeleton_id;
  int edits = -1;  // the OSA distance, computed once (bounded at 4)
  if (same_skeleton && std::min(a.text.size(), b.text.size()) >= 3) {
    // Same consonants: vowel and transliteration changes, as long as the vowels do not
    // rebuild a different word ("sanchez" / "swanseas" share s-n-s).
    edits = BoundedOsa(a.text, b.text, 4);
    if (edits <= std::max(1, longer_len / 4)) {
      *how = "skeleton";
      return 0.9;
    }
    if (edits * 5 <= longer_len * 2) {
      *how = "skeleton";
      return 0.75;
    }
  }
  if (IsInitialOf(a.text, b.text) || IsInitialOf(b.text, a.text)) {
    *how = "initial";
    return 0.55;
  }
  const size_t shorter = std::min(a.text.size(), b.text.size());
  if (shorter < 3) {
    *how = nullptr;
    return 0.0;
  }
  // Spelling errors and transliteration together: graded by the number of edits (a swap of
  // two adjacent letters is one) for the length. Short parts need to be closer.
  const int longer = static_cast<int>(std::max(a.text.size(), b.text.size()));
  if (edits < 0) edits = BoundedOsa(a.text, b.text, 3);
  double value = 0.0;
  if (edits == 1) {
    value = longer >= 5 ? 0.88 : 0.82;
  } else if (edits == 2) {
    value = longer >= 8 ? 0.8 : longer >= 6 ? 0.72 : longer >= 5 ? 0.6 : 0.0;
  } else if (edits == 3) {
    value = longer >= 10 ? 0.7 : longer >= 8 ? 0.55 : 0.0;
  }
  // A spelling error on top of a transliteration ("javjden" / "javidan"): graded by the
  // transliteration-weighted distance for the length. Parts with the same consonants were
  // judged above (their vowels decide), so this only reaches parts whose consonants differ.
  if (value < kTransliteratedTypoCap && !same_skeleton && longer >= kMinTransliteratedTypoLength &&
      longer - static_cast<int>(shorter) <= 2 && ConsonantsWithinOneEdit(a.text, b.text)) {
    const double cost = TransliterationDistance(a.text, b.text, 0.4 * longer);
    const double translit = std::min(kTransliteratedTypoCap, 1.0 - cost / longer);
    if (translit >= kTransliteratedTypoFloor && translit > value) {
      *how = "translit+typo";
      return translit;
    }
  }
  if (value > 0.0) {
    *how = "typo";
    return value;
  }
  // Further apart: partial credit that grows with Jaro-Winkler, for parts of similar length
  // (a short part inside a long one is a joined form, handled separately).
  if (shorter * 10 >= static_cast<size_t>(longer) * 6) {
    const double jw = JaroWinkler(a.text, b.text);
    if (jw >= 0.8) {
      *how = "similar";
      return (jw - 0.8) * 3.5;
    }
  }
  *how = nullptr;
  return 0.0;
}

}  // namespace

SimilarityMemo::SimilarityMemo() : entries_(kMemoEntries) {}

void SimilarityMemo::Clear() {
  used_ = 0;
  if (++stamp_ == 0) {
    for (Entry& entry : entries_) entry.stamp = 0;
    stamp_ = 1;
  }
}

double SimilarityMemo::Similarity(size_t query_index, const ScoredToken& query_part,
                                  const ScoredToken& listed_part, const char** how) {
  // Values are kept as float, as ScoreNames uses them: the same answer hit or miss.
  if (listed_part.id == kNoKey || used_ * 2 >= entries_.size()) {
    return static_cast<float>(TokenSimilarity(query_part, listed_part, how));
  }
  const uint64_t key = (static_cast<uint64_t>(query_index) << 32) | listed_part.id;
  const size_t mask = entries_.size() - 1;
  size_t slot = static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 40) & mask;
  while (entries_[slot].stamp == stamp_) {
    if (entries_[slot].key == key) {
      *how = entries_[slot].how;
      return entries_[slot].similarity;
    }
    slot = (slot + 1) & mask;
  }
  const float value = static_cast<float>(TokenSimilarity(query_part, listed_part, how));
  entries_[slot] = {key, stamp_, value, *how};
  ++used_;
  return value;
}

namespace {

// One ScoreNames call's working state, on the stack: the part-pair similarities, which parts
// were joined or aligned, the running score and its explanation.
struct Alignment {
  Alignment(const std::vector<ScoredToken>& query_parts,
            const std::vector<ScoredToken>& candidate_parts, bool explain_score)
      : query(query_parts),
        candidate(candidate_parts),
        nq(query_parts.size()),
        nc(candidate_parts.size()),
        explain(explain_score) {}

  void AddDetail(const std::string& text) {
    if (!explain) return;
    if (!detail.empty()) detail += "; ";
    detail += text;
  }

  const std::vector<ScoredToken>& query;
  const std::vector<ScoredToken>& candidate;
  const size_t nq;
  const size_t nc;
  const bool explain;
  float sim[kMaxNameTokens][kMaxNameTokens];
  const char* how[kMaxNameTokens][kMaxNameTokens];
  bool q_joined[kMaxNameTokens] = {};
  bool c_joined[kMaxNameTokens] = {};
  int q_match[kMaxNameTokens];
  int c_match[kMaxNameTokens];
  float pair_sim[kMaxNameTokens];
  const char* pair_how[kMaxNameTokens];
  double numerator = 0.0;
  double denominator = 0.0;
  std::string detail;
};

// The similarity of every query part to every candidate part (single letters in an
// organization's name are not initials).
inline void FillSimilarities(Alignment& a, bool candidate_is_organization, SimilarityMemo* memo) {
  for (size_t q_idx = 0; q_idx < a.nq; ++q_idx) {
    for (size_t c_idx = 0; c_idx < a.nc; ++c_idx) {
      a.sim[q_idx][c_idx] = static_cast<float>(
          memo != nullptr
              ? memo->Similarity(q_idx, a.query[q_idx], a.candidate[c_idx], &a.how[q_idx][c_idx])
              : TokenSimilarity(a.query[q_idx], a.candidate[c_idx], &a.how[q_idx][c_idx]));
      if (candidate_is_organization && a.how[q_idx][c_idx] != nullptr &&
          a.how[q_idx][c_idx][0] == 'i' && a.how[q_idx][c_idx][1] == 'n') {  // "initial"
        a.sim[q_idx][c_idx] = 0.0f;
        a.how[q_idx][c_idx] = nullptr;
      }
    }
  }
}

// `whole` against `first` + `second` joined: by spelling, or (when the two halves are written
// in Arabic script and `whole` in Latin: "ولی جان" / "Walijan") as exact for the script.
double JoinedPartsSimilarity(const ScoredToken& whole, const ScoredToken& first,
                             const ScoredToken& second) {
  const double spelled = JoinedSimilarity(whole.text, first.text, second.text);
  if (spelled < 1.0 && whole.arabic.empty() && !first.arabic.empty() && !second.arabic.empty() &&
      CrossScriptConsistent(std::string(first.arabic) + std::string(second.arabic), whole.text)) {
    return 1.0;
  }
  return spelled;
}

// Joined / split parts among what is left: "benjaouad" ~ "ben jaouad".
inline void MatchJoinedParts(Alignment& a) {
  const std::vector<ScoredToken>& query = a.query;
  const std::vector<ScoredToken>& candidate = a.candidate;
  for (size_t c_idx = 0; c_idx < a.nc; ++c_idx) {
    if (a.c_joined[c_idx]) continue;
    for (size_t q_idx = 0; q_idx + 1 < a.nq; ++q_idx) {
      if (a.q_joined[q_idx] || a.q_joined[q_idx + 1]) continue;
      double s = JoinedPartsSimilarity(candidate[c_idx], query[q_idx], query[q_idx + 1]);
      if (s > std::max(a.sim[q_idx][c_idx], a.sim[q_idx + 1][c_idx])) {
        a.q_joined[q_idx] = a.q_joined[q_idx + 1] = a.c_joined[c_idx] = true;
        const double w = candidate[c_idx].weight;
        a.numerator += 2 * s * w;
        a.denominator += 2 * w;
        if (a.explain) {
          a.AddDetail(std::string(query[q_idx].text) + "+" + std::string(query[q_idx + 1].text) +
                      "~" + std::string(candidate[c_idx].text) + " joined");
        }
        break;
      }
    }
  }
  for (size_t q_idx = 0; q_idx < a.nq; ++q_idx) {
    if (a.q_joined[q_idx]) continue;
    for (size_t c_idx = 0; c_idx + 1 < a.nc; ++c_idx) {
      if (a.c_joined[c_idx] || a.c_joined[c_idx + 1]) continue;
      double s = JoinedPartsSimilarity(query[q_idx], candidate[c_idx], candidate[c_idx + 1]);
      if (s > std::max(a.sim[q_idx][c_idx], a.sim[q_idx][c_idx + 1])) {
        a.q_joined[q_idx] = a.c_joined[c_idx] = a.c_joined[c_idx + 1] = true;
        const double w = std::max(candidate[c_idx].weight, candidate[c_idx + 1].weight);
        a.numerator += 2 * s * w;
        a.denominator += 2 * w;
        if (a.explain) {
          a.AddDetail(std::string(query[q_idx].text) + "~" + std::string(candidate[c_idx].text) +
                      "+" + std::string(candidate[c_idx + 1].text) + " joined");
        }
        break;
      }
    }
  }
}

// Greedy alignment: best pair first, each part used once.
inline void AlignGreedily(Alignment& a) {
  std::fill(a.q_match, a.q_match + kMaxNameTokens, -1);
  std::fill(a.c_match, a.c_match + kMaxNameTokens, -1);
  for (;;) {
    float best = 0.0f;
    int best_q = -1;
    int best_c = -1;
    for (size_t q_idx = 0; q_idx < a.nq; ++q_idx) {
      if (a.q_match[q_idx] >= 0 || a.q_joined[q_idx]) continue;
      for (size_t c_idx = 0; c_idx < a.nc; ++c_idx) {
        if (a.c_match[c_idx] >= 0 || a.c_joined[c_idx]) continue;
        // Ties go to the heavier candidate part (the rarer name).
        float value = a.sim[q_idx][c_idx] + a.candidate[c_idx].weight * 1e-4f;
        if (a.sim[q_idx][c_idx] > 0.0f && value > best) {
          best = value;
          best_q = static_cast<int>(q_idx);
          best_c = static_cast<int>(c_idx);
        }
      }
    }
    if (best_q < 0) break;
    a.q_match[best_q] = best_c;
    a.c_match[best_c] = best_q;
    a.pair_sim[best_q] = a.sim[best_q][best_c];
    a.pair_how[best_q] = a.how[best_q][best_c];
  }
}

// What the query's parts tell, each matched or not.
struct QuerySide {
  double heaviest_unmatched = 0.0;
  int matched_words = 0;        // matched pairs of word parts (not particles, titles, forms)
  bool only_given_name = true;  // every matched word part is a known given name
};

bool IsWordPart(const ScoredToken& part) {
  return part.role == TokenRole::kWord && part.text != "bin";
}

bool QueryPartUsed(const Alignment& a, size_t q_idx) {
  return a.q_joined[q_idx] || a.q_match[q_idx] >= 0;
}

// How many word parts of the listed name are in the query, each agreeing well, when all of them
// are, at least two, and one is more than a known given name (given names alone, "Mohamed
// Hassan", name too many people to explain what else the query has); 0 otherwise. The listed
// name is then a subset of the query, whose other parts can be explained (a title, kunya, nasab
// or nisba added to the listed name).
int ListedPartsCovered(const Alignment& a) {
  int covered = 0;
  bool surname = false;
  for (size_t c_idx = 0; c_idx < a.nc; ++c_idx) {
    if (!IsWordPart(a.candidate[c_idx])) continue;
    if (a.c_joined[c_idx]) {
      ++covered;
      surname = true;
      continue;
    }
    const int q_idx = a.c_match[c_idx];
    if (q_idx < 0 || a.pair_sim[q_idx] < kCoveringSimilarity) return 0;
    ++covered;
    if (!a.candidate[c_idx].known_name) surname = true;
  }
  return covered >= 2 && surname ? covered : 0;
}

// What an unmatched query part is, when it is an affix (see match/name_affixes.h): a "bin"
// followed by an unmatched part, and that part, are a nasab.
AffixKind ExtraPartKind(const Alignment& a, size_t q_idx) {
  const std::vector<ScoredToken>& query = a.query;
  if (query[q_idx].text == "bin") {
    return q_idx + 1 < a.nq && !QueryPartUsed(a, q_idx + 1) ? AffixKind::kNasab : AffixKind::kNone;
  }
  if (q_idx > 0 && query[q_idx - 1].text == "bin" && !QueryPartUsed(a, q_idx - 1)) {
    return AffixKind::kNasab;
  }
  return AffixKindOf(query[q_idx].text);
}

// "kunya abu bakr not in the listed name", "title sheikh ignored".
std::string ExtraPartDetail(const Alignment& a, size_t q_idx, AffixKind kind) {
  std::string text(a.query[q_idx].text);
  if (kind == AffixKind::kTitle) return "title " + text + " ignored";
  if (kind == AffixKind::kKunya) text.insert(3, " ");
  if (kind == AffixKind::kNasab) text = "bin " + text;
  return std::string(AffixKindName(kind)) + " " + text + " not in the listed name";
}

// True when the query adds two generations or more that the listed name lacks ("Najib ben
// Mohamed ben Salem" for "OUAZ, Najib"): a nasab chain, a genealogy, not a family name. A "bin"
// the listed name has ("BEN HAKIM, Yamina"), or one before a part it has ("bin Moncef" for "AIT
// MONCEF"), is its family name, not a link of the chain.
bool NasabChain(const Alignment& a) {
  int links = 0;
  for (size_t q_idx = 0; q_idx < a.nq; ++q_idx) {
    if (a.query[q_idx].text == "bin" && !QueryPartUsed(a, q_idx) && q_idx + 1 < a.nq &&
        !QueryPartUsed(a, q_idx + 1)) {
      ++links;
    }
  }
  return links >= 2;
}

// Scores one unmatched query part: its cost, or a small one when it is an affix the listed
// name lacks (`covered`: ListedPartsCovered). A nasab or nisba is explained only against a
// listed name of three parts or more: against two ("AIT KARIM, Saida"), "bin Khalil" or
// "al-Fassi" is as often another family name as an added one; a nasab chain is explained
// against two as well.
inline void ScoreUnmatchedQueryPart(Alignment& a, size_t q_idx, int covered, QuerySide& side) {
  const ScoredToken& part = a.query[q_idx];
  // Titles are particles: the table is read only for them when explaining (an uncovered title
  // costs its weight like any part), or when the listed name is covered.
  AffixKind extra = AffixKind::kNone;
  if (covered > 0) {
    extra = ExtraPartKind(a, q_idx);
    if ((extra == AffixKind::kNisba || (extra == AffixKind::kNasab && !NasabChain(a))) &&
        covered < kFamilyAffixListedParts) {
      extra = AffixKind::kNone;
    }
  } else if (a.explain && part.role == TokenRole::kParticle && IsTitle(part.text)) {
    extra = AffixKind::kTitle;
  }
  if (covered > 0 && extra != AffixKind::kNone) {
    a.denominator += kExplainedExtraCost * part.weight;
    if (a.explain && part.text != "bin") a.AddDetail(ExtraPartDetail(a, q_idx, extra));
    return;
  }
  if (extra == AffixKind::kTitle) {  // a particle: it weighs little anyway
    a.denominator += part.weight;
    if (a.explain) a.AddDetail(ExtraPartDetail(a, q_idx, extra));
    return;
  }
  // An unmatched "bin" (Bensaid vs Said) is a different name structure, not noise: it
  // costs as much as the name it introduces.
  const double cost = UnmatchedCost(a.query, q_idx);
  a.denominator += cost;
  if (part.role == TokenRole::kWord)
    side.heaviest_unmatched = std::max(side.heaviest_unmatched, cost);
  if (a.explain && part.role == TokenRole::kWord) {
    a.AddDetail("unmatched " + std::string(part.text));
  }
}

// Scores the query's parts: each matched pair, each unmatched part's cost.
inline QuerySide ScoreQueryParts(Alignment& a) {
  const std::vector<ScoredToken>& query = a.query;
  QuerySide side;
  int covered = -1;  // ListedPartsCovered, computed at the first unmatched part
  for (size_t q_idx = 0; q_idx < a.nq; ++q_idx) {
    if (a.q_joined[q_idx]) {
      ++side.matched_words;
      side.only_given_name = false;
      continue;
    }
    if (a.q_match[q_idx] < 0) {
      if (covered < 0) covered = ListedPartsCovered(a);
      ScoreUnmatchedQueryPart(a, q_idx, covered, side);
      continue;
    }
    const ScoredToken& c = a.candidate[a.q_match[q_idx]];
    if (c.role == TokenRole::kWord || c.role == TokenRole::kCommon) {
      ++side.matched_words;
      // A given name either side knows ("Hamidullah" against the letters of حمد الله).
      if (!c.known_name && !query[q_idx].known_name) side.only_given_name = false;
    }
    // The pair weighs what the candidate's part weighs: a typo in the query must not make a
    // common name look rare.
    double w = c.weight;
    if (std::string_view(a.pair_how[q_idx]) == "initial") w = std::min(w, 1.0);
    a.numerator += 2 * a.pair_sim[q_idx] * w;
    a.denominator += 2 * w;
    if (a.explain) {
      std::string text = std::string(query[q_idx].text);
      if (query[q_idx].text != c.text) text += "~" + std::string(c.text);
      std::string how = a.pair_how[q_idx];
      if (std::string_view romanized = TranslatedFrom(query[q_idx], c); !romanized.empty()) {
        how = "translated: " + std::string(romanized) + " = " + std::string(c.text);
      }
      a.AddDetail(text + " " + how + " (w " + Fixed2(w) + ")");
    }
  }
  return side;
}

// The first word part of a name (particles and "bin" skipped), or -1.
int FirstWordPart(const std::vector<ScoredToken>& name) {
  for (size_t idx = 0; idx < name.size(); ++idx) {
    if (IsWordPart(name[idx])) return static_cast<int>(idx);
  }
  return -1;
}

// True when the part at `first` is written again later in `name` and that later part is left
// unmatched (`unmatched(idx)`): the greedy alignment paired the first of two equal parts, while
// in the written order the other name's part may be the later one ("محمد محمد دوست محمد", a son
// Mohammad of a Mohammad, against the listed "دوست محمد").
template <typename Unmatched>
bool RepeatedLater(const std::vector<ScoredToken>& name, size_t first, Unmatched unmatched) {
  for (size_t idx = first + 1; idx < name.size(); ++idx) {
    if (name[idx].text == name[first].text && unmatched(idx)) return true;
  }
  return false;
}

// A person's name in Arabic script is written in its order: given name, father's, grandfather's,
// family. When one side is in Arabic script, a first given name that the other side lacks names
// another member of the family (a brother, a son or a father sharing the other parts), not the
// listed person: true when that is so, with the reason in the detail.
bool OtherGivenName(Alignment& a) {
  bool arabic = false;
  for (const ScoredToken& part : a.query) arabic = arabic || !part.arabic.empty();
  for (const ScoredToken& part : a.candidate) arabic = arabic || !part.arabic.empty();
  if (!arabic) return false;
  const int first_q = FirstWordPart(a.query);
  const int first_c = FirstWordPart(a.candidate);
  if (first_q < 0 || first_c < 0) return false;
  // A single letter is an initial or a word of another language (Pashto د, "of").
  if (a.query[first_q].text.size() < 2 || a.candidate[first_c].text.size() < 2) return false;
  bool q_used = QueryPartUsed(a, first_q) && !RepeatedLater(a.query, first_q, [&](size_t idx) {
                  return !QueryPartUsed(a, idx);
                });
  bool c_used = (a.c_joined[first_c] || a.c_match[first_c] >= 0) &&
                !RepeatedLater(a.candidate, first_c,
                               [&](size_t idx) { return !a.c_joined[idx] && a.c_match[idx] < 0; });
  // A first given name paired only by a loose likeness ("nazir" / "amir", or a title taken for
  // a name: "Sayyed" / سعد) is not in the other name.
  if (q_used && !a.q_joined[first_q] && a.pair_sim[first_q] < kFirstNamesAgree) q_used = false;
  if (c_used && !a.c_joined[first_c] && a.pair_sim[a.c_match[first_c]] < kFirstNamesAgree) {
    c_used = false;
  }
  if (q_used && c_used) return false;
  if (!q_used && AffixKindOf(a.query[first_q].text) != AffixKind::kNone) return false;
  if (!c_used && AffixKindOf(a.candidate[first_c].text) != AffixKind::kNone) return false;
  if (!q_used && !c_used) {
    a.AddDetail("other given name " + std::string(a.query[first_q].text) + " for " +
                std::string(a.candidate[first_c].text) + " (another member of the family?)");
  } else if (!q_used) {
    a.AddDetail("given name " + std::string(a.query[first_q].text) +
                " before the listed name (a son?)");
  } else {
    a.AddDetail("listed given name " + std::string(a.candidate[first_c].text) +
                " not in the query (a father?)");
  }
  return true;
}

// Costs the candidate's parts the query lacks; returns the heaviest word part's cost and
// lists the missing word parts in `missing` (when explaining).
inline double ScoreMissingParts(Alignment& a, std::string& missing) {
  const std::vector<ScoredToken>& candidate = a.candidate;
  double heaviest_unmatched_candidate = 0.0;
  for (size_t c_idx = 0; c_idx < a.nc; ++c_idx) {
    if (a.c_match[c_idx] >= 0 || a.c_joined[c_idx]) continue;
    const double cost = UnmatchedCost(candidate, c_idx);
    a.denominator += kMissingInQueryCost * cost;
    if (candidate[c_idx].role == TokenRole::kWord) {
      heaviest_unmatched_candidate = std::max(heaviest_unmatched_candidate, cost);
    }
    if (a.explain && candidate[c_idx].role == TokenRole::kWord) {
      if (!missing.empty()) missing += " ";
      missing += candidate[c_idx].text;
    }
  }
  return heaviest_unmatched_candidate;
}

}  // namespace

NameScore ScoreNames(const std::vector<ScoredToken>& query,
                     const std::vector<ScoredToken>& candidate, bool explain,
                     bool candidate_is_organization, SimilarityMemo* memo) {
  NameScore result;
  if (query.empty() || candidate.empty()) return result;
  Alignment a(query, candidate, explain);
  FillSimilarities(a, candidate_is_organization, memo);
  MatchJoinedParts(a);
  AlignGreedily(a);
  const QuerySide query_side = ScoreQueryParts(a);
  std::string missing;
  const double heaviest_unmatched_candidate = ScoreMissingParts(a, missing);
  // Both sides keep a part the other lacks: two different names in one slot.
  const double conflict = std::min(query_side.heaviest_unmatched, heaviest_unmatched_candidate);
  if (conflict > 0.0) {
    a.denominator += kConflictCost * conflict;
    if (explain) a.AddDetail("conflict");
  }
  if (!missing.empty()) a.AddDetail("not in query: " + missing);
  result.score = a.denominator > 0 ? std::clamp(a.numerator / a.denominator, 0.0, 1.0) : 0.0;
  // A query that is one given name alone ("Muhammad", against "AL-SHAYKH, Muhammad" whose
  // other part is a title) names thousands of people: by itself it is not a hit. Nor is one
  // frequent organization word alone ("Maktab", office, against MAKHTAB AL-KHIDAMAT).
  int query_words = 0;
  bool only_common = true;
  for (const ScoredToken& part : query) {
    if (part.role == TokenRole::kWord || part.role == TokenRole::kCommon) ++query_words;
    if (part.role == TokenRole::kWord) only_common = false;
  }
  if (query_words == 1 && query_side.matched_words == 1 &&
      (query_side.only_given_name || only_common) && result.score > kSingleGivenNameCap) {
    result.score = kSingleGivenNameCap;
    a.AddDetail(only_common ? "only an organization word agrees" : "only a given name agrees");
  }
  if (result.score > kOtherGivenNameCap && OtherGivenName(a)) {
    result.score = kOtherGivenNameCap;
  }
  result.detail = std::move(a.detail);
  return result;
}

namespace {
// What an exact full birth date adds (before the corroboration bonus), and the same nationality.
constexpr double kExactBirthDateValue = 0.30;
constexpr double kSameNationalityValue = 0.03;
}  // namespace

double CompareBirthDates(const PartialDate& query, const std::vector<PartialDate>& candidate,
                         std::string* detail, double name_score) {
  double best = -1e9;
  const PartialDate* best_entry = nullptr;
  const char* best_why = "";
  for (const PartialDate& entry : candidate) {
    double value = 0.0;
    const char* why = "";
    const int year_gap = std::abs(query.year - entry.year);
    const bool both_full = query.month != 0 && query.day != 0 && entry.month != 0 && entry.day != 0;
    // One digit of the year differs ("1987" vs "1978" is two digits, "1987" vs "1981" one).
    int year_digits_off = 0;
    for (int div = 1; div <= 1000; div *= 10) {
      if ((query.year / div) % 10 != (entry.year / div) % 10) ++year_digits_off;
    }
    if (both_full) {
      if (query == entry) {
        value = kExactBirthDateValue, why = "exact";
      } else if (year_gap == 0 && query.month == entry.month &&
                 std::abs(query.day - entry.day) <= 1) {
        value = 0.2, why = "one day off";
      } else if (year_gap == 0 && query.month == entry.day && query.day == entry.month) {
        value = 0.2, why = "day/month swapped";
      } else if (year_digits_off == 1 && query.month == entry.month && query.day == entry.day) {
        value = 0.05, why = "one digit off in year";
      } else if (year_gap == 0) {
        value = -0.04, why = "same year, other day";
      } else if (year_gap <= 1) {
        value = -0.10, why = "close date";
      } else {
        value = -0.30, why = "different date";
      }
    } else {
      // Year known, or year and month.
      bool month_conflict = query.month != 0 && entry.month != 0 && query.month != entry.month;
      if (year_gap == 0 && !month_conflict) {
        value = 0.10, why = "same year";
      } else if (year_gap == 0) {
        value = -0.02, why = "same year, other month";
      } else if (year_gap <= 1 || year_digits_off == 1) {
        value = -0.03, why = "year close";
      } else {
        value = -0.25, why = "different year";
      }
    }
    if (value > best) {
      best = value;
      best_why = why;
      best_entry = &entry;
    }
  }
  if (candidate.empty()) return 0.0;
  // A full date that agrees backs up a name that agrees in part (best >= 0.2: exact, one day
  // off, or day and month swapped).
  const bool corroborates = best >= 0.2 && name_score >= kCorroboratedNameScore;
  if (corroborates) best += kCorroborationBonus;
  if (detail != nullptr && best_entry != nullptr) {
    *detail = std::string(best_why) + " " + best_entry->ToString();
    if (corroborates) *detail += ", backs up the name";
  }
  return best;
}

double MostFactsAdd(bool birth_date, bool nationality) {
  return (birth_date ? kExactBirthDateValue + kCorroborationBonus : 0.0) +
         (nationality ? kSameNationalityValue : 0.0);
}

double CompareNationality(const std::string& query, const std::vector<std::string>& candidate,
                          std::string* detail) {
  if (query.empty() || candidate.empty()) return 0.0;
  for (const std::string& code : candidate) {
    if (code == query) {
      if (detail != nullptr) *detail = "same " + code;
      return kSameNationalityValue;
    }
  }
  if (detail != nullptr) *detail = "query " + query + ", listed " + candidate.front();
  return -0.04;
}

double CompareIdNumbers(const std::string& query, const std::vector<std::string>& candidate,
                        std::string* detail) {
  if (query.empty() || candidate.empty()) return 0.0;
  double best = -0.03;
  std::string why = "different";
  for (const std::string& number : candidate) {
    if (number == query) {
      if (detail != nullptr) *detail = "exact " + number + ", the same document";
      return kSameIdNumberBonus;
    }
    if (query.size() >= 6 && number.size() >= 6 && BoundedLevenshtein(query, number, 1) <= 1) {
      best = 0.12;
      why = "one edit from " + number;
    }
  }
  if (detail != nullptr) *detail = why;
  return best;
}

double CompareGender(Gender query, Gender candidate, std::string* detail) {
  if (query == Gender::kUnknown || candidate == Gender::kUnknown) return 0.0;
  if (query == candidate) return 0.0;
  if (detail != nullptr) *detail = "different";
  return -0.15;
}

}  // namespace entente::match
