// A streaming reader of RFC 4180 CSV (quoted fields, doubled quotes, embedded newlines, CRLF or
// LF) that knows the physical line each record starts on, for error messages.
//
// It does not interpret the data: no header logic, no type conversion. Readers in src/ingest and
// src/screen build on it. Not thread-safe; one reader per file.
//
// CsvField and CsvLine are the one way entente writes CSV (RFC 4180).
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace entente {

class CsvReader {
 public:
  // Opens `path`; IOError naming the file when it cannot be read.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path, char delimiter = ',');
  // Reads from an in-memory buffer; `name` is used in error messages.
  static std::unique_ptr<CsvReader> FromString(std::string data, std::string name,
                                               char delimiter = ',');

  // Reads the next record into *fields. Returns false at end of input. On a malformed record
  // (an unterminated quote, text after a closing quote) returns true and sets *error.
  bool Next(std::vector<std::string>* fields, Status* error);
  // Physical line (1-based) on which the last record returned by Next() began.
  int64_t line() const { return record_line_; }
  const std::string& name() const { return name_; }
  // Bytes consumed so far and total size (for progress bars).
  uint64_t bytes_read() const { return pos_; }
  uint64_t total_bytes() const { return data_.size(); }

 private:
  CsvReader(std::string data, std::string name, char delimiter)
      : data_(std::move(data)), name_(std::move(name)), delimiter_(delimiter) {}
  std::string data_;
  std::string name_;
  char delimiter_;
  size_t pos_ = 0;
  int64_t line_ = 1;
  int64_t record_line_ = 0;
};

// One field as RFC 4180 writes it: as is, or in double quotes (inner quotes doubled) when it
// holds a comma, a quote, CR or LF, or when `always_quote` is set.
std::string CsvField(std::string_view text, bool always_quote = false);
// The fields joined with commas, each as CsvField writes it; no line end.
std::string CsvLine(const std::vector<std::string>& fields);

// Reads a whole file into memory; IOError naming the file on failure.
Result<std::string> ReadFile(const std::string& path);

}  // namespace entente
