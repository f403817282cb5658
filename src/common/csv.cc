#include "common/csv.h"

#include <fstream>
#include <sstream>

#include "common/text.h"

namespace entente {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IOError(path + ": cannot open file for reading");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return IOError(path + ": read failed");
  return buffer.str();
}

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path, char delimiter) {
  ENTENTE_ASSIGN_OR_RETURN(std::string data, ReadFile(path));
  return std::unique_ptr<CsvReader>(new CsvReader(std::move(data), path, delimiter));
}

std::unique_ptr<CsvReader> CsvReader::FromString(std::string data, std::string name,
                                                 char delimiter) {
  return std::unique_ptr<CsvReader>(new CsvReader(std::move(data), std::move(name), delimiter));
}

bool CsvReader::Next(std::vector<std::string>* fields, Status* error) {
  fields->clear();
  *error = Status::Ok();
  // Skip blank lines between records.
  while (pos_ < data_.size() && (data_[pos_] == '\n' || data_[pos_] == '\r')) {
    if (data_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= data_.size()) return false;
  record_line_ = line_;
  std::string field;
  bool in_quotes = false;
  bool was_quoted = false;
  while (pos_ < data_.size()) {
    char c = data_[pos_];
    if (in_quotes) {
      if (c == '"') {
        if (pos_ + 1 < data_.size() && data_[pos_ + 1] == '"') {
          field.push_back('"');
          pos_ += 2;
          continue;
        }
        in_quotes = false;
        ++pos_;
        // After a closing quote only a delimiter, spaces or end of record may follow.
        while (pos_ < data_.size() && data_[pos_] == ' ') ++pos_;
        if (pos_ < data_.size() && data_[pos_] != delimiter_ && data_[pos_] != '\n' &&
            data_[pos_] != '\r') {
          *error = InvalidArgument(name_ + " line " + std::to_string(line_) +
                                   ": unexpected text after a closing quote in field " +
                                   std::to_string(fields->size() + 1));
          while (pos_ < data_.size() && data_[pos_] != '\n') ++pos_;
          return true;
        }
        continue;
      }
      if (c == '\n') ++line_;
      field.push_back(c);
      ++pos_;
      continue;
    }
    if (c == '"' && !was_quoted && Trim(field).empty()) {
      field.clear();
      in_quotes = true;
      was_quoted = true;
      ++pos_;
      continue;
    }
    if (c == delimiter_) {
      fields->push_back(std::move(field));
      field.clear();
      was_quoted = false;
      ++pos_;
      continue;
    }
    if (c == '\r' || c == '\n') {
      if (c == '\r' && pos_ + 1 < data_.size() && data_[pos_ + 1] == '\n') ++pos_;
      ++pos_;
      ++line_;
      fields->push_back(std::move(field));
      return true;
    }
    field.push_back(c);
    ++pos_;
  }
  if (in_quotes) {
    *error = InvalidArgument(name_ + " line " + std::to_string(record_line_) +
                             ": a quoted field is never closed");
    return true;
  }
  fields->push_back(std::move(field));
  return true;
}

std::string CsvField(std::string_view text, bool always_quote) {
  if (!always_quote && text.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(text);
  }
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t field_idx = 0; field_idx < fields.size(); ++field_idx) {
    if (field_idx > 0) out.push_back(',');
    out += CsvField(fields[field_idx]);
  }
  return out;
}

}  // namespace entente
