#include "match/similarity.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

namespace entente::match {

namespace {

// Bit-parallel edit distances (Myers 1999 for Levenshtein, Hyyro 2003 for the adjacent swap):
// the pattern `a` (at most 64 bytes) is one bit per byte in a machine word, and each byte of `b`
// updates the whole column of the dynamic-programming table at once. The distance is exact, the
// same as the row-by-row table's.

// One bit per position of the pattern's bytes, per byte value: set for the pattern, read for the
// text, cleared after (each thread keeps its table all-zero between calls).
class PatternMasks {
 public:
  explicit PatternMasks(std::string_view pattern) : pattern_(pattern) {
    for (size_t i = 0; i < pattern.size(); ++i) {
      Table()[static_cast<unsigned char>(pattern[i])] |= uint64_t{1} << i;
    }
  }
  ~PatternMasks() {
    for (char ch : pattern_) Table()[static_cast<unsigned char>(ch)] = 0;
  }
  PatternMasks(const PatternMasks&) = delete;
  PatternMasks& operator=(const PatternMasks&) = delete;
  uint64_t operator[](char ch) const { return Table()[static_cast<unsigned char>(ch)]; }

 private:
  static uint64_t* Table() {
    thread_local uint64_t table[256] = {};
    return table;
  }
  std::string_view pattern_;
};

// The edit distance between `a` and `b` (a.size() <= 64), with adjacent swaps counting as one
// edit when `swaps`.
template <bool swaps>
int BitParallelDistance(std::string_view a, std::string_view b) {
  const size_t m = a.size();
  if (m == 0) return static_cast<int>(b.size());
  const PatternMasks masks(a);
  const uint64_t last = uint64_t{1} << (m - 1);
  uint64_t vp = ~uint64_t{0};  // vertical differences +1 ...
  uint64_t vn = 0;             // ... and -1
  uint64_t d0 = 0;             // diagonal zero differences of the previous column
  uint64_t pm_before = 0;      // the previous text byte's mask
  int distance = static_cast<int>(m);
  for (char ch : b) {
    const uint64_t pm = masks[ch];
    uint64_t next_d0 = (((pm & vp) + vp) ^ vp) | pm | vn;
    if constexpr (swaps) next_d0 |= ((~d0 & pm) << 1) & pm_before;
    d0 = next_d0;
    uint64_t hp = vn | ~(d0 | vp);
    const uint64_t hn = d0 & vp;
    if (hp & last) ++distance;
    if (hn & last) --distance;
    hp = (hp << 1) | 1;
    vp = (hn << 1) | ~(d0 | hp);
    vn = hp & d0;
    pm_before = pm;
  }
  return distance;
}

}  // namespace

double JaroWinkler(std::string_view a, std::string_view b) {
  constexpr size_t kMax = 64;
  if (a.size() > kMax) a = a.substr(0, kMax);
  if (b.size() > kMax) b = b.substr(0, kMax);
  if (a.empty() || b.empty()) return a.empty() && b.empty() ? 1.0 : 0.0;
  if (a == b) return 1.0;
  const int len_a = static_cast<int>(a.size());
  const int len_b = static_cast<int>(b.size());
  const int window = std::max(0, std::max(len_a, len_b) / 2 - 1);
  // Each byte of `a` matches the first unmatched equal byte of `b` within the window: the
  // lowest bit of (where b has that byte) & (the window) & ~(b's bytes matched so far).
  const PatternMasks in_b(b);
  const uint64_t all_b = len_b == 64 ? ~uint64_t{0} : (uint64_t{1} << len_b) - 1;
  uint64_t matched_a = 0;
  uint64_t matched_b = 0;
  int matches = 0;
  for (int i = 0; i < len_a; ++i) {
    const int lo = std::max(0, i - window);
    const int hi = std::min(len_b - 1, i + window);
    if (lo > hi) continue;
    const uint64_t span = (hi - lo == 63 ? ~uint64_t{0} : (uint64_t{1} << (hi - lo + 1)) - 1) << lo;
    const uint64_t open = in_b[a[i]] & span & all_b & ~matched_b;
    if (open == 0) continue;
    matched_a |= uint64_t{1} << i;
    matched_b |= open & (~open + 1);
    ++matches;
  }
  if (matches == 0) return 0.0;
  int transpositions = 0;
  int j = 0;
  for (int i = 0; i < len_a; ++i) {
    if (!((matched_a >> i) & 1)) continue;
    while (!((matched_b >> j) & 1)) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double m = matches;
  const double jaro = (m / len_a + m / len_b + (m - transpositions / 2.0) / m) / 3.0;
  int prefix = 0;
  while (prefix < 4 && prefix < len_a && prefix < len_b && a[prefix] == b[prefix]) ++prefix;
  return jaro + prefix * 0.1 * (1.0 - jaro);
}

int BoundedLevenshtein(std::string_view a, std::string_view b, int max_distance) {
  constexpr size_t kMax = 64;
  if (a.size() > kMax) a = a.substr(0, kMax);
  if (b.size() > kMax) b = b.substr(0, kMax);
  const int len_a = static_cast<int>(a.size());
  const int len_b = static_cast<int>(b.size());
  if (std::abs(len_a - len_b) > max_distance) return max_distance + 1;
  return std::min(BitParallelDistance<false>(a, b), max_distance + 1);
}

int BoundedOsa(std::string_view a, std::string_view b, int max_distance) {
  constexpr size_t kMax = 64;
  if (a.size() > kMax) a = a.substr(0, kMax);
  if (b.size() > kMax) b = b.substr(0, kMax);
  const int len_a = static_cast<int>(a.size());
  const int len_b = static_cast<int>(b.size());
  if (std::abs(len_a - len_b) > max_distance) return max_distance + 1;
  return std::min(BitParallelDistance<true>(a, b), max_distance + 1);
}

namespace {

bool IsVowel(char ch) {
  return ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u' || ch == 'y';
}

bool IsPair(char x, char y, char p, char q) { return (x == p && y == q) || (x == q && y == p); }

float SubstitutionCost(char x, char y) {
  if (x == y) return 0.0f;
  if (IsVowel(x) && IsVowel(y)) return 0.45f;
  if (IsPair(x, y, 'c', 'k') || IsPair(x, y, 'k', 'q') || IsPair(x, y, 'c', 'q') ||
      IsPair(x, y, 'v', 'w') || IsPair(x, y, 'i', 'j') || IsPair(x, y, 'y', 'j')) {
    return 0.35f;
  }
  if (IsPair(x, y, 'c', 's') || IsPair(x, y, 's', 'z') || IsPair(x, y, 'f', 'p') ||
      IsPair(x, y, 'd', 't') || IsPair(x, y, 'b', 'p') || IsPair(x, y, 'g', 'j') ||
      IsPair(x, y, 'g', 'k')) {
    return 0.6f;
  }
  return 1.0f;
}

// The cost of adding or dropping text[pos].
float IndelCost(std::string_view text, size_t pos) {
  const char ch = text[pos];
  if ((pos > 0 && text[pos - 1] == ch) || (pos + 1 < text.size() && text[pos + 1] == ch)) {
    return 0.3f;
  }
  if (IsVowel(ch) || ch == 'h') return 0.5f;
  return 1.0f;
}

}  // namespace

double TransliterationDistance(std::string_view a, std::string_view b, double max_cost) {
  constexpr size_t kMax = 32;
  if (a.size() > kMax) a = a.substr(0, kMax);
  if (b.size() > kMax) b = b.substr(0, kMax);
  const size_t len_a = a.size();
  const size_t len_b = b.size();
  float rows[3][kMax + 1];
  float* before = rows[0];
  float* prev = rows[1];
  float* cur = rows[2];
  prev[0] = 0.0f;
  for (size_t j = 1; j <= len_b; ++j) prev[j] = prev[j - 1] + IndelCost(b, j - 1);
  for (size_t i = 1; i <= len_a; ++i) {
    const float drop = IndelCost(a, i - 1);
    cur[0] = prev[0] + drop;
    float row_min = cur[0];
    for (size_t j = 1; j <= len_b; ++j) {
      float value = std::min({prev[j] + drop, cur[j - 1] + IndelCost(b, j - 1),
                              prev[j - 1] + SubstitutionCost(a[i - 1], b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && a[i - 1] != a[i - 2]) {
        value = std::min(value, before[j - 2] + 1.0f);
      }
      cur[j] = value;
      row_min = std::min(row_min, value);
    }
    if (row_min > max_cost) return max_cost + 1.0;
    float* recycled = before;
    before = prev;
    prev = cur;
    cur = recycled;
  }
  return prev[len_b];
}

}  // namespace entente::match
