// The answering side's matcher: screens hit/no-hit queries, plaintext or privacy-preserving,
// against the persons and organizations of this node's store, and keeps only the records the
// agreement with the asking partner makes searchable.
//
// It holds a match engine index (match/matcher.h) for plaintext queries and, per shared secret,
// a privacy index: a 1024-bit Bloom filter per record name (encoding.h), an inverted list from
// keyed name-part blocking codes to names, and keyed codes of each record's birth dates,
// nationalities and document numbers. A private query is compared only with the names that
// share a blocking code with it (or with every name when blocking is off), by Dice similarity
// with popcount; the best score per record is then adjusted by the keyed identifiers:
//
//   birth date: same full date +0.05; day/month swapped +0.03; same year only 0;
//               a different year -0.30 (a namesake); nothing to compare 0
//   nationality: same +0.02, different -0.05
//   document number: same lifts the score to at least 0.95 when the names agree at 0.5
//
// The engine follows the store's change feed (Refresh) and is shared by every request of a
// process: ForNode() keeps one per database (hitnohit_node id). In `entente serve` an
// EngineFollower (engine_follower.h) keeps it current in the background, woken by the store's
// change notifications on PostgreSQL.
//
// A batch of 64 queries or more is split across up to four threads (the calling one included);
// the answers keep the order of the queries.
//
// Thread-safety: Answer*() may run concurrently; Refresh()/Add() take an exclusive lock.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "exchange/hitnohit/encoding.h"
#include "exchange/hitnohit/settings.h"
#include "match/matcher.h"
#include "model/entity.h"
#include "store/record_store.h"

namespace entente::exchange::hitnohit {

// Which records a partner's queries may hit: the searchable part of the agreement.
struct SearchScope {
  bool everything = false;      // tests and benchmarks: no restriction
  std::string own_service;      // this node's service
  std::string partner_service;  // the asking partner's service
  bool all_categories = false;
  std::set<ThreatCategory> categories;
  std::set<std::string> types = {"person", "organization"};
  Tlp max_tlp = Tlp::kGreen;

  static SearchScope From(const HitNoHitSettings& settings, const std::string& own_service,
                          const std::string& partner_service);
  // Type and category in scope; TLP at most max_tlp; a releasability list, when set, names the
  // partner; the record is this node's own (or TLP:CLEAR, or releasable to the partner); and it
  // is not the partner's own record coming back.
  bool Allows(const Entity& entity) const;
};

struct PrivateQuery {
  std::string id;
  NameEncoding name;
  AttributeEncoding attributes;
};

struct QueryAnswer {
  std::string id;
  bool hit = false;
  std::string entity_id;  // stays on this side
  double score = 0.0;
  std::string error;  // the query itself was unusable (e.g. no matchable name)
};

struct PrivateMatchOptions {
  bool blocking = true;  // off: compare with every name (slower, for the recall measurement)
};

class AnswerEngine {
 public:
  AnswerEngine();
  ~AnswerEngine();
  AnswerEngine(const AnswerEngine&) = delete;
  AnswerEngine& operator=(const AnswerEngine&) = delete;

  // The process-wide engine of the database named `node_id` (HitNoHitStore::NodeId).
  static std::shared_ptr<AnswerEngine> ForNode(const std::string& node_id);

  // Applies the store's changes since the last call (the whole store the first time). A set
  // `stop` ends it early: changes applied so far stay applied (a build stopped half way is
  // started again by the next call, which then answers Unavailable).
  Status Refresh(RecordStore& store, const std::atomic<bool>* stop = nullptr);
  // Brings the privacy index of every secret seen so far up to the applied changes, so that the
  // next private query does not encode them itself (engine_follower.h calls it after Refresh).
  void UpdatePrivacyIndexes();
  // The last change sequence number applied; -1 before the first Refresh.
  int64_t applied_seq() const;
  // Adds or replaces one entity (revoked or other types: removed). For tests and benchmarks.
  void Add(const Entity& entity);

  // Plaintext: each query through the match engine; the best searchable result at or above
  // `threshold` is a hit.
  std::vector<QueryAnswer> AnswerPlain(
      const std::vector<std::pair<std::string, MatchQuery>>& queries, const SearchScope& scope,
      double threshold) const;
  // Privacy-preserving: builds (once per secret) and uses the privacy index.
  std::vector<QueryAnswer> AnswerPrivate(const PrivacyKeys& keys,
                                         const std::vector<PrivateQuery>& queries,
                                         const SearchScope& scope, double threshold,
                                         const PrivateMatchOptions& options = {}) const;

  int64_t entity_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace entente::exchange::hitnohit
