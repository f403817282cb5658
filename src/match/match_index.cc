// The in-memory match index behind MatchIndex (match/matcher.h).
//
// Layout: every distinct canonical name part is interned once (text, variant-class key,
// skeleton key, role); a name variant is a run of part ids; an inverted index maps each key
// (variant class or skeleton) to the name variants holding it. A query touches the posting
// lists of its parts' keys (rare parts first, very common ones skipped when rarer ones exist),
// accumulates a rarity-weighted overlap per name in per-thread scratch arrays, and runs the
// exact scorer only on the best few dozen names.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <numeric>
#include <shared_mutex>
#include <unordered_map>

#include "match/matcher.h"
#include "match/normalize.h"
#include "match/scorer.h"
#include "model/country.h"

namespace entente {

namespace {

using match::ClassKey;
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
// A query with a full birth date also has the names of the entities born that day scored
// (someone listed under another spelling is still found by the date), unless the day is
// shared by more than this many entities (a placeholder such as 1 January).
constexpr size_t kMaxSameBirthDate = 48;
// A query part is tried as two listed parts joined when each half is at least this long.
constexpr size_t kMinSplitPart = 3;
// name_flags_ bits.
constexpr uint8_t kNameDead = 1;
constexpr uint8_t kNameOrganization = 2;

// FNV-1a over a tag byte and the concatenation head + tail (a deletion neighbour is a prefix
// and a suffix of the part; hashing both halves avoids building the string).
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
  return hash;
}

// Tags of the two deletion neighbourhoods: consonant skeletons and spellings.
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

// A full date as one number (19870304), or 0 when the day or month is unknown.
uint32_t PackedFullDate(const PartialDate& date) {
  if (date.month == 0 || date.day == 0) return 0;
  return static_cast<uint32_t>(date.year * 10000 + date.month * 100 + date.day);
}

float RoleFactor(TokenRole role) {
  switch (role) {
    case TokenRole::kWord: return 1.0f;
    case TokenRole::kCommon: return 0.3f;
    case TokenRole::kLegalForm: return 0.1f;
    case TokenRole::kParticle: return 0.08f;
  }
  return 1.0f;
}

struct EntityRec {
  std::string id;
  std::string source_record_id;
  int version = 0;
  EntityType type = EntityType::kPerson;
  std::vector<PartialDate> birth_dates;
  std::vector<std::string> nationalities;
  std::vector<std::string> id_numbers;  // normalized
  Gender gender = Gender::kUnknown;
  bool alive = false;
  uint32_t name_begin = 0;
  uint32_t name_count = 0;
};

struct NameRec {
  uint32_t entity = 0;
  uint32_t token_begin = 0;
  uint16_t token_count = 0;
  bool organization = false;  // the entity's type, kept here so ranking reads no EntityRec
  // Sum of the parts' weights when the name was added (rarity drifts a little as the list
  // grows; only candidate ranking uses it, the exact scorer uses current weights).
  float weight_sum = 0.0f;
};

struct TokenRec {
  uint32_t class_key = kNoKey;     // key id of the variant class
  uint32_t skeleton_key = kNoKey;  // key id of the skeleton (kNoKey when too short)
  TokenRole role = TokenRole::kWord;
  uint32_t text_offset = 0;
  uint16_t text_size = 0;
  bool known_name = false;  // match::IsKnownName(text)
};

// Per-name accumulator of one query, kept together for locality.
struct NameAcc {
  uint32_t stamp = 0;       // epoch of the query that last touched this name
  float acc = 0.0f;         // rarity-weighted overlap so far
  uint32_t token_mask = 0;  // query parts already credited
};

struct Scratch {
  std::vector<NameAcc> names;
  std::vector<uint32_t> touched;
  std::vector<std::pair<float, uint32_t>> pool;  // (overlap, name id) of the names found
  uint32_t epoch = 0;
};

// A query part with its keys resolved against the index.
struct QueryToken {
  std::string text;
  std::string class_text;
  std::string skeleton;
  TokenRole role = TokenRole::kWord;
  uint32_t class_key = kNoKey;
  uint32_t skeleton_key = kNoKey;
  float weight = 1.0f;
  bool known = false;  // this exact spelling is a part of some listed name
  bool known_name = false;  // match::IsKnownName(text)
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
  }
  Status CatchUp(RecordStore& store) override;
  Result<std::vector<MatchResult>> Match(const MatchQuery& query) const override;
  MatchIndexStats Stats() const override;

  void set_applied_seq(int64_t seq) { applied_seq_ = seq; }

 private:
  void AddLocked(const Entity& entity);
  void RemoveLocked(const std::string& entity_id);
  uint32_t InternKey(const std::string& key);
  uint32_t FindKey(const std::string& key) const;
  uint32_t InternToken(const NameToken& token);
  void AddDeletionKey(uint64_t hash, uint32_t token_id);
  template <typename Fn>
  void ForEachNearToken(std::string_view skeleton, std::string_view text, Fn&& fn) const;
  float KeyWeight(uint32_t key) const;
  std::string_view TokenText(uint32_t token) const {
    const TokenRec& rec = tokens_[token];
    return std::string_view(token_text_).substr(rec.text_offset, rec.text_size);
  }
  std::unique_ptr<Scratch> AcquireScratch() const;
  void ReleaseScratch(std::unique_ptr<Scratch> scratch) const;

  mutable std::shared_mutex mutex_;
  std::vector<EntityRec> entities_;
  std::unordered_map<std::string, uint32_t> entity_by_id_;
  std::vector<NameRec> names_;
  // Full birth date (PackedFullDate) -> entities born that day (dead ones are skipped on read).
  std::unordered_map<uint32_t, std::vector<uint32_t>> entities_by_birth_date_;
  std::vector<float> name_weight_;    // NameRec::weight_sum, compact for candidate ranking
  std::vector<uint8_t> name_flags_;   // kNameDead, kNameOrganization
  std::vector<std::string> name_display_;
  std::vector<uint32_t> name_tokens_;
  // The keys of each entry of name_tokens_ (a copy of its TokenRec's), so that checking a
  // name against a key reads one contiguous run.
  struct PartKeys {
    uint32_t class_key;
    uint32_t skeleton_key;
  };
  std::vector<PartKeys> name_keys_;
  std::vector<TokenRec> tokens_;
  std::string token_text_;
  std::unordered_map<std::string, uint32_t> token_ids_;
  std::unordered_map<std::string, uint32_t> key_ids_;
  std::vector<std::vector<uint32_t>> postings_;
  std::vector<uint32_t> key_live_df_;
  // Skeleton deletion neighbourhoods (symmetric delete): a hashed key -> chain of token ids,
  // to find parts within one consonant edit of a query part (typos, other transliterations).
  struct DeletionEntry {
    uint32_t token;
    uint32_t next;
  };
  std::unordered_map<uint64_t, uint32_t> deletion_head_;
  std::vector<DeletionEntry> deletion_entries_;
  int64_t live_entities_ = 0;
  int64_t live_names_ = 0;
  int64_t applied_seq_ = 0;
  mutable std::mutex scratch_mutex_;
  mutable std::vector<std::unique_ptr<Scratch>> scratch_pool_;
};

uint32_t MatchIndexImpl::InternKey(const std::string& key) {
  auto [it, inserted] = key_ids_.emplace(key, static_cast<uint32_t>(postings_.size()));
  if (inserted) {
    postings_.emplace_back();
    key_live_df_.push_back(0);
  }
  return it->second;
}

uint32_t MatchIndexImpl::FindKey(const std::string& key) const {
  auto it = key_ids_.find(key);
  return it == key_ids_.end() ? kNoKey : it->second;
}

uint32_t MatchIndexImpl::InternToken(const NameToken& token) {
  auto it = token_ids_.find(token.text);
  if (it != token_ids_.end()) return it->second;
  TokenRec rec;
  rec.role = token.role;
  rec.text_offset = static_cast<uint32_t>(token_text_.size());
  rec.text_size = static_cast<uint16_t>(std::min<size_t>(token.text.size(), 0xFFFF));
  token_text_.append(token.text, 0, rec.text_size);
  rec.class_key = InternKey("c" + std::string(ClassKey(token.text)));
  rec.known_name = match::IsKnownName(token.text);
  std::string skeleton = Skeleton(token.text);
  if (skeleton.size() >= 3) rec.skeleton_key = InternKey("s" + skeleton);
  uint32_t id = static_cast<uint32_t>(tokens_.size());
  tokens_.push_back(rec);
  token_ids_.emplace(token.text, id);
  if (token.role == TokenRole::kWord || token.role == TokenRole::kCommon) {
    ForEachDeletionKey(skeleton, token.text, [&](uint64_t hash) { AddDeletionKey(hash, id); });
  }
  return id;
}

void MatchIndexImpl::AddDeletionKey(uint64_t hash, uint32_t token_id) {
  auto [it, inserted] = deletion_head_.emplace(hash, kNoKey);
  deletion_entries_.push_back({token_id, it->second});
  it->second = static_cast<uint32_t>(deletion_entries_.size() - 1);
}

template <typename Fn>
void MatchIndexImpl::ForEachNearToken(std::string_view skeleton, std::string_view text,
                                      Fn&& fn) const {
  bool more = true;
  ForEachDeletionKey(skeleton, text, [&](uint64_t hash) {
    if (!more) return;
    auto it = deletion_head_.find(hash);
    if (it == deletion_head_.end()) return;
    for (uint32_t entry = it->second; entry != kNoKey && more;
         entry = deletion_entries_[entry].next) {
      more = fn(deletion_entries_[entry].token);
    }
  });
}

float MatchIndexImpl::KeyWeight(uint32_t key) const {
  const double n = static_cast<double>(std::max<int64_t>(live_names_, 1));
  const double df = key == kNoKey ? 0.0 : key_live_df_[key];
  return static_cast<float>(std::max(0.5, std::log(1.0 + n / (df + 1.0))));
}

void MatchIndexImpl::RemoveLocked(const std::string& entity_id) {
  auto it = entity_by_id_.find(entity_id);
  if (it == entity_by_id_.end()) return;
  EntityRec& rec = entities_[it->second];
  if (!rec.alive) return;
  rec.alive = false;
  --live_entities_;
  for (uint32_t name_idx = rec.name_begin; name_idx < rec.name_begin + rec.name_count; ++name_idx) {
    NameRec& name = names_[name_idx];
    name.entity = kNoKey;  // dead: its postings are skipped from now on
    name_flags_[name_idx] |= kNameDead;
    --live_names_;
    std::vector<uint32_t> seen;
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
  if (entity.meta.revoked) return;
  if (entity.type != EntityType::kPerson && entity.type != EntityType::kOrganization) return;

  EntityRec rec;
  rec.id = entity.meta.id;
  rec.source_record_id = entity.meta.provenance.source_record_id;
  rec.version = entity.meta.version;
  rec.type = entity.type;
  rec.birth_dates = entity.birth_dates;
  for (const std::string& code : entity.nationalities) {
    std::string normalized = NormalizeCountryCode(code);
    if (!normalized.empty()) rec.nationalities.push_back(normalized);
  }
  for (const IdentityDocumentInfo& doc : entity.documents) {
    std::string number = match::NormalizeIdNumber(doc.number);
    if (!number.empty()) rec.id_numbers.push_back(number);
  }
  rec.gender = entity.gender;
  rec.alive = true;
  rec.name_begin = static_cast<uint32_t>(names_.size());

  std::vector<std::vector<uint32_t>> seen_names;
  for (const Name& name : entity.names) {
    Result<NormalizedName> normalized = match::NormalizeName(name.full);
    if (!normalized.ok()) continue;  // unusable alias: the entity keeps its other names
    std::vector<uint32_t> ids;
    for (const NameToken& token : normalized->tokens) ids.push_back(InternToken(token));
    if (std::find(seen_names.begin(), seen_names.end(), ids) != seen_names.end()) continue;
    seen_names.push_back(ids);
    NameRec name_rec;
    name_rec.entity = 0;  // set below
    name_rec.organization = entity.type == EntityType::kOrganization;
    name_rec.token_begin = static_cast<uint32_t>(name_tokens_.size());
    name_rec.token_count = static_cast<uint16_t>(ids.size());
    const uint32_t name_id = static_cast<uint32_t>(names_.size());
    std::vector<uint32_t> seen_keys;
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
          postings_[key].push_back(name_id);
        }
      }
    }
    for (uint32_t token_id : ids) {
      name_rec.weight_sum += KeyWeight(tokens_[token_id].class_key) * RoleFactor(tokens_[token_id].role);
    }
    names_.push_back(name_rec);
    name_weight_.push_back(name_rec.weight_sum);
    name_flags_.push_back(name_rec.organization ? kNameOrganization : 0);
    name_display_.push_back(name.full);
    ++live_names_;
  }
  rec.name_count = static_cast<uint32_t>(names_.size()) - rec.name_begin;
  if (rec.name_count == 0) return;  // nothing matchable

  uint32_t entity_idx;
  auto it = entity_by_id_.find(entity.meta.id);
  if (it != entity_by_id_.end()) {
    entity_idx = it->second;
    entities_[entity_idx] = std::move(rec);
  } else {
    entity_idx = static_cast<uint32_t>(entities_.size());
    entities_.push_back(std::move(rec));
    entity_by_id_.emplace(entity.meta.id, entity_idx);
  }
  for (uint32_t name_idx = entities_[entity_idx].name_begin;
       name_idx < entities_[entity_idx].name_begin + entities_[entity_idx].name_count; ++name_idx) {
    names_[name_idx].entity = entity_idx;
  }
  for (const PartialDate& date : entities_[entity_idx].birth_dates) {
    const uint32_t packed = PackedFullDate(date);
    if (packed == 0) continue;
    std::vector<uint32_t>& born = entities_by_birth_date_[packed];
    if (std::find(born.begin(), born.end(), entity_idx) == born.end()) born.push_back(entity_idx);
  }
  ++live_entities_;
}

Status MatchIndexImpl::CatchUp(RecordStore& store) {
  std::unique_lock lock(mutex_);
  int64_t last = applied_seq_;
  Status status = store.ForEachChangeSince(applied_seq_, [&](const Change& change) {
    last = std::max(last, change.seq);
    if (const Entity* entity = std::get_if<Entity>(&change.record)) {
      if (entity->meta.revoked) {
        RemoveLocked(entity->meta.id);
      } else {
        AddLocked(*entity);
      }
    }
    return true;
  });
  ENTENTE_RETURN_IF_ERROR(status);
  applied_seq_ = last;
  return Status::Ok();
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
  if (scratch->names.size() < names_.size()) scratch->names.resize(names_.size());
  return scratch;
}

void MatchIndexImpl::ReleaseScratch(std::unique_ptr<Scratch> scratch) const {
  std::lock_guard lock(scratch_mutex_);
  scratch_pool_.push_back(std::move(scratch));
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

  std::shared_lock lock(mutex_);
  std::vector<QueryToken> qtokens;
  for (const NameToken& token : normalized.tokens) {
    QueryToken q;
    q.text = token.text;
    q.role = token.role;
    q.skeleton = Skeleton(token.text);
    auto it = token_ids_.find(token.text);
    if (it != token_ids_.end()) {
      q.known = true;
      q.class_key = tokens_[it->second].class_key;
      q.skeleton_key = tokens_[it->second].skeleton_key;
      q.known_name = tokens_[it->second].known_name;
    } else {
      q.class_key = FindKey("c" + std::string(ClassKey(token.text)));
      q.known_name = match::IsKnownName(token.text);
      if (q.skeleton.size() >= 3) q.skeleton_key = FindKey("s" + q.skeleton);
    }
    q.weight = KeyWeight(q.class_key) * RoleFactor(q.role);
    qtokens.push_back(std::move(q));
  }

  // Candidate generation.
  std::unique_ptr<Scratch> scratch = AcquireScratch();
  Scratch& s = *scratch;
  if (++s.epoch == 0) {
    for (NameAcc& entry : s.names) entry.stamp = 0;
    s.epoch = 1;
  }
  s.touched.clear();
  struct KeyUse {
    uint32_t key;
    size_t query_token;
    size_t length;
    float weight;  // what finding a name through this key credits it
  };
  std::vector<KeyUse> uses;
  bool has_words = false;
  for (size_t q_idx = 0; q_idx < qtokens.size(); ++q_idx) {
    const QueryToken& q = qtokens[q_idx];
    if (q.role == TokenRole::kWord) has_words = true;
  }
  for (size_t q_idx = 0; q_idx < qtokens.size() && q_idx < 32; ++q_idx) {
    const QueryToken& q = qtokens[q_idx];
    bool usable = q.role == TokenRole::kWord || (!has_words && q.role == TokenRole::kCommon);
    if (!usable) continue;
    std::vector<uint32_t> used_keys;
    for (uint32_t key : {q.class_key, q.skeleton_key}) {
      if (key == kNoKey) continue;
      used_keys.push_back(key);
      uses.push_back({key, q_idx, postings_[key].size(), q.weight});
    }
    // Joined and split forms: "guo ying" is listed as "guoying", "goharimoqadam" as
    // "gohari moqadam". The listed part(s) find names for the query part(s) they cover.
    if (q_idx + 1 < qtokens.size() && q_idx + 1 < 32 && qtokens[q_idx + 1].role == TokenRole::kWord) {
      auto joined = token_ids_.find(q.text + qtokens[q_idx + 1].text);
      if (joined != token_ids_.end()) {
        const uint32_t key = tokens_[joined->second].class_key;
        const float weight = std::min(q.weight, KeyWeight(key));
        uses.push_back({key, q_idx, postings_[key].size(), weight});
        uses.push_back({key, q_idx + 1, postings_[key].size(), weight});
      }
    }
    if (!q.known && q.text.size() >= 2 * kMinSplitPart) {
      for (size_t cut = kMinSplitPart; cut + kMinSplitPart <= q.text.size(); ++cut) {
        auto left = token_ids_.find(q.text.substr(0, cut));
        if (left == token_ids_.end()) continue;
        auto right = token_ids_.find(q.text.substr(cut));
        if (right == token_ids_.end()) continue;
        for (auto part : {left, right}) {
          const uint32_t key = tokens_[part->second].class_key;
          uses.push_back({key, q_idx, postings_[key].size(), std::min(q.weight, KeyWeight(key))});
        }
        break;
      }
    }
    // Unknown or rare spellings may be misspelled: add parts within one edit of the spelling
    // or one consonant edit of the skeleton.
    const uint32_t df = q.class_key == kNoKey ? 0 : key_live_df_[q.class_key];
    if ((!q.known || df < kFuzzyMaxDf) && q.text.size() >= 3) {
      ScoredToken query_token;
      query_token.text = q.text;
      query_token.class_id = q.class_key;
      query_token.skeleton_id = q.skeleton_key;
      query_token.known_name = q.known_name;
      std::vector<uint32_t> seen_tokens;
      ForEachNearToken(q.skeleton, q.text, [&](uint32_t token_id) -> bool {
        if (seen_tokens.size() >= kFuzzyMaxTokens) return false;
        if (std::find(seen_tokens.begin(), seen_tokens.end(), token_id) != seen_tokens.end()) return true;
        seen_tokens.push_back(token_id);
        const TokenRec& token = tokens_[token_id];
        uint32_t key = token.skeleton_key != kNoKey ? token.skeleton_key : token.class_key;
        if (std::find(used_keys.begin(), used_keys.end(), key) != used_keys.end()) return true;
        const int length_gap = static_cast<int>(token.text_size) - static_cast<int>(q.text.size());
        if (length_gap > 3 || length_gap < -3) return true;
        ScoredToken near;
        near.text = TokenText(token_id);
        near.class_id = token.class_key;
        near.skeleton_id = token.skeleton_key;
        near.known_name = token.known_name;
        const char* how = nullptr;
        double sim = match::TokenSimilarity(query_token, near, &how);
        if (sim < 0.75) return true;
        used_keys.push_back(key);
        // A near part credits what the listed part weighs (a typo must not make a common
        // part look rare), scaled by how near it is.
        const float weight = std::min(q.weight, KeyWeight(key)) * static_cast<float>(sim);
        uses.push_back({key, q_idx, postings_[key].size(), weight});
        return true;
      });
    }
  }
  std::sort(uses.begin(), uses.end(),
            [](const KeyUse& a, const KeyUse& b) { return a.length < b.length; });
  size_t walked = 0;
  size_t deferred_begin = uses.size();
  for (size_t use_idx = 0; use_idx < uses.size(); ++use_idx) {
    const KeyUse& use = uses[use_idx];
    if (use_idx > 0 && walked + use.length > kPostingBudget) {
      deferred_begin = use_idx;
      break;
    }
    walked += use.length;
    const float w = use.weight;
    const uint32_t bit = 1u << use.query_token;
    const std::vector<uint32_t>& list = postings_[use.key];
    const size_t list_size = list.size();
    for (size_t pos = 0; pos < list_size; ++pos) {
      // The accumulators are read in random order: ask for them a few entries ahead.
      if (pos + 8 < list_size) __builtin_prefetch(&s.names[list[pos + 8]]);
      const uint32_t name_id = list[pos];
      NameAcc& entry = s.names[name_id];
      if (entry.stamp != s.epoch) {
        entry.stamp = s.epoch;
        entry.acc = 0.0f;
        entry.token_mask = 0;
        s.touched.push_back(name_id);
      }
      // A query part counts once, by the first (rarest, exact before near) key that finds it.
      if (!(entry.token_mask & bit)) {
        entry.token_mask |= bit;
        entry.acc += w;
      }
    }
  }
  // Names found, ranked by overlap over (1 + 0.15 x the name's own weight), so that names
  // without many extra parts come first; only the best kVerifyNames go on.
  std::vector<std::pair<float, uint32_t>>& pool = s.pool;
  pool.clear();
  const uint8_t wanted = !query.type ? 0 : *query.type == EntityType::kOrganization ? 2 : 1;
  for (size_t pos = 0; pos < s.touched.size(); ++pos) {
    if (pos + 8 < s.touched.size()) __builtin_prefetch(&name_flags_[s.touched[pos + 8]]);
    const uint32_t name_id = s.touched[pos];
    // Compact per-name arrays (not NameRec): this loop reads one entry per name found.
    const uint8_t flags = name_flags_[name_id];
    if (flags & kNameDead) continue;
    if (wanted != 0 && ((flags & kNameOrganization) ? 2 : 1) != wanted) continue;
    pool.emplace_back(s.names[name_id].acc / (1.0f + 0.15f * name_weight_[name_id]), name_id);
  }
  auto by_score = [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  };
  if (pool.size() > kVerifyNames) {
    std::nth_element(pool.begin(), pool.begin() + kVerifyNames, pool.end(), by_score);
    pool.resize(kVerifyNames);
  }
  // The common lists left over: credit the names kept that hold those keys.
  if (deferred_begin < uses.size()) {
    for (auto& [acc, name_id] : pool) {
      NameAcc& entry = s.names[name_id];
      const NameRec& name = names_[name_id];
      for (size_t use_idx = deferred_begin; use_idx < uses.size(); ++use_idx) {
        const KeyUse& use = uses[use_idx];
        const uint32_t bit = 1u << use.query_token;
        if (entry.token_mask & bit) continue;
        for (uint32_t t = name.token_begin; t < name.token_begin + name.token_count; ++t) {
          if (name_keys_[t].class_key == use.key || name_keys_[t].skeleton_key == use.key) {
            entry.token_mask |= bit;
            acc += use.weight / (1.0f + 0.15f * name_weight_[name_id]);
            break;
          }
        }
      }
    }
  }
  // Candidates ranked by overlap, lightly preferring names without many extra parts.
  std::vector<std::pair<float, uint32_t>> ranked(pool.begin(), pool.end());
  ReleaseScratch(std::move(scratch));
  if (ranked.size() > kCandidateNames) {
    std::nth_element(ranked.begin(), ranked.begin() + kCandidateNames, ranked.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    ranked.resize(kCandidateNames);
  }

  // Entities born on the query's birth date: their names are scored too.
  if (query.birth_date) {
    const uint32_t packed = PackedFullDate(*query.birth_date);
    auto born = packed == 0 ? entities_by_birth_date_.end() : entities_by_birth_date_.find(packed);
    if (born != entities_by_birth_date_.end() && born->second.size() <= kMaxSameBirthDate) {
      for (uint32_t entity_idx : born->second) {
        const EntityRec& entity = entities_[entity_idx];
        if (!entity.alive || (query.type && entity.type != *query.type)) continue;
        for (uint32_t name_id = entity.name_begin; name_id < entity.name_begin + entity.name_count;
             ++name_id) {
          auto same = [name_id](const auto& entry) { return entry.second == name_id; };
          if (std::find_if(ranked.begin(), ranked.end(), same) == ranked.end()) {
            ranked.emplace_back(0.0f, name_id);
          }
        }
      }
    }
  }

  // Exact scoring, best name per entity.
  std::vector<ScoredToken> query_scored;
  query_scored.reserve(qtokens.size());
  for (const QueryToken& q : qtokens) {
    ScoredToken t;
    t.text = q.text;
    t.class_id = q.class_key;
    t.skeleton_id = q.skeleton_key;
    t.role = q.role;
    t.weight = q.weight;
    t.known_name = q.known_name;
    query_scored.push_back(t);
  }
  struct Best {
    uint32_t name_id;
    double name_score;
  };
  std::unordered_map<uint32_t, Best> best_by_entity;
  std::vector<ScoredToken> candidate_scored;
  for (const auto& [approx, name_id] : ranked) {
    const NameRec& name = names_[name_id];
    candidate_scored.clear();
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
      candidate_scored.push_back(c);
    }
    double score = match::ScoreNames(query_scored, candidate_scored, false,
                                     name.organization).score;
    auto [it, inserted] = best_by_entity.emplace(name.entity, Best{name_id, score});
    if (!inserted && score > it->second.name_score) it->second = Best{name_id, score};
  }

  std::vector<MatchResult> results;
  std::vector<double> raw_scores;  // unclamped, to rank results that both clamp to 1
  for (const auto& [entity_idx, best] : best_by_entity) {
    const EntityRec& entity = entities_[entity_idx];
    double total = best.name_score;
    double adjust = 0.0;
    if (query.birth_date) {
      adjust += match::CompareBirthDates(*query.birth_date, entity.birth_dates, nullptr,
                                         best.name_score);
    }
    adjust += match::CompareNationality(nationality, entity.nationalities, nullptr);
    const double id_value = match::CompareIdNumbers(id_number, entity.id_numbers, nullptr);
    adjust += id_value;
    adjust += match::CompareGender(query.gender, entity.gender, nullptr);
    double raw = total + adjust;
    if (id_value >= match::kSameIdNumberBonus && id_number.size() >= 6) {
      raw = std::max(raw, match::kSameDocumentScore);
    }
    total = std::clamp(raw, 0.0, 1.0);
    if (total < query.threshold || total <= 0.0) continue;
    raw_scores.push_back(raw);
    MatchResult result;
    result.entity_id = entity.id;
    result.entity_version = entity.version;
    result.source_record_id = entity.source_record_id;
    result.matched_name = name_display_[best.name_id];
    result.score = total;
    // Factors are spelled out only for results that are kept (below).
    result.factors.push_back({"name", best.name_score, std::to_string(best.name_id)});
    results.push_back(std::move(result));
  }
  std::vector<size_t> order(results.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (raw_scores[a] != raw_scores[b]) return raw_scores[a] > raw_scores[b];
    return results[a].entity_id < results[b].entity_id;
  });
  if (order.size() > static_cast<size_t>(query.top)) order.resize(query.top);
  std::vector<MatchResult> ranked_results;
  ranked_results.reserve(order.size());
  for (size_t idx : order) ranked_results.push_back(std::move(results[idx]));
  results = std::move(ranked_results);

  // Explain the kept results.
  for (MatchResult& result : results) {
    const uint32_t name_id = static_cast<uint32_t>(std::stoul(result.factors[0].detail));
    const NameRec& name = names_[name_id];
    const EntityRec& entity = entities_[name.entity];
    candidate_scored.clear();
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
      candidate_scored.push_back(c);
    }
    match::NameScore name_score = match::ScoreNames(query_scored, candidate_scored, true,
                                                    entity.type == EntityType::kOrganization);
    result.factors.clear();
    result.factors.push_back({"name", name_score.score, name_score.detail});
    std::string detail;
    if (query.birth_date) {
      double v = match::CompareBirthDates(*query.birth_date, entity.birth_dates, &detail,
                                          name_score.score);
      if (!entity.birth_dates.empty()) result.factors.push_back({"birth_date", v, detail});
    }
    detail.clear();
    double v = match::CompareNationality(nationality, entity.nationalities, &detail);
    if (!detail.empty()) result.factors.push_back({"nationality", v, detail});
    detail.clear();
    v = match::CompareIdNumbers(id_number, entity.id_numbers, &detail);
    if (!detail.empty()) result.factors.push_back({"id_number", v, detail});
    detail.clear();
    v = match::CompareGender(query.gender, entity.gender, &detail);
    if (!detail.empty()) result.factors.push_back({"gender", v, detail});
  }
  return results;
}

MatchIndexStats MatchIndexImpl::Stats() const {
  std::shared_lock lock(mutex_);
  MatchIndexStats stats;
  stats.entities = live_entities_;
  stats.name_variants = live_names_;
  stats.applied_seq = applied_seq_;
  int64_t bytes = 0;
  bytes += entities_.capacity() * sizeof(EntityRec);
  for (const EntityRec& e : entities_) {
    bytes += e.id.capacity() + e.source_record_id.capacity() +
             e.birth_dates.capacity() * sizeof(PartialDate) +
             e.nationalities.capacity() * 32 + e.id_numbers.capacity() * 32;
  }
  bytes += entity_by_id_.size() * (sizeof(std::string) + 48 + 16);
  bytes += names_.capacity() * sizeof(NameRec);
  bytes += name_weight_.capacity() * sizeof(float) + name_flags_.capacity();
  for (const std::string& n : name_display_) bytes += sizeof(std::string) + (n.size() > 15 ? n.capacity() : 0);
  bytes += name_tokens_.capacity() * sizeof(uint32_t) + name_keys_.capacity() * sizeof(PartKeys);
  bytes += tokens_.capacity() * sizeof(TokenRec) + token_text_.capacity();
  bytes += token_ids_.size() * (sizeof(std::string) + 48 + 16);
  bytes += key_ids_.size() * (sizeof(std::string) + 48 + 16);
  for (const auto& p : postings_) bytes += sizeof(p) + p.capacity() * sizeof(uint32_t);
  bytes += deletion_head_.size() * 32 + deletion_entries_.capacity() * sizeof(DeletionEntry);
  bytes += key_live_df_.capacity() * sizeof(uint32_t);
  stats.memory_bytes = bytes;
  return stats;
}

}  // namespace

std::unique_ptr<MatchIndex> MatchIndex::Create() { return std::make_unique<MatchIndexImpl>(); }

Result<std::unique_ptr<MatchIndex>> MatchIndex::Build(RecordStore& store, const RecordFilter& filter,
                                                      ProgressBar* progress) {
  auto index = std::make_unique<MatchIndexImpl>();
  // Changes committed while we scan are re-applied by the next CatchUp (Add is idempotent).
  const int64_t seq = store.MaxChangeSeq();
  RecordFilter scan = filter;
  if (scan.types.empty()) scan.types = {"person", "organization"};
  Status status = store.ForEachRecord(scan, [&](const Record& record) {
    if (const Entity* entity = std::get_if<Entity>(&record)) {
      index->Add(*entity);
      if (progress != nullptr) progress->Add(1);
    }
    return true;
  });
  ENTENTE_RETURN_IF_ERROR(status);
  index->set_applied_seq(seq);
  return std::unique_ptr<MatchIndex>(std::move(index));
}

}  // namespace entente
