// The OFAC SDN CSV reader: hand-written files with the real deviations, bad rows, and the
// real list from ../shared/data/ofac_sdn checked against its README's counts.
#include "ingest/sdn_reader.h"

#include <gtest/gtest.h>

#include "common/ids.h"
#include "ingest/sdn_remarks.h"
#include "ingest_test_util.h"

namespace entente::ingest {
namespace {

using testing::Options;
using testing::TempDir;
using testing::TestStore;

const std::string kSdn =
    "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
    "2676,\"AL ZAWAHIRI, Dr. Ayman\",\"individual\",\"SDGT\",\"Operational and Military Leader of "
    "JIHAD GROUP\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 19 Jun 1951; POB Giza, Egypt; Passport "
    "1084010 "
    "(Egypt); alt. Passport 19820215; nationality Egypt; Gender Male; a.k.a. 'Dr. Ayman'; Linked "
    "To: "
    "AL-QAIDA.\"\r\n"
    "6366,\"AL-QAIDA\",-0- ,\"SDGT] [FTO\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
    "9000,\"SEA STAR\",\"vessel\",\"IRAN\",-0- ,\"9BXX\",\"Crude Oil Tanker\",\"150000\",-0- "
    ",\"Iran\",-0- ,"
    "\"Vessel Registration Identification IMO 9079092.\"\r\n"
    "\x1a\r\n";
const std::string kAlt =
    "ent_num,alt_num,alt_type,alt_name,alt_remarks\n"
    "36,12,aka,AERO-CARIBBEAN,-0- \n"
    "2676,13,aka,\"AL-ZAWAHIRI, Ayman\",-0- \n"
    "99999,14,aka,LATER ENTRY,-0- \n"
    "\x1a,,,,\r\n";
const std::string kAdd = "36,25,-0- ,\"Havana\",\"Cuba\",-0- \r\n";

TEST(SdnRemarks, ParsesTheStatementsItKnows) {
  SdnRemarks r = ParseSdnRemarks(
      "DOB 10 Dec 1948; alt. DOB 1950 to 1951; POB Giza, Egypt; nationality Korea, North; citizen "
      "Russia; Gender Female; Passport A123 (Pakistan) issued 01 Jan 2001 expires 31 Dec 2010; "
      "National ID No. 999 (Iran); Tax ID No. 7701 (Russia); a.k.a. 'ABU ALI'; Linked To: X CO., "
      "LTD.; Email Address a@b.c; Executive of something.");
  ASSERT_EQ(r.birth_dates.size(), 3u);
  EXPECT_EQ(r.birth_dates[0].ToString(), "1948-12-10");
  EXPECT_EQ(r.birth_dates[1].ToString(), "1950");
  EXPECT_EQ(r.birth_dates[2].ToString(), "1951");
  EXPECT_EQ(r.birth_places, (std::vector<std::string>{"Giza, Egypt"}));
  EXPECT_EQ(r.nationalities, (std::vector<std::string>{"KP", "RU"}));
  EXPECT_EQ(r.gender, Gender::kFemale);
  ASSERT_EQ(r.documents.size(), 3u);
  EXPECT_EQ(r.documents[0].type, "passport");
  EXPECT_EQ(r.documents[0].number, "A123");
  EXPECT_EQ(r.documents[0].country, "PK");
  EXPECT_EQ(r.documents[0].valid_from, "2001-01-01");
  EXPECT_EQ(r.documents[0].valid_until, "2010-12-31");
  EXPECT_EQ(r.documents[1].type, "national-id");
  EXPECT_EQ(r.documents[1].country, "IR");
  EXPECT_EQ(r.documents[2].type, "tax-id");
  EXPECT_EQ(r.weak_aliases, (std::vector<std::string>{"ABU ALI"}));
  EXPECT_EQ(r.linked_to, (std::vector<std::string>{"X CO., LTD"}));
  EXPECT_EQ(r.attributes.at("email"), "a@b.c");
}

TEST(SdnReader, ReadsTheFolderWithItsDeviations) {
  TempDir dir;
  dir.Write("sdn/sdn.csv", kSdn);
  dir.Write("sdn/alt.csv", kAlt);
  dir.Write("sdn/add.csv", kAdd);
  ImportDefaults defaults;
  defaults.source = "ofac-sdn";
  auto reader = SdnReader::Open(dir.File("sdn"), defaults);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->stats().sdn_rows, 4);
  EXPECT_EQ((*reader)->stats().alt_rows, 3);
  EXPECT_EQ((*reader)->stats().alt_attached, 2);

  auto records = ReadAll(Options("sdn", dir.File("sdn")));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 5u);  // 4 entries + 1 Linked To relationship
  const Entity& airline = std::get<Entity>((*records)[0]);
  EXPECT_EQ(airline.type, EntityType::kOrganization);
  EXPECT_EQ(airline.meta.provenance.source, "ofac-sdn");
  EXPECT_EQ(airline.meta.provenance.source_record_id, "SDN-36");
  EXPECT_EQ(airline.meta.marking.tlp, Tlp::kClear);
  EXPECT_EQ(airline.meta.grades, (Grades{'A', 2}));
  ASSERT_EQ(airline.names.size(), 2u);
  EXPECT_EQ(airline.names[1].full, "AERO-CARIBBEAN");
  EXPECT_EQ(airline.addresses, (std::vector<std::string>{"Havana, Cuba"}));
  EXPECT_EQ(airline.attributes.at("programs"), "CUBA");

  const Entity& person = std::get<Entity>((*records)[1]);
  EXPECT_EQ(person.type, EntityType::kPerson);
  EXPECT_EQ(person.meta.category, ThreatCategory::kTerrorism);
  EXPECT_EQ(person.birth_dates[0].ToString(), "1951-06-19");
  EXPECT_EQ(person.nationalities, (std::vector<std::string>{"EG"}));
  EXPECT_EQ(person.gender, Gender::kMale);
  ASSERT_EQ(person.documents.size(), 2u);
  EXPECT_EQ(person.documents[0].country, "EG");
  EXPECT_EQ(person.attributes.at("title"), "Operational and Military Leader of JIHAD GROUP");
  ASSERT_EQ(person.names.size(), 3u);
  EXPECT_EQ(person.names[1].kind, NameKind::kAlias);
  EXPECT_EQ(person.names[2].kind, NameKind::kWeakAlias);
  EXPECT_EQ(person.names[2].full, "Dr. Ayman");

  const Relationship& link = std::get<Relationship>((*records)[2]);
  EXPECT_EQ(link.type, RelationshipType::kAssociateOf);
  EXPECT_EQ(link.source_id, person.meta.id);
  EXPECT_EQ(link.target_id, DeterministicId("organization", "ofac-sdn", "SDN-6366"));

  const Entity& group = std::get<Entity>((*records)[3]);
  EXPECT_EQ(group.attributes.at("programs"), "SDGT|FTO");
  const Entity& vessel = std::get<Entity>((*records)[4]);
  EXPECT_EQ(vessel.type, EntityType::kVehicle);
  EXPECT_EQ(vessel.attributes.at("vehicle_kind"), "vessel");
  EXPECT_EQ(vessel.attributes.at("flag_country"), "IR");
  EXPECT_EQ(vessel.attributes.at("imo_number"), "9079092");
}

TEST(SdnReader, PathMayBeTheSdnFile) {
  TempDir dir;
  dir.Write("sdn/sdn.csv", kSdn);
  dir.Write("sdn/alt.csv", kAlt);
  auto records = ReadAll(Options("sdn", dir.File("sdn/sdn.csv")));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  EXPECT_EQ(std::get<Entity>((*records)[0]).names.size(), 2u);
}

TEST(SdnReader, BadInput) {
  TempDir dir;
  // No sdn.csv in the folder.
  dir.Write("empty/readme.txt", "x");
  auto r = ReadAll(Options("sdn", dir.File("empty")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("no sdn.csv"), std::string::npos);
  // Missing folder.
  r = ReadAll(Options("sdn", dir.File("nowhere")));
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  // Empty sdn.csv.
  dir.Write("e/sdn.csv", "");
  r = ReadAll(Options("sdn", dir.File("e")));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("the file is empty"), std::string::npos);
  // Not SDN data: the generic CSV.
  dir.Write("g/sdn.csv", "id,name,aliases\nA-1,X,\n");
  r = ReadAll(Options("sdn", dir.File("g")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("line 1: not an OFAC SDN CSV file"), std::string::npos)
      << r.status().message();
  // Wrong field count, non-numeric ent_num, invalid UTF-8 on later rows: rejected rows.
  dir.Write("b/sdn.csv",
            kSdn.substr(0, kSdn.find("\x1a")) +
                "77,\"SHORT ROW\",-0- ,\"CUBA\"\r\n"
                "X1,\"BAD NUMBER\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
                "78,\"BAD \xff BYTE\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n");
  std::vector<ReadItem> rejected;
  r = ReadAll(Options("sdn", dir.File("b")), &rejected);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(rejected.size(), 3u);
  EXPECT_NE(
      rejected[0].error.message().find("sdn.csv line 5: 4 fields where OFAC's sdn.csv has 12"),
      std::string::npos)
      << rejected[0].error.message();
  EXPECT_NE(rejected[1].error.message().find("line 6, field ent_num: \"X1\" is not a number"),
            std::string::npos)
      << rejected[1].error.message();
  EXPECT_NE(rejected[2].error.message().find("line 7, field SDN_Name: invalid UTF-8"),
            std::string::npos)
      << rejected[2].error.message();
}

// The real list, checked against ../shared/data/README.md section 1.
TEST(SdnReader, ImportsTheRealListWithTheReadmeCounts) {
  if (!testing::SharedExists("data/ofac_sdn/sdn.csv"))
    GTEST_SKIP() << "../shared/data/ofac_sdn is missing; skipping the real SDN import";
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string folder = testing::SharedDir() + "/data/ofac_sdn";
  ImportDefaults defaults;
  defaults.source = "ofac-sdn";
  auto reader = SdnReader::Open(folder, defaults);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const SdnFileStats& stats = (*reader)->stats();
  EXPECT_EQ(stats.sdn_rows, 14965);
  EXPECT_EQ(stats.alt_rows, 18939);
  EXPECT_EQ(stats.alt_attached, 18033);
  EXPECT_EQ(stats.add_rows, 24776);
  EXPECT_EQ(stats.add_attached, 19178);

  auto report = RunImport(*db.store, Options("sdn", folder));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rows, 14965);
  EXPECT_EQ(report->rejected, 0);
  auto store_stats = db.store->Stats();
  ASSERT_TRUE(store_stats.ok());
  std::map<std::string, int64_t> by_type(store_stats->by_type.begin(), store_stats->by_type.end());
  EXPECT_EQ(by_type["person"], 6854);
  EXPECT_EQ(by_type["organization"], 6884);
  EXPECT_EQ(by_type["vehicle"], 851 + 376);
  EXPECT_GT(by_type["relationship"], 4000);  // resolved "Linked To" remarks

  // The 7,254 entries the README says alt.csv covers have at least one strong alias.
  int64_t with_alias = 0, with_dob = 0, with_nationality = 0, with_weak = 0;
  Status scan = db.store->ForEachRecord({}, [&](const Record& record) {
    const Entity* e = std::get_if<Entity>(&record);
    if (!e) return true;
    bool strong = false, weak = false;
    for (const Name& n : e->names) {
      strong |= n.kind == NameKind::kAlias || n.kind == NameKind::kFormerName;
      weak |= n.kind == NameKind::kWeakAlias;
    }
    with_alias += strong;
    with_weak += weak;
    with_dob += !e->birth_dates.empty();
    with_nationality += !e->nationalities.empty();
    return true;
  });
  ASSERT_TRUE(scan.ok()) << scan.ToString();
  EXPECT_EQ(with_alias, 7254);
  EXPECT_GT(with_dob, 6500);          // DOB stated for nearly every individual
  EXPECT_GT(with_nationality, 5000);  // nationality or citizen
  EXPECT_GT(with_weak, 2000);

  // Importing it again changes nothing.
  int64_t seq = db.MaxSeq();
  auto again = RunImport(*db.store, Options("sdn", folder));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->created + again->updated, 0);
  EXPECT_EQ(db.MaxSeq(), seq);
}

}  // namespace
}  // namespace entente::ingest
