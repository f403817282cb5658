#include "screen/rescreen.h"

#include <chrono>
#include <cstdio>
#include <set>
#include <thread>
#include <unordered_map>

#include "common/crash_point.h"
#include "common/time.h"
#include "screen/entity_diff.h"
#include "screen/list_rows.h"
#include "screen/parallel_match.h"
#include "screen/row_query.h"
#include "screen/screen_lock.h"
#include "screen/screen_schema.h"
#include "store/record_store.h"

namespace entente::screen {

struct ContinuousScreener::ListIndex {
  std::unique_ptr<MatchIndex> index;
  int64_t rows = 0;
};

namespace {

// At most this many rows per changed-entity name in the kIndexList direction: a common name
// may rightly hit many applicants.
constexpr int kReverseTop = 1000;
constexpr int64_t kForwardBatchRows = 20000;

struct ListState {
  int64_t list_id = 0;
  std::string name;
  int64_t checked_seq = 0;
  int64_t row_count = 0;
  double threshold = 0.0;
  int top = 10;
};

struct ChangedEntity {
  int64_t seq = 0;
  bool live = false;  // a current person or organization
  ChangeKind kind = ChangeKind::kCreated;
  Entity entity;
};

// A (row, entity) pair found at or above the threshold.
struct Pair {
  double score = 0.0;
  std::string matched_name;
  std::string explanation;
};
// entity id -> row_idx -> best pair
using PairMap = std::unordered_map<std::string, std::map<int64_t, Pair>>;

struct ActiveHit {
  int64_t hit_id = 0;
  int64_t row_idx = 0;
  std::string row_id;
  int version = 0;
  std::string status;
  std::string decision;
  std::string decided_by;
  double score = 0.0;
  std::string matched_name;
  std::string explanation;
};

// True when `after` keeps every name of `before` and the same birth dates, nationalities and
// documents: a row that matched `before` matches `after` at least as well (scores are the best
// over names), whichever direction the engine was asked in.
bool IdentifyingFieldsOnlyGrew(const Entity& before, const Entity& after) {
  if (before.birth_dates != after.birth_dates || before.nationalities != after.nationalities ||
      before.documents != after.documents || before.type != after.type) {
    return false;
  }
  for (const Name& name : before.names) {
    bool kept = false;
    for (const Name& other : after.names) kept = kept || other.full == name.full;
    if (!kept) return false;
  }
  return true;
}

std::string FormatScore(double score) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.3f", score);
  return text;
}

void Keep(std::map<int64_t, Pair>& pairs, int64_t row_idx, Pair pair) {
  auto it = pairs.find(row_idx);
  if (it == pairs.end() || pair.score > it->second.score) pairs[row_idx] = std::move(pair);
}

Result<std::vector<ListState>> EligibleLists(Database& db, const std::string& list_name,
                                             int64_t to_seq) {
  std::string sql =
      "SELECT l.list_id, l.name, l.checked_seq, l.row_count, j.threshold, j.top_k"
      " FROM screen_lists l JOIN screen_jobs j ON j.list_id = l.list_id"
      " WHERE j.status = 'done' AND l.checked_seq >= 0 AND l.checked_seq < ?";
  std::vector<SqlValue> params = {to_seq};
  if (!list_name.empty()) {
    sql += " AND l.name = ?";
    params.push_back(list_name);
  }
  sql += " ORDER BY l.list_id";
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db.Query(sql, params));
  std::vector<ListState> lists;
  for (const SqlRow& row : rows) {
    lists.push_back(ListState{row.Int(0), row.Text(1), row.Int(2), row.Int(3), row.Real(4),
                              static_cast<int>(row.Int(5))});
  }
  return lists;
}

Result<std::vector<ActiveHit>> ActiveHitsOf(Database& db, int64_t list_id,
                                            const std::string& entity_id) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows,
      db.Query(
          "SELECT hit_id, row_idx, row_id, entity_version, status, decision, decided_by,"
          " score, matched_name, explanation FROM screen_hits WHERE list_id = ? AND entity_id = ?"
          " AND status <> 'withdrawn' AND status <> 'superseded' ORDER BY hit_id",
          {list_id, entity_id}));
  std::vector<ActiveHit> hits;
  for (const SqlRow& row : rows) {
    hits.push_back(ActiveHit{row.Int(0), row.Int(1), row.Text(2), static_cast<int>(row.Int(3)),
                             row.Text(4), row.Text(5), row.Text(6), row.Real(7), row.Text(8),
                             row.Text(9)});
  }
  return hits;
}

Status InsertAlert(Database& db, int64_t list_id, int64_t hit_id, const std::string& kind,
                   const std::string& why, int64_t seq, int64_t* alerts) {
  ENTENTE_RETURN_IF_ERROR(
      db.Execute("INSERT INTO screen_alerts (list_id, hit_id, kind, why, change_seq, raised)"
                 " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hit_id, kind) DO NOTHING",
                 {list_id, hit_id, kind, why, seq, NowTimestamp()}));
  *alerts += db.ChangedRows();
  return Status::Ok();
}

// Pairs by looking every row up in an index of the changed entities.
Status PairByIndexingChanges(Database& db, const MatchEngine& engine, const ListState& list,
                             const std::vector<const ChangedEntity*>& live, int threads,
                             PairMap* pairs) {
  std::unique_ptr<MatchIndex> index = engine.create();
  for (const ChangedEntity* changed : live) index->Add(changed->entity);
  for (int64_t from = 0; from < list.row_count; from += kForwardBatchRows) {
    ENTENTE_ASSIGN_OR_RETURN(auto rows, ReadListRows(db, list.list_id, from, kForwardBatchRows));
    if (rows.empty()) break;
    RowMatches matches = MatchRows(*index, rows, list.top, list.threshold, threads);
    for (size_t row_pos = 0; row_pos < rows.size(); ++row_pos) {
      for (MatchResult& hit : matches.hits[row_pos]) {
        if (hit.score < list.threshold) continue;
        Keep((*pairs)[hit.entity_id], rows[row_pos].row_idx,
             Pair{hit.score, hit.matched_name, hit.Explanation()});
      }
    }
  }
  return Status::Ok();
}

// Pairs by looking each changed entity's names up in an index of the list's rows.
void PairByIndexingList(const MatchIndex& index, const ListState& list,
                        const std::vector<const ChangedEntity*>& live, int threads,
                        PairMap* pairs) {
  struct Lookup {
    size_t entity_pos;
    MatchQuery query;
  };
  std::vector<Lookup> lookups;
  for (size_t entity_pos = 0; entity_pos < live.size(); ++entity_pos) {
    for (MatchQuery& query :
         QueriesFromEntity(live[entity_pos]->entity, kReverseTop, list.threshold)) {
      lookups.push_back(Lookup{entity_pos, std::move(query)});
    }
  }
  std::vector<std::vector<MatchResult>> results(lookups.size());
  ParallelFor(lookups.size(), threads, [&](size_t lookup_pos) {
    auto found = index.Match(lookups[lookup_pos].query);
    if (found.ok()) results[lookup_pos] = std::move(found).value();
  });
  for (size_t lookup_pos = 0; lookup_pos < lookups.size(); ++lookup_pos) {
    const Entity& entity = live[lookups[lookup_pos].entity_pos]->entity;
    for (const MatchResult& hit : results[lookup_pos]) {
      if (hit.score < list.threshold) continue;
      auto row_idx = RowIdxFromEntityId(hit.entity_id);
      if (!row_idx) continue;
      Keep((*pairs)[entity.meta.id], *row_idx,
           Pair{hit.score, lookups[lookup_pos].query.name, hit.Explanation()});
    }
  }
}

// Looks `rows` up in an index of `entity` alone: the direct check before a withdrawal.
Result<std::map<int64_t, Pair>> Confirm(Database& db, const MatchEngine& engine,
                                        const ListState& list, const Entity& entity,
                                        const std::vector<int64_t>& row_idxs) {
  std::map<int64_t, Pair> confirmed;
  if (row_idxs.empty()) return confirmed;
  std::unique_ptr<MatchIndex> index = engine.create();
  index->Add(entity);
  for (int64_t row_idx : row_idxs) {
    ENTENTE_ASSIGN_OR_RETURN(ListRow row, ReadListRow(db, list.list_id, row_idx));
    auto found = index->Match(QueryFromRow(row, list.top, list.threshold));
    if (!found.ok()) continue;
    for (const MatchResult& hit : *found) {
      if (hit.entity_id == entity.meta.id && hit.score >= list.threshold) {
        Keep(confirmed, row_idx, Pair{hit.score, hit.matched_name, hit.Explanation()});
      }
    }
  }
  return confirmed;
}

}  // namespace

std::string RescreenSummary::ToString() const {
  char text[512];
  std::snprintf(text, sizeof(text),
                "rescreen: %lld list(s) checked against %lld changed entities (seq %lld..%lld): "
                "%lld alerts (%lld new hits, %lld raised again, %lld withdrawn) in %.2f s",
                static_cast<long long>(lists_checked), static_cast<long long>(entities_changed),
                static_cast<long long>(from_seq), static_cast<long long>(to_seq),
                static_cast<long long>(alerts), static_cast<long long>(new_hits),
                static_cast<long long>(raised_again), static_cast<long long>(withdrawn), seconds);
  return text;
}

std::shared_ptr<ContinuousScreener::ListIndex> ContinuousScreener::CachedIndex(int64_t list_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = list_indexes_.find(list_id);
  return it == list_indexes_.end() ? nullptr : it->second;
}

void ContinuousScreener::KeepIndex(int64_t list_id, std::shared_ptr<ListIndex> index) {
  std::lock_guard<std::mutex> lock(mutex_);
  list_indexes_[list_id] = std::move(index);
}

int64_t ContinuousScreener::CachedIndexBytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  int64_t bytes = 0;
  for (const auto& [list_id, kept] : list_indexes_) bytes += kept->index->Stats().memory_bytes;
  return bytes;
}

// The state one Run() shares between its steps: the store, what the pass found so far, and
// the old versions of entities it has read (to say what changed).
struct ContinuousScreener::Pass {
  using ChangedMap = std::unordered_map<std::string, ChangedEntity>;
  using ActiveMap = std::unordered_map<std::string, std::vector<ActiveHit>>;

  Pass(ContinuousScreener& owner, Database& database, const RescreenOptions& run_options)
      : screener(owner),
        db(database),
        options(run_options),
        engine(run_options.engine ? *run_options.engine : DefaultMatchEngine()),
        threads(ThreadCount(run_options.threads)),
        store(&database) {}

  // An entity as it was at `version` (nullptr when that version is not an entity), read once.
  const Entity* OldVersion(const std::string& id, int version);
  // Reads the changes in (from, ...], at most `window` of them, into `changed` (the latest
  // version of each changed entity); returns the window's end.
  Result<int64_t> ReadWindow(int64_t from, int64_t window, ChangedMap* changed);
  // Checks `list` against the changes up to window_end, in one transaction.
  Status CheckList(ListState& list, const ChangedMap& changed, int64_t window_end, DbLock& lock);
  // Pairs the list's rows with the live changed entities, by the strategy the options ask for.
  Status PairLive(const ListState& list, const std::vector<const ChangedEntity*>& live,
                  PairMap* pairs);
  // Keeps the active hits of the live entities whose row still matches: without a check when
  // the entity only grew, else after a direct check.
  Status KeepStillMatching(const ListState& list, const std::vector<const ChangedEntity*>& live,
                           const ActiveMap& active, PairMap* pairs);
  // Withdraws an active hit with a "withdrawn" alert saying why.
  Status Withdraw(const ListState& list, const ActiveHit& hit, const std::string& why, int64_t seq,
                  int64_t* alerts);
  // Withdraws the active hits of an entity that is gone (revoked, or no longer a person or
  // organization).
  Status WithdrawGone(const ListState& list, const ChangedEntity& item, const ActiveMap& active,
                      int64_t* alerts);
  // Stores a pair of a live entity as a hit with its alert, unless the entity's version
  // already holds it.
  Status RaiseHit(const ListState& list, const ChangedEntity& item, int64_t row_idx,
                  const Pair& pair, const std::vector<ActiveHit>& hits, const std::string& now,
                  int64_t* alerts);
  // Withdraws the earlier-version hits whose row the new version no longer matches.
  Status WithdrawUnmatched(const ListState& list, const ChangedEntity& item,
                           const std::map<int64_t, Pair>& found, const std::vector<ActiveHit>& hits,
                           int64_t* alerts);

  ContinuousScreener& screener;
  Database& db;
  const RescreenOptions& options;
  const MatchEngine& engine;
  const int threads;
  RecordStore store;
  RescreenSummary summary;
  // Old versions, for "what changed" (id, version) -> entity.
  std::map<std::pair<std::string, int>, std::optional<Entity>> old_versions;
  std::set<int64_t> lists_touched;
};

const Entity* ContinuousScreener::Pass::OldVersion(const std::string& id, int version) {
  auto key = std::make_pair(id, version);
  auto it = old_versions.find(key);
  if (it == old_versions.end()) {
    std::optional<Entity> entity;
    auto record = store.GetVersion(id, version);
    if (record.ok() && std::holds_alternative<Entity>(*record)) {
      entity = std::get<Entity>(std::move(record).value());
    }
    it = old_versions.emplace(key, std::move(entity)).first;
  }
  return it->second ? &*it->second : nullptr;
}

Result<int64_t> ContinuousScreener::Pass::ReadWindow(int64_t from, int64_t window,
                                                     ChangedMap* changed) {
  ENTENTE_ASSIGN_OR_RETURN(auto changes, store.ChangesSince(from, window));
  int64_t window_end = summary.to_seq;
  if (static_cast<int64_t>(changes.size()) == window && changes.back().seq < window_end) {
    window_end = changes.back().seq;
  }
  // The latest version of each changed person or organization in (from, window_end].
  for (Change& change : changes) {
    if (change.seq > window_end) break;
    auto* entity = std::get_if<Entity>(&change.record);
    if (entity == nullptr) continue;
    ChangedEntity item;
    item.seq = change.seq;
    item.kind = change.kind;
    item.live = !entity->meta.revoked && change.kind != ChangeKind::kRevoked &&
                (entity->type == EntityType::kPerson || entity->type == EntityType::kOrganization);
    item.entity = std::move(*entity);
    (*changed)[item.entity.meta.id] = std::move(item);
  }
  changes.clear();
  summary.entities_changed += static_cast<int64_t>(changed->size());
  return window_end;
}

Status ContinuousScreener::Pass::CheckList(ListState& list, const ChangedMap& changed,
                                           int64_t window_end, DbLock& lock) {
  std::vector<const ChangedEntity*> live, gone;
  for (const auto& [id, item] : changed) {
    if (item.seq <= list.checked_seq) continue;
    (item.live ? live : gone).push_back(&item);
  }
  // Pair rows and live entities.
  PairMap pairs;
  ENTENTE_RETURN_IF_ERROR(PairLive(list, live, &pairs));
  // Existing hits of the changed entities; rows about to be withdrawn get a direct check.
  ActiveMap active;
  for (const auto* group : {&live, &gone}) {
    for (const ChangedEntity* item : *group) {
      ENTENTE_ASSIGN_OR_RETURN(auto hits, ActiveHitsOf(db, list.list_id, item->entity.meta.id));
      if (!hits.empty()) active[item->entity.meta.id] = std::move(hits);
    }
  }
  ENTENTE_RETURN_IF_ERROR(KeepStillMatching(list, live, active, &pairs));

  // Write what changed, the alerts and the new checked_seq together.
  Transaction tx(&db);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_RETURN_IF_ERROR(lock.Confirm());
  const std::string now = NowTimestamp();
  int64_t alerts = 0;
  for (const ChangedEntity* item : gone) {
    ENTENTE_RETURN_IF_ERROR(WithdrawGone(list, *item, active, &alerts));
  }
  for (const ChangedEntity* item : live) {
    const auto& found = pairs[item->entity.meta.id];
    static const std::vector<ActiveHit> kNone;
    auto active_it = active.find(item->entity.meta.id);
    const std::vector<ActiveHit>& hits = active_it == active.end() ? kNone : active_it->second;
    for (const auto& [row_idx, pair] : found) {
      ENTENTE_RETURN_IF_ERROR(RaiseHit(list, *item, row_idx, pair, hits, now, &alerts));
    }
    ENTENTE_RETURN_IF_ERROR(WithdrawUnmatched(list, *item, found, hits, &alerts));
  }
  ENTENTE_RETURN_IF_ERROR(
      db.Execute("UPDATE screen_lists SET checked_seq = ? WHERE list_id = ? AND checked_seq < ?",
                 {window_end, list.list_id, window_end}));
  CrashPoint("rescreen.before_commit");
  ENTENTE_RETURN_IF_ERROR(tx.Commit());
  CrashPoint("rescreen.after_commit");
  list.checked_seq = window_end;
  summary.alerts += alerts;
  lists_touched.insert(list.list_id);
  return Status::Ok();
}

Status ContinuousScreener::Pass::PairLive(const ListState& list,
                                          const std::vector<const ChangedEntity*>& live,
                                          PairMap* pairs) {
  bool index_list = options.strategy == RescreenStrategy::kIndexList;
  std::shared_ptr<ListIndex> kept = screener.CachedIndex(list.list_id);
  if (options.strategy == RescreenStrategy::kAuto) {
    index_list = kept != nullptr || screener.keep_list_indexes_ ||
                 static_cast<int64_t>(live.size()) > list.row_count;
  }
  if (live.empty()) return Status::Ok();
  if (!index_list) {
    summary.strategy = "index-changes";
    return PairByIndexingChanges(db, engine, list, live, threads, pairs);
  }
  summary.strategy = "index-list";
  if (!kept) {
    kept = std::make_shared<ListIndex>();
    kept->index = engine.create();
    Status s = ForEachListRow(db, list.list_id, [&](ListRow&& row) {
      kept->index->Add(EntityFromRow(row));
      ++kept->rows;
      return true;
    });
    ENTENTE_RETURN_IF_ERROR(s);
    if (screener.keep_list_indexes_) screener.KeepIndex(list.list_id, kept);
  }
  PairByIndexingList(*kept->index, list, live, threads, pairs);
  return Status::Ok();
}

Status ContinuousScreener::Pass::KeepStillMatching(const ListState& list,
                                                   const std::vector<const ChangedEntity*>& live,
                                                   const ActiveMap& active, PairMap* pairs) {
  for (const ChangedEntity* item : live) {
    auto it = active.find(item->entity.meta.id);
    if (it == active.end()) continue;
    auto& found = (*pairs)[item->entity.meta.id];
    std::vector<int64_t> unconfirmed;
    for (const ActiveHit& hit : it->second) {
      if (hit.version >= item->entity.meta.version || found.count(hit.row_idx)) continue;
      const Entity* before = OldVersion(item->entity.meta.id, hit.version);
      if (before && IdentifyingFieldsOnlyGrew(*before, item->entity)) {
        Keep(found, hit.row_idx, Pair{hit.score, hit.matched_name, hit.explanation});
      } else {
        unconfirmed.push_back(hit.row_idx);
      }
    }
    ENTENTE_ASSIGN_OR_RETURN(auto confirmed, Confirm(db, engine, list, item->entity, unconfirmed));
    for (auto& [row_idx, pair] : confirmed) Keep(found, row_idx, std::move(pair));
  }
  return Status::Ok();
}

Status ContinuousScreener::Pass::Withdraw(const ListState& list, const ActiveHit& hit,
                                          const std::string& why, int64_t seq, int64_t* alerts) {
  ENTENTE_RETURN_IF_ERROR(
      db.Execute("UPDATE screen_hits SET status = 'withdrawn' WHERE hit_id = ?", {hit.hit_id}));
  int64_t before = *alerts;
  ENTENTE_RETURN_IF_ERROR(InsertAlert(db, list.list_id, hit.hit_id, "withdrawn", why, seq, alerts));
  summary.withdrawn += *alerts - before;
  return Status::Ok();
}

Status ContinuousScreener::Pass::WithdrawGone(const ListState& list, const ChangedEntity& item,
                                              const ActiveMap& active, int64_t* alerts) {
  auto it = active.find(item.entity.meta.id);
  if (it == active.end()) return Status::Ok();
  std::string why = item.kind == ChangeKind::kRevoked || item.entity.meta.revoked
                        ? "entity revoked (change " + std::to_string(item.seq) + ")"
                        : "entity is no longer a person or organization (change " +
                              std::to_string(item.seq) + ")";
  for (const ActiveHit& hit : it->second) {
    ENTENTE_RETURN_IF_ERROR(Withdraw(list, hit, why, item.seq, alerts));
  }
  return Status::Ok();
}

Status ContinuousScreener::Pass::RaiseHit(const ListState& list, const ChangedEntity& item,
                                          int64_t row_idx, const Pair& pair,
                                          const std::vector<ActiveHit>& hits,
                                          const std::string& now, int64_t* alerts) {
  const Entity& entity = item.entity;
  const int version = entity.meta.version;
  const ActiveHit* same = nullptr;
  const ActiveHit* previous = nullptr;
  for (const ActiveHit& hit : hits) {
    if (hit.row_idx != row_idx) continue;
    if (hit.version == version) same = &hit;
    if (hit.version < version && (!previous || hit.version > previous->version)) {
      previous = &hit;
    }
  }
  if (same) return Status::Ok();
  std::string changed_text;
  if (previous) {
    const Entity* before = OldVersion(entity.meta.id, previous->version);
    changed_text = before ? DescribeEntityChange(*before, entity) : "";
    if (changed_text.empty()) changed_text = "new version";
  }
  ENTENTE_ASSIGN_OR_RETURN(ListRow row, ReadListRow(db, list.list_id, row_idx));
  ENTENTE_ASSIGN_OR_RETURN(
      auto inserted,
      db.Query(
          "INSERT INTO screen_hits (list_id, job_id, row_idx, row_id, entity_id,"
          " entity_version, source_id, matched_name, score, explanation, category,"
          " origin, changed, raised) VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          " 'rescreen', ?, ?)"
          " ON CONFLICT (list_id, row_id, entity_id, entity_version) DO NOTHING"
          " RETURNING hit_id",
          {list.list_id, row_idx, row.row_id, entity.meta.id, int64_t{version},
           entity.meta.provenance.source_record_id, pair.matched_name, pair.score, pair.explanation,
           std::string(ThreatCategoryName(entity.meta.category)), changed_text, now}));
  if (inserted.empty()) return Status::Ok();  // the job already holds this exact hit
  const int64_t hit_id = inserted[0].Int(0);
  std::string why;
  std::string kind;
  if (previous) {
    kind = "raised-again";
    why = "entity changed (v" + std::to_string(previous->version) + " -> v" +
          std::to_string(version) + "): " + changed_text;
    if (!previous->decision.empty()) {
      why += "; earlier version decided '" + previous->decision + "' by " + previous->decided_by;
    }
    why += "; now " + FormatScore(pair.score) + ": " + pair.explanation;
    for (const ActiveHit& hit : hits) {
      if (hit.row_idx == row_idx && hit.version < version && hit.status == "open") {
        ENTENTE_RETURN_IF_ERROR(db.Execute(
            "UPDATE screen_hits SET status = 'superseded' WHERE hit_id = ?", {hit.hit_id}));
      }
    }
  } else {
    kind = "new-hit";
    why = (item.kind == ChangeKind::kCreated ? "new record" : "updated record") +
          std::string(" '") + pair.matched_name + "' scores " + FormatScore(pair.score) + ": " +
          pair.explanation;
  }
  int64_t before = *alerts;
  ENTENTE_RETURN_IF_ERROR(InsertAlert(db, list.list_id, hit_id, kind, why, item.seq, alerts));
  (kind == "new-hit" ? summary.new_hits : summary.raised_again) += *alerts - before;
  return Status::Ok();
}

Status ContinuousScreener::Pass::WithdrawUnmatched(const ListState& list, const ChangedEntity& item,
                                                   const std::map<int64_t, Pair>& found,
                                                   const std::vector<ActiveHit>& hits,
                                                   int64_t* alerts) {
  const Entity& entity = item.entity;
  const int version = entity.meta.version;
  for (const ActiveHit& hit : hits) {
    if (hit.version >= version || found.count(hit.row_idx)) continue;
    const Entity* before = OldVersion(entity.meta.id, hit.version);
    std::string diff = before ? DescribeEntityChange(*before, entity) : "";
    std::string why = "entity changed (v" + std::to_string(hit.version) + " -> v" +
                      std::to_string(version) + ") and no longer matches this row" +
                      (diff.empty() ? "" : ": " + diff);
    ENTENTE_RETURN_IF_ERROR(Withdraw(list, hit, why, item.seq, alerts));
  }
  return Status::Ok();
}

Result<RescreenSummary> ContinuousScreener::Run(Database& db, const RescreenOptions& options,
                                                ProgressBar* progress) {
  const int64_t start_ms = NowMillis();
  ENTENTE_RETURN_IF_ERROR(MigrateScreen(db));
  Pass pass(*this, db, options);
  RescreenSummary& summary = pass.summary;
  if (!options.list_name.empty()) {
    ENTENTE_ASSIGN_OR_RETURN(auto found, db.Query("SELECT list_id FROM screen_lists WHERE name = ?",
                                                  {options.list_name}));
    if (found.empty()) return NotFound("no screening list named '" + options.list_name + "'");
  }
  summary.to_seq = pass.store.MaxChangeSeq();
  auto finish = [&]() {
    summary.seconds = static_cast<double>(NowMillis() - start_ms) / 1000.0;
    return summary;
  };
  // The cheap path: nothing changed since every list was last checked.
  {
    ENTENTE_ASSIGN_OR_RETURN(auto lists, EligibleLists(db, options.list_name, summary.to_seq));
    if (lists.empty()) {
      summary.from_seq = summary.to_seq;
      return finish();
    }
  }
  ENTENTE_ASSIGN_OR_RETURN(auto lock, DbLock::Acquire(db, "rescreen", options.wait_ms));
  ENTENTE_ASSIGN_OR_RETURN(auto lists, EligibleLists(db, options.list_name, summary.to_seq));
  if (lists.empty()) {
    summary.from_seq = summary.to_seq;
    return finish();
  }
  int64_t from = lists.front().checked_seq;
  for (const ListState& list : lists) from = std::min(from, list.checked_seq);
  summary.from_seq = from;
  if (progress) progress->SetTotal(static_cast<uint64_t>(summary.to_seq - from));

  const int64_t window = std::max<int64_t>(1, options.max_changes_per_pass);
  while (from < summary.to_seq) {
    Pass::ChangedMap changed;
    ENTENTE_ASSIGN_OR_RETURN(const int64_t window_end, pass.ReadWindow(from, window, &changed));
    for (ListState& list : lists) {
      if (list.checked_seq >= window_end) continue;
      ENTENTE_RETURN_IF_ERROR(pass.CheckList(list, changed, window_end, *lock));
      if (options.pause_ms_per_list > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(options.pause_ms_per_list));
      }
    }
    from = window_end;
    if (progress) progress->Update(static_cast<uint64_t>(from - summary.from_seq));
  }
  if (progress) progress->Finish();
  summary.lists_checked = static_cast<int64_t>(pass.lists_touched.size());
  return finish();
}

Result<RescreenSummary> Rescreen(Database& db, const RescreenOptions& options,
                                 ProgressBar* progress) {
  ContinuousScreener screener(false);
  return screener.Run(db, options, progress);
}

}  // namespace entente::screen
