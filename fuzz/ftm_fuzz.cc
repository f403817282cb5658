// Fuzz target: the FollowTheMoney JSON lines reader (ingest/ftm_reader.h) over an in-memory buffer.
//
// Seeds: lines of ../shared/data/opensanctions/*.json (entities and delta operations).
// Every row is read until the end or a fatal error. Invariants: a fatal or a row error has a
// message; a rejected row has no records; every record read encodes to the model's JSON and
// decodes back to the same JSON (model/codec.h); progress never passes its total.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "ingest/ftm_reader.h"
#include "model/codec.h"

namespace {

void Fail(const char* what, const std::string& detail = "") {
  std::fprintf(stderr, "ftm_fuzz invariant broken: %s %s\n", what, detail.c_str());
  std::abort();
}

void CheckRecord(const entente::Record& record) {
  std::string json = entente::RecordToJson(record);
  auto back = entente::RecordFromJson(json);
  if (!back.ok()) Fail("a record read does not decode from its own JSON:", back.status().message());
  if (entente::RecordToJson(*back) != json) Fail("record JSON does not round-trip:", json);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  entente::ingest::ImportDefaults defaults;
  auto reader = entente::ingest::FtmReaderFromString(std::move(text), "fuzz-input", defaults);
  if (!reader.ok()) {
    if (reader.status().message().empty()) Fail("fatal error without a message");
    return 0;
  }
  entente::ingest::ReadItem item;
  while (true) {
    item.Clear();
    auto more = (*reader)->Next(&item);
    if (!more.ok()) {
      if (more.status().message().empty()) Fail("fatal error without a message");
      break;
    }
    if (!*more) break;
    if (!item.error.ok()) {
      if (item.error.message().empty()) Fail("row error without a message");
      if (!item.records.empty()) Fail("a rejected row produced records");
      continue;
    }
    for (const entente::Record& record : item.records) CheckRecord(record);
  }
  if ((*reader)->progress_done() > (*reader)->progress_total()) Fail("progress past the total");
  return 0;
}
