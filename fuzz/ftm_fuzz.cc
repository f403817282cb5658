// Fuzz target: the FollowTheMoney JSON lines reader (ingest/ftm_reader.h) over an in-memory buffer.
//
// Seeds: lines of ../shared/data/opensanctions/*.json (entities and delta operations).
// Every row is read until the end or a fatal error. Invariants: a fatal or a row error has a
// message; a rejected row has no records; every record read encodes to the model's JSON and
// decodes back to the same JSON; progress never passes its total (fuzz/read_every_row.h).
#include <cstdint>
#include <string>

#include "ingest/ftm_reader.h"
#include "read_every_row.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  entente::ingest::ImportDefaults defaults;
  entente::fuzz::ReadEveryRow(
      "ftm_fuzz", entente::ingest::FtmReaderFromString(std::move(text), "fuzz-input", defaults));
  return 0;
}
