// What the import-reader fuzz targets share: read every row of a reader until its end or a fatal
// error, and abort (which libFuzzer counts as a crash) when one of these invariants breaks:
//   - a reader that cannot open, a fatal error and a rejected row each carry a message;
//   - a rejected row has no records;
//   - every record read encodes to the model's JSON and decodes back to the same JSON
//     (model/codec.h);
//   - the reader's progress never passes its total.
#ifndef ENTENTE_FUZZ_READ_EVERY_ROW_H_
#define ENTENTE_FUZZ_READ_EVERY_ROW_H_

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "common/status.h"
#include "ingest/record_reader.h"
#include "model/codec.h"

namespace entente::fuzz {

// Prints "<target> invariant broken: <what> <detail>" to stderr and aborts.
[[noreturn]] inline void FailInvariant(const char* target, const char* what,
                                       const std::string& detail = "") {
  std::fprintf(stderr, "%s invariant broken: %s %s\n", target, what, detail.c_str());
  std::abort();
}

inline void CheckRecordRoundTrips(const char* target, const Record& record) {
  std::string json = RecordToJson(record);
  auto back = RecordFromJson(json);
  if (!back.ok()) {
    FailInvariant(target,
                  "a record read does not decode from its own JSON:", back.status().message());
  }
  if (RecordToJson(*back) != json) FailInvariant(target, "record JSON does not round-trip:", json);
}

// Reads `opened` (the result of a reader's factory) to its end, checking the invariants above.
template <typename ReaderType>
void ReadEveryRow(const char* target, const Result<std::unique_ptr<ReaderType>>& opened) {
  if (!opened.ok()) {
    if (opened.status().message().empty()) FailInvariant(target, "fatal error without a message");
    return;
  }
  ingest::RecordReader& reader = **opened;
  ingest::ReadItem item;
  while (true) {
    item.Clear();
    auto more = reader.Next(&item);
    if (!more.ok()) {
      if (more.status().message().empty()) FailInvariant(target, "fatal error without a message");
      break;
    }
    if (!*more) break;
    if (!item.error.ok()) {
      if (item.error.message().empty()) FailInvariant(target, "row error without a message");
      if (!item.records.empty()) FailInvariant(target, "a rejected row produced records");
      continue;
    }
    for (const Record& record : item.records) CheckRecordRoundTrips(target, record);
  }
  if (reader.progress_done() > reader.progress_total()) {
    FailInvariant(target, "progress past the total");
  }
}

}  // namespace entente::fuzz

#endif  // ENTENTE_FUZZ_READ_EVERY_ROW_H_
