#include "exchange/hitnohit/answer_engine.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "match/normalize.h"

namespace entente::exchange::hitnohit {
namespace {

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool Allowed(const SearchScope& scope, EntityType type, ThreatCategory category,
             const Marking& marking, const std::string& service) {
  if (scope.everything) return true;
  if (type != EntityType::kPerson && type != EntityType::kOrganization) return false;
  if (!scope.types.count(std::string(EntityTypeName(type)))) return false;
  if (!scope.all_categories && !scope.categories.count(category)) return false;
  if (static_cast<int>(marking.tlp) > static_cast<int>(scope.max_tlp)) return false;
  if (!scope.partner_service.empty() && service == scope.partner_service) return false;
  const bool names_partner = Contains(marking.releasable_to, scope.partner_service);
  if (!marking.releasable_to.empty() && !names_partner) return false;
  // Someone else's record: only when its markings let this partner know of it.
  if (service != scope.own_service && marking.tlp != Tlp::kClear && !names_partner) return false;
  return true;
}

// What the engine keeps of an entity.
struct Snap {
  std::string id;
  bool alive = false;
  EntityType type = EntityType::kPerson;
  ThreatCategory category = ThreatCategory::kOther;
  Marking marking;
  std::string service;
  std::vector<std::string> names;
  std::vector<PartialDate> birth_dates;
  std::vector<std::string> nationalities;
  std::vector<std::string> id_numbers;
  uint64_t changed_at = 0;  // engine version of the last change
  // Name parts for the privacy encodings: computed on first use (under the privacy lock).
  bool parts_ready = false;
  std::vector<std::vector<std::string>> parts;
};

struct EntityCodes {
  std::vector<uint64_t> years, dates, nationalities, ids;
};

struct PrivacyIndex {
  std::shared_mutex mutex;
  uint64_t version = 0;  // engine version it reflects
  std::vector<BloomBits> bits;
  std::vector<uint16_t> pop;
  std::vector<uint32_t> entity;
  // Per entry: 1 while its entity has not changed since the entry was made, else 0 (a stale
  // entry, skipped). One byte a name, so that the check stays in the cache.
  std::vector<uint8_t> current;
  // Per entity: its current entries, [first, first + count).
  std::vector<std::pair<uint32_t, uint32_t>> entity_entries;
  std::unordered_map<uint32_t, std::vector<uint32_t>> postings;
  std::vector<EntityCodes> codes;  // per entity index
};

// What Adjust adds at most to a Dice (same full birth date +0.05, same nationality +0.02),
// rounded up.
constexpr double kMostAttributeBonus = 0.0701;

// How far ahead the walk over a blocking code's names asks for their filters.
constexpr size_t kPrefetchAhead = 12;

// Per-thread buffers for private queries.
struct PrivateScratch {
  std::vector<uint32_t> entity_seen;
  std::vector<float> entity_best;
  std::vector<uint32_t> touched;
  uint32_t generation = 0;
};

double Adjust(double dice, const AttributeEncoding& q, const EntityCodes& c) {
  double score = dice;
  auto has = [](const std::vector<uint64_t>& list, uint64_t code) {
    return code != 0 && std::find(list.begin(), list.end(), code) != list.end();
  };
  if (q.birth_year != 0 && !c.years.empty()) {
    if (has(c.dates, q.birth_date)) {
      score += 0.05;
    } else if (has(c.dates, q.birth_date_swapped)) {
      score += 0.03;
    } else if (!has(c.years, q.birth_year)) {
      score -= 0.30;
    }
  }
  if (q.nationality != 0 && !c.nationalities.empty())
    score += has(c.nationalities, q.nationality) ? 0.02 : -0.05;
  if (has(c.ids, q.id_number) && dice >= 0.5) score = std::max(score, 0.95);
  return std::clamp(score, 0.0, 1.0);
}

// Runs fn(begin, end) over [0, n) in contiguous chunks, on up to four threads (the caller's
// included) for a large batch; a small batch stays on the calling thread. Each chunk writes
// only its own slots of the output, so no locking is needed beyond what the caller holds.
template <typename Fn>
void ForChunks(size_t n, const Fn& fn) {
  constexpr size_t kMinPerThread = 32;
  size_t threads = std::min<size_t>(std::max(1u, std::thread::hardware_concurrency()), 4);
  threads = std::min(threads, n / kMinPerThread);
  if (threads < 2) {
    fn(size_t{0}, n);
    return;
  }
  const size_t chunk = (n + threads - 1) / threads;
  std::vector<std::thread> workers;
  for (size_t thread_idx = 1; thread_idx < threads; ++thread_idx) {
    const size_t begin = thread_idx * chunk;
    const size_t end = std::min(n, begin + chunk);
    if (begin < end) workers.emplace_back([&fn, begin, end] { fn(begin, end); });
  }
  fn(size_t{0}, std::min(n, chunk));
  for (std::thread& worker : workers) worker.join();
}

// A name that reached the Dice floor for one query: where a walk of the query's blocking
// codes one after the other (each code's list in ascending name order) meets it first (the
// code's rank among the query's codes << 32 | the position in the code's list), the name, and
// its Dice.
struct Reached {
  uint64_t order;
  uint32_t name_idx;
  float dice;
};

// Dice of the query's filter and the name's, or -1 when it is under `floor`: two filters
// share at most the smaller one's bits, so a name whose popcount alone keeps Dice under the
// floor is not read (exact: the bound is rounded as Dice is).
inline float DiceAtFloor(const PrivacyIndex& p, const NameEncoding& query, uint32_t name_idx,
                         float floor) {
  const int name_pop = p.pop[name_idx];
  const int total = query.popcount + name_pop;
  if (total > 0 && static_cast<float>(2.0 * std::min(query.popcount, name_pop) / total) < floor)
    return -1.0f;
  const float dice =
      static_cast<float>(DiceBits(query.bits, query.popcount, p.bits[name_idx], name_pop));
  return dice < floor ? -1.0f : dice;
}

// Blocking on: for each query of [begin, end), reached[query - begin] gets the current names
// sharing a blocking code with it whose Dice reaches `floor`, in the order a walk of its codes
// one by one meets them first (a name met again under a later code adds nothing there: same
// Dice, same entity). Each code's list is read once for all the chunk's queries that have it:
// a common part ("mohamed") is shared by many queries of a batch, and reading its names'
// filters is the cost.
void ReachBlockedNames(const PrivacyIndex& p, const std::vector<PrivateQuery>& queries,
                       size_t begin, size_t end, float floor,
                       std::vector<std::vector<Reached>>& reached) {
  // Code -> the chunk's queries that have it (offset in the chunk, the code's rank there).
  std::unordered_map<uint32_t, std::vector<std::pair<uint32_t, uint32_t>>> askers;
  for (size_t query_idx = begin; query_idx < end; ++query_idx) {
    const std::vector<uint32_t>& blocks = queries[query_idx].name.blocks;
    for (uint32_t rank = 0; rank < blocks.size(); ++rank)
      askers[blocks[rank]].emplace_back(static_cast<uint32_t>(query_idx - begin), rank);
  }
  reached.assign(end - begin, {});
  for (const auto& [block, asking] : askers) {
    auto it = p.postings.find(block);
    if (it == p.postings.end()) continue;
    const std::vector<uint32_t>& list = it->second;
    const size_t list_size = list.size();
    for (size_t pos = 0; pos < list_size; ++pos) {
      // The filters are read in ascending name order, far apart: asked for ahead of use.
      if (pos + kPrefetchAhead < list_size) {
        const uint32_t ahead = list[pos + kPrefetchAhead];
        __builtin_prefetch(&p.bits[ahead]);
        __builtin_prefetch(reinterpret_cast<const char*>(&p.bits[ahead]) + 64);
      }
      const uint32_t name_idx = list[pos];
      if (!p.current[name_idx]) continue;  // a stale entry
      for (const auto& [offset, rank] : asking) {
        const float dice = DiceAtFloor(p, queries[begin + offset].name, name_idx, floor);
        if (dice < 0.0f) continue;
        reached[offset].push_back({(uint64_t{rank} << 32) | pos, name_idx, dice});
      }
    }
  }
  for (std::vector<Reached>& found : reached) {
    std::sort(found.begin(), found.end(),
              [](const Reached& a, const Reached& b) { return a.order < b.order; });
  }
}

// Blocking off: every current name whose Dice reaches `floor`, in name order.
void ReachAllNames(const PrivacyIndex& p, const PrivateQuery& query, float floor,
                   std::vector<Reached>& found) {
  for (uint32_t name_idx = 0; name_idx < p.bits.size(); ++name_idx) {
    if (!p.current[name_idx]) continue;
    const float dice = DiceAtFloor(p, query.name, name_idx, floor);
    if (dice >= 0.0f) found.push_back({name_idx, name_idx, dice});
  }
}

}  // namespace

SearchScope SearchScope::From(const HitNoHitSettings& settings, const std::string& own_service,
                              const std::string& partner_service) {
  SearchScope scope;
  scope.own_service = own_service;
  scope.partner_service = partner_service;
  scope.all_categories = settings.all_categories;
  scope.categories = settings.categories;
  scope.types = settings.types;
  scope.max_tlp = settings.max_tlp;
  return scope;
}

bool SearchScope::Allows(const Entity& entity) const {
  return Allowed(*this, entity.type, entity.meta.category, entity.meta.marking,
                 entity.meta.provenance.service);
}

struct AnswerEngine::Impl {
  mutable std::shared_mutex mutex;
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  std::vector<Snap> snaps;
  std::unordered_map<std::string, uint32_t> by_id;
  uint64_t version = 0;
  std::atomic<int64_t> applied_seq{-1};
  mutable std::mutex privacy_mutex;
  mutable std::map<std::string, std::shared_ptr<PrivacyIndex>> privacy;

  void AddLocked(const Entity& entity) {
    const bool keep = !entity.meta.revoked && (entity.type == EntityType::kPerson ||
                                               entity.type == EntityType::kOrganization);
    auto it = by_id.find(entity.meta.id);
    if (!keep) {
      if (it != by_id.end() && snaps[it->second].alive) {
        snaps[it->second].alive = false;
        snaps[it->second].changed_at = ++version;
        index->Remove(entity.meta.id);
      }
      return;
    }
    uint32_t idx;
    if (it == by_id.end()) {
      idx = static_cast<uint32_t>(snaps.size());
      snaps.emplace_back();
      by_id.emplace(entity.meta.id, idx);
    } else {
      idx = it->second;
    }
    Snap& s = snaps[idx];
    s.id = entity.meta.id;
    s.alive = true;
    s.type = entity.type;
    s.category = entity.meta.category;
    s.marking = entity.meta.marking;
    s.service = entity.meta.provenance.service;
    s.names.clear();
    for (const Name& name : entity.names) s.names.push_back(name.full);
    s.birth_dates = entity.birth_dates;
    s.nationalities = entity.nationalities;
    s.id_numbers.clear();
    for (const IdentityDocumentInfo& doc : entity.documents) s.id_numbers.push_back(doc.number);
    s.parts_ready = false;
    s.parts.clear();
    s.changed_at = ++version;
    index->Add(entity);
  }

  // REQUIRES: shared lock on `mutex` and exclusive lock on `p.mutex`.
  void UpdatePrivacy(const PrivacyKeys& keys, PrivacyIndex& p) const {
    if (p.version == version) return;
    const uint64_t since = p.version;
    p.codes.resize(snaps.size());
    p.entity_entries.resize(snaps.size(), {0, 0});
    for (uint32_t entity_idx = 0; entity_idx < snaps.size(); ++entity_idx) {
      Snap& s = const_cast<Snap&>(snaps[entity_idx]);  // parts: only under the privacy lock
      if (s.changed_at <= since) continue;
      EntityCodes& codes = p.codes[entity_idx];
      codes = EntityCodes{};
      auto& [first, count] = p.entity_entries[entity_idx];
      std::fill_n(p.current.begin() + first, count, uint8_t{0});  // its old entries are stale
      first = static_cast<uint32_t>(p.bits.size());
      count = 0;
      if (!s.alive) continue;
      if (!s.parts_ready) {
        s.parts.clear();
        for (const std::string& name : s.names) {
          auto parts = EncodableNameParts(name);
          if (parts.ok()) s.parts.push_back(std::move(*parts));
        }
        s.parts_ready = true;
      }
      for (const std::vector<std::string>& parts : s.parts) {
        NameEncoding encoding = EncodeNameParts(keys, parts);
        const uint32_t name_idx = static_cast<uint32_t>(p.bits.size());
        p.bits.push_back(encoding.bits);
        p.pop.push_back(static_cast<uint16_t>(encoding.popcount));
        p.entity.push_back(entity_idx);
        p.current.push_back(1);
        ++count;
        for (uint32_t block : encoding.blocks) p.postings[block].push_back(name_idx);
      }
      for (const PartialDate& date : s.birth_dates) {
        AttributeEncoding a = EncodeAttributes(keys, date, "", "");
        if (a.birth_year) codes.years.push_back(a.birth_year);
        if (a.birth_date) codes.dates.push_back(a.birth_date);
      }
      for (const std::string& nationality : s.nationalities) {
        AttributeEncoding a = EncodeAttributes(keys, std::nullopt, nationality, "");
        if (a.nationality) codes.nationalities.push_back(a.nationality);
      }
      for (const std::string& number : s.id_numbers) {
        AttributeEncoding a = EncodeAttributes(keys, std::nullopt, "", number);
        if (a.id_number) codes.ids.push_back(a.id_number);
      }
    }
    p.version = version;
  }
};

AnswerEngine::AnswerEngine() : impl_(std::make_unique<Impl>()) {}
AnswerEngine::~AnswerEngine() = default;

std::shared_ptr<AnswerEngine> AnswerEngine::ForNode(const std::string& node_id) {
  static std::mutex registry_mutex;
  static std::map<std::string, std::shared_ptr<AnswerEngine>> registry;
  std::lock_guard lock(registry_mutex);
  std::shared_ptr<AnswerEngine>& engine = registry[node_id];
  if (!engine) engine = std::make_shared<AnswerEngine>();
  return engine;
}

Status AnswerEngine::Refresh(RecordStore& store) {
  const int64_t max_seq = store.MaxChangeSeq();
  if (impl_->applied_seq.load() >= 0 && max_seq <= impl_->applied_seq.load()) return Status::Ok();
  std::unique_lock lock(impl_->mutex);
  int64_t applied = impl_->applied_seq.load();
  if (applied >= 0 && max_seq <= applied) return Status::Ok();
  if (applied < 0) {
    RecordFilter filter;
    filter.types = {"person", "organization"};
    ENTENTE_RETURN_IF_ERROR(store.ForEachRecord(filter, [&](const Record& record) {
      if (const Entity* entity = std::get_if<Entity>(&record)) impl_->AddLocked(*entity);
      return true;
    }));
    impl_->applied_seq = max_seq;  // later changes are re-applied: Add is idempotent
    return Status::Ok();
  }
  int64_t last = applied;
  ENTENTE_RETURN_IF_ERROR(store.ForEachChangeSince(applied, [&](const Change& change) {
    last = std::max(last, change.seq);
    if (const Entity* entity = std::get_if<Entity>(&change.record)) impl_->AddLocked(*entity);
    return true;
  }));
  impl_->applied_seq = last;
  return Status::Ok();
}

void AnswerEngine::Add(const Entity& entity) {
  std::unique_lock lock(impl_->mutex);
  impl_->AddLocked(entity);
  if (impl_->applied_seq.load() < 0) impl_->applied_seq = 0;
}

int64_t AnswerEngine::entity_count() const {
  std::shared_lock lock(impl_->mutex);
  int64_t n = 0;
  for (const Snap& s : impl_->snaps) n += s.alive ? 1 : 0;
  return n;
}

std::vector<QueryAnswer> AnswerEngine::AnswerPlain(
    const std::vector<std::pair<std::string, MatchQuery>>& queries, const SearchScope& scope,
    double threshold) const {
  std::shared_lock lock(impl_->mutex);
  std::vector<QueryAnswer> answers(queries.size());
  ForChunks(queries.size(), [&](size_t begin, size_t end) {
    for (size_t query_idx = begin; query_idx < end; ++query_idx) {
      const auto& [id, query] = queries[query_idx];
      QueryAnswer& answer = answers[query_idx];
      answer.id = id;
      MatchQuery q = query;
      q.top = 10;
      q.threshold = threshold;
      auto results = impl_->index->Match(q);
      if (!results.ok()) {
        answer.error = results.status().message();
        continue;
      }
      for (const MatchResult& result : *results) {
        if (result.score < threshold) break;
        auto it = impl_->by_id.find(result.entity_id);
        if (it == impl_->by_id.end()) continue;
        const Snap& s = impl_->snaps[it->second];
        if (!s.alive || !Allowed(scope, s.type, s.category, s.marking, s.service)) continue;
        answer.hit = true;
        answer.entity_id = result.entity_id;
        answer.score = result.score;
        break;
      }
    }
  });
  return answers;
}

std::vector<QueryAnswer> AnswerEngine::AnswerPrivate(const PrivacyKeys& keys,
                                                     const std::vector<PrivateQuery>& queries,
                                                     const SearchScope& scope, double threshold,
                                                     const PrivateMatchOptions& options) const {
  std::shared_lock lock(impl_->mutex);
  std::shared_ptr<PrivacyIndex> p;
  {
    std::lock_guard guard(impl_->privacy_mutex);
    std::shared_ptr<PrivacyIndex>& slot = impl_->privacy[keys.key_id()];
    if (!slot) slot = std::make_shared<PrivacyIndex>();
    p = slot;
    // Updating touches the snaps' cached name parts: keep it under the privacy lock.
    std::unique_lock write(p->mutex);
    impl_->UpdatePrivacy(keys, *p);
  }
  std::shared_lock read(p->mutex);
  const std::vector<Snap>& snaps = impl_->snaps;
  // Names below this Dice cannot reach the threshold even with the largest bonus.
  const float floor = static_cast<float>(std::min(threshold - 0.05, 0.5));

  std::vector<QueryAnswer> answers(queries.size());
  ForChunks(queries.size(), [&](size_t begin, size_t end) {
    thread_local PrivateScratch scratch;
    if (scratch.entity_seen.size() < snaps.size()) {
      scratch.entity_seen.resize(snaps.size(), 0);
      scratch.entity_best.resize(snaps.size(), 0.0f);
    }
    std::vector<std::vector<Reached>> reached;
    if (options.blocking) {
      ReachBlockedNames(*p, queries, begin, end, floor, reached);
    } else {
      reached.resize(end - begin);
      for (size_t query_idx = begin; query_idx < end; ++query_idx)
        ReachAllNames(*p, queries[query_idx], floor, reached[query_idx - begin]);
    }
    for (size_t query_idx = begin; query_idx < end; ++query_idx) {
      const PrivateQuery& query = queries[query_idx];
      QueryAnswer& answer = answers[query_idx];
      answer.id = query.id;
      if (++scratch.generation == 0) {  // wrapped: clear the marks
        std::fill(scratch.entity_seen.begin(), scratch.entity_seen.end(), 0);
        scratch.generation = 1;
      }
      const uint32_t gen = scratch.generation;
      // Each entity's best Dice, the entities in the order their first name was reached.
      scratch.touched.clear();
      for (const Reached& found : reached[query_idx - begin]) {
        const uint32_t entity_idx = p->entity[found.name_idx];
        if (scratch.entity_seen[entity_idx] != gen) {
          scratch.entity_seen[entity_idx] = gen;
          scratch.entity_best[entity_idx] = found.dice;
          scratch.touched.push_back(entity_idx);
        } else if (found.dice > scratch.entity_best[entity_idx]) {
          scratch.entity_best[entity_idx] = found.dice;
        }
      }
      double best = -1.0;
      for (uint32_t entity_idx : scratch.touched) {
        // The most Adjust can make of this Dice (with a margin over its rounding): an entity
        // that cannot reach the threshold, or beat the best so far, is not read at all.
        const double dice = scratch.entity_best[entity_idx];
        double most = dice + kMostAttributeBonus;
        if (query.attributes.id_number != 0 && dice >= 0.5) most = std::max(most, 0.95);
        if (std::min(most, 1.0) < threshold || std::min(most, 1.0) <= best) continue;
        double score = Adjust(dice, query.attributes, p->codes[entity_idx]);
        if (score < threshold || score <= best) continue;
        const Snap& s = snaps[entity_idx];
        if (!s.alive || !Allowed(scope, s.type, s.category, s.marking, s.service)) continue;
        best = score;
        answer.hit = true;
        answer.entity_id = s.id;
        answer.score = score;
      }
    }
  });
  return answers;
}

}  // namespace entente::exchange::hitnohit
