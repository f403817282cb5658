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
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "match/match_index_impl.h"

namespace entente {
namespace match_internal {

// The deletion neighbourhoods are made compact again once the overflow layer holds this many
// entries and more than 1/16 of the compact layer (on the next query), or right away when it
// outgrows the compact layer by kOverflowRebuildNow (bounds memory during a long bulk load).
constexpr size_t kOverflowCompactMin = 4096;
constexpr size_t kOverflowRebuildNow = 1 << 16;

namespace {

// Appends `text` to `arena`. Arenas are addressed with 32-bit offsets: 4 GB of text.
TextRef AppendText(std::string& arena, std::string_view text) {
  TextRef ref{static_cast<uint32_t>(arena.size()), static_cast<uint32_t>(text.size())};
  arena.append(text);
  return ref;
}

}  // namespace

uint32_t MatchIndexImpl::FindEntity(std::string_view id) const {
  return entity_table_.Find(match::HashBytes(id.data(), id.size()),
                            [&](uint32_t idx) { return Text(entities_[idx].id) == id; });
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

uint32_t MatchIndexImpl::InternToken(const NameToken& token) {
  const uint32_t found = FindToken(token.text);
  if (found != kNoKey) return found;
  TokenRec rec;
  rec.role = token.role;
  rec.text_offset = static_cast<uint32_t>(token_text_.size());
  rec.text_size = static_cast<uint16_t>(std::min<size_t>(token.text.size(), 0xFFFF));
  token_text_.append(token.text, 0, rec.text_size);
  rec.arabic_size = static_cast<uint16_t>(std::min<size_t>(token.arabic.size(), 0xFFFF));
  token_text_.append(token.arabic, 0, rec.arabic_size);
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

void MatchIndexImpl::AddNameLocked(const Name& name, EntityType type, NameLists& lists) {
  std::vector<std::vector<uint32_t>>& seen_names = lists.seen_names;
  std::vector<uint32_t>& ids = lists.ids;
  std::vector<uint32_t>& seen_keys = lists.seen_keys;
  std::vector<uint32_t>& posted_keys = lists.posted_keys;
  Result<NormalizedName> normalized = match::NormalizeName(name.full);
  if (!normalized.ok()) return;  // unusable alias: the entity keeps its other names
  ids.clear();
  for (const NameToken& token : normalized->tokens) ids.push_back(InternToken(token));
  if (std::find(seen_names.begin(), seen_names.end(), ids) != seen_names.end()) return;
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
  if (type == EntityType::kOrganization) {
    organization_bits_[name_id >> 6] |= uint64_t{1} << (name_id & 63);
  }
  names_.push_back(name_rec);
  ++live_names_;
}

void MatchIndexImpl::AppendFacts(const Entity& entity, EntityRec& rec) {
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

  NameLists lists;
  for (const Name& name : entity.names) AddNameLocked(name, entity.type, lists);
  BumpGeneration();
  if (deletion_.overflow_entries() > deletion_.compact_entries() + kOverflowRebuildNow) {
    CompactLocked();
  } else if (deletion_.overflow_entries() > kOverflowCompactMin &&
             deletion_.overflow_entries() * 16 > deletion_.compact_entries()) {
    needs_compact_.store(true, std::memory_order_release);
  }
  rec.name_count = static_cast<uint32_t>(names_.size()) - rec.name_begin;
  if (rec.name_count == 0) return;  // nothing matchable

  AppendFacts(entity, rec);

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

}  // namespace match_internal

std::unique_ptr<MatchIndex> MatchIndex::Create() {
  return std::make_unique<match_internal::MatchIndexImpl>();
}

}  // namespace entente
