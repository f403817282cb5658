// A small deterministic stand-in for the matching engine, so that the screen subsystem's logic
// (storage, resumption, decisions, re-screening) is tested independently of the engine's
// scoring. Score: the share of name tokens in common (Jaccard over lower-case ASCII tokens),
// best over the entity's names; +0.1 (capped at 1) when the birth dates are equal.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/text.h"
#include "match/matcher.h"
#include "screen/match_engine.h"

namespace entente::screen::testing {

inline std::set<std::string> Tokens(const std::string& name) {
  std::set<std::string> tokens;
  std::string current;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      current += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!current.empty()) {
      tokens.insert(current);
      current.clear();
    }
  }
  if (!current.empty()) tokens.insert(current);
  return tokens;
}

class FakeIndex : public MatchIndex {
 public:
  void Add(const Entity& entity) override {
    if (entity.meta.revoked) {
      entities_.erase(entity.meta.id);
      return;
    }
    entities_[entity.meta.id] = entity;
  }
  void Remove(const std::string& entity_id) override { entities_.erase(entity_id); }
  void Apply(const std::vector<Entity>& changed, int64_t through_seq) override {
    for (const Entity& entity : changed) Add(entity);
    applied_seq_ = std::max(applied_seq_, through_seq);
  }
  void SetAppliedSeq(int64_t seq) override { applied_seq_ = seq; }
  int64_t AppliedSeq() const override { return applied_seq_; }
  Result<std::vector<MatchResult>> Match(const MatchQuery& query) const override {
    auto query_tokens = Tokens(query.name);
    if (query_tokens.empty()) return InvalidArgument("name: nothing matchable");
    std::vector<MatchResult> results;
    for (const auto& [id, entity] : entities_) {
      double best = 0;
      std::string best_name;
      for (const Name& name : entity.names) {
        auto tokens = Tokens(name.full);
        size_t common = 0;
        for (const auto& t : tokens) common += query_tokens.count(t);
        size_t all = tokens.size() + query_tokens.size() - common;
        double score = all ? static_cast<double>(common) / all : 0;
        if (score > best) {
          best = score;
          best_name = name.full;
        }
      }
      if (best == 0) continue;
      MatchResult result;
      result.entity_id = id;
      result.entity_version = entity.meta.version;
      result.source_record_id = entity.meta.provenance.source_record_id;
      result.matched_name = best_name;
      result.factors.push_back(MatchFactor{"name", best, "token overlap"});
      if (query.birth_date && !entity.birth_dates.empty() &&
          *query.birth_date == entity.birth_dates.front()) {
        best = std::min(1.0, best + 0.1);
        result.factors.push_back(MatchFactor{"birth_date", 0.1, "exact"});
      }
      result.score = best;
      if (result.score >= query.threshold) results.push_back(std::move(result));
    }
    std::sort(results.begin(), results.end(), [](const MatchResult& a, const MatchResult& b) {
      return a.score != b.score ? a.score > b.score : a.entity_id < b.entity_id;
    });
    if (static_cast<int>(results.size()) > query.top) results.resize(query.top);
    return results;
  }
  MatchIndexStats Stats() const override {
    MatchIndexStats stats;
    stats.entities = static_cast<int64_t>(entities_.size());
    stats.applied_seq = applied_seq_;
    return stats;
  }
  int64_t applied_seq_ = 0;

 private:
  std::map<std::string, Entity> entities_;
};

// The fake engine: Build() reads the current persons and organizations of the store.
inline const MatchEngine& FakeEngine() {
  static const MatchEngine* engine = new MatchEngine{
      [](RecordStore& store, const RecordFilter& filter,
         ProgressBar*) -> Result<std::unique_ptr<MatchIndex>> {
        auto index = std::make_unique<FakeIndex>();
        index->applied_seq_ = store.MaxChangeSeq();
        Status s = store.ForEachRecord(filter, [&index](const Record& record) {
          if (auto* entity = std::get_if<Entity>(&record)) index->Add(*entity);
          return true;
        });
        if (!s.ok()) return s;
        return std::unique_ptr<MatchIndex>(std::move(index));
      },
      [] { return std::unique_ptr<MatchIndex>(new FakeIndex()); },
      [] { return 0.6; },
  };
  return *engine;
}

}  // namespace entente::screen::testing
