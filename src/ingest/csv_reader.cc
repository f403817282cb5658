#include "ingest/csv_reader.h"

#include <vector>

#include "common/csv.h"
#include "common/text.h"
#include "ingest/generic_row.h"
#include "ingest/reader_support.h"

namespace entente::ingest {
namespace {

// Re-quotes fields for the --skip-bad file's copy of a row.
class GenericCsvReader : public RecordReader {
 public:
  GenericCsvReader(std::unique_ptr<CsvReader> csv, ImportDefaults defaults)
      : csv_(std::move(csv)), defaults_(std::move(defaults)) {}

  Status ReadHeader() {
    const std::string& name = csv_->name();
    Status error;
    if (!csv_->Next(&header_, &error)) return InvalidArgument(name + ": the file is empty");
    if (!error.ok())
      return InvalidArgument(error.message() + " (not a generic watchlist CSV header)");
    if (!IsValidUtf8(Join(header_, ",")))
      return InvalidArgument(name + " line 1: the header is not valid UTF-8");
    columns_.assign(header_.size(), GenericColumn::kCount);
    std::vector<bool> seen(static_cast<size_t>(GenericColumn::kCount), false);
    for (size_t i = 0; i < header_.size(); ++i) {
      columns_[i] = GenericColumnForName(header_[i]);
      if (columns_[i] != GenericColumn::kCount) seen[static_cast<size_t>(columns_[i])] = true;
    }
    for (GenericColumn required : {GenericColumn::kId, GenericColumn::kName}) {
      if (!seen[static_cast<size_t>(required)]) {
        std::string first = header_.empty() ? "" : header_[0];
        if (first.size() > 40) first = first.substr(0, 40) + "...";
        return InvalidArgument(name + " line 1: not a generic watchlist CSV: the header has no \"" +
                               std::string(GenericColumnName(required)) +
                               "\" column (it starts with \"" + first +
                               "\"; expected id,name,aliases,birth_date,nationality,id_number,"
                               "category)");
      }
    }
    // A column named twice would make one of the two values vanish.
    for (size_t i = 0; i < header_.size(); ++i) {
      std::string label = columns_[i] == GenericColumn::kCount
                              ? std::string(Trim(header_[i]))
                              : std::string(GenericColumnName(columns_[i]));
      if (columns_[i] == GenericColumn::kCount) header_[i] = label;
      for (size_t j = 0; j < i; ++j) {
        bool same = columns_[i] == GenericColumn::kCount
                        ? columns_[j] == GenericColumn::kCount && header_[j] == label
                        : columns_[j] == columns_[i];
        if (same && !label.empty())
          return InvalidArgument(name + " line 1: column \"" + label + "\" appears twice");
      }
    }
    return Status::Ok();
  }

  Result<bool> Next(ReadItem* item) override {
    item->Clear();
    Status error;
    if (!csv_->Next(&fields_, &error)) return false;
    item->file = csv_->name();
    item->line = csv_->line();
    if (!error.ok()) {
      item->error = error;
      item->raw = CsvLine(fields_);
      return true;
    }
    if (fields_.size() != header_.size()) {
      item->error = RowError(item->file, item->line, "",
                             std::to_string(fields_.size()) + " fields where the header has " +
                                 std::to_string(header_.size()));
      item->raw = CsvLine(fields_);
      return true;
    }
    GenericRow row;
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (columns_[i] == GenericColumn::kCount) {
        if (!fields_[i].empty()) row.extra.emplace_back(header_[i], fields_[i]);
      } else {
        row.Set(columns_[i], fields_[i]);
      }
    }
    Result<Entity> entity = EntityFromGenericRow(row, defaults_, item->file, item->line);
    if (!entity.ok()) {
      item->error = entity.status();
      item->raw = CsvLine(fields_);
      return true;
    }
    item->records.emplace_back(std::move(entity).value());
    return true;
  }

  uint64_t progress_done() const override { return csv_->bytes_read(); }
  uint64_t progress_total() const override { return csv_->total_bytes(); }

 private:
  std::unique_ptr<CsvReader> csv_;
  ImportDefaults defaults_;
  std::vector<std::string> header_;
  std::vector<GenericColumn> columns_;
  std::vector<std::string> fields_;
};

}  // namespace

Result<std::unique_ptr<RecordReader>> GenericCsvReaderFromString(std::string data,
                                                                 const std::string& name,
                                                                 const ImportDefaults& defaults) {
  if (Trim(data).empty()) return InvalidArgument(name + ": the file is empty");
  auto reader =
      std::make_unique<GenericCsvReader>(CsvReader::FromString(std::move(data), name), defaults);
  ENTENTE_RETURN_IF_ERROR(reader->ReadHeader());
  return std::unique_ptr<RecordReader>(std::move(reader));
}

Result<std::unique_ptr<RecordReader>> OpenGenericCsvReader(const std::string& path,
                                                           const ImportDefaults& defaults) {
  ENTENTE_ASSIGN_OR_RETURN(std::string data, ReadInputFile(path));
  return GenericCsvReaderFromString(std::move(data), path, defaults);
}

}  // namespace entente::ingest
