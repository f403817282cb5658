// The in-memory match index behind MatchIndex (match/matcher.h).
//
// Layout: every distinct canonical name part is interned once (text, variant-class key,
// skeleton key, role); a name variant is a run of part ids; an inverted index maps each key
// (variant class or skeleton) to the name variants holding it. A query touches the posting
// lists of its parts' keys (rare parts first, very common ones skipped when rarer ones exist),
// accumulates a rarity-weighted overlap per name in a small per-thread hash table, and runs
// the exact scorer only on the best few dozen names.
//
// Memory: no per-entry heap objects but one posting vector per key. Strings (entity ids, source
// ids, display names, part texts, key texts, identity numbers) live in append-only arenas addressed
// by offsets; lookups by text go through FlatIdTable (match/flat_table.h: 64-bit hash -> id, the
// text confirmed in the arena); the one-edit neighbourhoods are a DeletionIndex
// (match/deletion_index.h), compact after a bulk load, with an overflow layer for parts added
// later. Arena space of replaced entities is not reclaimed (updates are rare next to the list's
// size).
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

namespace entente {

namespace {

using match::ClassKey;
using match::DeletionIndex;
using match::FlatIdTable;
using match::kNoKey;
using match::NameToken;
using match::NormalizedName;
using match::ScoredToken;
using match::Skeleton;
using match::TokenRole;

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
constexpr size_t kPrefetchAhead = 16;
// A query with a full birth date also has the names of the entities born that day scored
// (someone listed under another spelling is still found by the date), unless the day is
// shared by more than this many entities (a placeholder such as 1 January).
constexpr size_t kMaxSameBirthDate = 48;
// A query part is tried as two listed parts joined when each half is at least this long.
constexpr size_t kMinSplitPart = 3;

// FNV-1a over a tag byte and the concatenation head + tail (a deletion neighbour is a prefix
// and a suffix of the part; hashing both halves avoids building the string), then a final mix
// so that every bit depends on every byte (the tables use the top bits).
uint64_t HashKey(char tag, std::string_view head, std::string_view tail = {}) {
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
void ForEachDeletionKey(std::string_view skeleton, std::string_view text, Fn&& fn) {
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

// Parts more frequent than this are taken as spelled right: no fuzzy expansion.
constexpr uint32_t kFuzzyMaxDf = 32;
// At most this many near parts are examined per query part.
constexpr size_t kFuzzyMaxTokens = 128;
// Each query thread remembers the near parts of at most this many spellings (a few MB).
constexpr size_t kNearMemoEntries = 1 << 16;

// The deletion neighbourhoods are made compact again once the overflow layer holds this many
// entries and more than 1/16 of the compact layer (on the next query), or right away when it
// outgrows the compact layer by kOverflowRebuildNow (bounds memory during a long bulk load).
constexpr size_t kOverflowCompactMin = 4096;
constexpr size_t kOverflowRebuildNow = 1 << 16;

// A full date as one number (19870304), or 0 when the day or month is unknown.
uint32_t PackedFullDate(const PartialDate& date) {
  if (date.month == 0 || date.day == 0) return 0;
  return static_cast<uint32_t>(date.year * 10000 + date.month * 100 + date.day);
}

float RoleFactor(TokenRole role) {
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

// Appends `text` to `arena`. Arenas are addressed with 32-bit offsets: 4 GB of text.
TextRef AppendText(std::string& arena, std::string_view text) {
  TextRef ref{static_cast<uint32_t>(arena.size()), static_cast<uint32_t>(text.size())};
  arena.append(text);
  return ref;
}

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
  bool known_name = false;  // match::IsKnownName(text)
  uint32_t letters = 0;     // match::LetterMask(text)
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
uint32_t PackParts(uint32_t begin, uint32_t count) {
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
  void RemoveLocked(const std::string& entity_id);
  uint32_t FindEntity(std::string_view id) const;
  uint32_t InternKey(char tag, std::string_view text);
  uint32_t FindKey(char tag, std::string_view text) const;
  std::string_view KeyText(uint32_t key) const {
    return std::string_view(key_text_).substr(key_text_offset_[key],
                                              key_text_offset_[key + 1] - key_text_offset_[key]);
  }
  uint32_t FindToken(std::string_view text) const;
  uint32_t InternToken(const NameToken& token);
  template <typename Fn>
  void ForEachNearToken(std::string_view skeleton, std::string_view text, Fn&& fn) const;
  // Rebuilds the deletion neighbourhoods' compact layer from the parts (exclusive lock held).
  void CompactLocked() const;
  // Compacts when Add left too much in the overflow layer; takes the exclusive lock for it.
  void CompactIfNeeded() const;
  float ComputeKeyWeight(uint32_t key) const {
    const double n = static_cast<double>(std::max<int64_t>(live_names_, 1));
    const double df = key == kNoKey ? 0.0 : key_live_df_[key];
    return static_cast<float>(std::max(0.5, std::log(1.0 + n / (df + 1.0))));
  }
  // ComputeKeyWeight, cached per key until the next change to the index.
  float KeyWeight(uint32_t key) const;
  void BumpGeneration();
  std::string_view TokenText(uint32_t token) const {
    const TokenRec& rec = tokens_[token];
    return std::string_view(token_text_).substr(rec.text_offset, rec.text_size);
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

uint32_t MatchIndexImpl::FindEntity(std::string_view id) const {
  return entity_table_.Find(match::HashBytes(id.data(), id.size()),
                            [&](uint32_t idx) { return Text(entities_[idx].id) == id; });
}

uint32_t MatchIndexImpl::FindKey(char tag, std::string_view text) const {
  return key_table_.Find(HashKey(tag, text), [&](uint32_t key) {
    std::string_view stored = KeyText(key);
    return stored.size() == text.size() + 1 && stored[0] == tag && stored.substr(1) == text;
  });
}

uint32_t MatchIndexImpl::InternKey(char tag, std::string_view text) {
  const uint32_t found = FindKey(tag, text);
  if (found != kNoKey) return found;
  const uint32_t key = static_cast<uint32_t>(postings_.size());
  key_text_.push_back(tag);
  key_text_.append(text);
  key_text_offset_.push_back(static_cast<uint32_t>(key_text_.size()));
  key_table_.Insert(HashKey(tag, text), key);
  postings_.emplace_back();
  key_live_df_.push_back(0);
  if (key >= weight_cache_capacity_) {
    const size_t capacity = std::max<size_t>(1024, weight_cache_capacity_ * 2);
    auto grown = std::make_unique<std::atomic<uint64_t>[]>(capacity);
    for (size_t k = 0; k < capacity; ++k) {
      grown[k].store(
          k < weight_cache_capacity_ ? weight_cache_[k].load(std::memory_order_relaxed) : 0,
          std::memory_order_relaxed);
    }
    weight_cache_ = std::move(grown);
    weight_cache_capacity_ = capacity;
  }
  return key;
}

uint32_t MatchIndexImpl::FindToken(std::string_view text) const {
  return token_table_.Find(match::HashBytes(text.data(), text.size()),
                           [&](uint32_t token) { return TokenText(token) == text; });
}

uint32_t MatchIndexImpl::InternToken(const NameToken& token) {
  const uint32_t found = FindToken(token.text);
  if (found != kNoKey) return found;
  TokenRec rec;
  rec.role = token.role;
  rec.text_offset = static_cast<uint32_t>(token_text_.size());
  rec.text_size = static_cast<uint16_t>(std::min<size_t>(token.text.size(), 0xFFFF));
  token_text_.append(token.text, 0, rec.text_size);
  rec.class_key = InternKey(kClassTag, ClassKey(token.text));
  rec.known_name = match::IsKnownName(token.text);
  rec.letters = match::LetterMask(token.text);
  std::string skeleton = Skeleton(token.text);
  if (skeleton.size() >= 3) rec.skeleton_key = InternKey(kSkeletonTag, skeleton);
  const uint32_t id = static_cast<uint32_t>(tokens_.size());
  tokens_.push_back(rec);
  token_length_.push_back(static_cast<uint8_t>(std::min<size_t>(token.text.size(), 255)));
  token_table_.Insert(match::HashBytes(token.text.data(), token.text.size()), id);
  if (token.role == TokenRole::kWord || token.role == TokenRole::kCommon) {
    ForEachDeletionKey(skeleton, token.text, [&](uint64_t hash) { deletion_.Add(hash, id); });
  }
  return id;
}

void MatchIndexImpl::CompactLocked() const {
  size_t expected = deletion_.compact_entries() + deletion_.overflow_entries();
  deletion_.Rebuild(expected, [&](auto&& emit) {
    for (uint32_t id = 0; id < tokens_.size(); ++id) {
      const TokenRec& token = tokens_[id];
      if (token.role != TokenRole::kWord && token.role != TokenRole::kCommon) continue;
      // The skeleton is the skeleton key's text less its tag (no key: shorter than 3, unused).
      std::string_view skeleton;
      if (token.skeleton_key != kNoKey) skeleton = KeyText(token.skeleton_key).substr(1);
      ForEachDeletionKey(skeleton, TokenText(id), [&](uint64_t hash) { emit(hash, id); });
    }
  });
  needs_compact_.store(false, std::memory_order_release);
}

void MatchIndexImpl::CompactIfNeeded() const {
  if (!needs_compact_.load(std::memory_order_acquire)) return;
  std::unique_lock lock(mutex_);
  if (!needs_compact_.load(std::memory_order_relaxed)) return;
  CompactLocked();
}

template <typename Fn>
void MatchIndexImpl::ForEachNearToken(std::string_view skeleton, std::string_view text,
                                      Fn&& fn) const {
  bool more = true;
  ForEachDeletionKey(skeleton, text, [&](uint64_t hash) {
    if (more) more = deletion_.ForEach(hash, fn);
  });
}

float MatchIndexImpl::KeyWeight(uint32_t key) const {
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

void MatchIndexImpl::BumpGeneration() {
  if (++generation_ != 0) return;
  for (size_t k = 0; k < weight_cache_capacity_; ++k) {
    weight_cache_[k].store(0, std::memory_order_relaxed);
  }
  generation_ = 1;
}

void MatchIndexImpl::RemoveLocked(const std::string& entity_id) {
  const uint32_t idx = FindEntity(entity_id);
  if (idx == kNoKey) return;
  EntityRec& rec = entities_[idx];
  if (!rec.alive) return;
  rec.alive = false;
  --live_entities_;
  std::vector<uint32_t> seen;
  for (uint32_t name_idx = rec.name_begin; name_idx < rec.name_begin + rec.name_count; ++name_idx) {
    NameRec& name = names_[name_idx];
    name.entity = kNoKey;  // dead: its postings are skipped from now on
    dead_bits_[name_idx >> 6] |= uint64_t{1} << (name_idx & 63);
    --live_names_;
    seen.clear();
    for (uint32_t t = name.token_begin; t < name.token_begin + name.token_count; ++t) {
      const TokenRec& token = tokens_[name_tokens_[t]];
      for (uint32_t key : {token.class_key, token.skeleton_key}) {
        if (key == kNoKey || std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
        seen.push_back(key);
        if (key_live_df_[key] > 0) --key_live_df_[key];
      }
    }
  }
}

void MatchIndexImpl::AddLocked(const Entity& entity) {
  RemoveLocked(entity.meta.id);
  BumpGeneration();
  if (entity.meta.revoked) return;
  if (entity.type != EntityType::kPerson && entity.type != EntityType::kOrganization) return;

  EntityRec rec;
  rec.version = entity.meta.version;
  rec.type = entity.type;
  rec.gender = entity.gender;
  rec.alive = true;
  rec.name_begin = static_cast<uint32_t>(names_.size());

  std::vector<std::vector<uint32_t>> seen_names;
  std::vector<uint32_t> ids;
  std::vector<uint32_t> seen_keys;
  std::vector<uint32_t> posted_keys;
  for (const Name& name : entity.names) {
    Result<NormalizedName> normalized = match::NormalizeName(name.full);
    if (!normalized.ok()) continue;  // unusable alias: the entity keeps its other names
    ids.clear();
    for (const NameToken& token : normalized->tokens) ids.push_back(InternToken(token));
    if (std::find(seen_names.begin(), seen_names.end(), ids) != seen_names.end()) continue;
    seen_names.push_back(ids);
    NameRec name_rec;
    name_rec.entity = 0;  // set below
    name_rec.token_begin = static_cast<uint32_t>(name_tokens_.size());
    name_rec.token_count = static_cast<uint16_t>(ids.size());
    const std::string_view display =
        std::string_view(name.full).substr(0, std::min<size_t>(name.full.size(), 0xFFFF));
    name_rec.display_offset = static_cast<uint32_t>(name_text_.size());
    name_rec.display_size = static_cast<uint16_t>(display.size());
    name_text_.append(display);
    const uint32_t name_id = static_cast<uint32_t>(names_.size());
    seen_keys.clear();
    posted_keys.clear();
    for (uint32_t token_id : ids) {
      name_tokens_.push_back(token_id);
      name_keys_.push_back({tokens_[token_id].class_key, tokens_[token_id].skeleton_key});
      const TokenRec& token = tokens_[token_id];
      for (uint32_t key : {token.class_key, token.skeleton_key}) {
        if (key == kNoKey || std::find(seen_keys.begin(), seen_keys.end(), key) != seen_keys.end())
          continue;
        seen_keys.push_back(key);
        ++key_live_df_[key];
        // Particles and legal forms are not used to find candidates.
        if (token.role == TokenRole::kWord || token.role == TokenRole::kCommon) {
          posted_keys.push_back(key);
        }
      }
    }
    float weight_sum = 0.0f;
    for (uint32_t token_id : ids) {
      weight_sum +=
          ComputeKeyWeight(tokens_[token_id].class_key) * RoleFactor(tokens_[token_id].role);
    }
    const uint32_t parts = PackParts(name_rec.token_begin, name_rec.token_count);
    for (uint32_t key : posted_keys) postings_[key].push_back({name_id, weight_sum, parts});
    if ((name_id & 63) == 0) {
      dead_bits_.push_back(0);
      organization_bits_.push_back(0);
    }
    if (entity.type == EntityType::kOrganization) {
      organization_bits_[name_id >> 6] |= uint64_t{1} << (name_id & 63);
    }
    names_.push_back(name_rec);
    ++live_names_;
  }
  BumpGeneration();
  if (deletion_.overflow_entries() > deletion_.compact_entries() + kOverflowRebuildNow) {
    CompactLocked();
  } else if (deletion_.overflow_entries() > kOverflowCompactMin &&
             deletion_.overflow_entries() * 16 > deletion_.compact_entries()) {
    needs_compact_.store(true, std::memory_order_release);
  }
  rec.name_count = static_cast<uint32_t>(names_.size()) - rec.name_begin;
  if (rec.name_count == 0) return;  // nothing matchable

  rec.id = AppendText(entity_text_, entity.meta.id);
  rec.source_record_id = AppendText(entity_text_, entity.meta.provenance.source_record_id);
  rec.facts_offset = static_cast<uint32_t>(entity_facts_.size());
  for (const PartialDate& date : entity.birth_dates) {
    if (rec.dates_count == 0xFF) break;
    entity_facts_.append(reinterpret_cast<const char*>(&date), sizeof(PartialDate));
    ++rec.dates_count;
  }
  // Strings of up to 255 bytes (country codes are two; longer identity numbers are cut).
  auto append_string = [&](std::string_view text) {
    text = text.substr(0, std::min<size_t>(text.size(), 0xFF));
    entity_facts_.push_back(static_cast<char>(static_cast<unsigned char>(text.size())));
    entity_facts_.append(text);
  };
  for (const std::string& code : entity.nationalities) {
    std::string normalized = NormalizeCountryCode(code);
    if (normalized.empty() || rec.nationality_count == 0xFF) continue;
    append_string(normalized);
    ++rec.nationality_count;
  }
  for (const IdentityDocumentInfo& doc : entity.documents) {
    std::string number = match::NormalizeIdNumber(doc.number);
    if (number.empty() || rec.id_number_count == 0xFF) continue;
    append_string(number);
    ++rec.id_number_count;
  }

  uint32_t entity_idx = FindEntity(entity.meta.id);
  if (entity_idx != kNoKey) {
    entities_[entity_idx] = rec;
  } else {
    entity_idx = static_cast<uint32_t>(entities_.size());
    entities_.push_back(rec);
    entity_table_.Insert(match::HashBytes(entity.meta.id.data(), entity.meta.id.size()),
                         entity_idx);
  }
  for (uint32_t name_idx = rec.name_begin; name_idx < rec.name_begin + rec.name_count; ++name_idx) {
    names_[name_idx].entity = entity_idx;
  }
  for (const PartialDate& date : entity.birth_dates) {
    const uint32_t packed = PackedFullDate(date);
    if (packed == 0) continue;
    std::vector<uint32_t>& born = entities_by_birth_date_[packed];
    if (std::find(born.begin(), born.end(), entity_idx) == born.end()) born.push_back(entity_idx);
  }
  ++live_entities_;
}

void MatchIndexImpl::Apply(const std::vector<Entity>& changed, int64_t through_seq) {
  std::unique_lock lock(mutex_);
  for (const Entity& entity : changed) {
    if (entity.meta.revoked) {
      RemoveLocked(entity.meta.id);
      BumpGeneration();
    } else {
      AddLocked(entity);
    }
  }
  applied_seq_ = std::max(applied_seq_, through_seq);
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
  std::vector<QueryToken>& qtokens = s.qtokens;
  qtokens.resize(normalized.tokens.size());
  for (size_t q_idx = 0; q_idx < normalized.tokens.size(); ++q_idx) {
    const NameToken& token = normalized.tokens[q_idx];
    QueryToken& q = qtokens[q_idx];
    q.text = token.text;
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

  // Candidate generation.
  if (++s.epoch == 0) {
    for (NameAcc& entry : s.accs) entry.stamp = 0;
    s.epoch = 1;
  }
  s.touched.clear();
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
    // Joined and split forms: "guo ying" is listed as "guoying", "goharimoqadam" as
    // "gohari moqadam". The listed part(s) find names for the query part(s) they cover.
    if (q_idx + 1 < qtokens.size() && q_idx + 1 < 32 &&
        qtokens[q_idx + 1].role == TokenRole::kWord) {
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
    // Unknown or rare spellings may be misspelled: add parts within one edit of the spelling
    // or one consonant edit of the skeleton.
    const uint32_t df = q.class_key == kNoKey ? 0 : key_live_df_[q.class_key];
    if ((!q.known || df < kFuzzyMaxDf) && q.text.size() >= 3) {
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
        continue;
      }
      std::vector<std::pair<uint32_t, float>>& near_uses = memo->second;
      ScoredToken query_token;
      query_token.text = q.text;
      query_token.class_id = q.class_key;
      query_token.skeleton_id = q.skeleton_key;
      query_token.known_name = q.known_name;
      query_token.letters = match::LetterMask(q.text);
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
  }
  std::sort(uses.begin(), uses.end(),
            [](const KeyUse& a, const KeyUse& b) { return a.length < b.length; });
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
  // Names found, ranked by overlap over (1 + 0.15 x the name's own weight), so that names
  // without many extra parts come first; only the best kVerifyNames go on.
  std::vector<PoolEntry>& pool = s.pool;
  pool.clear();
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
  auto by_score = [](const PoolEntry& a, const PoolEntry& b) {
    return a.score > b.score || (a.score == b.score && a.name_id < b.name_id);
  };
  if (pool.size() > kVerifyNames) {
    std::nth_element(pool.begin(), pool.begin() + kVerifyNames, pool.end(), by_score);
    pool.resize(kVerifyNames);
  }
  // The common lists left over: credit the names kept that hold those keys (each name's keys
  // asked for ahead of use).
  if (deferred_begin < uses.size()) {
    // A name whose score cannot reach the kCandidateNames-th best even if it held every key
    // left over is not checked: credits only add, so that name is not a candidate either way.
    float most_left = 0.0f;  // the most the left-over keys can add, before the divisor
    {
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
    }
    float bar = -1.0f;
    if (pool.size() > kCandidateNames) {
      std::nth_element(pool.begin(), pool.begin() + (kCandidateNames - 1), pool.end(), by_score);
      bar = pool[kCandidateNames - 1].score;
    }
    const size_t pool_size = pool.size();
    for (size_t pos = 0; pos < pool_size; ++pos) {
      if (pos + kPrefetchAhead < pool_size) {
        const uint32_t ahead = pool[pos + kPrefetchAhead].parts;
        if (ahead != kUnpacked) __builtin_prefetch(&name_keys_[ahead >> 5]);
      }
      if (pool[pos].score + most_left / pool[pos].divisor < bar) continue;
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
  }
  // Candidates ranked by overlap, lightly preferring names without many extra parts; ties go
  // to the older name, so that the choice does not depend on the order names were found in.
  // The order is total, so the kCandidateNames best are one set: picked in one pass with a
  // small heap whose top is the worst kept so far.
  if (pool.size() > kCandidateNames) {
    std::vector<PoolEntry>& best = s.best_pool;
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
  // Entities born on the query's birth date, or a day off, or with day and month swapped (the
  // slips CompareBirthDates forgives): their names are scored too.
  if (query.birth_date && query.birth_date->month != 0 && query.birth_date->day != 0) {
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
    for (uint32_t packed : days) {
      auto born =
          packed == 0 ? entities_by_birth_date_.end() : entities_by_birth_date_.find(packed);
      if (born == entities_by_birth_date_.end() || born->second.size() > kMaxSameBirthDate) {
        continue;
      }
      for (uint32_t entity_idx : born->second) {
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
  for (const PoolEntry& entry : pool) __builtin_prefetch(&names_[entry.name_id]);

  // Exact scoring, best name per entity.
  std::vector<ScoredToken>& query_scored = s.query_scored;
  query_scored.clear();
  for (const QueryToken& q : qtokens) {
    ScoredToken t;
    t.text = q.text;
    t.class_id = q.class_key;
    t.skeleton_id = q.skeleton_key;
    t.role = q.role;
    t.weight = q.weight;
    t.known_name = q.known_name;
    t.letters = match::LetterMask(q.text);
    query_scored.push_back(t);
  }
  std::vector<BestName>& best_by_entity = s.best;
  best_by_entity.clear();
  s.memo.Clear();
  std::vector<ScoredToken>& candidate_scored = s.candidate_scored;
  for (size_t pos = 0; pos < pool.size(); ++pos) {
    if (pos + 1 < pool.size()) {
      const NameRec& ahead = names_[pool[pos + 1].name_id];
      __builtin_prefetch(&name_tokens_[ahead.token_begin]);
      __builtin_prefetch(&entities_[ahead.entity]);
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

  struct Kept {
    uint32_t name_id;
    double raw;
    double total;
  };
  std::vector<Kept> kept;
  for (size_t i = 0; i < best_by_entity.size(); ++i) {
    if (i + 1 < best_by_entity.size()) {
      __builtin_prefetch(entity_facts_.data() +
                         entities_[best_by_entity[i + 1].entity].facts_offset);
    }
    const BestName& best = best_by_entity[i];
    const EntityRec& entity = entities_[best.entity];
    double adjust = 0.0;
    if (query.birth_date) {
      LoadDates(entity, s);
      adjust += match::CompareBirthDates(*query.birth_date, s.dates, nullptr, best.name_score);
    }
    LoadFacts(entity, s);
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

  // Explain the kept results.
  std::vector<MatchResult> results;
  results.reserve(kept.size());
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
        query_scored, candidate_scored, true, entity.type == EntityType::kOrganization, &s.memo);
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
  ReleaseScratch(std::move(scratch));
  return results;
}

MatchIndexStats MatchIndexImpl::Stats() const {
  CompactIfNeeded();
  std::shared_lock lock(mutex_);
  MatchIndexStats stats;
  stats.entities = live_entities_;
  stats.name_variants = live_names_;
  stats.applied_seq = applied_seq_;
  // Every container the index holds, by capacity. ENTENTE_MATCH_MEMORY=1 prints the parts.
  int64_t birth_date_bytes = 0;  // node, bucket and list per date
  for (const auto& [date, born] : entities_by_birth_date_) {
    birth_date_bytes += 48 + born.capacity() * sizeof(uint32_t);
  }
  birth_date_bytes += entities_by_birth_date_.bucket_count() * sizeof(void*);
  const int64_t entity_bytes = entities_.capacity() * sizeof(EntityRec) +
                               entity_table_.MemoryBytes() + entity_text_.capacity() +
                               entity_facts_.capacity() + birth_date_bytes;
  const int64_t name_bytes =
      names_.capacity() * sizeof(NameRec) + name_text_.capacity() +
      name_tokens_.capacity() * sizeof(uint32_t) + name_keys_.capacity() * sizeof(PartKeys) +
      (dead_bits_.capacity() + organization_bits_.capacity()) * sizeof(uint64_t);
  const int64_t token_bytes = tokens_.capacity() * sizeof(TokenRec) + token_length_.capacity() +
                              token_text_.capacity() + token_table_.MemoryBytes();
  const int64_t key_bytes = key_text_.capacity() + key_text_offset_.capacity() * sizeof(uint32_t) +
                            key_table_.MemoryBytes() + key_live_df_.capacity() * sizeof(uint32_t) +
                            weight_cache_capacity_ * sizeof(uint64_t);
  // A heap block costs its size rounded up to 16 plus an 8-byte header (glibc malloc).
  int64_t posting_bytes = postings_.capacity() * sizeof(std::vector<Posting>);
  int64_t posting_entries = 0;
  for (const auto& p : postings_) {
    if (p.capacity() > 0) posting_bytes += (p.capacity() * sizeof(Posting) + 8 + 15) / 16 * 16;
    posting_entries += static_cast<int64_t>(p.size());
  }
  const int64_t deletion_bytes = static_cast<int64_t>(deletion_.MemoryBytes());
  const int64_t bytes = static_cast<int64_t>(sizeof(*this)) + entity_bytes + name_bytes +
                        token_bytes + key_bytes + posting_bytes + deletion_bytes;
  if (std::getenv("ENTENTE_MATCH_MEMORY") != nullptr) {
    std::fprintf(stderr,
                 "match index memory: entities %.1f MB (%zu), names %.1f MB (%zu, %zu parts), "
                 "parts %.1f MB (%zu), keys %.1f MB (%zu), postings %.1f MB (%lld entries), "
                 "deletion neighbourhoods %.1f MB (%zu + %zu entries)\n",
                 entity_bytes / 1e6, entities_.size(), name_bytes / 1e6, names_.size(),
                 name_tokens_.size(), token_bytes / 1e6, tokens_.size(), key_bytes / 1e6,
                 postings_.size(), posting_bytes / 1e6, static_cast<long long>(posting_entries),
                 deletion_bytes / 1e6, deletion_.compact_entries(), deletion_.overflow_entries());
  }
  stats.memory_bytes = bytes;
  return stats;
}

}  // namespace

std::unique_ptr<MatchIndex> MatchIndex::Create() { return std::make_unique<MatchIndexImpl>(); }

}  // namespace entente
