// Fuzz target: the OFAC SDN reader (ingest/sdn_reader.h) over in-memory files.
//
// The input is up to four files separated by the two bytes 0x1E 0x1E: sdn.csv, then alt.csv,
// add.csv and sdn_comments.csv (seeds.sh builds seeds that way from ../shared/data/ofac_sdn*).
// Every row is read until the end or a fatal error. Invariants: a fatal or a row error has a
// message; a rejected row has no records; every record read encodes to the model's JSON and
// decodes back to the same JSON; progress never passes its total (fuzz/read_every_row.h).
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/sdn_reader.h"
#include "read_every_row.h"

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
  entente::fuzz::ReadEveryRow("sdn_fuzz",
                              entente::ingest::SdnReader::FromFiles(std::move(files), defaults));
  return 0;
}
