#include "ingest/misp_feed_writer.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <unordered_map>

#include "ingest/misp_event_builder.h"

namespace entente::ingest {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

std::string Md5Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_md5(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

// hashes.csv lines for every attribute value of an event (object attributes included).
void AppendHashes(const Json& event, const std::string& uuid, std::string* out) {
  auto add = [&](const Json& attributes) {
    if (!attributes.is_array()) return;
    for (const Json& a : attributes)
      if (a.is_object() && a.contains("value") && a["value"].is_string())
        *out += Md5Hex(a["value"].get<std::string>()) + "," + uuid + "\n";
  };
  add(event.value("Attribute", Json::array()));
  for (const Json& object : event.value("Object", Json::array()))
    if (object.is_object()) add(object.value("Attribute", Json::array()));
}

Status WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return IOError(path.string() + ": write failed");
  return Status::Ok();
}

class MispFeedWriter : public RecordWriter {
 public:
  explicit MispFeedWriter(std::string path) : path_(std::move(path)) {}

  Status Write(const Record& record, bool* written) override {
    if (const Entity* e = std::get_if<Entity>(&record)) {
      index_[e->meta.id] = entities_.size();
      entities_.push_back(*e);
    } else {
      relationships_.push_back(std::get<Relationship>(record));
    }
    *written = true;
    return Status::Ok();
  }

  Status Close() override {
    std::vector<misp::EventBuilder> events = Group();
    return WriteFolder(events);
  }

 private:
  // Which events each entity goes into: every event record it is linked to, else one event
  // for its source.
  std::vector<misp::EventBuilder> Group() {
    std::vector<misp::EventBuilder> events;
    std::unordered_map<std::string, size_t> event_index;  // event record id -> index
    for (const Entity& e : entities_) {
      if (e.type != EntityType::kEvent) continue;
      event_index[e.meta.id] = events.size();
      events.emplace_back(&e, e.meta.provenance.source);
    }
    std::unordered_map<std::string, std::vector<size_t>> events_of;  // member id -> events
    for (const Relationship& r : relationships_) {
      for (const auto& [member, event] :
           {std::pair{r.source_id, r.target_id}, std::pair{r.target_id, r.source_id}}) {
        auto target = event_index.find(event);
        if (target == event_index.end() || !index_.count(member) || event_index.count(member))
          continue;
        std::vector<size_t>& list = events_of[member];
        if (std::find(list.begin(), list.end(), target->second) == list.end())
          list.push_back(target->second);
      }
    }
    std::map<std::string, size_t> by_source;
    for (const Entity& e : entities_) {
      if (e.type == EntityType::kEvent) continue;
      std::vector<size_t>& list = events_of[e.meta.id];
      if (list.empty()) {
        auto [source, inserted] = by_source.try_emplace(e.meta.provenance.source, events.size());
        if (inserted) events.emplace_back(nullptr, e.meta.provenance.source);
        list.push_back(source->second);
      }
      for (size_t at : list) events[at].AddMember(e);
    }
    for (const Relationship& r : relationships_) {
      auto a = index_.find(r.source_id), b = index_.find(r.target_id);
      if (a == index_.end() || b == index_.end()) continue;
      const Entity& from = entities_[a->second];
      const Entity& to = entities_[b->second];
      if (from.type == EntityType::kEvent || to.type == EntityType::kEvent) continue;
      for (size_t at : events_of[r.source_id])
        events[at].AddReference(r, misp::MispUuid(from), misp::MispUuid(to));
    }
    return events;
  }

  Status WriteFolder(const std::vector<misp::EventBuilder>& events) {
    fs::path target(path_);
    fs::path temp = target;
    temp += ".writing-" + std::to_string(getpid());
    std::error_code ec;
    fs::remove_all(temp, ec);
    if (!fs::create_directories(temp, ec) || ec)
      return IOError(temp.string() + ": cannot create the feed folder: " + ec.message());
    Json manifest = Json::object();
    std::string hashes;
    for (const misp::EventBuilder& builder : events) {
      Json document = builder.Build();
      manifest[builder.uuid()] = builder.ManifestEntry();
      AppendHashes(document["Event"], builder.uuid(), &hashes);
      ENTENTE_RETURN_IF_ERROR(WriteText(temp / (builder.uuid() + ".json"), document.dump(2)));
    }
    ENTENTE_RETURN_IF_ERROR(WriteText(temp / "manifest.json", manifest.dump(2)));
    ENTENTE_RETURN_IF_ERROR(WriteText(temp / "hashes.csv", hashes));
    fs::path old = target;
    old += ".old-" + std::to_string(getpid());
    bool had_old = fs::exists(target, ec);
    if (had_old) {
      fs::rename(target, old, ec);
      if (ec) return IOError(path_ + ": cannot replace the existing folder: " + ec.message());
    }
    fs::rename(temp, target, ec);
    if (ec) return IOError(path_ + ": cannot move the feed into place: " + ec.message());
    if (had_old) fs::remove_all(old, ec);
    return Status::Ok();
  }

  std::string path_;
  std::vector<Entity> entities_;
  std::vector<Relationship> relationships_;
  std::unordered_map<std::string, size_t> index_;
};

}  // namespace

Result<std::unique_ptr<RecordWriter>> OpenMispFeedWriter(const std::string& path) {
  if (path.empty()) return InvalidArgument("misp-feed: no output folder given");
  std::error_code ec;
  fs::path parent = fs::absolute(path, ec).parent_path();
  if (!fs::is_directory(parent, ec))
    return IOError(path + ": the folder it goes in (" + parent.string() + ") does not exist");
  return std::unique_ptr<RecordWriter>(std::make_unique<MispFeedWriter>(path));
}

}  // namespace entente::ingest
