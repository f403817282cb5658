#include "exchange/hitnohit/answer_engine.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "exchange/hitnohit/privacy_index.h"
#include "exchange/hitnohit/private_search.h"
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
  // Per secret (its key id): the keys, kept so that the index can be updated in the background
  // (UpdatePrivacyIndexes), and the index.
  struct PrivacySlot {
    std::shared_ptr<const PrivacyKeys> keys;
    std::shared_ptr<PrivacyIndex> index;
  };
  mutable std::map<std::string, PrivacySlot> privacy;

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

Status AnswerEngine::Refresh(RecordStore& store, const std::atomic<bool>* stop) {
  auto stopped = [stop] { return stop != nullptr && stop->load(); };
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
      return !stopped();
    }));
    // Stopped half way: the next call starts again (Add is idempotent).
    if (stopped()) return Unavailable("hit/no-hit engine: build stopped");
    impl_->applied_seq = max_seq;  // later changes are re-applied: Add is idempotent
    return Status::Ok();
  }
  int64_t last = applied;
  ENTENTE_RETURN_IF_ERROR(store.ForEachChangeSince(applied, [&](const Change& change) {
    last = std::max(last, change.seq);
    if (const Entity* entity = std::get_if<Entity>(&change.record)) impl_->AddLocked(*entity);
    return !stopped();
  }));
  impl_->applied_seq = last;  // in feed order: what was applied before a stop stays applied
  return Status::Ok();
}

void AnswerEngine::UpdatePrivacyIndexes() {
  std::shared_lock lock(impl_->mutex);
  std::lock_guard guard(impl_->privacy_mutex);
  for (auto& [key_id, slot] : impl_->privacy) {
    std::unique_lock write(slot.index->mutex);
    impl_->UpdatePrivacy(*slot.keys, *slot.index);
  }
}

int64_t AnswerEngine::applied_seq() const { return impl_->applied_seq.load(); }

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
    Impl::PrivacySlot& slot = impl_->privacy[keys.key_id()];
    if (!slot.index) {
      slot.keys = std::make_shared<const PrivacyKeys>(keys);
      slot.index = std::make_shared<PrivacyIndex>();
    }
    p = slot.index;
    // Updating touches the snaps' cached name parts: keep it under the privacy lock.
    std::unique_lock write(p->mutex);
    impl_->UpdatePrivacy(keys, *p);
  }
  std::shared_lock read(p->mutex);
  const std::vector<Snap>& snaps = impl_->snaps;
  auto searchable = [&](uint32_t entity_idx) {
    const Snap& s = snaps[entity_idx];
    return s.alive && Allowed(scope, s.type, s.category, s.marking, s.service);
  };
  std::vector<QueryAnswer> answers(queries.size());
  ForChunks(queries.size(), [&](size_t begin, size_t end) {
    std::vector<PrivateBest> best;
    SearchPrivate(*p, queries, begin, end, threshold, options.blocking, searchable, best);
    for (size_t query_idx = begin; query_idx < end; ++query_idx) {
      QueryAnswer& answer = answers[query_idx];
      answer.id = queries[query_idx].id;
      const PrivateBest& found = best[query_idx - begin];
      if (!found.hit) continue;
      answer.hit = true;
      answer.entity_id = snaps[found.entity_idx].id;
      answer.score = found.score;
    }
  });
  return answers;
}

}  // namespace entente::exchange::hitnohit
