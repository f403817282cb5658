#include "ingest/misp_reader.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/text.h"
#include "ingest/list_support.h"
#include "ingest/misp_event_mapper.h"
#include "ingest/reader_support.h"

namespace entente::ingest {
namespace {

using Json = nlohmann::json;

Result<Json> ParseJson(const std::string& data, const std::string& name) {
  ENTENTE_RETURN_IF_ERROR(CheckUtf8(name, 0, "", data));
  try {
    return Json::parse(data);
  } catch (const Json::parse_error& e) {
    return InvalidArgument(name + " line " +
                           std::to_string(LineIndex(data).LineOf(static_cast<ptrdiff_t>(e.byte))) +
                           ": malformed JSON: " + e.what());
  }
}

// The events of a parsed file, each with its path in the file ("Event", "[2].Event",
// "response[0].Event").
struct Located {
  const Json* event;
  std::string where;
};

std::vector<Located> EventsOf(const Json& document) {
  std::vector<Located> out;
  auto add_wrapped = [&](const Json& wrapper, const std::string& prefix) {
    if (wrapper.is_object() && wrapper.contains("Event"))
      out.push_back({&wrapper["Event"], prefix + "Event"});
  };
  if (document.is_object() && document.contains("Event")) {
    add_wrapped(document, "");
  } else if (document.is_object() && document.contains("response") &&
             document["response"].is_array()) {
    for (size_t i = 0; i < document["response"].size(); ++i)
      add_wrapped(document["response"][i], "response[" + std::to_string(i) + "].");
  } else if (document.is_array()) {
    for (size_t i = 0; i < document.size(); ++i)
      add_wrapped(document[i], "[" + std::to_string(i) + "].");
  }
  return out;
}

class MispLoader {
 public:
  explicit MispLoader(const ImportDefaults& defaults) : mapper_(defaults) {}

  Status AddFile(const std::string& data, const std::string& name) {
    ENTENTE_ASSIGN_OR_RETURN(Json document, ParseJson(data, name));
    std::vector<Located> events = EventsOf(document);
    if (events.empty())
      return InvalidArgument(name +
                             ": not a MISP event file (expected {\"Event\": {...}}, an array of "
                             "them, or {\"response\": [...]})");
    for (const Located& located : events) {
      ReadItem item;
      item.file = name;
      item.raw = located.event->dump();
      Status mapped = mapper_.Map(*located.event, name, located.where, &item);
      if (!mapped.ok()) {
        item.records.clear();
        item.kept_unmapped = 0;
        item.error = mapped;
      }
      items_.push_back(std::move(item));
    }
    return Status::Ok();
  }

  Status AddFeed(const std::string& folder) {
    std::string manifest_path = folder + "/manifest.json";
    if (!std::filesystem::exists(manifest_path))
      return InvalidArgument(folder + ": not a MISP feed folder: no manifest.json");
    ENTENTE_ASSIGN_OR_RETURN(std::string data, ReadInputFile(manifest_path));
    ENTENTE_ASSIGN_OR_RETURN(Json manifest, ParseJson(data, manifest_path));
    if (!manifest.is_object())
      return InvalidArgument(manifest_path + ": expected an object of event uuid -> summary");
    for (const auto& [uuid, summary] : manifest.items()) {
      std::string event_path = folder + "/" + uuid + ".json";
      if (uuid.find('/') != std::string::npos || uuid.find("..") != std::string::npos)
        return InvalidArgument(manifest_path + ", event \"" + uuid + "\": not an event uuid");
      if (!std::filesystem::exists(event_path))
        return InvalidArgument(manifest_path + ", event " + uuid + ": the event file " +
                               event_path + " is missing");
      ENTENTE_ASSIGN_OR_RETURN(std::string event_data, ReadInputFile(event_path));
      ENTENTE_RETURN_IF_ERROR(AddFile(event_data, event_path));
    }
    return Status::Ok();
  }

  std::vector<ReadItem> Take() { return std::move(items_); }

 private:
  misp::EventMapper mapper_;
  std::vector<ReadItem> items_;
};

}  // namespace

Result<std::unique_ptr<RecordReader>> MispReaderFromString(std::string data,
                                                           const std::string& name,
                                                           const ImportDefaults& defaults) {
  data = StripBom(std::move(data));
  if (Trim(data).empty()) return InvalidArgument(name + ": the file is empty");
  MispLoader loader(defaults);
  ENTENTE_RETURN_IF_ERROR(loader.AddFile(data, name));
  return std::unique_ptr<RecordReader>(std::make_unique<PreparedReader>(loader.Take()));
}

Result<std::unique_ptr<RecordReader>> OpenMispReader(const std::string& path,
                                                     const ImportDefaults& defaults) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    MispLoader loader(defaults);
    ENTENTE_RETURN_IF_ERROR(loader.AddFeed(path));
    return std::unique_ptr<RecordReader>(std::make_unique<PreparedReader>(loader.Take()));
  }
  ENTENTE_ASSIGN_OR_RETURN(std::string data, ReadInputFile(path));
  return MispReaderFromString(std::move(data), path, defaults);
}

}  // namespace entente::ingest
