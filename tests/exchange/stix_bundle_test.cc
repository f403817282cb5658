// STIX bundles: the real OASIS examples import, and round-trip through export and re-import
// into the same records; entente's own records survive export/import without loss.
#include "exchange/stix_bundle.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../test_store_target.h"
#include "common/ids.h"
#include "exchange/stix_validate.h"
#include "store/record_store.h"

namespace entente::exchange {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path OasisDir() { return fs::path(ENTENTE_SHARED_DIR) / "data/stix/oasis_examples"; }

// Clears what a store assigns, so records from two imports compare by content.
Record Comparable(Record r) {
  RecordMeta& m = MetaOf(r);
  m.version = 0;
  m.change_seq = 0;
  m.provenance.first_seen.clear();
  m.provenance.last_seen.clear();
  return r;
}

Entity SamplePerson() {
  Entity e;
  e.meta.id = RandomId("person");
  e.meta.provenance = {"DGSN-DGST", "demo-ma-registry", "MA-1", "", ""};
  e.meta.grades = {'B', 2};
  e.meta.category = ThreatCategory::kTerrorism;
  e.meta.marking = {Tlp::kAmber, {"DGSI"}};
  e.meta.created = "2026-01-02T03:04:05.000Z";
  e.meta.modified = "2026-01-03T03:04:05.000Z";
  e.type = EntityType::kPerson;
  e.names = {{"EL IDRISSI, Mohammed", NameKind::kPrimary, "Latn"},
             {"\xd9\x85\xd8\xad\xd9\x85\xd8\xaf "
              "\xd8\xa7\xd9\x84\xd8\xa5\xd8\xaf\xd8\xb1\xd9\x8a\xd8\xb3\xd9\x8a",
              NameKind::kAlias, "Arab"}};
  e.birth_dates = {*PartialDate::Parse("1987-03")};
  e.nationalities = {"MA", "FR"};
  e.gender = Gender::kMale;
  e.documents = {{"passport", "AB123456", "MA", "", ""}};
  e.addresses = {"12 rue X, Casablanca"};
  return e;
}

TEST(StixBundle, EntenteRecordsRoundTripWithoutLoss) {
  Entity person = SamplePerson();
  Entity place;
  place.meta = person.meta;
  place.meta.id = RandomId("location");
  place.type = EntityType::kLocation;
  place.names = {{"Casablanca", NameKind::kPrimary, ""}};
  place.attributes["country"] = "MA";
  Entity phone;
  phone.meta = person.meta;
  phone.meta.id = RandomId("phone");
  phone.type = EntityType::kPhone;
  phone.names = {{"+212600000000", NameKind::kPrimary, ""}};
  Relationship seen;
  seen.meta = person.meta;
  seen.meta.id = RandomId("relationship");
  seen.type = RelationshipType::kSightedAt;
  seen.source_id = person.meta.id;
  seen.target_id = place.meta.id;
  seen.start = "2026-01-01T00:00:00Z";
  Relationship uses;
  uses.meta = person.meta;
  uses.meta.id = RandomId("relationship");
  uses.type = RelationshipType::kUsesPhone;
  uses.source_id = person.meta.id;
  uses.target_id = phone.meta.id;
  std::vector<Record> records = {person, place, phone, seen, uses};

  json bundle = BuildStixBundle(records);
  ASSERT_TRUE(ValidateStixBundle(bundle).ok()) << ValidateStixBundle(bundle).ToString();
  bool saw_threat_actor = false, saw_sighting = false;
  for (const json& o : bundle["objects"]) {
    if (o["type"] == "threat-actor") saw_threat_actor = true;
    if (o["type"] == "sighting") saw_sighting = true;
  }
  EXPECT_TRUE(saw_threat_actor);
  EXPECT_TRUE(saw_sighting);

  StixReadStats stats;
  auto back = ParseStixBundle(bundle.dump(), StixImportContext{}, true, &stats);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->size(), records.size());
  for (size_t i = 0; i < records.size(); ++i)
    EXPECT_EQ(RecordToJson((*back)[i]), RecordToJson(records[i]));
}

TEST(StixBundle, OasisExamplesImportAndRoundTrip) {
  if (!fs::exists(OasisDir())) GTEST_SKIP() << "missing " << OasisDir() << " (../shared data)";
  int files = 0, mapped_total = 0;
  for (const auto& entry : fs::directory_iterator(OasisDir())) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    SCOPED_TRACE(entry.path().filename().string());
    std::string text = ReadFile(entry.path());
    // Every object of the real examples passes the MUST rules.
    StixReadStats stats;
    StixImportContext ctx;
    ctx.service = "OASIS";
    ctx.source = "stix:" + entry.path().filename().string();
    auto first = ParseStixBundle(text, ctx, /*strict=*/true, &stats);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_EQ(stats.rejected, 0);
    mapped_total += static_cast<int>(first->size());
    // import, export, import: the same records.
    json exported = BuildStixBundle(*first);
    ASSERT_TRUE(ValidateStixBundle(exported).ok()) << ValidateStixBundle(exported).ToString();
    auto second = ParseStixBundle(exported.dump(), StixImportContext{}, true);
    ASSERT_TRUE(second.ok()) << second.status().ToString();
    ASSERT_EQ(second->size(), first->size());
    for (size_t i = 0; i < first->size(); ++i)
      EXPECT_EQ(RecordToJson(Comparable((*second)[i])), RecordToJson(Comparable((*first)[i])));
    // The exported objects keep every property of the original mapped objects.
    json original = json::parse(text);
    std::map<std::string, json> by_id;
    for (const json& o : exported["objects"]) by_id[o["id"]] = o;
    for (const json& o : original.value("objects", json::array())) {
      if (!by_id.count(o["id"])) continue;
      for (const auto& [key, value] : o.items())
        EXPECT_EQ(by_id[o["id"]][key], value) << o["id"] << " property " << key;
    }
  }
  EXPECT_GE(files, 17);
  EXPECT_GT(mapped_total, 20);
}

TEST(StixBundle, OasisExamplesRoundTripThroughTheStore) {
  if (!fs::exists(OasisDir())) GTEST_SKIP() << "missing " << OasisDir() << " (../shared data)";
  fs::path dir = fs::temp_directory_path() / ("stix_store_" + RandomHex(4));
  fs::create_directories(dir);
  auto db = Database::Open(::entente::testing::StoreTarget((dir / "a.db").string()));
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(RecordStore::Migrate(**db).ok());
  RecordStore store(db->get());
  std::string text = ReadFile(OasisDir() / "apt1.json");
  auto first = ParseStixBundle(text, StixImportContext{}, true);
  ASSERT_TRUE(first.ok());
  auto put = store.PutAll(*first);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_GT(put->created, 0);
  std::vector<Record> stored;
  ASSERT_TRUE(store
                  .ForEachRecord({},
                                 [&](const Record& r) {
                                   stored.push_back(r);
                                   return true;
                                 })
                  .ok());
  auto again = ParseStixBundle(BuildStixBundle(stored).dump(), StixImportContext{}, true);
  ASSERT_TRUE(again.ok());
  auto put2 = store.PutAll(*again);
  ASSERT_TRUE(put2.ok()) << put2.status().ToString();
  EXPECT_EQ(put2->created, 0);
  EXPECT_EQ(put2->updated, 0);
  EXPECT_EQ(put2->unchanged, put->created);
  fs::remove_all(dir);
}

TEST(StixBundle, ReaderReportsBadObjectsAsRowsAndSkipsUnmapped) {
  fs::path dir = fs::temp_directory_path() / ("stix_reader_" + RandomHex(4));
  fs::create_directories(dir);
  json bundle = {{"type", "bundle"}, {"id", RandomId("bundle")}};
  bundle["objects"] = json::array({{{"type", "identity"},
                                    {"spec_version", "2.1"},
                                    {"id", RandomId("identity")},
                                    {"created", "2020-01-01T00:00:00Z"},
                                    {"modified", "2020-01-01T00:00:00Z"},
                                    {"name", "ACME"},
                                    {"identity_class", "organization"}},
                                   {{"type", "identity"},
                                    {"spec_version", "2.0"},
                                    {"id", RandomId("identity")},
                                    {"created", "2020-01-01T00:00:00Z"},
                                    {"modified", "2020-01-01T00:00:00Z"},
                                    {"name", "Old"}},
                                   {{"type", "indicator"},
                                    {"spec_version", "2.1"},
                                    {"id", RandomId("indicator")},
                                    {"created", "2020-01-01T00:00:00Z"},
                                    {"modified", "2020-01-01T00:00:00Z"},
                                    {"pattern", "[ipv4-addr:value = '1.2.3.4']"},
                                    {"pattern_type", "stix"},
                                    {"valid_from", "2020-01-01T00:00:00Z"}}});
  std::ofstream(dir / "b.json") << bundle.dump();
  ingest::ImportDefaults defaults;
  defaults.source = "stix:b.json";
  auto reader = StixBundleReader::Open((dir / "b.json").string(), defaults);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ingest::ReadItem item;
  ASSERT_TRUE(*(*reader)->Next(&item));
  EXPECT_TRUE(item.error.ok());
  ASSERT_EQ(item.records.size(), 1u);
  EXPECT_EQ(StixIdType(MetaOf(item.records[0]).id), "organization");
  ASSERT_TRUE(*(*reader)->Next(&item));
  EXPECT_FALSE(item.error.ok());
  EXPECT_NE(item.error.message().find("stix21.common.spec-version-value"), std::string::npos);
  ASSERT_TRUE(*(*reader)->Next(&item));
  EXPECT_TRUE(item.error.ok());
  EXPECT_TRUE(item.records.empty());
  EXPECT_EQ(item.not_stored, "indicator");
  EXPECT_FALSE(item.not_stored_note.empty());
  EXPECT_FALSE(*(*reader)->Next(&item));
  EXPECT_EQ((*reader)->stats().skipped, 1);
  EXPECT_EQ((*reader)->stats().rejected, 1);

  std::ofstream(dir / "bad.json") << "{\"type\":\"bundle\",\"id\":\"bundle--nope\",\"objects\":[]}";
  auto bad = StixBundleReader::Open((dir / "bad.json").string(), defaults);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("stix21.bundle.id-format"), std::string::npos);
  std::ofstream(dir / "junk.json") << "not json";
  EXPECT_EQ(StixBundleReader::Open((dir / "junk.json").string(), defaults).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(StixBundleReader::Open((dir / "missing.json").string(), defaults).status().code(),
            StatusCode::kNotFound);
  fs::remove_all(dir);
}

TEST(StixBundle, HugeBundleIsRefused) {
  json bundle = {{"type", "bundle"}, {"id", RandomId("bundle")}, {"objects", json::array()}};
  for (int i = 0; i < 11; ++i) bundle["objects"].push_back(json::object());
  EXPECT_EQ(ValidateStixBundle(bundle, 10).code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace entente::exchange

namespace entente::exchange {
namespace {

// Found by the fuzzer (fuzz/regressions/stix_bundle/type-not-a-string.json): a document whose
// "type" is an array made the reader throw (json::value on a non-string) and end the process.
// It is one STIX object with a bad type: an error that says so, lenient or strict.
TEST(StixBundle, ADocumentWhoseTypeIsNotAStringIsRefusedNotThrown) {
  std::ifstream in(std::string(ENTENTE_SOURCE_DIR) +
                   "/fuzz/regressions/stix_bundle/type-not-a-string.json");
  std::stringstream text;
  text << in.rdbuf();
  ASSERT_FALSE(text.str().empty());
  StixImportContext context;
  context.service = "FUZZ";
  context.source = "stix:fuzz";
  StixReadStats stats;
  auto lenient = ParseStixBundle(text.str(), context, /*strict=*/false, &stats);
  if (lenient.ok()) {
    EXPECT_EQ(stats.mapped + stats.skipped + stats.rejected, stats.objects);
  }
  auto strict = ParseStixBundle(text.str(), context, /*strict=*/true);
  EXPECT_FALSE(strict.ok());
  EXPECT_FALSE(strict.status().message().empty());
  auto typed = ParseStixBundle(R"({"type": 5, "id": "x"})", context, /*strict=*/true);
  EXPECT_FALSE(typed.ok());
}

}  // namespace
}  // namespace entente::exchange
