// Fuzz target: the RFC 4180 CSV reader (common/csv.h) over an in-memory buffer.
//
// Invariants checked on every input:
//   - a malformed record's Status carries a message; the reader goes on after it;
//   - record lines never go backwards and stay within the input's line count (LF, CRLF or a
//     lone CR end a line);
//   - bytes_read() never exceeds total_bytes();
//   - a good comma-separated record, written back with CsvLine(), reads back as the same fields.
// The first byte picks the delimiter (',' mostly, ';', '\t' or '|'), so the writer is only
// checked against comma input.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/csv.h"

namespace {

void Fail(const char* what) {
  std::fprintf(stderr, "csv_fuzz invariant broken: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  char delimiter = ',';
  std::string text(reinterpret_cast<const char*>(data), size);
  if (!text.empty()) {
    switch (static_cast<unsigned char>(text[0]) % 8) {
      case 5:
        delimiter = ';';
        break;
      case 6:
        delimiter = '\t';
        break;
      case 7:
        delimiter = '|';
        break;
      default:
        break;
    }
  }
  int64_t newlines = 0;
  for (char c : text) newlines += c == '\n' || c == '\r';  // a lone CR ends a record too
  auto reader = entente::CsvReader::FromString(text, "fuzz.csv", delimiter);
  std::vector<std::string> fields;
  entente::Status error;
  int64_t last_line = 0;
  while (reader->Next(&fields, &error)) {
    if (reader->line() < last_line) Fail("record line went backwards");
    if (reader->line() < 1 || reader->line() > newlines + 1) Fail("record line out of range");
    last_line = reader->line();
    if (reader->bytes_read() > reader->total_bytes()) Fail("read past the end");
    if (!error.ok()) {
      if (error.message().empty()) Fail("error without a message");
      continue;
    }
    if (delimiter != ',' || fields.empty()) continue;
    if (fields.size() == 1 && fields[0].empty()) continue;  // written back as a blank line
    auto again = entente::CsvReader::FromString(entente::CsvLine(fields) + "\r\n", "again.csv");
    std::vector<std::string> reread;
    entente::Status reread_error;
    if (!again->Next(&reread, &reread_error) || !reread_error.ok() || reread != fields)
      Fail("CsvLine output does not read back as the same fields");
  }
  return 0;
}
