// `entente sync PARTNER`: pulls the partner's collection for this node over TAXII 2.1 and
// applies what is new (objects, versions, revocations) to the store.
//
// The cursor (the last X-TAXII-Date-Added-Last applied) lives in exchange_cursors and is
// written in the same transaction as each page's records and audit entries, so a pull killed
// at any point (kill -9 included) resumes where the last committed page ended: nothing is
// lost, and nothing is applied twice (applying the same version again changes nothing).
//
// Thread-safety: one sync per Database connection at a time; two concurrent syncs of the
// same partner serialize on the store's write lock and the second re-reads the cursor.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "common/status.h"
#include "exchange/taxii_client.h"
#include "store/database.h"

namespace entente::exchange {

struct SyncOptions {
  int64_t page_size = 1000;
  int64_t max_pages = 0;        // 0: until the collection says no more
  std::string actor = "local";  // who runs it, for the audit trail
  int pause_ms_after_page = 0;  // testing: time to kill the process between pages
  // When set and true, the pull stops after the page in hand is committed (the cursor keeps
  // its place; the next pull resumes there). The scheduler uses it to stop promptly.
  const std::atomic<bool>* cancel = nullptr;
};

struct SyncReport {
  std::string partner;
  std::string collection;
  int64_t pages = 0;
  int64_t objects = 0;
  int64_t created = 0;
  int64_t updated = 0;
  int64_t revoked = 0;
  int64_t unchanged = 0;
  int64_t skipped = 0;
  int64_t rejected = 0;
  std::string cursor;  // added_after for the next run
};

// The TAXII endpoint of an agreement's partner: url, user, token (from token_env or
// token_file), certificates. InvalidArgument when the agreement lacks a url.
Result<TaxiiEndpoint> EndpointFor(const std::string& partner, Database& db);

// Pulls from `partner` (its agreement must exist). Errors: NotFound (no agreement, no readable
// collection), the TAXII client's errors, database errors. Objects refused (bad signature,
// invalid) are counted in the report and audited; they do not stop the pull.
Result<SyncReport> SyncPartner(Database& db, const std::string& own_service,
                               const std::string& partner, const SyncOptions& options);

}  // namespace entente::exchange
