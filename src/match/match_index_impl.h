// Internal to src/match: the in-memory match index behind MatchIndex (match/matcher.h), shared
// by match_index.cc (the structure: Add, Remove, Apply), match_query.cc (Match and its phases)
// and match_index_stats.cc (memory accounting). See match_index.cc for the layout.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "match/deletion_index.h"
#include "match/flat_table.h"
#include "match/matcher.h"
#include "match/normalize.h"
#include "match/scorer.h"
#include "model/country.h"

namespace entente::match_internal {

using match::ClassKey;
using match::DeletionIndex;
using match::FlatIdTable;
using match::kNoKey;
using match::NameToken;
using match::NormalizedName;
using match::ScoredToken;
using match::Skeleton;
using match::TokenRole;

// FNV-1a over a tag byte and the concatenation head + tail (a deletion neighbour is a prefix
// and a suffix of the part; hashing both halves avoids building the string), then a final mix
// so that every bit depends on every byte (the tables use the top bits).
inline uint64_t HashKey(char tag, std::string_view head, std::string_view tail = {}) {
  uint64_t hash = 1469598103934665603ull;
  hash ^= static_cast<unsigned char>(tag);
  hash *= 1099511628211ull;
  for (std::string_view piece : {head, tail}) {
    for (char ch : piece) {
      hash ^= static_cast<unsigned char>(ch);
      hash *= 1099511628211ull;
    }
  }
  hash ^= hash >> 29;
  hash *= 0xbf58476d1ce4e5b9ull;
  hash ^= hash >> 32;
  return hash;
}

// Tags of the key texts and of the two deletion neighbourhoods.
constexpr char kClassTag = 'c';
constexpr char kSkeletonTag = 's';
constexpr char kTextTag = 't';
// Spelling neighbourhoods are made for parts of at least this length.
constexpr size_t kMinDeletionText = 4;

// Deletion keys are made for skeletons of at least this length (shorter ones are too common).
constexpr size_t kMinDeletionSkeleton = 4;

// Calls fn with the hash of every deletion key of a part: its skeleton and the skeleton's
// one-deletion neighbours, its spelling and the spelling's one-deletion neighbours (symmetric
// delete: two parts within one edit share a key).
template <typename Fn>
inline void ForEachDeletionKey(std::string_view skeleton, std::string_view text, Fn&& fn) {
  if (skeleton.size() >= 3) {
    fn(HashKey(kSkeletonTag, skeleton));
    if (skeleton.size() >= kMinDeletionSkeleton) {
      for (size_t pos = 0; pos < skeleton.size(); ++pos) {
        if (pos > 0 && skeleton[pos] == skeleton[pos - 1]) continue;
        fn(HashKey(kSkeletonTag, skeleton.substr(0, pos), skeleton.substr(pos + 1)));
      }
    }
  }
  if (text.size() >= kMinDeletionText) {
    fn(HashKey(kTextTag, text));
    for (size_t pos = 0; pos < text.size(); ++pos) {
      if (pos > 0 && text[pos] == text[pos - 1]) continue;
      fn(HashKey(kTextTag, text.substr(0, pos), text.substr(pos + 1)));
    }
  }
}

// A full date as one number (19870304), or 0 when the day or month is unknown.
inline uint32_t PackedFullDate(const PartialDate& date) {
  if (date.month == 0 || date.day == 0) return 0;
  return static_cast<uint32_t>(date.year * 10000 + date.month * 100 + date.day);
}

inline float RoleFactor(TokenRole role) {
  switch (role) {
    case TokenRole::kWord:
      return 1.0f;
    case TokenRole::kCommon:
      return 0.3f;
    case TokenRole::kLegalForm:
      return 0.1f;
    case TokenRole::kParticle:
      return 0.08f;
  }
  return 1.0f;
}

// A string in one of the arenas.
struct TextRef {
  uint32_t offset = 0;
  uint32_t size = 0;
};

struct EntityRec {
  TextRef id;
  TextRef source_record_id;
  int32_t version = 0;
  // Birth dates, nationalities and identity numbers, one after the other in entity_facts_
  // (one cache line for most entities): the dates as PartialDate bytes, then each string as a
  // length byte and its bytes.
  uint32_t facts_offset = 0;
  uint32_t name_begin = 0;
  uint32_t name_count = 0;
  uint8_t dates_count = 0;
  uint8_t nationality_count = 0;
  uint8_t id_number_count = 0;
  EntityType type = EntityType::kPerson;
  Gender gender = Gender::kUnknown;
  bool alive = false;
};

struct NameRec {
  uint32_t entity = 0;
  uint32_t token_begin = 0;
  uint32_t display_offset = 0;  // the name as listed, in name_text_
  uint16_t display_size = 0;
  uint16_t token_count = 0;
};

struct TokenRec {
  uint32_t class_key = kNoKey;     // key id of the variant class
  uint32_t skeleton_key = kNoKey;  // key id of the skeleton (kNoKey when too short)
  uint32_t text_offset = 0;
  uint16_t text_size = 0;
  TokenRole role = TokenRole::kWord;
  bool known_name = false;   // match::IsKnownName(text)
  uint32_t letters = 0;      // match::LetterMask(text)
  uint16_t arabic_size = 0;  // NameToken::arabic, stored right after the text in token_text_
};

// The keys of each entry of name_tokens_ (a copy of its TokenRec's), so that checking a
// name against a key reads one contiguous run.
struct PartKeys {
  uint32_t class_key;
  uint32_t skeleton_key;
};

// An entry of a posting list: the name, its ranking weight and its parts, so that ranking the
// names found reads nothing else per name.
struct Posting {
  uint32_t name_id;
  // Sum of the parts' weights when the name was added (rarity drifts a little as the list
  // grows; only candidate ranking uses it, the exact scorer uses current weights).
  float weight_sum;
  uint32_t parts;  // PackParts(token_begin, token_count), to reach the name's keys directly
};

// A name's run in name_tokens_/name_keys_ in 32 bits: begin << 5 | count (a name has at most
// kMaxNameTokens < 32 parts); kUnpacked past 2^27 parts (read NameRec instead).
static_assert(match::kMaxNameTokens < 32, "PackParts keeps the part count in 5 bits");
constexpr uint32_t kUnpacked = 0xFFFFFFFFu;
inline uint32_t PackParts(uint32_t begin, uint32_t count) {
  return begin < (1u << 27) - 1 ? (begin << 5) | count : kUnpacked;
}

// Per-name accumulator of one query, in a small open-addressing table keyed by name id (a
// query touches a few thousand names at most: the table stays in the core's cache, where an
// array over all names would not).
struct NameAcc {
  uint32_t name_id = 0;
  uint32_t stamp = 0;       // epoch of the query that last used this slot; else empty
  float acc = 0.0f;         // rarity-weighted overlap so far
  uint32_t token_mask = 0;  // query parts already credited
};

// A name found: its accumulator slot and the posting that found it first (weight, parts).
struct Touched {
  uint32_t slot;
  const Posting* posting;
};

// A name found, for ranking: its overlap score, id and accumulator slot.
struct PoolEntry {
  float score;
  uint32_t name_id;
  uint32_t slot;
  uint32_t parts;  // Posting::parts
  float divisor;   // 1 + 0.15 x the name's weight: score = overlap / divisor
};

// A posting list (or a near part's) used by one query part.
struct KeyUse {
  uint32_t key;
  uint32_t query_token;
  size_t length;
  float weight;  // what finding a name through this key credits it
};

// A query part with its keys resolved against the index.
struct QueryToken {
  std::string_view text;
  std::string_view arabic;  // NameToken::arabic (cross-script scoring)
  std::string skeleton;
  TokenRole role = TokenRole::kWord;
  uint32_t class_key = kNoKey;
  uint32_t skeleton_key = kNoKey;
  float weight = 1.0f;
  bool known = false;       // this exact spelling is a part of some listed name
  bool known_name = false;  // match::IsKnownName(text)
};

struct BestName {
  uint32_t entity;
  uint32_t name_id;
  double name_score;
};

// Everything one query needs besides the index, reused from query to query (no allocation
// per query once warm).
struct Scratch {
  std::vector<NameAcc> accs;     // power-of-two size; a query uses its first acc_mask + 1 slots
  std::vector<Touched> touched;  // in the order names were found
  std::vector<PoolEntry> pool;
  std::vector<PoolEntry> best_pool;
  std::vector<float> scores;  // the best candidates' scores (a heap), while ranking
  std::vector<uint32_t> open;  // pool entries the common lists left over may still lift
  std::vector<KeyUse> uses;
  std::vector<uint32_t> used_keys;
  std::vector<uint32_t> seen_tokens;
  // Near parts found for a query spelling (key, similarity), valid for one index generation.
  std::unordered_map<std::string, std::vector<std::pair<uint32_t, float>>> near_memo;
  uint32_t near_generation = 0;
  std::vector<QueryToken> qtokens;
  std::vector<ScoredToken> query_scored;
  std::vector<ScoredToken> candidate_scored;
  match::SimilarityMemo memo;  // part-pair similarities of the current query
  std::string joined_text;     // two query parts joined, to look up as one listed part
  std::vector<BestName> best;
  std::vector<PartialDate> dates;
  std::vector<std::string> nationalities;
  std::vector<std::string> id_numbers;
  uint32_t epoch = 0;
};

// Working lists of AddLocked, shared by an entity's names: the names added so far (as part
// ids) and one name's parts and keys.
struct NameLists {
  std::vector<std::vector<uint32_t>> seen_names;
  std::vector<uint32_t> ids;
  std::vector<uint32_t> seen_keys;
  std::vector<uint32_t> posted_keys;
};

// An entity kept for the results: its best name, its score before clamping (which ranks) and
// after.
struct Kept {
  uint32_t name_id;
  double raw;
  double total;
};

class MatchIndexImpl final : public MatchIndex {
 public:
  void Add(const Entity& entity) override {
    std::unique_lock lock(mutex_);
    AddLocked(entity);
  }
  void Remove(const std::string& entity_id) override {
    std::unique_lock lock(mutex_);
    RemoveLocked(entity_id);
    BumpGeneration();
  }
  void Apply(const std::vector<Entity>& changed, int64_t through_seq) override;
  Result<std::vector<MatchResult>> Match(const MatchQuery& query) const override;
  MatchIndexStats Stats() const override;

  void SetAppliedSeq(int64_t seq) override {
    std::unique_lock lock(mutex_);
    applied_seq_ = seq;
  }
  int64_t AppliedSeq() const override {
    std::shared_lock lock(mutex_);
    return applied_seq_;
  }

 private:
  void AddLocked(const Entity& entity);
  // Adds one of an entity's names (unless unusable or a repeat of one added before).
  void AddNameLocked(const Name& name, EntityType type, NameLists& lists);
  // Stores the entity's ids, birth dates, nationalities and identity numbers (entity_facts_).
  void AppendFacts(const Entity& entity, EntityRec& rec);
  void RemoveLocked(const std::string& entity_id);
  uint32_t FindEntity(std::string_view id) const;
  uint32_t InternKey(char tag, std::string_view text);
  uint32_t FindKey(char tag, std::string_view text) const {
    return key_table_.Find(HashKey(tag, text), [&](uint32_t key) {
      std::string_view stored = KeyText(key);
      return stored.size() == text.size() + 1 && stored[0] == tag && stored.substr(1) == text;
    });
  }
  std::string_view KeyText(uint32_t key) const {
    return std::string_view(key_text_).substr(key_text_offset_[key],
                                              key_text_offset_[key + 1] - key_text_offset_[key]);
  }
  uint32_t FindToken(std::string_view text) const {
    return token_table_.Find(match::HashBytes(text.data(), text.size()),
                             [&](uint32_t token) { return TokenText(token) == text; });
  }
  uint32_t InternToken(const NameToken& token);
  template <typename Fn>
  void ForEachNearToken(std::string_view skeleton, std::string_view text, Fn&& fn) const;
  // Rebuilds the deletion neighbourhoods' compact layer from the parts (exclusive lock held).
  void CompactLocked() const;
  // Compacts when Add left too much in the overflow layer; takes the exclusive lock for it.
  void CompactIfNeeded() const {
    if (!needs_compact_.load(std::memory_order_acquire)) return;
    std::unique_lock lock(mutex_);
    if (!needs_compact_.load(std::memory_order_relaxed)) return;
    CompactLocked();
  }
  float ComputeKeyWeight(uint32_t key) const {
    const double n = static_cast<double>(std::max<int64_t>(live_names_, 1));
    const double df = key == kNoKey ? 0.0 : key_live_df_[key];
    return static_cast<float>(std::max(0.5, std::log(1.0 + n / (df + 1.0))));
  }
  // ComputeKeyWeight, cached per key until the next change to the index.
  float KeyWeight(uint32_t key) const {
    if (key == kNoKey) return ComputeKeyWeight(key);
    std::atomic<uint64_t>& slot = weight_cache_[key];
    const uint64_t packed = slot.load(std::memory_order_relaxed);
    float weight;
    if (static_cast<uint32_t>(packed >> 32) == generation_) {
      const uint32_t bits = static_cast<uint32_t>(packed);
      std::memcpy(&weight, &bits, sizeof(weight));
      return weight;
    }
    weight = ComputeKeyWeight(key);
    uint32_t bits;
    std::memcpy(&bits, &weight, sizeof(bits));
    slot.store((static_cast<uint64_t>(generation_) << 32) | bits, std::memory_order_relaxed);
    return weight;
  }
  void BumpGeneration();
  std::string_view TokenText(uint32_t token) const {
    const TokenRec& rec = tokens_[token];
    return std::string_view(token_text_).substr(rec.text_offset, rec.text_size);
  }
  std::string_view TokenArabic(uint32_t token) const {
    const TokenRec& rec = tokens_[token];
    return std::string_view(token_text_).substr(rec.text_offset + rec.text_size, rec.arabic_size);
  }
  std::string_view Text(const TextRef& ref) const {
    return std::string_view(entity_text_).substr(ref.offset, ref.size);
  }
  // Copies an entity's birth dates, or nationalities and identity numbers, into the scratch
  // vectors the scorer's comparison functions take.
  void LoadDates(const EntityRec& entity, Scratch& s) const {
    s.dates.resize(entity.dates_count);
    if (entity.dates_count > 0) {
      std::memcpy(s.dates.data(), entity_facts_.data() + entity.facts_offset,
                  entity.dates_count * sizeof(PartialDate));
    }
  }
  void LoadFacts(const EntityRec& entity, Scratch& s) const {
    const char* p =
        entity_facts_.data() + entity.facts_offset + entity.dates_count * sizeof(PartialDate);
    s.nationalities.resize(entity.nationality_count);
    for (std::string& code : s.nationalities) {
      const size_t size = static_cast<unsigned char>(*p++);
      code.assign(p, size);
      p += size;
    }
    s.id_numbers.resize(entity.id_number_count);
    for (std::string& number : s.id_numbers) {
      const size_t size = static_cast<unsigned char>(*p++);
      number.assign(p, size);
      p += size;
    }
  }
  // Fills `out` with the parts of `name`, weighed with the current weights.
  void ScoredParts(const NameRec& name, std::vector<ScoredToken>& out) const;
  // What a near part (similarity `sim` to the query part) credits the names holding `key`:
  // what the listed part weighs (a typo must not make a common part look rare), scaled.
  float NearWeight(float query_weight, uint32_t key, float sim) const {
    return std::min(query_weight, KeyWeight(key)) * sim;
  }
  std::unique_ptr<Scratch> AcquireScratch() const;
  void ReleaseScratch(std::unique_ptr<Scratch> scratch) const;

  // The phases of Match (match_query.cc), in order; each works in the query's scratch.
  // The query's parts with their keys resolved against the index (s.qtokens).
  void ResolveQueryParts(const NormalizedName& normalized, Scratch& s) const;
  // Candidate generation: the posting lists the query's parts use (s.uses, rarest first) ...
  void CollectKeyUses(Scratch& s) const;
  // ... those of a part joined with the next one, or of a part split in two listed parts ...
  void AddJoinedAndSplitUses(size_t q_idx, Scratch& s) const;
  // ... and those of the parts within one edit of a rare or unknown part.
  void AddNearUses(size_t q_idx, Scratch& s) const;
  // Walks the rarest lists within the budget into the accumulators (s.accs, s.touched);
  // returns where the common lists left over begin in s.uses.
  size_t WalkPostings(Scratch& s) const;
  // Candidate ranking: the live names found of the query's type, the best kVerifyNames kept
  // (s.pool) ...
  void PoolFoundNames(const MatchQuery& query, Scratch& s) const;
  // ... credited with the common lists left over (then cut to the kCandidateNames best) ...
  void CreditDeferredLists(size_t deferred_begin, Scratch& s) const;
  // ... plus the names of the entities born on the query's birth date (or a slip of it).
  void AddSameBirthDateNames(const MatchQuery& query, Scratch& s) const;
  // Exact scoring: the best name per entity (s.best), then the entities at or above the
  // threshold with their other facts, best first, at most query.top.
  void ScoreCandidates(Scratch& s) const;
  std::vector<Kept> KeepBestEntities(const MatchQuery& query, const std::string& nationality,
                                     const std::string& id_number, Scratch& s) const;
  // Result assembly: the kept entities with their factors explained.
  std::vector<MatchResult> ExplainResults(const MatchQuery& query, const std::string& nationality,
                                          const std::string& id_number,
                                          const std::vector<Kept>& kept, Scratch& s) const;

  mutable std::shared_mutex mutex_;
  // Entities: fixed-size records; their strings in entity_text_, their dates in entity_dates_,
  // their nationalities and identity numbers in entity_refs_ (texts in entity_text_).
  std::vector<EntityRec> entities_;
  FlatIdTable entity_table_;  // entity id -> index in entities_
  std::string entity_text_;
  std::string entity_facts_;
  // Name variants.
  std::vector<NameRec> names_;
  std::string name_text_;  // display names
  // Full birth date (PackedFullDate) -> entities born that day (dead ones are skipped on read).
  std::unordered_map<uint32_t, std::vector<uint32_t>> entities_by_birth_date_;
  std::vector<uint32_t> name_tokens_;
  std::vector<PartKeys> name_keys_;
  // Name parts.
  std::vector<TokenRec> tokens_;
  // Each part's length (255 = 255 or more), read by the fuzzy lookup before anything else.
  std::vector<uint8_t> token_length_;
  std::string token_text_;
  FlatIdTable token_table_;  // part text -> token id
  // Keys ("c" + variant class, "s" + skeleton): text, posting list, live document frequency.
  std::string key_text_;
  std::vector<uint32_t> key_text_offset_ = {0};  // keys + 1 offsets into key_text_
  FlatIdTable key_table_;
  std::vector<std::vector<Posting>> postings_;  // per key, ascending name id
  // Bit per name: removed; an organization's. Small enough to stay in cache while ranking.
  std::vector<uint64_t> dead_bits_;
  std::vector<uint64_t> organization_bits_;
  std::vector<uint32_t> key_live_df_;
  // Key weights, each tagged with the generation it was computed for (upper 32 bits) and the
  // float's bits (lower 32): written by concurrent readers, hence atomic (relaxed).
  mutable std::unique_ptr<std::atomic<uint64_t>[]> weight_cache_;
  size_t weight_cache_capacity_ = 0;
  uint32_t generation_ = 1;  // changes with every Add/Remove; 0 marks an empty cache entry
  // One-edit neighbourhoods of the parts (symmetric delete), to find parts within one edit of
  // a query part (typos, other transliterations). Rebuilt lazily: mutable.
  mutable DeletionIndex deletion_;
  mutable std::atomic<bool> needs_compact_{false};
  int64_t live_entities_ = 0;
  int64_t live_names_ = 0;
  int64_t applied_seq_ = 0;
  mutable std::mutex scratch_mutex_;
  mutable std::vector<std::unique_ptr<Scratch>> scratch_pool_;
};

}  // namespace entente::match_internal
