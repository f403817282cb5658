// Fuzz target: STIX 2.1 bundle parsing and mapping (exchange/stix_bundle.h ParseStixBundle,
// with stix_validate.h and stix_mapping.h behind it).
//
// Seeds: ../shared/data/stix/oasis_examples/*.json, objects of the MITRE ATT&CK bundles, and
// bundles entente writes itself (fuzz/seeds/stix_bundle/).
// Invariants: errors have messages; the lenient parse accounts for every object (mapped +
// skipped + rejected == objects); the strict parse succeeds exactly when nothing was
// rejected, with the same records; every record mapped exports (RecordToStix) to an object that
// passes ValidateStixObject and maps back to a record with the same id; the bundle built from
// the records (BuildStixBundle) passes ValidateStixBundle.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "exchange/stix_bundle.h"
#include "exchange/stix_mapping.h"
#include "exchange/stix_validate.h"
#include "model/codec.h"

namespace {

namespace ex = entente::exchange;

void Fail(const char* what, const std::string& detail = "") {
  std::fprintf(stderr, "stix_bundle_fuzz invariant broken: %s %s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ex::StixImportContext context;
  context.service = "FUZZ";
  context.source = "stix:fuzz";
  ex::StixReadStats stats;
  auto records = ex::ParseStixBundle(text, context, /*strict=*/false, &stats);
  if (!records.ok()) {
    if (records.status().message().empty()) Fail("error without a message");
    return 0;
  }
  if (stats.mapped + stats.skipped + stats.rejected != stats.objects)
    Fail("objects unaccounted for");
  if (static_cast<int64_t>(records->size()) != stats.mapped) Fail("mapped count differs");
  auto strict = ex::ParseStixBundle(text, context, /*strict=*/true);
  if (strict.ok() != (stats.rejected == 0))
    Fail("strict and lenient parses disagree:", strict.ok() ? "" : strict.status().message());
  if (strict.ok() && strict->size() != records->size()) Fail("strict parse maps other records");
  if (!strict.ok() && strict.status().message().empty()) Fail("strict error without a message");
  for (const entente::Record& record : *records) {
    nlohmann::json object = ex::RecordToStix(record);
    entente::Status valid = ex::ValidateStixObject(object);
    if (!valid.ok()) Fail("an exported object is not valid STIX:", valid.message());
    auto back = ex::StixToRecord(object, context);
    if (!back.ok()) Fail("an exported object does not map back:", back.status().message());
    if (!*back || entente::MetaOf(**back).id != entente::MetaOf(record).id)
      Fail("an exported object maps back to another record:", entente::MetaOf(record).id);
  }
  entente::Status bundle = ex::ValidateStixBundle(ex::BuildStixBundle(*records));
  if (!bundle.ok()) Fail("a bundle built from the records is not valid:", bundle.message());
  return 0;
}
