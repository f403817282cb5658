#include "ingest/jsonl_reader.h"

#include <array>
#include <nlohmann/json.hpp>

#include "common/ids.h"
#include "common/text.h"
#include "ingest/generic_row.h"
#include "ingest/reader_support.h"
#include "model/codec.h"

namespace entente::ingest {

bool LineCursor::Next(std::string_view* line, int64_t* line_number) {
  const std::string& data = *data_;
  while (pos_ < data.size()) {
    size_t end = data.find('\n', pos_);
    if (end == std::string::npos) end = data.size();
    std::string_view text(data.data() + pos_, end - pos_);
    pos_ = end + 1;
    ++line_;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (Trim(text).empty()) continue;
    *line = text;
    *line_number = line_;
    return true;
  }
  pos_ = data.size();
  return false;
}

namespace {

using Json = nlohmann::json;

bool IsModelShape(const Json& object) {
  return object.contains("names") || object.contains("provenance") ||
         object.contains("relationship_type");
}

// A generic column's value as text: a string, a number, or an array of strings joined by '|'.
Status ValueText(const Json& value, std::string_view file, int64_t line, std::string_view key,
                 std::string* out) {
  out->clear();
  if (value.is_null()) return Status::Ok();
  if (value.is_string()) {
    *out = value.get<std::string>();
    return Status::Ok();
  }
  if (value.is_number_integer() || value.is_number_unsigned()) {
    *out = value.dump();
    return Status::Ok();
  }
  if (value.is_boolean()) {
    *out = value.get<bool>() ? "true" : "false";
    return Status::Ok();
  }
  if (value.is_array()) {
    for (const Json& element : value) {
      if (!element.is_string())
        return RowError(file, line, key, "expected a string or an array of strings");
      if (!out->empty()) out->push_back('|');
      *out += element.get<std::string>();
    }
    return Status::Ok();
  }
  return RowError(file, line, key, "expected a string or an array of strings");
}

class JsonlReader : public RecordReader {
 public:
  JsonlReader(std::string data, std::string name, ImportDefaults defaults)
      : data_(std::move(data)),
        name_(std::move(name)),
        defaults_(std::move(defaults)),
        cursor_(&data_) {}

  // The first non-blank line must at least look like a JSON object.
  Status CheckFormat() const {
    LineCursor probe(&data_);
    std::string_view line;
    int64_t number = 0;
    if (!probe.Next(&line, &number)) return InvalidArgument(name_ + ": the file is empty");
    std::string_view trimmed = Trim(line);
    if (trimmed.rfind("\xef\xbb\xbf", 0) == 0) trimmed.remove_prefix(3);
    if (trimmed.empty() || trimmed.front() != '{')
      return InvalidArgument(
          name_ + " line " + std::to_string(number) +
          ": not a JSON lines file (expected one JSON object per line, found \"" +
          std::string(trimmed.substr(0, 30)) + "\")");
    return Status::Ok();
  }

  Result<bool> Next(ReadItem* item) override {
    item->Clear();
    std::string_view line;
    int64_t number = 0;
    if (!cursor_.Next(&line, &number)) return false;
    item->file = name_;
    item->line = number;
    if (number == 1 && line.rfind("\xef\xbb\xbf", 0) == 0) line.remove_prefix(3);
    Status status = Parse(line, number, item);
    if (!status.ok()) {
      item->records.clear();
      item->error = status;
      item->raw = std::string(line);
    }
    return true;
  }

  uint64_t progress_done() const override { return cursor_.offset(); }
  uint64_t progress_total() const override { return data_.size(); }

 private:
  Status Parse(std::string_view line, int64_t number, ReadItem* item) {
    ENTENTE_RETURN_IF_ERROR(CheckUtf8(name_, number, "", line));
    Json object;
    try {
      object = Json::parse(line);
    } catch (const Json::exception& e) {
      return RowError(name_, number, "", std::string("malformed JSON: ") + e.what());
    }
    if (!object.is_object()) return RowError(name_, number, "", "expected a JSON object");
    if (IsModelShape(object)) return ParseModel(line, number, item);
    return ParseGeneric(object, number, item);
  }

  Status ParseModel(std::string_view line, int64_t number, ReadItem* item) {
    Result<Record> parsed = RecordFromJson(line);
    if (!parsed.ok()) return RowError(name_, number, "", parsed.status().message());
    Record record = std::move(parsed).value();
    RecordMeta& meta = MetaOf(record);
    if (meta.provenance.service.empty()) meta.provenance.service = defaults_.service;
    if (meta.provenance.source.empty()) meta.provenance.source = defaults_.source;
    if (meta.id.empty()) {
      if (meta.provenance.source_record_id.empty())
        return RowError(name_, number, "id", "empty, and no provenance.source_record_id");
      std::string_view type = "relationship";
      if (auto* entity = std::get_if<Entity>(&record)) type = IdPrefixFor(entity->type);
      meta.id = RecordIdFor(defaults_, type, meta.provenance.service, meta.provenance.source,
                            meta.provenance.source_record_id);
    }
    // The store assigns these.
    meta.version = 0;
    meta.change_seq = 0;
    item->records.push_back(std::move(record));
    return Status::Ok();
  }

  Status ParseGeneric(const Json& object, int64_t number, ReadItem* item) {
    std::array<std::string, static_cast<size_t>(GenericColumn::kCount)> known;
    std::vector<std::pair<std::string, std::string>> extra;
    for (const auto& [key, value] : object.items()) {
      GenericColumn column = GenericColumnForName(key);
      std::string text;
      ENTENTE_RETURN_IF_ERROR(ValueText(value, name_, number, key, &text));
      if (column == GenericColumn::kCount) {
        if (!text.empty()) extra.emplace_back(key, std::move(text));
      } else {
        known[static_cast<size_t>(column)] = std::move(text);
      }
    }
    GenericRow row;
    for (size_t i = 0; i < known.size(); ++i) row.values[i] = known[i];
    for (const auto& [key, value] : extra) row.extra.emplace_back(key, value);
    ENTENTE_ASSIGN_OR_RETURN(Entity entity, EntityFromGenericRow(row, defaults_, name_, number));
    item->records.emplace_back(std::move(entity));
    return Status::Ok();
  }

  std::string data_;
  std::string name_;
  ImportDefaults defaults_;
  LineCursor cursor_;
};

}  // namespace

Result<std::unique_ptr<RecordReader>> JsonlReaderFromString(std::string data,
                                                            const std::string& name,
                                                            const ImportDefaults& defaults) {
  if (Trim(data).empty()) return InvalidArgument(name + ": the file is empty");
  auto reader = std::make_unique<JsonlReader>(std::move(data), name, defaults);
  ENTENTE_RETURN_IF_ERROR(reader->CheckFormat());
  return std::unique_ptr<RecordReader>(std::move(reader));
}

Result<std::unique_ptr<RecordReader>> OpenJsonlReader(const std::string& path,
                                                      const ImportDefaults& defaults) {
  ENTENTE_ASSIGN_OR_RETURN(std::string data, ReadInputFile(path));
  return JsonlReaderFromString(std::move(data), path, defaults);
}

}  // namespace entente::ingest
