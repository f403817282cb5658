// Fuzz target: the OFAC SDN reader (ingest/sdn_reader.h) over in-memory files.
//
// The input is up to four files separated by the two bytes 0x1E 0x1E: sdn.csv, then alt.csv,
// add.csv and sdn_comments.csv (seeds.sh builds seeds that way from ../shared/data/ofac_sdn*).
// Every row is read until the end or a fatal error. Invariants: a fatal or a row error has a
// message; a rejected row has no records; every record read encodes to the model's JSON and
// decodes back to the same JSON (model/codec.h).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ingest/sdn_reader.h"
#include "model/codec.h"

namespace {

void Fail(const char* what, const std::string& detail = "") {
  std::fprintf(stderr, "sdn_fuzz invariant broken: %s %s\n", what, detail.c_str());
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
  std::string_view input(reinterpret_cast<const char*>(data), size);
  entente::ingest::SdnFiles files;
  files.folder = "fuzz";
  files.sdn_path = "fuzz/sdn.csv";
  std::string* parts[] = {&files.sdn, &files.alt, &files.add, &files.comments};
  for (size_t part = 0; part < 4; ++part) {
    size_t cut = part == 3 ? std::string_view::npos : input.find("\x1e\x1e");
    *parts[part] = std::string(input.substr(0, cut));
    if (cut == std::string_view::npos) break;
    input.remove_prefix(cut + 2);
  }
  entente::ingest::ImportDefaults defaults;
  defaults.source = "ofac-sdn";
  auto reader = entente::ingest::SdnReader::FromFiles(std::move(files), defaults);
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
