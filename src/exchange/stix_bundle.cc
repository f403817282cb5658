#include "exchange/stix_bundle.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/ids.h"
#include "exchange/stix_validate.h"

namespace entente::exchange {
namespace {

using nlohmann::json;

// The string at `key` of object `o`; "" when absent or not a string (json::value would throw).
std::string Text(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// First pass over a bundle: the model id of every mappable object and the releasability of
// every statement marking.
void IndexObjects(const std::vector<json>& objects, std::map<std::string, std::string>* ids,
                  std::map<std::string, std::vector<std::string>>* releasability) {
  for (const json& o : objects) {
    if (!o.is_object() || !o.contains("id") || !o["id"].is_string()) continue;
    if (Text(o, "type") == "marking-definition" && Text(o, "definition_type") == "statement" &&
        o.contains("definition") && o["definition"].is_object() &&
        o["definition"].value("statement", json()).is_string()) {
      if (auto rel = ParseReleasabilityStatement(o["definition"]["statement"].get<std::string>()))
        (*releasability)[o["id"]] = *rel;
      continue;
    }
    if (ValidateStixObject(o).ok()) {
      std::string model_id = ModelIdForStix(o);
      if (!model_id.empty()) (*ids)[o["id"]] = model_id;
    }
  }
}

void Wire(StixImportContext* context, std::shared_ptr<std::map<std::string, std::string>> ids,
          std::shared_ptr<std::map<std::string, std::vector<std::string>>> rel) {
  auto outer = context->resolve;
  context->resolve = [ids, outer](const std::string& stix_id) -> std::string {
    auto it = ids->find(stix_id);
    if (it != ids->end()) return it->second;
    return outer ? outer(stix_id) : std::string();
  };
  auto outer_rel = context->releasability;
  context->releasability =
      [rel, outer_rel](const std::string& id) -> std::optional<std::vector<std::string>> {
    auto it = rel->find(id);
    if (it != rel->end()) return it->second;
    return outer_rel ? outer_rel(id) : std::nullopt;
  };
}

bool IsBundle(const json& document) {
  auto type = document.find("type");
  return type != document.end() && type->is_string() && *type == "bundle";
}

Result<std::vector<json>> ObjectsOf(json document, size_t max_objects) {
  // (A "type" that is not a string is not a bundle: the object's own check names the field.)
  if (document.is_object() && !IsBundle(document)) {
    // A single STIX object in a file of its own.
    std::vector<json> one;
    one.push_back(std::move(document));
    return one;
  }
  ENTENTE_RETURN_IF_ERROR([&]() -> Status {
    if (!document.is_object()) return InvalidArgument("not a STIX bundle: expected a JSON object");
    // Envelope only; objects are checked one by one by the caller.
    json envelope = document;
    envelope.erase("objects");
    ENTENTE_RETURN_IF_ERROR(ValidateStixBundle(envelope));
    auto objects = document.find("objects");
    if (objects != document.end() && !objects->is_array())
      return InvalidArgument(
          "rule stix21.bundle.objects-list (STIX 2.1 \xc2\xa7"
          "8): objects must be a list");
    if (objects != document.end() && objects->size() > max_objects)
      return ResourceExhausted("bundle holds " + std::to_string(objects->size()) +
                               " objects; the limit is " + std::to_string(max_objects));
    return Status::Ok();
  }());
  std::vector<json> out;
  if (document.contains("objects")) {
    out.reserve(document["objects"].size());
    for (json& o : document["objects"]) out.push_back(std::move(o));
  }
  return out;
}

bool IsSupportingObject(const json& o) {
  std::string id = Text(o, "id");
  return id == kEntenteIdentityId || id == kEntenteExtensionId;
}

// What an import says of the objects it did not store as records (ReadItem::not_stored_note).
constexpr char kNotStoredNote[] =
    "entente stores identities, threat actors and locations as persons, organizations and "
    "locations, and the relationships between them of the types it models; the other objects "
    "were checked and are not kept";

// The kind an object not stored is counted under: its STIX type, with the reason for a
// relationship or sighting (`why` is StixToRecord's).
std::string NotStoredKind(const json& o, const std::string& why) {
  std::string type = Text(o, "type");
  if (IsSupportingObject(o)) return type + " (entente's own, rebuilt on export)";
  if (type != "relationship" && type != "sighting") return type;
  if (type == "relationship" && why.find("relationship_type") != std::string::npos)
    return "relationship (" + Text(o, "relationship_type") + ")";
  if (why.find("where_sighted_refs") != std::string::npos)
    return "sighting (no where_sighted_refs)";
  return type + " (an end not kept)";
}

}  // namespace

StixImportContext ContextFromDefaults(const ingest::ImportDefaults& d) {
  StixImportContext c;
  c.service = d.service;
  c.source = d.source.empty() ? "stix" : d.source;
  if (d.grades) c.grades = *d.grades;
  c.category = d.category;
  if (d.tlp) c.tlp = *d.tlp;
  c.releasable_to = d.releasable_to;
  return c;
}

Result<std::vector<Record>> ParseStixBundle(std::string_view text, const StixImportContext& ctx,
                                            bool strict, StixReadStats* stats) {
  StixReadStats local;
  if (!stats) stats = &local;
  if (text.size() > kMaxBundleBytes)
    return ResourceExhausted("bundle of " + std::to_string(text.size()) + " bytes; the limit is " +
                             std::to_string(kMaxBundleBytes));
  json document = json::parse(text, nullptr, false);
  if (document.is_discarded()) return InvalidArgument("not a STIX bundle: malformed JSON");
  ENTENTE_ASSIGN_OR_RETURN(std::vector<json> objects,
                           ObjectsOf(std::move(document), kMaxBundleObjects));
  auto ids = std::make_shared<std::map<std::string, std::string>>();
  auto rel = std::make_shared<std::map<std::string, std::vector<std::string>>>();
  IndexObjects(objects, ids.get(), rel.get());
  StixImportContext context = ctx;
  Wire(&context, ids, rel);
  std::vector<Record> records;
  for (size_t i = 0; i < objects.size(); ++i) {
    const json& o = objects[i];
    ++stats->objects;
    std::string label = "object " + std::to_string(i + 1) + " (" +
                        (o.is_object() && o.contains("id") ? o["id"].dump() : std::string("?")) +
                        ")";
    Status valid = ValidateStixObject(o);
    if (!valid.ok()) {
      ++stats->rejected;
      if (strict) return valid.WithContext(label);
      continue;
    }
    if (IsSupportingObject(o)) {
      ++stats->skipped;
      continue;
    }
    std::string why;
    auto mapped = StixToRecord(o, context, &why);
    if (!mapped.ok()) {
      ++stats->rejected;
      if (strict) return mapped.status().WithContext(label);
      continue;
    }
    if (!*mapped) {
      ++stats->skipped;
      if (stats->skipped_reasons.size() < 20)
        stats->skipped_reasons.push_back(o["id"].get<std::string>() + ": " + why);
      continue;
    }
    ++stats->mapped;
    records.push_back(std::move(**mapped));
  }
  return records;
}

Result<std::unique_ptr<StixBundleReader>> StixBundleReader::Open(
    const std::string& path, const ingest::ImportDefaults& defaults) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return NotFound(path + ": no such file");
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return IOError(path + ": " + ec.message());
  if (size > kMaxBundleBytes)
    return ResourceExhausted(path + ": " + std::to_string(size) + " bytes; the bundle limit is " +
                             std::to_string(kMaxBundleBytes));
  if (size == 0) return InvalidArgument(path + ": empty file, expected a STIX 2.1 bundle");
  std::ifstream in(path, std::ios::binary);
  if (!in) return IOError(path + ": cannot open");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  json document = json::parse(buffer.str(), nullptr, false);
  if (document.is_discarded())
    return InvalidArgument(path + ": not a STIX 2.1 bundle (malformed JSON)");
  auto objects = ObjectsOf(std::move(document), kMaxBundleObjects);
  if (!objects.ok()) return objects.status().WithContext(path);
  std::unique_ptr<StixBundleReader> reader(new StixBundleReader());
  reader->path_ = path;
  reader->objects_ = std::move(*objects);
  reader->context_ = ContextFromDefaults(defaults);
  reader->ids_ = std::make_shared<std::map<std::string, std::string>>();
  reader->releasability_ = std::make_shared<std::map<std::string, std::vector<std::string>>>();
  IndexObjects(reader->objects_, reader->ids_.get(), reader->releasability_.get());
  Wire(&reader->context_, reader->ids_, reader->releasability_);
  return reader;
}

Result<bool> StixBundleReader::Next(ingest::ReadItem* item) {
  item->Clear();
  if (next_ >= objects_.size()) return false;
  const json& o = objects_[next_++];
  ++stats_.objects;
  item->file = path_;
  item->line = static_cast<int64_t>(next_);  // the object's position in the bundle
  item->raw = o.dump();
  std::string label = "object " + std::to_string(next_) + " (" +
                      (o.is_object() && o.contains("id") ? o["id"].dump() : std::string("?")) + ")";
  Status valid = ValidateStixObject(o);
  if (!valid.ok()) {
    ++stats_.rejected;
    item->error = valid.WithContext(path_ + ": " + label);
    return true;
  }
  if (IsSupportingObject(o)) {
    ++stats_.skipped;
    item->not_stored = NotStoredKind(o, "");
    item->not_stored_note = kNotStoredNote;
    return true;
  }
  std::string why;
  auto mapped = StixToRecord(o, context_, &why);
  if (!mapped.ok()) {
    ++stats_.rejected;
    item->error = mapped.status().WithContext(path_ + ": " + label);
    return true;
  }
  if (!*mapped) {
    ++stats_.skipped;
    if (stats_.skipped_reasons.size() < 20)
      stats_.skipped_reasons.push_back(o["id"].get<std::string>() + ": " + why);
    item->not_stored = NotStoredKind(o, why);
    item->not_stored_note = kNotStoredNote;
    return true;
  }
  ++stats_.mapped;
  item->records.push_back(std::move(**mapped));
  return true;
}

void AddSupportingObjects(std::vector<json>* objects) {
  std::set<std::string> referenced;
  bool extension_used = false;
  for (const json& o : *objects) {
    if (auto refs = o.find("object_marking_refs"); refs != o.end())
      for (const json& r : *refs) referenced.insert(r.get<std::string>());
    if (EntenteExtension(o)) extension_used = true;
  }
  std::vector<json> extra;
  if (extension_used) {
    extra.push_back(EntenteIdentity());
    extra.push_back(EntenteExtensionDefinition());
  }
  for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed})
    if (referenced.count(std::string(TlpMarkingId(tlp))))
      extra.push_back(TlpMarkingDefinition(tlp));
  // Releasability statements: rebuilt from the payloads that reference them.
  std::set<std::string> added;
  for (const json& o : *objects) {
    const json* ext = EntenteExtension(o);
    if (!ext || !ext->contains("marking")) continue;
    const json& rel = (*ext)["marking"].value("releasable_to", json::array());
    if (!rel.is_array() || rel.empty()) continue;
    json marking = ReleasabilityMarking(rel.get<std::vector<std::string>>());
    if (added.insert(marking["id"]).second) extra.push_back(marking);
  }
  objects->insert(objects->begin(), extra.begin(), extra.end());
}

json BuildStixBundle(const std::vector<Record>& records, const ExportRefResolver& resolve) {
  std::map<std::string, std::string> ids;
  for (const Record& r : records)
    if (std::holds_alternative<Entity>(r)) ids[MetaOf(r).id] = StixIdFor(r);
  ExportRefResolver resolver = [&](const std::string& model_id) {
    auto it = ids.find(model_id);
    return it != ids.end() ? it->second : resolve(model_id);
  };
  std::vector<json> objects;
  objects.reserve(records.size() + 8);
  for (const Record& r : records) objects.push_back(RecordToStix(r, resolver));
  AddSupportingObjects(&objects);
  json bundle = {{"type", "bundle"}, {"id", RandomId("bundle")}};
  bundle["objects"] = std::move(objects);
  return bundle;
}

Result<std::unique_ptr<StixBundleWriter>> StixBundleWriter::Open(const std::string& path) {
  std::ofstream probe(path, std::ios::binary | std::ios::trunc);
  if (!probe) return IOError(path + ": cannot create");
  std::unique_ptr<StixBundleWriter> writer(new StixBundleWriter());
  writer->path_ = path;
  return writer;
}

Status StixBundleWriter::Write(const Record& record, bool* written) {
  if (closed_) return Internal("STIX writer already closed");
  records_.push_back(record);
  if (written) *written = true;
  return Status::Ok();
}

Status StixBundleWriter::Close() {
  if (closed_) return Status::Ok();
  closed_ = true;
  json bundle = BuildStixBundle(records_);
  std::ofstream out(path_, std::ios::binary | std::ios::trunc);
  if (!out) return IOError(path_ + ": cannot write");
  // One object per line: readable, diffable, still one JSON document.
  out << "{\"type\":\"bundle\",\"id\":" << bundle["id"].dump() << ",\"objects\":[";
  const json& objects = bundle["objects"];
  for (size_t i = 0; i < objects.size(); ++i) out << (i ? ",\n" : "\n") << objects[i].dump();
  out << "\n]}\n";
  out.close();
  if (!out) return IOError(path_ + ": write failed");
  return Status::Ok();
}

}  // namespace entente::exchange
