#include "screen/list_file.h"

#include "common/text.h"
#include "model/country.h"
#include "model/partial_date.h"

namespace entente::screen {
namespace {

constexpr size_t kMaxNameBytes = 1000;

std::string Lower(std::string_view text) { return ToLowerAscii(Trim(text)); }

}  // namespace

std::string RowError::ToString() const {
  std::string out = source_file + " line " + std::to_string(line);
  if (!row_id.empty()) out += " (id " + row_id + ")";
  return out + ": " + kind + ": " + reason;
}

Result<std::unique_ptr<ListFileReader>> ListFileReader::Open(const std::string& path) {
  ENTENTE_ASSIGN_OR_RETURN(auto csv, CsvReader::Open(path));
  std::unique_ptr<ListFileReader> reader(new ListFileReader(std::move(csv)));
  ENTENTE_RETURN_IF_ERROR(reader->ReadHeader());
  return reader;
}

Result<std::unique_ptr<ListFileReader>> ListFileReader::FromString(std::string data,
                                                                   std::string name) {
  std::unique_ptr<ListFileReader> reader(
      new ListFileReader(CsvReader::FromString(std::move(data), std::move(name))));
  ENTENTE_RETURN_IF_ERROR(reader->ReadHeader());
  return reader;
}

Status ListFileReader::ReadHeader() {
  Status error;
  if (!csv_->Next(&fields_, &error)) {
    return InvalidArgument(csv_->name() + ": empty file, expected a header with id,name");
  }
  if (!error.ok()) return error.WithContext(csv_->name() + " header");
  header_size_ = fields_.size();
  for (size_t col = 0; col < fields_.size(); ++col) {
    std::string column = Lower(fields_[col]);
    // A UTF-8 byte order mark before the first column name.
    if (col == 0 && column.rfind("\xEF\xBB\xBF", 0) == 0) column = column.substr(3);
    int* slot = nullptr;
    if (column == "id") slot = &id_col_;
    if (column == "name") slot = &name_col_;
    if (column == "birth_date") slot = &birth_date_col_;
    if (column == "nationality") slot = &nationality_col_;
    if (column == "id_number") slot = &id_number_col_;
    if (slot == nullptr) continue;
    if (*slot >= 0) {
      return InvalidArgument(csv_->name() + " header: column '" + column + "' appears twice");
    }
    *slot = static_cast<int>(col);
  }
  if (id_col_ < 0 || name_col_ < 0) {
    return InvalidArgument(csv_->name() + " header: missing column '" +
                           (id_col_ < 0 ? "id" : "name") +
                           "' (expected id,name[,birth_date,nationality,id_number])");
  }
  return Status::Ok();
}

ListFileReader::Outcome ListFileReader::Next(ListRow* row, RowError* error) {
  Status csv_error;
  while (true) {
    if (!csv_->Next(&fields_, &csv_error)) return Outcome::kEnd;
    // Blank lines are not rows.
    if (csv_error.ok() && fields_.size() == 1 && Trim(fields_[0]).empty()) continue;
    break;
  }
  *error = RowError{csv_->name(), csv_->line(), "", ""};
  if (!csv_error.ok()) {
    error->reason = "malformed CSV: " + csv_error.message();
    return Outcome::kRejected;
  }
  if (static_cast<int>(fields_.size()) > id_col_)
    error->row_id = std::string(Trim(fields_[id_col_]));
  for (size_t col = 0; col < fields_.size(); ++col) {
    size_t bad = 0;
    if (!IsValidUtf8(fields_[col], &bad)) {
      error->row_id = IsValidUtf8(error->row_id) ? error->row_id : "";
      error->reason =
          "invalid UTF-8 in column " + std::to_string(col + 1) + " at byte " + std::to_string(bad);
      return Outcome::kRejected;
    }
  }
  if (fields_.size() < header_size_) {
    error->reason = "expected " + std::to_string(header_size_) + " fields, found " +
                    std::to_string(fields_.size());
    return Outcome::kRejected;
  }
  auto field = [this](int col) -> std::string {
    return col < 0 ? std::string() : std::string(Trim(fields_[col]));
  };
  ListRow out;
  out.row_id = field(id_col_);
  out.source_file = csv_->name();
  out.line = csv_->line();
  out.name = field(name_col_);
  out.id_number = field(id_number_col_);
  if (out.row_id.empty()) {
    error->reason = "empty id";
    return Outcome::kRejected;
  }
  if (out.name.empty()) {
    error->reason = "empty name";
    return Outcome::kRejected;
  }
  if (out.name.size() > kMaxNameBytes) {
    error->reason = "name is " + std::to_string(out.name.size()) + " bytes, more than " +
                    std::to_string(kMaxNameBytes);
    return Outcome::kRejected;
  }
  std::string birth_date = field(birth_date_col_);
  if (!birth_date.empty()) {
    std::string why;
    auto date = PartialDate::Parse(birth_date, &why);
    if (!date) date = PartialDate::ParseLoose(birth_date, nullptr);
    if (date) {
      out.birth_date = date->ToString();
    } else {
      out.warnings.push_back("birth_date '" + birth_date +
                             "' ignored: " + (why.empty() ? "not a date" : why));
    }
  }
  std::string nationality = field(nationality_col_);
  if (!nationality.empty()) {
    out.nationality = NormalizeCountryCode(nationality);
    if (out.nationality.empty()) {
      out.warnings.push_back("nationality '" + nationality +
                             "' ignored: not an ISO 3166 alpha-2 country code");
    }
  }
  *row = std::move(out);
  return Outcome::kRow;
}

}  // namespace entente::screen
