// MatchIndex::Match (match/matcher.h) over the index of match_index_impl.h, one function per
// phase: the query's parts resolved, candidate generation (posting lists rarest first within a
// budget, joined, split and near parts), candidate ranking (overlap, the common lists left over,
// the best kCandidateNames, entities born on the query's date), exact scoring (best name per
// entity, then the other facts) and result assembly (the factors explained). Every phase works
// in the query's Scratch, reused from query to query: no allocation per query once warm.
#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "match/match_index_impl.h"

namespace entente::match_internal {

namespace {

// Exact scoring runs on at most this many name variants per query.
constexpr size_t kCandidateNames = 32;
// Posting lists are walked rarest first until this many entries have been read; the longer
// (common) lists left over are not walked: the names found so far are checked against them
// directly. The rarest list is always walked, so a query of common parts still finds names.
constexpr size_t kPostingBudget = 1200;
// Of the names found, at most this many (best overlap first) are checked against the common
// lists left over and ranked for exact scoring.
constexpr size_t kVerifyNames = 1024;
// How far ahead the loops over scattered names prefetch.
constexpr size_t kPrefetchAhead = 32;
// A query with a full birth date also has the names of the entities born that day scored
// (someone listed under another spelling is still found by the date), unless the day is
// shared by more than this many entities (a placeholder such as 1 January).
constexpr size_t kMaxSameBirthDate = 48;
// A query part is tried as two listed parts joined when each half is at least this long.
constexpr size_t kMinSplitPart = 3;
// KeepBestEntities passes over an entity only when its best possible score is this far under
// the threshold (the sums are rounded differently from the score's own).
constexpr double kFactsCutMargin = 1e-9;

// Parts more frequent than this are taken as spelled right: no fuzzy expansion.
constexpr uint32_t kFuzzyMaxDf = 32;
// At most this many near parts are examined per query part.
constexpr size_t kFuzzyMaxTokens = 128;
// Each query thread remembers the near parts of at most this many spellings (a few MB).
constexpr size_t kNearMemoEntries = 1 << 16;
// Each query thread remembers the near parts of at most this many spellings (a few MB).

// Candidates ranked by overlap, lightly preferring names without many extra parts; ties go to
// the older name, so that the choice does not depend on the order names were found in.
struct ByScore {
  bool operator()(const PoolEntry& a, const PoolEntry& b) const {
    return a.score > b.score || (a.score == b.score && a.name_id < b.name_id);
  }
};

// The most the common lists left over (uses from deferred_begin on) can add to a name's
// overlap, before the divisor: each query part's best weight among them.
float MostLeftOver(const std::vector<KeyUse>& uses, size_t deferred_begin) {
  float most_left = 0.0f;
  uint32_t counted = 0;
  for (size_t use_idx = deferred_begin; use_idx < uses.size(); ++use_idx) {
    float best_for_part = 0.0f;
    const uint32_t bit = 1u << uses[use_idx].query_token;
    if (counted & bit) continue;
    counted |= bit;
    for (size_t other = use_idx; other < uses.size(); ++other) {
      if (uses[other].query_token == uses[use_idx].query_token) {
        best_for_part = std::max(best_for_part, uses[other].weight);
      }
    }
    most_left += best_for_part;
  }
  return most_left;
}

// The kCandidateNames-th best score in `pool` (which holds more); the pool is left as it is.
// The scores are counted in kScoreBuckets equal ranges up to the best one (the bucket grows with
// the score), the bucket holding the kCandidateNames-th best found from the top, and the value
// selected among the scores from that bucket up, copied into `scores`.
constexpr int kScoreBuckets = 64;
float KthBestScore(const std::vector<PoolEntry>& pool, std::vector<float>& scores) {
  float best = 0.0f;
  for (const PoolEntry& entry : pool) best = std::max(best, entry.score);
  const float scale = best > 0.0f ? (kScoreBuckets - 1) / best : 0.0f;
  auto bucket_of = [scale](float score) {
    return std::clamp(static_cast<int>(score * scale), 0, kScoreBuckets - 1);
  };
  uint32_t counts[kScoreBuckets] = {};
  for (const PoolEntry& entry : pool) ++counts[bucket_of(entry.score)];
  int from = kScoreBuckets - 1;  // the pool holds more than kCandidateNames: this stops at 0
  size_t above = counts[from];
  while (above < kCandidateNames) above += counts[--from];
  scores.clear();
  for (const PoolEntry& entry : pool) {
    if (bucket_of(entry.score) >= from) scores.push_back(entry.score);
  }
  std::nth_element(scores.begin(), scores.begin() + (kCandidateNames - 1), scores.end(),
                   std::greater<float>());
  return scores[kCandidateNames - 1];
}

// Keeps the kCandidateNames best of `pool` (ByScore). The order is total, so they are one set:
// picked in one pass with a small heap (`best`) whose top is the worst kept so far. `scores` is
// working space.
void PickCandidates(std::vector<PoolEntry>& pool, std::vector<PoolEntry>& best,
                    std::vector<float>& scores) {
  if (pool.size() <= kCandidateNames) return;
  // Only the names scoring at least the kCandidateNames-th best score can be among the best:
  // the others are dropped in one pass, the heap then orders the few left (ties).
  const float bar = KthBestScore(pool, scores);
  best.clear();
  for (const PoolEntry& entry : pool) {
    if (entry.score >= bar) best.push_back(entry);
  }
  pool.swap(best);
  if (pool.size() <= kCandidateNames) return;
  const ByScore by_score;
  best.assign(pool.begin(), pool.begin() + kCandidateNames);
  std::make_heap(best.begin(), best.end(), by_score);
  for (size_t pos = kCandidateNames; pos < pool.size(); ++pos) {
    if (!by_score(pool[pos], best.front())) continue;
    std::pop_heap(best.begin(), best.end(), by_score);
    best.back() = pool[pos];
    std::push_heap(best.begin(), best.end(), by_score);
  }
  pool.swap(best);
}

}  // namespace

template <typename Fn>
void MatchIndexImpl::ForEachNearToken(std::string_view skeleton, std::string_view text,
                                      Fn&& fn) const {
  bool more = true;
  ForEachDeletionKey(skeleton, text, [&](uint64_t hash) {
    if (more) more = deletion_.ForEach(hash, fn);
  });
}

std::unique_ptr<Scratch> MatchIndexImpl::AcquireScratch() const {
  std::unique_ptr<Scratch> scratch;
  {
    std::lock_guard lock(scratch_mutex_);
    if (!scratch_pool_.empty()) {
      scratch = std::move(scratch_pool_.back());
      scratch_pool_.pop_back();
    }
  }
  if (!scratch) scratch = std::make_unique<Scratch>();
  return scratch;
}

void MatchIndexImpl::ReleaseScratch(std::unique_ptr<Scratch> scratch) const {
  std::lock_guard lock(scratch_mutex_);
  scratch_pool_.push_back(std::move(scratch));
}

void MatchIndexImpl::ScoredParts(const NameRec& name, std::vector<ScoredToken>& out) const {
  out.clear();
  for (uint32_t t = name.token_begin; t < name.token_begin + name.token_count; ++t) {
    const uint32_t token_id = name_tokens_[t];
    const TokenRec& token = tokens_[token_id];
    ScoredToken c;
    c.text = TokenText(token_id);
    c.class_id = token.class_key;
    c.skeleton_id = token.skeleton_key;
    c.role = token.role;
    c.weight = KeyWeight(token.class_key) * RoleFactor(token.role);
    c.known_name = token.known_name;
    c.letters = token.letters;
    c.id = token_id;
    c.arabic = TokenArabic(token_id);
    out.push_back(c);
  }
}

Result<std::vector<MatchResult>> MatchIndexImpl::Match(const MatchQuery& query) const {
  ENTENTE_ASSIGN_OR_RETURN(NormalizedName normalized, match::NormalizeName(query.name));
  if (query.top <= 0) return InvalidArgument("top: must be at least 1");
  std::string nationality;
  if (!query.nationality.empty()) {
    nationality = NormalizeCountryCode(query.nationality);
    if (nationality.empty()) {
      return InvalidArgument("nationality: unknown country code '" + query.nationality + "'");
    }
  }
  const std::string id_number = match::NormalizeIdNumber(query.id_number);

  CompactIfNeeded();
  std::shared_lock lock(mutex_);
  std::unique_ptr<Scratch> scratch = AcquireScratch();
  Scratch& s = *scratch;
  ResolveQueryParts(normalized, s);
  // Candidate generation.
  CollectKeyUses(s);
  const size_t deferred_begin = WalkPostings(s);
  // Candidate ranking.
  PoolFoundNames(query, s);
  CreditDeferredLists(deferred_begin, s);
  PickCandidates(s.pool, s.best_pool, s.scores);
  AddSameBirthDateNames(query, s);
  // Exact scoring, best name per entity.
  ScoreCandidates(s);
  const std::vector<Kept> kept = KeepBestEntities(query, nationality, id_number, s);
  // Explain the kept results.
  std::vector<MatchResult> results = ExplainResults(query, nationality, id_number, kept, s);
  ReleaseScratch(std::move(scratch));
  return results;
}

void MatchIndexImpl::ResolveQueryParts(const NormalizedName& normalized, Scratch& s) const {
  std::vector<QueryToken>& qtokens = s.qtokens;
  qtokens.resize(normalized.tokens.size());
  for (size_t q_idx = 0; q_idx < normalized.tokens.size(); ++q_idx) {
    const NameToken& token = normalized.tokens[q_idx];
    QueryToken& q = qtokens[q_idx];
    q.text = token.text;
    q.arabic = token.arabic;
    q.role = token.role;
    q.skeleton = Skeleton(token.text);
    const uint32_t known = FindToken(token.text);
    if (known != kNoKey) {
      q.known = true;
      q.class_key = tokens_[known].class_key;
      q.skeleton_key = tokens_[known].skeleton_key;
      q.known_name = tokens_[known].known_name;
    } else {
      q.known = false;
      q.class_key = FindKey(kClassTag, ClassKey(token.text));
      q.known_name = match::IsKnownName(token.text);
      q.skeleton_key = q.skeleton.size() >= 3 ? FindKey(kSkeletonTag, q.skeleton) : kNoKey;
    }
    q.weight = KeyWeight(q.class_key) * RoleFactor(q.role);
  }
}

void MatchIndexImpl::CollectKeyUses(Scratch& s) const {
  const std::vector<QueryToken>& qtokens = s.qtokens;
  std::vector<KeyUse>& uses = s.uses;
  uses.clear();
  bool has_words = false;
  for (const QueryToken& q : qtokens) {
    if (q.role == TokenRole::kWord) has_words = true;
  }
  for (size_t q_idx = 0; q_idx < qtokens.size() && q_idx < 32; ++q_idx) {
    const QueryToken& q = qtokens[q_idx];
    bool usable = q.role == TokenRole::kWord || (!has_words && q.role == TokenRole::kCommon);
    if (!usable) continue;
    std::vector<uint32_t>& used_keys = s.used_keys;
    used_keys.clear();
    for (uint32_t key : {q.class_key, q.skeleton_key}) {
      if (key == kNoKey) continue;
      used_keys.push_back(key);
      uses.push_back({key, static_cast<uint32_t>(q_idx), postings_[key].size(), q.weight});
    }
    AddJoinedAndSplitUses(q_idx, s);
    AddNearUses(q_idx, s);
  }
  std::sort(uses.begin(), uses.end(),
            [](const KeyUse& a, const KeyUse& b) { return a.length < b.length; });
}

void MatchIndexImpl::AddJoinedAndSplitUses(size_t q_idx, Scratch& s) const {
  const std::vector<QueryToken>& qtokens = s.qtokens;
  const QueryToken& q = qtokens[q_idx];
  std::vector<KeyUse>& uses = s.uses;
  // Joined and split forms: "guo ying" is listed as "guoying", "goharimoqadam" as
  // "gohari moqadam". The listed part(s) find names for the query part(s) they cover.
  if (q_idx + 1 < qtokens.size() && q_idx + 1 < 32 && qtokens[q_idx + 1].role == TokenRole::kWord) {
    std::string& joined_text = s.joined_text;
    joined_text.assign(q.text).append(qtokens[q_idx + 1].text);
    const uint32_t joined = FindToken(joined_text);
    if (joined != kNoKey) {
      const uint32_t key = tokens_[joined].class_key;
      const float weight = std::min(q.weight, KeyWeight(key));
      uses.push_back({key, static_cast<uint32_t>(q_idx), postings_[key].size(), weight});
      uses.push_back({key, static_cast<uint32_t>(q_idx + 1), postings_[key].size(), weight});
    }
  }
  if (!q.known && q.text.size() >= 2 * kMinSplitPart) {
    for (size_t cut = kMinSplitPart; cut + kMinSplitPart <= q.text.size(); ++cut) {
      const uint32_t left = FindToken(q.text.substr(0, cut));
      if (left == kNoKey) continue;
      const uint32_t right = FindToken(q.text.substr(cut));
      if (right == kNoKey) continue;
      for (uint32_t part : {left, right}) {
        const uint32_t key = tokens_[part].class_key;
        uses.push_back({key, static_cast<uint32_t>(q_idx), postings_[key].size(),
                        std::min(q.weight, KeyWeight(key))});
      }
      break;
    }
  }
}

void MatchIndexImpl::AddNearUses(size_t q_idx, Scratch& s) const {
  const QueryToken& q = s.qtokens[q_idx];
  std::vector<KeyUse>& uses = s.uses;
  // Unknown or rare spellings may be misspelled: add parts within one edit of the spelling
  // or one consonant edit of the skeleton.
  const uint32_t df = q.class_key == kNoKey ? 0 : key_live_df_[q.class_key];
  if (!((!q.known || df < kFuzzyMaxDf) && q.text.size() >= 3)) return;
  // The near parts of a spelling depend on nothing else while the index is unchanged:
  // replayed from the scratch's memo when this spelling was expanded before.
  if (s.near_generation != generation_ || s.near_memo.size() >= kNearMemoEntries) {
    s.near_memo.clear();
    s.near_generation = generation_;
  }
  auto [memo, fresh] = s.near_memo.try_emplace(std::string(q.text));
  if (!fresh) {
    for (const auto& [key, sim] : memo->second) {
      uses.push_back({key, static_cast<uint32_t>(q_idx), postings_[key].size(),
                      NearWeight(q.weight, key, sim)});
    }
    return;
  }
  std::vector<std::pair<uint32_t, float>>& near_uses = memo->second;
  ScoredToken query_token;
  query_token.text = q.text;
  query_token.class_id = q.class_key;
  query_token.skeleton_id = q.skeleton_key;
  query_token.known_name = q.known_name;
  query_token.letters = match::LetterMask(q.text);
  std::vector<uint32_t>& used_keys = s.used_keys;
  std::vector<uint32_t>& seen_tokens = s.seen_tokens;
  seen_tokens.clear();
  const int query_length = static_cast<int>(q.text.size());
  ForEachNearToken(q.skeleton, q.text, [&](uint32_t token_id) -> bool {
    if (seen_tokens.size() >= kFuzzyMaxTokens) return false;
    if (std::find(seen_tokens.begin(), seen_tokens.end(), token_id) != seen_tokens.end())
      return true;
    seen_tokens.push_back(token_id);
    // The length gap first, from the compact length array (255 means "look it up").
    int length = token_length_[token_id];
    if (length == 255) length = tokens_[token_id].text_size;
    const int length_gap = length - query_length;
    if (length_gap > 3 || length_gap < -3) return true;
    const TokenRec& token = tokens_[token_id];
    uint32_t key = token.skeleton_key != kNoKey ? token.skeleton_key : token.class_key;
    if (std::find(used_keys.begin(), used_keys.end(), key) != used_keys.end()) return true;
    ScoredToken near;
    near.text = TokenText(token_id);
    near.class_id = token.class_key;
    near.skeleton_id = token.skeleton_key;
    near.known_name = token.known_name;
    near.letters = token.letters;
    const char* how = nullptr;
    double sim = match::TokenSimilarity(query_token, near, &how);
    if (sim < 0.75) return true;
    used_keys.push_back(key);
    uses.push_back({key, static_cast<uint32_t>(q_idx), postings_[key].size(),
                    NearWeight(q.weight, key, static_cast<float>(sim))});
    near_uses.emplace_back(key, static_cast<float>(sim));
    return true;
  });
}

size_t MatchIndexImpl::WalkPostings(Scratch& s) const {
  if (++s.epoch == 0) {
    for (NameAcc& entry : s.accs) entry.stamp = 0;
    s.epoch = 1;
  }
  s.touched.clear();
  const std::vector<KeyUse>& uses = s.uses;
  // The lists walked: rarest first, within the budget (the first one always).
  size_t walked = 0;
  size_t deferred_begin = uses.size();
  for (size_t use_idx = 0; use_idx < uses.size(); ++use_idx) {
    if (use_idx > 0 && walked + uses[use_idx].length > kPostingBudget) {
      deferred_begin = use_idx;
      break;
    }
    walked += uses[use_idx].length;
  }
  // At most `walked` names: a table at most half full.
  int acc_bits = 10;
  while ((size_t{1} << acc_bits) < 2 * walked && acc_bits < 31) ++acc_bits;
  if (s.accs.size() < (size_t{1} << acc_bits)) s.accs.resize(size_t{1} << acc_bits);
  const uint32_t acc_mask = (uint32_t{1} << acc_bits) - 1;
  const int acc_shift = 32 - acc_bits;
  NameAcc* const accs = s.accs.data();
  const uint32_t epoch = s.epoch;
  for (size_t use_idx = 0; use_idx < deferred_begin; ++use_idx) {
    const KeyUse& use = uses[use_idx];
    const float w = use.weight;
    const uint32_t bit = 1u << use.query_token;
    const Posting* list = postings_[use.key].data();
    const size_t list_size = postings_[use.key].size();
    for (size_t pos = 0; pos < list_size; ++pos) {
      const uint32_t name_id = list[pos].name_id;
      uint32_t slot = (name_id * 2654435769u) >> acc_shift;
      NameAcc* entry = &accs[slot];
      while (entry->stamp == epoch && entry->name_id != name_id) {
        slot = (slot + 1) & acc_mask;
        entry = &accs[slot];
      }
      if (entry->stamp != epoch) {
        entry->name_id = name_id;

        entry->stamp = epoch;
        entry->acc = 0.0f;
        entry->token_mask = 0;
        s.touched.push_back({slot, &list[pos]});
      }
      // A query part counts once, by the first (rarest, exact before near) key that finds it.
      if (!(entry->token_mask & bit)) {
        entry->token_mask |= bit;
        entry->acc += w;
      }
    }
  }
  return deferred_begin;
}

void MatchIndexImpl::PoolFoundNames(const MatchQuery& query, Scratch& s) const {
  // Names found, ranked by overlap over (1 + 0.15 x the name's own weight), so that names
  // without many extra parts come first; only the best kVerifyNames go on.
  std::vector<PoolEntry>& pool = s.pool;
  pool.clear();
  const NameAcc* const accs = s.accs.data();
  const uint8_t wanted = !query.type ? 0 : *query.type == EntityType::kOrganization ? 2 : 1;
  for (const Touched& found : s.touched) {
    const uint32_t slot = found.slot;
    const NameAcc& entry = accs[slot];
    const Posting& posting = *found.posting;
    const uint32_t name_id = entry.name_id;
    // Bitmaps, accumulators and postings just read: nothing per name outside the cache.
    const uint64_t bit = uint64_t{1} << (name_id & 63);
    if (dead_bits_[name_id >> 6] & bit) continue;
    if (wanted != 0 && ((organization_bits_[name_id >> 6] & bit) ? 2 : 1) != wanted) continue;
    const float divisor = 1.0f + 0.15f * posting.weight_sum;
    pool.push_back({entry.acc / divisor, name_id, slot, posting.parts, divisor});
  }
  if (pool.size() > kVerifyNames) {
    std::nth_element(pool.begin(), pool.begin() + kVerifyNames, pool.end(), ByScore());
    pool.resize(kVerifyNames);
  }
}

void MatchIndexImpl::CreditDeferredLists(size_t deferred_begin, Scratch& s) const {
  // The common lists left over: credit the names kept that hold those keys (each name's keys
  // asked for ahead of use).
  const std::vector<KeyUse>& uses = s.uses;
  if (deferred_begin >= uses.size()) return;
  std::vector<PoolEntry>& pool = s.pool;
  NameAcc* const accs = s.accs.data();
  // A name whose score cannot reach the kCandidateNames-th best even if it held every key
  // left over is not checked: credits only add, so that name is not a candidate either way.
  const float most_left = MostLeftOver(uses, deferred_begin);
  const float bar = pool.size() > kCandidateNames ? KthBestScore(pool, s.scores) : -1.0f;
  // The names that may still get in, then their keys read (asked for ahead of use).
  std::vector<uint32_t>& open = s.open;
  open.clear();
  for (size_t pos = 0; pos < pool.size(); ++pos) {
    if (pool[pos].score + most_left / pool[pos].divisor >= bar) {
      open.push_back(static_cast<uint32_t>(pos));
    }
  }
  for (size_t open_idx = 0; open_idx < open.size(); ++open_idx) {
    if (open_idx + kPrefetchAhead < open.size()) {
      const uint32_t ahead = pool[open[open_idx + kPrefetchAhead]].parts;
      if (ahead != kUnpacked) {
        // The run's first and last keys: a run may span two cache lines.
        const uint32_t first = ahead >> 5;
        __builtin_prefetch(&name_keys_[first]);
        if ((ahead & 31) > 1) __builtin_prefetch(&name_keys_[first + (ahead & 31) - 1]);
      }
    }
    const size_t pos = open[open_idx];
    float& acc = pool[pos].score;
    NameAcc& entry = accs[pool[pos].slot];
    uint32_t token_begin;
    uint32_t token_count;
    const uint32_t parts = pool[pos].parts;
    if (parts != kUnpacked) {
      token_begin = parts >> 5;
      token_count = parts & 31;
    } else {
      token_begin = names_[pool[pos].name_id].token_begin;
      token_count = names_[pool[pos].name_id].token_count;
    }
    const PartKeys* keys = name_keys_.data() + token_begin;
    const float divisor = pool[pos].divisor;
    for (size_t use_idx = deferred_begin; use_idx < uses.size(); ++use_idx) {
      const KeyUse& use = uses[use_idx];
      const uint32_t bit = 1u << use.query_token;
      if (entry.token_mask & bit) continue;
      for (uint32_t t = 0; t < token_count; ++t) {
        if (keys[t].class_key == use.key || keys[t].skeleton_key == use.key) {
          entry.token_mask |= bit;
          acc += use.weight / divisor;
          break;
        }
      }
    }
  }
  // The others stay under at least kCandidateNames names: only the open ones are picked from.
  for (size_t open_idx = 0; open_idx < open.size(); ++open_idx) pool[open_idx] = pool[open[open_idx]];
  pool.resize(open.size());
}

void MatchIndexImpl::AddSameBirthDateNames(const MatchQuery& query, Scratch& s) const {
  // Entities born on the query's birth date, or a day off, or with day and month swapped (the
  // slips CompareBirthDates forgives): their names are scored too.
  if (!query.birth_date || query.birth_date->month == 0 || query.birth_date->day == 0) return;
  std::vector<PoolEntry>& pool = s.pool;
  const PartialDate& date = *query.birth_date;
  uint32_t days[4] = {PackedFullDate(date), 0, 0, 0};
  if (date.day > 1) days[1] = PackedFullDate({date.year, date.month, date.day - 1});
  if (date.day < DaysInMonth(date.year, date.month)) {
    days[2] = PackedFullDate({date.year, date.month, date.day + 1});
  }
  if (date.day != date.month && date.day <= 12) {
    const PartialDate swapped{date.year, date.day, date.month};
    if (swapped.day <= DaysInMonth(swapped.year, swapped.month)) {
      days[3] = PackedFullDate(swapped);
    }
  }
  // The days' lists first, and their entities' records asked for at once (scattered reads).
  const std::vector<uint32_t>* lists[4] = {};
  for (size_t day = 0; day < 4; ++day) {
    if (days[day] == 0) continue;
    auto born = entities_by_birth_date_.find(days[day]);
    if (born == entities_by_birth_date_.end() || born->second.size() > kMaxSameBirthDate) {
      continue;
    }
    lists[day] = &born->second;
    for (uint32_t entity_idx : born->second) __builtin_prefetch(&entities_[entity_idx]);
  }
  for (const std::vector<uint32_t>* born : lists) {
    if (born == nullptr) continue;
    for (uint32_t entity_idx : *born) {
      const EntityRec& entity = entities_[entity_idx];
      if (!entity.alive || (query.type && entity.type != *query.type)) continue;
      for (uint32_t name_id = entity.name_begin; name_id < entity.name_begin + entity.name_count;
           ++name_id) {
        auto same = [name_id](const PoolEntry& entry) { return entry.name_id == name_id; };
        if (std::find_if(pool.begin(), pool.end(), same) == pool.end()) {
          pool.push_back({0.0f, name_id, 0, kUnpacked, 1.0f});
        }
      }
    }
  }
}

void MatchIndexImpl::ScoreCandidates(Scratch& s) const {
  const std::vector<PoolEntry>& pool = s.pool;
  for (const PoolEntry& entry : pool) __builtin_prefetch(&names_[entry.name_id]);
  std::vector<ScoredToken>& query_scored = s.query_scored;
  query_scored.clear();
  for (const QueryToken& q : s.qtokens) {
    ScoredToken t;
    t.text = q.text;
    t.class_id = q.class_key;
    t.skeleton_id = q.skeleton_key;
    t.role = q.role;
    t.weight = q.weight;
    t.known_name = q.known_name;
    t.letters = match::LetterMask(q.text);
    t.arabic = q.arabic;
    query_scored.push_back(t);
  }
  std::vector<BestName>& best_by_entity = s.best;
  best_by_entity.clear();
  s.memo.Clear();
  std::vector<ScoredToken>& candidate_scored = s.candidate_scored;
  for (size_t pos = 0; pos < pool.size(); ++pos) {
    // Three names ahead, its run of part ids; two ahead, its parts; one ahead, their weights and
    // texts (each asked for ahead of use).
    if (pos + 3 < pool.size()) {
      __builtin_prefetch(&name_tokens_[names_[pool[pos + 3].name_id].token_begin]);
    }
    if (pos + 2 < pool.size()) {
      const NameRec& ahead = names_[pool[pos + 2].name_id];
      for (uint32_t t = ahead.token_begin; t < ahead.token_begin + ahead.token_count; ++t) {
        __builtin_prefetch(&tokens_[name_tokens_[t]]);
      }
    }
    if (pos + 1 < pool.size()) {
      const NameRec& ahead = names_[pool[pos + 1].name_id];
      for (uint32_t t = ahead.token_begin; t < ahead.token_begin + ahead.token_count; ++t) {
        const TokenRec& token = tokens_[name_tokens_[t]];
        if (token.class_key != kNoKey) __builtin_prefetch(&weight_cache_[token.class_key]);
        __builtin_prefetch(token_text_.data() + token.text_offset);
      }
    }
    const uint32_t name_id = pool[pos].name_id;
    const NameRec& name = names_[name_id];
    ScoredParts(name, candidate_scored);
    const bool organization = (organization_bits_[name_id >> 6] >> (name_id & 63)) & 1;
    double score =
        match::ScoreNames(query_scored, candidate_scored, false, organization, &s.memo).score;
    auto it = std::find_if(best_by_entity.begin(), best_by_entity.end(),
                           [&](const BestName& b) { return b.entity == name.entity; });
    if (it == best_by_entity.end()) {
      best_by_entity.push_back({name.entity, name_id, score});
    } else if (score > it->name_score || (score == it->name_score && name_id < it->name_id)) {
      it->name_id = name_id;
      it->name_score = score;
    }
  }
}

std::vector<Kept> MatchIndexImpl::KeepBestEntities(const MatchQuery& query,
                                                   const std::string& nationality,
                                                   const std::string& id_number, Scratch& s) const {
  const std::vector<BestName>& best_by_entity = s.best;
  std::vector<Kept> kept;
  // An entity whose name score stays under the threshold even with the most the facts can add
  // is not kept whatever its facts say: they are not read. An identity number can lift any
  // name (kSameDocumentScore), so with one every entity's facts are read.
  const double most_added =
      match::MostFactsAdd(query.birth_date.has_value(), !nationality.empty());
  const bool cut = id_number.empty() && query.threshold > 0.0;
  const bool read_facts = !nationality.empty() || !id_number.empty();
  auto passed_over = [&](const BestName& best) {
    return cut && best.name_score + most_added < query.threshold - kFactsCutMargin;
  };
  // The records read below, then their facts, asked for at once (scattered reads).
  for (const BestName& best : best_by_entity) {
    if (!passed_over(best)) __builtin_prefetch(&entities_[best.entity]);
  }
  for (const BestName& best : best_by_entity) {
    if (!passed_over(best)) {
      __builtin_prefetch(entity_facts_.data() + entities_[best.entity].facts_offset);
    }
  }
  for (size_t i = 0; i < best_by_entity.size(); ++i) {
    const BestName& best = best_by_entity[i];
    if (passed_over(best)) continue;
    const EntityRec& entity = entities_[best.entity];
    double adjust = 0.0;
    if (query.birth_date) {
      LoadDates(entity, s);
      adjust += match::CompareBirthDates(*query.birth_date, s.dates, nullptr, best.name_score);
    }
    if (read_facts) LoadFacts(entity, s);
    adjust += match::CompareNationality(nationality, s.nationalities, nullptr);
    const double id_value = match::CompareIdNumbers(id_number, s.id_numbers, nullptr);
    adjust += id_value;
    adjust += match::CompareGender(query.gender, entity.gender, nullptr);
    double raw = best.name_score + adjust;
    if (id_value >= match::kSameIdNumberBonus && id_number.size() >= 6) {
      raw = std::max(raw, match::kSameDocumentScore);
    }
    const double total = std::clamp(raw, 0.0, 1.0);
    if (total < query.threshold || total <= 0.0) continue;
    kept.push_back({best.name_id, raw, total});
  }
  std::sort(kept.begin(), kept.end(), [&](const Kept& a, const Kept& b) {
    if (a.raw != b.raw) return a.raw > b.raw;
    return Text(entities_[names_[a.name_id].entity].id) <
           Text(entities_[names_[b.name_id].entity].id);
  });
  if (kept.size() > static_cast<size_t>(query.top)) kept.resize(query.top);
  return kept;
}

std::vector<MatchResult> MatchIndexImpl::ExplainResults(const MatchQuery& query,
                                                        const std::string& nationality,
                                                        const std::string& id_number,
                                                        const std::vector<Kept>& kept,
                                                        Scratch& s) const {
  std::vector<MatchResult> results;
  results.reserve(kept.size());
  std::vector<ScoredToken>& candidate_scored = s.candidate_scored;
  for (const Kept& k : kept) {
    const NameRec& name = names_[k.name_id];
    const EntityRec& entity = entities_[name.entity];
    MatchResult result;
    result.entity_id = std::string(Text(entity.id));
    result.entity_version = entity.version;
    result.source_record_id = std::string(Text(entity.source_record_id));
    result.matched_name = name_text_.substr(name.display_offset, name.display_size);
    result.score = k.total;
    ScoredParts(name, candidate_scored);
    match::NameScore name_score = match::ScoreNames(
        s.query_scored, candidate_scored, true, entity.type == EntityType::kOrganization, &s.memo);
    result.factors.push_back({"name", name_score.score, name_score.detail});
    std::string detail;
    if (query.birth_date) {
      LoadDates(entity, s);
      double v = match::CompareBirthDates(*query.birth_date, s.dates, &detail, name_score.score);
      if (!s.dates.empty()) result.factors.push_back({"birth_date", v, detail});
    }
    LoadFacts(entity, s);
    detail.clear();
    double v = match::CompareNationality(nationality, s.nationalities, &detail);
    if (!detail.empty()) result.factors.push_back({"nationality", v, detail});
    detail.clear();
    v = match::CompareIdNumbers(id_number, s.id_numbers, &detail);
    if (!detail.empty()) result.factors.push_back({"id_number", v, detail});
    detail.clear();
    v = match::CompareGender(query.gender, entity.gender, &detail);
    if (!detail.empty()) result.factors.push_back({"gender", v, detail});
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace entente::match_internal
