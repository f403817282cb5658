// Reading a store directly from a test that drives real processes over it: a count, and the
// screening hits as comparable keys (to check a shared run against a single-process one).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <tuple>

#include "store/database.h"

namespace entente::server::testing {

// The first column of the first row of `sql` as an integer; -1 when it cannot be read.
inline int64_t QueryCount(const std::string& target, const std::string& sql) {
  auto db = Database::Open(target);
  if (!db.ok()) return -1;
  auto rows = (*db)->Query(sql);
  return rows.ok() && !rows->empty() ? (*rows)[0].Int(0) : -1;
}

// Every stored hit as (row id, entity id, entity version, status): equal sets mean no hit is
// missing or doubled.
using HitKey = std::tuple<std::string, std::string, int64_t, std::string>;
inline std::multiset<HitKey> StoredHits(const std::string& target) {
  std::multiset<HitKey> keys;
  auto db = Database::Open(target);
  if (!db.ok()) return keys;
  (void)(*db)->QueryEach("SELECT row_id, entity_id, entity_version, status FROM screen_hits", {},
                         [&keys](const SqlRow& row) {
                           keys.insert({row.Text(0), row.Text(1), row.Int(2), row.Text(3)});
                           return true;
                         });
  return keys;
}

}  // namespace entente::server::testing
