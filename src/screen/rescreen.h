// Continuous re-screening: every stored list is re-checked against only the watchlist entities
// that changed since the list was last checked (the store's change feed), and what changed in
// the review queue becomes an alert (see alerts.h):
//
//   new-hit       a row now hits an entity it did not hit before (a new record, a new alias)
//   raised-again  a row hits a new version of an entity it hit before; the hit says what
//                 changed; a decision taken on the old version stays on the old hit
//   withdrawn     the entity was revoked, or its new version no longer matches the row; the
//                 hit is marked "withdrawn", never deleted
//
// How rows and entities are paired ("the other way round" where that is faster):
//   kIndexList     the list's rows are indexed (MatchIndex::Create + Add) and each changed
//                  entity's names are looked up in it; with keep_list_indexes the index is kept
//                  between runs, so a run costs only the changed entities' lookups;
//   kIndexChanges  the changed entities are indexed and every row is looked up in that small
//                  index (what a screening job does, minus the big watchlist);
//   kAuto          kIndexList when a kept index exists, when keep_list_indexes is set, or when
//                  more entities changed than the list has rows; else kIndexChanges.
//   Before a hit is withdrawn the row is checked once more against the new version directly.
//
// Exactly once: one re-screening runs at a time (the "rescreen" DbLock: a second one waits,
// then refuses with Unavailable). Each list's alerts, hit changes and new checked_seq are
// committed together, and alerts are unique per (hit, kind): a run killed at any point is
// re-done by the next one without missing or duplicate alerts.
//
// Cheap when nothing changed: two small queries, no lock, no index.
//
// Thread-safety: a ContinuousScreener may be shared by threads (its index cache is locked);
// each call needs its own Database connection.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/progress.h"
#include "common/status.h"
#include "match/matcher.h"
#include "screen/match_engine.h"
#include "store/database.h"

namespace entente::screen {

enum class RescreenStrategy { kAuto, kIndexList, kIndexChanges };

struct RescreenOptions {
  std::string list_name;  // empty: every list whose job is done
  int threads = 0;        // 0: one per core
  std::string user = "local";
  const MatchEngine* engine = nullptr;  // null: DefaultMatchEngine()
  RescreenStrategy strategy = RescreenStrategy::kAuto;
  int64_t wait_ms = 30000;               // wait this long for another re-screening; 0: refuse
  int64_t max_changes_per_pass = 50000;  // change-feed window (bounds memory)
  int pause_ms_per_list = 0;             // for fault-injection tests only: sleep after each commit
};

struct RescreenSummary {
  int64_t from_seq = 0;  // the oldest checked_seq among the lists
  int64_t to_seq = 0;    // the store's change_seq the lists are now checked to
  int64_t lists_checked = 0;
  int64_t entities_changed = 0;  // persons and organizations changed (per window, distinct)
  int64_t new_hits = 0;
  int64_t raised_again = 0;
  int64_t withdrawn = 0;
  int64_t alerts = 0;    // alerts stored by this run
  std::string strategy;  // the pairing used last ("index-list" / "index-changes"), "" if none
  double seconds = 0.0;
  // "rescreen: 2 lists checked against 14 changed entities (seq 120..134): 3 alerts
  //  (2 new hits, 1 raised again, 0 withdrawn) in 0.4 s"
  std::string ToString() const;
};

class ContinuousScreener {
 public:
  // With `keep_list_indexes`, the list indexes built for kIndexList are kept for the next Run()
  // (the server's mode: one screener for the life of the process). Lists do not change after
  // they are stored, so a kept index stays valid.
  explicit ContinuousScreener(bool keep_list_indexes = false)
      : keep_list_indexes_(keep_list_indexes) {}

  // Re-checks the lists (see above). Errors: NotFound for an unknown list_name; Unavailable
  // when another re-screening still runs after wait_ms; the store's errors (the lists
  // committed before the error stay checked).
  Result<RescreenSummary> Run(Database& db, const RescreenOptions& options,
                              ProgressBar* progress = nullptr);

  // Memory held by kept indexes (bytes, as the engine reports it).
  int64_t CachedIndexBytes() const;

 private:
  struct ListIndex;
  struct Pass;  // one Run()
  std::shared_ptr<ListIndex> CachedIndex(int64_t list_id);
  void KeepIndex(int64_t list_id, std::shared_ptr<ListIndex> index);

  bool keep_list_indexes_;
  mutable std::mutex mutex_;
  std::map<int64_t, std::shared_ptr<ListIndex>> list_indexes_;
};

// One-off re-screening with a fresh ContinuousScreener (what `entente rescreen` runs).
Result<RescreenSummary> Rescreen(Database& db, const RescreenOptions& options,
                                 ProgressBar* progress = nullptr);

}  // namespace entente::screen
