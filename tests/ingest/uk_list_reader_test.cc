// The UK readers: the FCDO sanctions list and HM Treasury's ConList.csv, hand-written rows in
// the published layouts, bad input, and the real files in ../shared/data.
#include "ingest/uk_list_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>

#include "common/ids.h"
#include "ingest_test_util.h"

namespace entente::ingest {
namespace {

using testing::Options;
using testing::TempDir;
using testing::TestStore;

const std::string kFcdo =
    "Unique ID,OFSI Group ID,Name,Regime Name,Type,Designation source,Date Designated,"
    "Sanctions Imposed\n"
    "AFG0001,12703,HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE,Afghanistan,Entity,UN,29-06-2012,"
    "Asset freeze\n"
    "AQD0194,13000,\"ABDUL\n   RAHMAN\",ISIL (Da'esh) and Al-Qaida,Individual,UN,01-02-2010,"
    "\"Asset freeze, Travel Ban\"\n"
    "DPR0075,\"\n   \",Petrel 8,Democratic People's Republic of Korea,Ship,UN,03-10-2017,"
    "Prohibition of port entry\n";

// ConList as found in the sample: an index cell before the header, Windows-1252 text.
const std::string kConList =
    ",Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,DOB,Town of Birth,Country of Birth,"
    "Nationality,Passport Details,NI Number,Position,Address 1,Address 2,Address 3,Address 4,"
    "Address 5,Address 6,Post/Zip Code,Country,Other Information,Group Type,Alias Type,Regime,"
    "Listed On,Last Updated,Group ID\n"
    "AL-QAHTANI,Sheikh,Farooq,,,,,00/00/1980,,Saudi Arabia,1) Saudi Arabia 2) Qatar,"
    "Passport No: 592667 (Qatari passport issued on 3 May 2007).,,,,,,,,,,Afghanistan,"
    "UN Ref QDe.004.,Individual,AKA,The ISIL (Da'esh) and Al-Qaida organisations,01/04/2016,"
    "01/04/2016,13349\n"
    "AL-QAHTANI,Sheikh,Farooq,,,,,00/00/1981,,Saudi Arabia,1) Saudi Arabia 2) Qatar,,,,,,,,,,,,"
    ",Individual,AKA,The ISIL (Da'esh) and Al-Qaida organisations,01/04/2016,01/04/2016,13349\n"
    "14TH MOTORIZED RIFLE BATTALION,,,,,,,,,,,,,,,,,,,,,,Part of the so-called \x93"
    "2nd Army Corps\x94,Entity,AKA,Ukraine (Sovereignty),16/02/2015,20/09/2018,13222\n"
    "IL,Kim Kyong,,,,,,01/08/1979,,,,Passport No. 836210029,,Deputy representative,Libya,,,,,,,"
    ",Annex XIII.,Individual,Prime Alias,North Korea (Democratic People's Republic of Korea),"
    "22/12/2017,09/01/2018,13562\n"
    "KIM,Kyong Il,,,,,,01/08/1979,,,,,,,,,,,,,,,,Individual,AKA,North Korea (Democratic "
    "People's Republic of Korea),22/12/2017,09/01/2018,13562\n";

const Entity& BySourceId(const std::vector<Record>& records, const std::string& id) {
  for (const Record& r : records)
    if (MetaOf(r).provenance.source_record_id == id) return std::get<Entity>(r);
  static Entity none;
  ADD_FAILURE() << "no record " << id;
  return none;
}

TEST(UkFcdoReader, ReadsTheSummarySheet) {
  TempDir dir;
  auto records = ReadAll(Options("uk-fcdo", dir.Write("fcdo.csv", kFcdo)));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 3u);
  const Entity& exchange = BySourceId(*records, "AFG0001");
  EXPECT_EQ(exchange.type, EntityType::kOrganization);
  EXPECT_EQ(exchange.meta.id, DeterministicId("organization", "uk-fcdo", "AFG0001"));
  EXPECT_EQ(exchange.attributes.at("programs"), "Afghanistan");
  EXPECT_EQ(exchange.attributes.at("listed_on"), "2012-06-29");
  EXPECT_EQ(exchange.attributes.at("ofsi_group_id"), "12703");
  EXPECT_EQ(exchange.attributes.at("designation_source"), "UN");
  const Entity& person = BySourceId(*records, "AQD0194");
  EXPECT_EQ(person.type, EntityType::kPerson);
  EXPECT_EQ(person.DisplayName(), "ABDUL RAHMAN");  // the line break collapsed
  EXPECT_EQ(person.meta.category, ThreatCategory::kTerrorism);
  EXPECT_EQ(person.attributes.at("sanctions_imposed"), "Asset freeze, Travel Ban");
  const Entity& ship = BySourceId(*records, "DPR0075");
  EXPECT_EQ(ship.type, EntityType::kVehicle);
  EXPECT_EQ(ship.attributes.count("ofsi_group_id"), 0u);  // only white space in the cell
}

TEST(UkHmtReader, MergesAliasRowsAndHandlesTheSampleQuirks) {
  TempDir dir;
  auto records = ReadAll(Options("uk-hmt", dir.Write("ConList.csv", kConList)));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 3u);
  const Entity& farooq = BySourceId(*records, "13349");
  EXPECT_EQ(farooq.type, EntityType::kPerson);
  EXPECT_EQ(farooq.DisplayName(), "Sheikh Farooq AL-QAHTANI");
  ASSERT_EQ(farooq.birth_dates.size(), 2u);
  EXPECT_EQ(farooq.birth_dates[0].ToString(), "1980");
  EXPECT_EQ(farooq.birth_dates[1].ToString(), "1981");
  EXPECT_EQ(farooq.nationalities, (std::vector<std::string>{"SA", "QA"}));
  ASSERT_EQ(farooq.documents.size(), 1u);
  EXPECT_EQ(farooq.documents[0].number, "592667");
  EXPECT_EQ(farooq.meta.category, ThreatCategory::kTerrorism);
  EXPECT_EQ(farooq.attributes.at("listed_on"), "2016-04-01");
  EXPECT_EQ(farooq.addresses, std::vector<std::string>{"Afghanistan"});

  const Entity& battalion = BySourceId(*records, "13222");
  EXPECT_EQ(battalion.type, EntityType::kOrganization);
  // Windows-1252 curly quotes became UTF-8.
  EXPECT_EQ(battalion.attributes.at("remarks"),
            "Part of the so-called \xE2\x80\x9C"
            "2nd Army Corps\xE2\x80\x9D");

  const Entity& kim = BySourceId(*records, "13562");
  EXPECT_EQ(kim.DisplayName(), "Kim Kyong IL");  // the Prime Alias row
  ASSERT_EQ(kim.names.size(), 2u);
  EXPECT_EQ(kim.names[1].full, "Kyong Il KIM");
  EXPECT_EQ(kim.names[1].kind, NameKind::kAlias);
  EXPECT_EQ(kim.birth_dates[0].ToString(), "1979-08-01");
  EXPECT_EQ(kim.attributes.at("position"), "Deputy representative");
}

TEST(UkListReaders, BadInputNamesFileLineAndReasonAndImportsNothing) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  auto fail = [&](const std::string& format, const std::string& content,
                  const std::string& expected) {
    auto report = RunImport(*db.store, Options(format, dir.Write("bad.csv", content)));
    ASSERT_FALSE(report.ok()) << expected;
    EXPECT_NE(report.status().message().find(expected), std::string::npos)
        << report.status().message();
    EXPECT_EQ(db.Records(), 0);
  };
  fail("uk-fcdo", " \n", "bad.csv: the file is empty");
  fail("uk-fcdo", "id,name\nA,B\n",
       "bad.csv line 1: not a UK FCDO sanctions list CSV: no \"Unique ID\"");
  fail("uk-hmt", kFcdo, "not an HM Treasury consolidated list (ConList) CSV: no \"Group ID\"");
  fail("uk-fcdo", kFcdo + "AFG0009,1,,Afghanistan,Individual,UN,01-01-2001,x\n",
       "bad.csv line 7, field Name: AFG0009 has no name");
  fail("uk-fcdo", kFcdo + ",1,Someone,Afghanistan,Individual,UN,01-01-2001,x\n",
       "bad.csv line 7, field Unique ID: missing");
  fail("uk-fcdo", kFcdo + "AFG0010,1,Someone,Afghanistan,Planet,UN,01-01-2001,x\n",
       "bad.csv line 7, field Type: \"planet\" is not Individual, Entity or Ship");
  fail("uk-hmt", kConList + "X,Y,,,,,,31/02/1980,,,,,,,,,,,,,,,,Individual,AKA,R,,,1\n",
       "bad.csv line 7, field DOB: \"31/02/1980\"");
  fail("uk-fcdo", kFcdo + "AFG0011,1,\"unclosed,Afghanistan\n", "bad.csv line 7");
}

TEST(UkFcdoReader, ImportsTheRealList) {
  ASSERT_TRUE(testing::SharedExists("data/uk_fcdo/uk_sanctions_list_2025-08-11.csv"));
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string path = testing::SharedDir() + "/data/uk_fcdo/uk_sanctions_list_2025-08-11.csv";
  // Two designations of the published list have no name: all or nothing refuses the file,
  // naming the first one.
  auto strict = RunImport(*db.store, Options("uk-fcdo", path));
  ASSERT_FALSE(strict.ok());
  EXPECT_NE(strict.status().message().find("line 649, field Name: BEL0174 has no name"),
            std::string::npos)
      << strict.status().message();
  EXPECT_EQ(db.Records(), 0);

  ImportOptions options = Options("uk-fcdo", path);
  options.skip_bad_path = dir.File("rejected.csv");
  auto report = RunImport(*db.store, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rows, 5302);
  EXPECT_EQ(report->rejected, 2);
  EXPECT_EQ(report->created, 5300);
  auto stats = db.store->Stats();
  ASSERT_TRUE(stats.ok());
  std::map<std::string, int64_t> by_type(stats->by_type.begin(), stats->by_type.end());
  EXPECT_EQ(by_type["person"], 3752);
  EXPECT_EQ(by_type["organization"], 1087);
  EXPECT_EQ(by_type["vehicle"], 461);
  auto hassan = db.store->GetEntity(DeterministicId("person", "uk-fcdo", "AFG0006"));
  ASSERT_TRUE(hassan.ok());
  EXPECT_EQ(hassan->DisplayName(), "AKHUND MOHAMMAD HASSAN");
  EXPECT_EQ(hassan->attributes.at("listed_on"), "2001-01-25");
  EXPECT_EQ(hassan->attributes.at("ofsi_group_id"), "7172");
  std::ifstream rejected(dir.File("rejected.csv"));
  std::string all((std::istreambuf_iterator<char>(rejected)), {});
  EXPECT_NE(all.find("RUS1467 has no name"), std::string::npos) << all;

  auto again = RunImport(*db.store, options);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 5300);
}

TEST(UkHmtReader, ImportsTheRealConListSample) {
  ASSERT_TRUE(testing::SharedExists("data/uk_hmt_conlist_sample/ConList.csv"));
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string path = testing::SharedDir() + "/data/uk_hmt_conlist_sample/ConList.csv";
  auto report = RunImport(*db.store, Options("uk-hmt", path));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rows, 41);  // 77 rows, one per alias and date of birth, of 41 groups
  auto stats = db.store->Stats();
  ASSERT_TRUE(stats.ok());
  std::map<std::string, int64_t> by_type(stats->by_type.begin(), stats->by_type.end());
  EXPECT_EQ(by_type["person"], 32);
  EXPECT_EQ(by_type["organization"], 9);
  auto farooq = db.store->GetEntity(DeterministicId("person", "uk-hmt", "13349"));
  ASSERT_TRUE(farooq.ok());
  EXPECT_EQ(farooq->DisplayName(), "Sheikh Farooq AL-QAHTANI");
  EXPECT_EQ(farooq->nationalities, (std::vector<std::string>{"SA", "QA"}));
  EXPECT_EQ(farooq->meta.category, ThreatCategory::kTerrorism);
}

}  // namespace
}  // namespace entente::ingest
