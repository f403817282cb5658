// MISP: import of MISP core-format events and feed folders, export as a MISP feed, and the
// round trip MISP -> entente -> MISP -> entente. The feed is written by hand in the layout of
// the public CIRCL OSINT feed (manifest.json + one <uuid>.json per event), from the MISP core
// format draft: events with tags, attributes, person / organization / file objects, object
// references and a threat-actor galaxy.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "common/ids.h"
#include "ingest/misp_common.h"
#include "ingest_test_util.h"

namespace entente::ingest {
namespace {

using Json = nlohmann::json;
using testing::Options;
using testing::TempDir;
using testing::TestStore;

constexpr const char* kEvent1 = "5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4e01";
constexpr const char* kEvent2 = "5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4e02";
constexpr const char* kPerson = "5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4e11";
constexpr const char* kOrg = "5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4e12";
constexpr const char* kFile = "5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4e13";
constexpr const char* kIp = "5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4e21";
constexpr const char* kPhone = "5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4e22";
constexpr const char* kDomain = "5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4e23";
constexpr const char* kActor = "5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4e31";
constexpr const char* kFullName = "5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4e24";

Json Attribute(const std::string& uuid, const std::string& type, const std::string& category,
               const std::string& value, const std::string& relation = "") {
  Json a = {{"uuid", uuid},
            {"type", type},
            {"category", category},
            {"value", value},
            {"to_ids", type == "ip-dst"},
            {"distribution", "5"},
            {"timestamp", "1700000000"},
            {"comment", ""}};
  if (!relation.empty()) a["object_relation"] = relation;
  return a;
}

Json ThreatActorGalaxy() {
  return {{"uuid", "698774c7-8022-42c4-917f-8d6e4f06ada3"},
          {"name", "Threat Actor"},
          {"type", "threat-actor"},
          {"GalaxyCluster",
           {{{"uuid", kActor},
             {"type", "threat-actor"},
             {"value", "Sofacy"},
             {"tag_name", "misp-galaxy:threat-actor=\"Sofacy\""},
             {"description", "A threat group."},
             {"meta", {{"synonyms", {"APT28", "Fancy Bear"}}}}}}}};
}

Json Event1() {
  Json person = {
      {"uuid", kPerson},
      {"name", "person"},
      {"meta-category", "misc"},
      {"template_uuid", "a15b0477-e9d1-4b9c-9546-abe78a4f4248"},
      {"distribution", "5"},
      {"Attribute",
       {Attribute("5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4f01", "first-name", "Person", "Mohammed",
                  "first-name"),
        Attribute("5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4f02", "last-name", "Person", "EL IDRISSI",
                  "last-name"),
        Attribute("5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4f03", "text", "Other", "Abou Yacine", "alias"),
        Attribute("5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4f04", "date-of-birth", "Person", "1987-03-04",
                  "date-of-birth"),
        Attribute("5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4f05", "nationality", "Person", "Morocco",
                  "nationality"),
        Attribute("5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4f06", "passport-number", "Person", "XK1234567",
                  "passport-number"),
        Attribute("5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4f07", "passport-country", "Person", "MA",
                  "passport-country")}},
      {"ObjectReference",
       {{{"uuid", "5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4f41"},
         {"object_uuid", kPerson},
         {"referenced_uuid", kOrg},
         {"relationship_type", "member-of"}},
        {{"uuid", "5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4f42"},
         {"object_uuid", kPerson},
         {"referenced_uuid", kFile},
         {"relationship_type", "authored"}}}}};
  Json organization = {
      {"uuid", kOrg},
      {"name", "organization"},
      {"meta-category", "misc"},
      {"Attribute",
       {Attribute("5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4f11", "text", "Other", "Atlas Logistics SARL",
                  "name"),
        Attribute("5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4f12", "text", "Other", "Atlas Log", "alias")}}};
  Json file = {{"uuid", kFile},
               {"name", "file"},
               {"meta-category", "file"},
               {"Attribute",
                {Attribute("5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4f21", "filename", "Payload delivery",
                           "invoice.doc", "filename"),
                 Attribute("5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4f22", "md5", "Payload delivery",
                           "d41d8cd98f00b204e9800998ecf8427e", "md5")}}};
  return {{"Event",
           {{"uuid", kEvent1},
            {"info", "OSINT - Phishing campaign using invoice lures"},
            {"date", "2025-10-01"},
            {"threat_level_id", "2"},
            {"analysis", "2"},
            {"published", true},
            {"timestamp", "1700000000"},
            {"distribution", "3"},
            {"Orgc", {{"name", "CIRCL"}, {"uuid", "55f6ea5e-2c60-40e5-964f-47a8950d210f"}}},
            {"Tag",
             {{{"name", "tlp:white"}},
              {{"name", "osint:source-type=\"blog-post\""}},
              {{"name", "misp-galaxy:threat-actor=\"Sofacy\""}}}},
            {"Attribute",
             {Attribute(kIp, "ip-dst", "Network activity", "198.51.100.7"),
              Attribute(kDomain, "domain", "Network activity", "invoice-lure.example"),
              Attribute(kPhone, "phone-number", "Person", "+212600000000")}},
            {"Object", {person, organization, file}},
            {"Galaxy", {ThreatActorGalaxy()}}}}};
}

Json Event2() {
  return {{"Event",
           {{"uuid", kEvent2},
            {"info", "Financing network of a terrorist cell"},
            {"date", "2025-10-05"},
            {"threat_level_id", "1"},
            {"analysis", "1"},
            {"timestamp", "1700000100"},
            {"Orgc", {{"name", "CIRCL"}, {"uuid", "55f6ea5e-2c60-40e5-964f-47a8950d210f"}}},
            {"Tag", {{{"name", "tlp:amber"}}, {{"name", "terrorism"}}}},
            {"Attribute", {Attribute(kFullName, "full-name", "Person", "Karim BEN SALAH")}},
            {"Galaxy", {ThreatActorGalaxy()}}}}};
}

// A feed folder: manifest.json and one file per event.
std::string WriteFeed(const TempDir& dir, const std::string& name) {
  Json manifest = Json::object();
  for (const Json& e : {Event1(), Event2()}) {
    const Json& event = e["Event"];
    manifest[event["uuid"].get<std::string>()] = {
        {"info", event["info"]},          {"date", event["date"]},
        {"Orgc", event["Orgc"]},          {"Tag", event["Tag"]},
        {"analysis", event["analysis"]},  {"threat_level_id", event["threat_level_id"]},
        {"timestamp", event["timestamp"]}};
    dir.Write(name + "/" + event["uuid"].get<std::string>() + ".json", e.dump(2));
  }
  dir.Write(name + "/manifest.json", manifest.dump(2));
  return dir.File(name);
}

Json ReadJson(const std::string& path) {
  std::ifstream in(path);
  return Json::parse(in);
}

const Json* FindByUuid(const Json& list, const std::string& uuid) {
  for (const Json& item : list)
    if (item.value("uuid", "") == uuid) return &item;
  return nullptr;
}

std::vector<std::string> RelationValues(const Json& object, const std::string& relation) {
  std::vector<std::string> out;
  for (const Json& a : object["Attribute"])
    if (a.value("object_relation", "") == relation) out.push_back(a["value"]);
  return out;
}

std::string Source(const std::string& feed) { return "misp:" + BaseName(feed); }

TEST(MispReader, ImportsAFeedFolder) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string feed = WriteFeed(dir, "circl-osint");
  auto report = RunImport(*db.store, Options("misp", feed));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rows, 2);
  // Kept unmapped: ip-dst, domain, the file object, the person -> file reference.
  EXPECT_EQ(report->kept_unmapped, 4);
  EXPECT_NE(ImportSummaryLine(*report).find("4 source items kept unmapped"), std::string::npos);

  std::string src = Source(feed);
  auto event = db.store->GetEntity(DeterministicId("event", src, kEvent1));
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(event->DisplayName(), "OSINT - Phishing campaign using invoice lures");
  EXPECT_EQ(event->meta.marking.tlp, Tlp::kClear);  // tlp:white
  EXPECT_EQ(event->attributes.at("misp_org"), "CIRCL");
  Json kept = Json::parse(event->attributes.at("misp_unmapped"));
  ASSERT_EQ(kept.size(), 4u);
  EXPECT_NE(FindByUuid(kept, kIp), nullptr);
  EXPECT_NE(FindByUuid(kept, kFile), nullptr);

  auto person = db.store->GetEntity(DeterministicId("person", src, kPerson));
  ASSERT_TRUE(person.ok());
  EXPECT_EQ(person->DisplayName(), "Mohammed EL IDRISSI");
  ASSERT_EQ(person->names.size(), 2u);
  EXPECT_EQ(person->names[1].full, "Abou Yacine");
  EXPECT_EQ(person->birth_dates[0].ToString(), "1987-03-04");
  EXPECT_EQ(person->nationalities, std::vector<std::string>{"MA"});
  ASSERT_EQ(person->documents.size(), 1u);
  EXPECT_EQ(person->documents[0].number, "XK1234567");
  EXPECT_EQ(person->documents[0].country, "MA");
  EXPECT_EQ(person->meta.marking.tlp, Tlp::kClear);

  auto phone = db.store->GetEntity(DeterministicId("phone", src, kPhone));
  ASSERT_TRUE(phone.ok());
  EXPECT_EQ(phone->DisplayName(), "+212600000000");
  auto org = db.store->GetEntity(DeterministicId("organization", src, kOrg));
  ASSERT_TRUE(org.ok());
  EXPECT_EQ(org->DisplayName(), "Atlas Logistics SARL");

  // One threat actor record for the cluster both events name, linked to both.
  auto actor = db.store->GetEntity(DeterministicId("organization", src, kActor));
  ASSERT_TRUE(actor.ok());
  EXPECT_EQ(actor->names.size(), 3u);  // Sofacy, APT28, Fancy Bear
  auto links = db.store->RelationshipsOf(actor->meta.id);
  ASSERT_TRUE(links.ok());
  EXPECT_EQ(links->size(), 2u);

  auto member = db.store->RelationshipsOf(person->meta.id);
  ASSERT_TRUE(member.ok());
  bool member_of = std::any_of(member->begin(), member->end(), [&](const Relationship& r) {
    return r.type == RelationshipType::kMemberOf && r.target_id == org->meta.id;
  });
  EXPECT_TRUE(member_of);

  auto karim = db.store->GetEntity(DeterministicId("person", src, kFullName));
  ASSERT_TRUE(karim.ok());
  EXPECT_EQ(karim->meta.category, ThreatCategory::kTerrorism);  // the event's tag
  EXPECT_EQ(karim->meta.marking.tlp, Tlp::kAmber);

  // Re-importing the feed changes nothing.
  auto again = RunImport(*db.store, Options("misp", feed));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->created + again->updated, 0);
}

TEST(MispReader, ReadsSingleEventFilesAndSearchResponses) {
  TempDir dir;
  auto one = ReadAll(Options("misp", dir.Write("event.json", Event2().dump())));
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->size(), 5u);  // event, person, actor, 2 sighted-at links
  Json response = {{"response", {Event1(), Event2()}}};
  auto both = ReadAll(Options("misp", dir.Write("search.json", response.dump())));
  ASSERT_TRUE(both.ok()) << both.status().ToString();
  EXPECT_GT(both->size(), one->size());
}

TEST(MispReader, BadInputNamesFileElementAndReasonAndImportsNothing) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  auto fail = [&](const std::string& path, const std::string& expected) {
    auto report = RunImport(*db.store, Options("misp", path));
    ASSERT_FALSE(report.ok()) << expected;
    EXPECT_NE(report.status().message().find(expected), std::string::npos)
        << report.status().message();
    EXPECT_EQ(db.Records(), 0);
  };
  auto with_event = [&](const std::string& name, Json event) {
    return dir.Write(name, event.dump());
  };
  fail(dir.Write("empty.json", "  "), "empty.json: the file is empty");
  fail(dir.Write("bad.json", "{\"Event\": {\n\"uuid\": \"x\",\n\"info\": }}"),
       "bad.json line 3: malformed JSON");
  fail(dir.Write("other.json", "{\"objects\": []}"), "other.json: not a MISP event file");
  Json no_uuid = Event2();
  no_uuid["Event"].erase("uuid");
  fail(with_event("no_uuid.json", no_uuid), "no_uuid.json: Event.uuid: missing");
  Json no_name = Event1();
  no_name["Event"]["Object"][0]["Attribute"] = Json::array();
  fail(with_event("no_name.json", no_name), std::string("no_name.json: Event (") + kEvent1 +
                                                ").Object[0] (person " + kPerson +
                                                "): no first-name, last-name, full-name or alias");
  Json bad_date = Event1();
  bad_date["Event"]["Object"][0]["Attribute"][3]["value"] = "1987-02-30";
  fail(with_event("bad_date.json", bad_date), "date-of-birth: \"1987-02-30\"");
  Json not_array = Event2();
  not_array["Event"]["Attribute"] = "x";
  fail(with_event("not_array.json", not_array), ").Attribute: expected an array");

  std::string feed = WriteFeed(dir, "feed");
  std::filesystem::remove(feed + "/" + kEvent2 + ".json");
  fail(feed, std::string("manifest.json, event ") + kEvent2 + ": the event file");
  std::filesystem::remove(feed + "/manifest.json");
  fail(feed, "not a MISP feed folder: no manifest.json");
}

TEST(MispFeed, RoundTripMispEntenteMispEntente) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string feed = WriteFeed(dir, "circl-osint");
  ASSERT_TRUE(RunImport(*db.store, Options("misp", feed)).ok());

  ExportOptions out;
  out.format = "misp-feed";
  out.path = dir.File("exported");
  auto exported = RunExport(*db.store, out);
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  EXPECT_EQ(exported->not_representable, 0);

  Json manifest = ReadJson(out.path + "/manifest.json");
  ASSERT_EQ(manifest.size(), 2u);
  ASSERT_TRUE(manifest.contains(kEvent1));
  EXPECT_EQ(manifest[kEvent1]["info"], "OSINT - Phishing campaign using invoice lures");
  Json event = ReadJson(out.path + "/" + kEvent1 + ".json")["Event"];
  EXPECT_EQ(event["uuid"], kEvent1);
  EXPECT_EQ(event["date"], "2025-10-01");
  EXPECT_EQ(event["Orgc"]["name"], "CIRCL");
  std::vector<std::string> tags;
  for (const Json& t : event["Tag"]) tags.push_back(t["name"]);
  EXPECT_NE(std::find(tags.begin(), tags.end(), "tlp:clear"), tags.end());
  EXPECT_NE(std::find(tags.begin(), tags.end(), "osint:source-type=\"blog-post\""), tags.end());
  EXPECT_EQ(std::count(tags.begin(), tags.end(), "misp-galaxy:threat-actor=\"Sofacy\""), 1);

  // What entente did not map came back unchanged.
  const Json* ip = FindByUuid(event["Attribute"], kIp);
  ASSERT_NE(ip, nullptr);
  EXPECT_EQ(*ip, Event1()["Event"]["Attribute"][0]);
  const Json* file = FindByUuid(event["Object"], kFile);
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(*file, Event1()["Event"]["Object"][2]);
  // What it mapped came back as MISP objects with the same uuids and values.
  const Json* person = FindByUuid(event["Object"], kPerson);
  ASSERT_NE(person, nullptr);
  EXPECT_EQ((*person)["name"], "person");
  EXPECT_EQ(RelationValues(*person, "first-name"), std::vector<std::string>{"Mohammed"});
  EXPECT_EQ(RelationValues(*person, "last-name"), std::vector<std::string>{"EL IDRISSI"});
  EXPECT_EQ(RelationValues(*person, "date-of-birth"), std::vector<std::string>{"1987-03-04"});
  EXPECT_EQ(RelationValues(*person, "passport-number"), std::vector<std::string>{"XK1234567"});
  EXPECT_EQ(RelationValues(*person, "alias"), std::vector<std::string>{"Abou Yacine"});
  std::map<std::string, std::string> references;
  for (const Json& r : (*person)["ObjectReference"])
    references[r["referenced_uuid"]] = r["relationship_type"];
  EXPECT_EQ(references[kOrg], "member-of");
  EXPECT_EQ(references[kFile], "authored");  // the kept reference to the unmapped file
  ASSERT_NE(FindByUuid(event["Attribute"], kPhone), nullptr);
  ASSERT_EQ(event["Galaxy"].size(), 1u);
  EXPECT_EQ(event["Galaxy"][0]["GalaxyCluster"][0]["uuid"], kActor);

  // hashes.csv: one line per attribute value, md5 then the event uuid.
  std::ifstream hashes(out.path + "/hashes.csv");
  std::string all((std::istreambuf_iterator<char>(hashes)), {});
  // md5("198.51.100.7")
  EXPECT_NE(all.find(std::string("526291673f8700ef4e4902e29550a03b,") + kEvent1), std::string::npos)
      << all.substr(0, 400);

  // ... and back into entente: the same records.
  TestStore db2(dir.File("store2.db"));
  ImportOptions again = Options("misp", out.path);
  again.defaults.source = Source(feed);
  auto report = RunImport(*db2.store, again);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->kept_unmapped, 4);
  EXPECT_EQ(db2.Records(), db.Records());
  auto s1 = db.store->Stats();
  auto s2 = db2.store->Stats();
  ASSERT_TRUE(s1.ok() && s2.ok());
  EXPECT_EQ(s1->by_type, s2->by_type);
  for (const auto& [type, uuid] : {std::pair{"person", kPerson},
                                   {"organization", kOrg},
                                   {"phone", kPhone},
                                   {"organization", kActor}}) {
    auto a = db.store->GetEntity(DeterministicId(type, Source(feed), uuid));
    auto b = db2.store->GetEntity(DeterministicId(type, Source(feed), uuid));
    ASSERT_TRUE(a.ok() && b.ok()) << uuid;
    EXPECT_EQ(a->names, b->names) << uuid;
    EXPECT_EQ(a->birth_dates, b->birth_dates) << uuid;
    EXPECT_EQ(a->documents, b->documents) << uuid;
    EXPECT_EQ(a->nationalities, b->nationalities) << uuid;
    EXPECT_EQ(a->meta.marking, b->meta.marking) << uuid;
  }
}

TEST(MispFeed, ExportsListRecordsAndHonoursMarkings) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string csv =
      dir.Write("people.csv",
                "id,name,birth_date,nationality\nW-1,EL IDRISSI Mohammed,1987-03-04,MA\n"
                "W-2,Karim BEN SALAH,1990,TN\n");
  ImportOptions options = Options("csv", csv);
  options.defaults.tlp = Tlp::kRed;
  ASSERT_TRUE(RunImport(*db.store, options).ok());
  ASSERT_TRUE(RunImport(*db.store, Options("misp", dir.Write("e.json", Event2().dump()))).ok());

  ExportOptions out;
  out.format = "misp-feed";
  out.path = dir.File("feed");
  out.clearance = Tlp::kAmber;
  out.for_service = "DGSN-DGST";
  auto exported = RunExport(*db.store, out);
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  EXPECT_EQ(exported->withheld, 2);  // the TLP:RED persons
  Json manifest = ReadJson(out.path + "/manifest.json");
  EXPECT_EQ(manifest.size(), 1u);

  out.clearance.reset();  // the administrator's full dump
  out.for_service = "";
  ASSERT_TRUE(RunExport(*db.store, out).ok());  // replaces the folder
  manifest = ReadJson(out.path + "/manifest.json");
  ASSERT_EQ(manifest.size(), 2u);  // the MISP event and one for the csv source
  for (const auto& [uuid, summary] : manifest.items()) {
    if (summary["info"] != "entente export: csv:people.csv") continue;
    Json event = ReadJson(out.path + "/" + uuid + ".json")["Event"];
    ASSERT_EQ(event["Object"].size(), 2u);
    EXPECT_EQ(event["Object"][0]["name"], "person");
    EXPECT_EQ(event["Object"][0]["Tag"][0]["name"], "tlp:red");
    EXPECT_EQ(event["Object"][0]["distribution"], "0");
  }
  EXPECT_FALSE(std::filesystem::exists(out.path + ".writing-" + std::to_string(getpid())));
}

}  // namespace
}  // namespace entente::ingest
