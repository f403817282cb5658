// `entente export`: streams the store's current records to a file in a registered writer
// format (csv, jsonl, and whatever other subsystems register, e.g. STIX).
//
// Markings are checked here, because an export leaves the trusted layer: with `clearance`
// and `for_service` set, only records that MayRead() allows that reader are written (TLP at or
// below the clearance, and releasable to that service or owned by it). Without them the whole
// store is exported (the local administrator's full dump). Revoked records are not exported.
// The file appears complete or not at all (written beside it, then renamed).
// Thread-safety: uses `store` from the calling thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "model/types.h"
#include "store/record_store.h"

namespace entente::ingest {

struct ExportOptions {
  std::string format = "jsonl";
  std::string path;
  RecordFilter filter;           // types, category, service, source
  std::optional<Tlp> clearance;  // the highest TLP the recipient may see
  std::string for_service;       // the recipient service, for releasability
};

struct ExportReport {
  int64_t written = 0;
  int64_t withheld = 0;           // not allowed by the markings
  int64_t not_representable = 0;  // e.g. relationships in CSV
  double seconds = 0;
};

// Errors: InvalidArgument for an unknown format, IOError when the file cannot be written.
Result<ExportReport> RunExport(RecordStore& store, const ExportOptions& options);

// "exported 1200 records to out.jsonl in 0.31 s; 3 withheld by markings, 0 not representable"
std::string ExportSummaryLine(const ExportOptions& options, const ExportReport& report);

}  // namespace entente::ingest
