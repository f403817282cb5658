// The alerts continuous re-screening raised (see rescreen.h): each names the list, the row, the
// entity and why. Alerts are never deleted; `after_id` lets a poller (the server, a script)
// fetch only the new ones.
// Thread-safety: uses the caller's Database (one thread at a time).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/database.h"

namespace entente::screen {

struct AlertInfo {
  int64_t alert_id = 0;
  std::string list_name;
  int64_t hit_id = 0;
  std::string row_id;
  std::string entity_id;
  int entity_version = 0;
  std::string source_id;
  std::string matched_name;
  double score = 0.0;
  std::string kind;  // "new-hit", "raised-again", "withdrawn"
  std::string why;
  int64_t change_seq = 0;  // the change that raised it
  std::string raised;
  std::string hit_status;  // the hit's status now
};

struct AlertFilter {
  std::string list_name;  // empty: every list (NotFound for an unknown one)
  std::string kind;       // empty: every kind (InvalidArgument for an unknown one)
  int64_t after_id = 0;   // only alerts with a larger id
  int64_t limit = 0;      // 0: no limit
};

// Oldest first.
Result<std::vector<AlertInfo>> ListAlerts(Database& db, const AlertFilter& filter);

}  // namespace entente::screen
