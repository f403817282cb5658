// The generic watchlist CSV reader, through RunImport and ReadAll: good files, and every
// bad-input case of the issue (each leaves the store unchanged).
#include "ingest/csv_reader.h"

#include <gtest/gtest.h>

#include "common/ids.h"
#include "ingest_test_util.h"

namespace entente::ingest {
namespace {

using testing::Options;
using testing::TempDir;
using testing::TestStore;

constexpr const char* kGood =
    "id,name,aliases,birth_date,nationality,id_number,category,phone\n"
    "W-1,\"EL IDRISSI, Mohammed\",Mohamed Idrissi|Muhammad "
    "al-Idrisi,1987-03-04,MA|fr,AB123,terrorism,+212600\n"
    "W-2,ANGLO-CARIBBEAN CO. LTD.,AVIA IMPORT,,,,CUBA,\n"
    "W-3,\"NASRALLAH, Hasan\",,1960,LB,042833,SDGT|SYRIA,\n"
    "W-4,Youssef Benali,,,,,,\n";

std::vector<Entity> Entities(const std::vector<Record>& records) {
  std::vector<Entity> out;
  for (const Record& r : records)
    if (auto* e = std::get_if<Entity>(&r)) out.push_back(*e);
  return out;
}

TEST(GenericCsvReader, ReadsColumnsByName) {
  TempDir dir;
  auto records = ReadAll(Options("csv", dir.Write("list.csv", kGood)));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  std::vector<Entity> e = Entities(*records);
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].type, EntityType::kPerson);
  EXPECT_EQ(e[0].DisplayName(), "EL IDRISSI, Mohammed");
  ASSERT_EQ(e[0].names.size(), 3u);
  EXPECT_EQ(e[0].names[1].kind, NameKind::kAlias);
  EXPECT_EQ(e[0].birth_dates[0].ToString(), "1987-03-04");
  EXPECT_EQ(e[0].nationalities, (std::vector<std::string>{"MA", "FR"}));
  EXPECT_EQ(e[0].documents[0].number, "AB123");
  EXPECT_EQ(e[0].meta.category, ThreatCategory::kTerrorism);
  EXPECT_EQ(e[0].attributes.at("phone"), "+212600");
  EXPECT_EQ(e[0].meta.provenance.source, "csv:list.csv");
  EXPECT_EQ(e[0].meta.provenance.source_record_id, "W-1");
  EXPECT_EQ(e[0].meta.provenance.service, "DGSI");
  EXPECT_EQ(e[0].meta.id, DeterministicId("person", "csv:list.csv", "W-1"));
  EXPECT_EQ(e[1].type, EntityType::kOrganization);
  EXPECT_EQ(e[1].attributes.at("programs"), "CUBA");
  EXPECT_EQ(e[1].meta.category, ThreatCategory::kOther);
  EXPECT_EQ(e[2].attributes.at("programs"), "SDGT|SYRIA");
  EXPECT_EQ(e[2].meta.category, ThreatCategory::kTerrorism);
  EXPECT_EQ(e[3].type, EntityType::kPerson);
}

TEST(GenericCsvReader, CategoryFlagIsTheFallback) {
  TempDir dir;
  ImportOptions options = Options("csv", dir.Write("list.csv", kGood));
  options.defaults.category = ThreatCategory::kNarcotics;
  auto records = ReadAll(options);
  ASSERT_TRUE(records.ok());
  std::vector<Entity> e = Entities(*records);
  EXPECT_EQ(e[0].meta.category, ThreatCategory::kTerrorism);  // the row says
  EXPECT_EQ(e[1].meta.category, ThreatCategory::kNarcotics);  // CUBA implies nothing
  EXPECT_EQ(e[3].meta.category, ThreatCategory::kNarcotics);  // empty
}

TEST(GenericCsvReader, AcceptsCrlfBomAndTypeColumn) {
  TempDir dir;
  std::string data =
      "\xef\xbb\xbfID,Name,Type,Gender\r\nV-1,Toyota Hilux "
      "AB-123,vehicle,\r\nP-1,Amina,,female\r\n";
  auto records = ReadAll(Options("csv", dir.Write("v.csv", data)));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  std::vector<Entity> e = Entities(*records);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].type, EntityType::kVehicle);
  EXPECT_EQ(e[1].type, EntityType::kPerson);
  EXPECT_EQ(e[1].gender, Gender::kFemale);
}

// Each case: a file with one bad row among good ones; the import fails naming file, line,
// field and reason, and the store keeps what it had.
struct BadCase {
  const char* label;
  std::string content;
  const char* expected;  // substring of the error message
  StatusCode code = StatusCode::kInvalidArgument;
};

class BadCsvInput : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadCsvInput, FailsCleanlyAndLeavesTheStoreUnchanged) {
  const BadCase& c = GetParam();
  TempDir dir;
  TestStore db(dir.File("store.db"));
  // Something already in the store.
  ASSERT_TRUE(RunImport(*db.store, Options("csv", dir.Write("seed.csv", kGood))).ok());
  int64_t records_before = db.Records();
  int64_t seq_before = db.MaxSeq();

  std::string path = dir.Write("bad.csv", c.content);
  auto report = RunImport(*db.store, Options("csv", path));
  ASSERT_FALSE(report.ok()) << c.label;
  EXPECT_EQ(report.status().code(), c.code) << report.status().ToString();
  EXPECT_NE(report.status().message().find(c.expected), std::string::npos)
      << c.label << ": " << report.status().message();
  EXPECT_EQ(db.Records(), records_before);
  EXPECT_EQ(db.MaxSeq(), seq_before);
}

const std::string kHeader = "id,name,aliases,birth_date,nationality,id_number,category\n";
const std::string kOkRow = "A-1,\"DUPONT, Jean\",,1970,FR,,other\n";

INSTANTIATE_TEST_SUITE_P(
    Cases, BadCsvInput,
    ::testing::Values(
        BadCase{"malformed row", kHeader + kOkRow + "A-2,\"DUPONT, Marie\"x,,,,,\n",
                "bad.csv line 3: unexpected text after a closing quote"},
        BadCase{"unclosed quote", kHeader + kOkRow + "A-2,\"DUPONT, Marie,,,,,\n",
                "bad.csv line 3: a quoted field is never closed"},
        BadCase{"wrong column count", kHeader + kOkRow + "A-2,DUPONT,,1970\n",
                "bad.csv line 3: 4 fields where the header has 7"},
        BadCase{"unknown category", kHeader + kOkRow + "A-2,\"DUPONT, Marie\",,,,,terror\n",
                "bad.csv line 3, field category: unknown category \"terror\""},
        BadCase{"impossible date", kHeader + kOkRow + "A-2,\"DUPONT, Marie\",,2023-02-30,,,\n",
                "bad.csv line 3, field birth_date: \"2023-02-30\""},
        BadCase{"bad country code", kHeader + kOkRow + "A-2,\"DUPONT, Marie\",,,XX,,\n",
                "bad.csv line 3, field nationality: \"XX\" is not an ISO 3166 alpha-2"},
        BadCase{"country name instead of code",
                kHeader + kOkRow + "A-2,\"DUPONT, Marie\",,,France,,\n",
                "field nationality: \"France\""},
        BadCase{"invalid UTF-8", kHeader + kOkRow + "A-2,\"DUPONT, Mar\xe9\",,,,,\n",
                "bad.csv line 3, field name: invalid UTF-8 at byte 11"},
        BadCase{"empty id", kHeader + kOkRow + ",\"DUPONT, Marie\",,,,,\n",
                "bad.csv line 3, field id: empty"},
        BadCase{"empty name", kHeader + kOkRow + "A-2,,,,,,\n",
                "bad.csv line 3, field name: empty"},
        BadCase{"duplicate id", kHeader + kOkRow + "A-1,\"DUPONT, Marie\",,,,,\n",
                "bad.csv line 3, field id: duplicate of the record at"},
        BadCase{"unknown type", "id,name,type\nA-1,X,spaceship\n",
                "bad.csv line 2, field type: unknown entity type \"spaceship\""},
        BadCase{"empty file", "", "bad.csv: the file is empty"},
        BadCase{"blank file", "\n  \n", "bad.csv: the file is empty"},
        BadCase{"not a CSV watchlist (XML)",
                "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST></CONSOLIDATED_LIST>\n",
                "bad.csv line 1: not a generic watchlist CSV: the header has no \"id\" column"},
        BadCase{"not a CSV watchlist (JSON)", "{\"id\":\"A-1\",\"name\":\"X\"}\n",
                "not a generic watchlist CSV"},
        BadCase{"not a CSV watchlist (SDN rows)",
                "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- \r\n"
                "173,\"ANGLO-CARIBBEAN CO., LTD.\",-0- ,\"CUBA\",-0- ,-0- \r\n",
                "bad.csv line 1: not a generic watchlist CSV: the header has no \"id\" column"},
        BadCase{"column named twice", "id,name,name\nA-1,X,Y\n",
                "bad.csv line 1: column \"name\" appears twice"}),
    [](const ::testing::TestParamInfo<BadCase>& info) {
      std::string name;
      for (char ch : std::string(info.param.label)) name += std::isalnum(ch) ? ch : '_';
      return name;
    });

TEST(GenericCsvReader, MissingFileIsNotFound) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  auto report = RunImport(*db.store, Options("csv", dir.File("nope.csv")));
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kNotFound);
  EXPECT_NE(report.status().message().find("nope.csv: no such file"), std::string::npos);
  EXPECT_EQ(db.Records(), 0);
}

}  // namespace
}  // namespace entente::ingest
