// Reads a screening list (accreditation applicants, a passenger manifest...) from CSV, one row
// at a time, checking each row and saying exactly why a row is rejected.
//
// Columns are found by header name: `id` and `name` are required; `birth_date`, `nationality`
// and `id_number` are optional; other columns are ignored (the same input as `entente screen`).
// A row is rejected (with its line and the reason) when it is malformed CSV, has fewer fields
// than the header, has an empty id or name, a name over 1,000 bytes or invalid UTF-8. A birth
// date that is not a date ("1987", "1987-03", "1987-03-04", "04/03/1987", "4 Mar 1987" are) or
// an unknown country code is dropped with a warning and the row is still screened on the rest,
// as `entente screen` does: missing a listed person over a typo in a date is the worse failure.
// Duplicate ids are detected by the store (see screening_job.h).
//
// Thread-safety: one reader per file, used from one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/csv.h"
#include "common/status.h"

namespace entente::screen {

// One accepted row. Values are trimmed; birth_date is normalized ("1987-03-04"), nationality
// upper-cased ISO alpha-2.
struct ListRow {
  int64_t row_idx = 0;  // 0-based position among the list's accepted rows (set by the store)
  std::string row_id;
  std::string source_file;
  int64_t line = 0;
  std::string name;
  std::string birth_date;
  std::string nationality;
  std::string id_number;
  std::vector<std::string> warnings;  // fields dropped, with the reason
};

// One rejected row.
struct RowError {
  std::string source_file;
  int64_t line = 0;
  std::string row_id;  // when it could be read
  std::string reason;
  // "rejected" (not stored, not screened), "warning" (a field dropped, row screened), or
  // "not-screened" (stored, but the engine found nothing matchable in the name).
  std::string kind = "rejected";
  // "applicants.csv line 7 (id A-12): rejected: empty name"
  std::string ToString() const;
};

class ListFileReader {
 public:
  enum class Outcome { kEnd, kRow, kRejected };

  // Opens `path` and reads its header. IOError when unreadable; InvalidArgument naming the file
  // when it is empty or lacks an `id` or `name` column.
  static Result<std::unique_ptr<ListFileReader>> Open(const std::string& path);
  // Same over an in-memory CSV text (tests, uploads); `name` is used in messages.
  static Result<std::unique_ptr<ListFileReader>> FromString(std::string data, std::string name);

  // Reads the next data row: kRow fills *row, kRejected fills *error, kEnd at the end.
  Outcome Next(ListRow* row, RowError* error);

  uint64_t bytes_read() const { return csv_->bytes_read(); }
  uint64_t total_bytes() const { return csv_->total_bytes(); }
  const std::string& name() const { return csv_->name(); }

 private:
  explicit ListFileReader(std::unique_ptr<CsvReader> csv) : csv_(std::move(csv)) {}
  Status ReadHeader();

  std::unique_ptr<CsvReader> csv_;
  size_t header_size_ = 0;
  int id_col_ = -1;
  int name_col_ = -1;
  int birth_date_col_ = -1;
  int nationality_col_ = -1;
  int id_number_col_ = -1;
  std::vector<std::string> fields_;
};

}  // namespace entente::screen
