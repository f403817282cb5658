// Fuzz target: the UN Security Council consolidated list XML reader (ingest/un_reader.h) over an
// in-memory buffer.
//
// Seeds: heads of ../shared/data/un_sc/*.xml cut at element boundaries.
// Every row is read until the end or a fatal error. Invariants: a fatal or a row error has a
// message; a rejected row has no records; every record read encodes to the model's JSON and
// decodes back to the same JSON; progress never passes its total (fuzz/read_every_row.h).
#include <cstdint>
#include <string>

#include "ingest/un_reader.h"
#include "read_every_row.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  entente::ingest::ImportDefaults defaults;
  entente::fuzz::ReadEveryRow(
      "un_fuzz", entente::ingest::UnReaderFromString(std::move(text), "fuzz-input", defaults));
  return 0;
}
