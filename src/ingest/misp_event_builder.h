// Builds one MISP core-format event ({"Event": {...}}) from entente records: the mapping the
// feed writer documents (ingest/misp_feed_writer.h), minus the files.
// Thread-safety: one builder per thread.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/entity.h"

namespace entente::ingest::misp {

// The MISP uuid of a record: its misp_uuid attribute (or misp_event_uuid for an event) when
// it came from MISP, else the uuid part of its entente id.
std::string MispUuid(const Entity& entity);

class EventBuilder {
 public:
  // `event` is the event record, or null for a synthetic event of the records of `source`.
  EventBuilder(const Entity* event, const std::string& source);

  void AddMember(const Entity& entity);
  // A relationship between two members (other relationships are ignored).
  void AddReference(const Relationship& relationship, const std::string& from_uuid,
                    const std::string& to_uuid);
  // The {"Event": {...}} document; and the event's uuid and manifest entry.
  nlohmann::json Build() const;
  const std::string& uuid() const { return uuid_; }
  nlohmann::json ManifestEntry() const;

 private:
  nlohmann::json PersonObject(const Entity& person) const;
  nlohmann::json OrganizationObject(const Entity& organization) const;
  nlohmann::json GalaxyCluster(const Entity& actor) const;
  nlohmann::json ObjectAttribute(const std::string& object_uuid, const std::string& relation,
                                 const std::string& type, const std::string& value) const;
  nlohmann::json Tags(const RecordMeta& meta, const std::string& extra) const;
  void RestoreUnmapped(nlohmann::json* event) const;

  const Entity* event_;
  std::string uuid_;
  std::string info_;
  std::string timestamp_;
  nlohmann::json header_;  // everything of the Event but its contents
  std::vector<nlohmann::json> attributes_;
  std::vector<nlohmann::json> objects_;
  std::vector<nlohmann::json> clusters_;
};

}  // namespace entente::ingest::misp
