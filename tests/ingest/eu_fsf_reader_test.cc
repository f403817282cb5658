// The EU Financial Sanctions Files reader: a hand-written XML and ';' CSV in the published
// layout, bad input, and the real column subsets in ../shared/data/eu_fsf.
#include "ingest/eu_fsf_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "common/ids.h"
#include "ingest_test_util.h"

namespace entente::ingest {
namespace {

using testing::Options;
using testing::TempDir;
using testing::TestStore;

const std::string kXml = R"xml(<?xml version="1.0" encoding="UTF-8"?>
<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2025-09-01T10:00:00">
  <sanctionEntity logicalId="13" euReferenceNumber="EU.27.28" unitedNationId="IQi.001"
      designationDate="2003-07-07">
    <remark>(UNSC RESOLUTION 1483)</remark>
    <regulation programme="IRQ" publicationDate="2003-07-08" numberTitle="1210/2003 (OJ L169)"/>
    <subjectType code="person" classificationCode="P"/>
    <nameAlias wholeName="Saddam Hussein Al-Tikriti" firstName="Saddam"
        lastName="Hussein Al-Tikriti" gender="M" strong="true" function="Former President"/>
    <nameAlias wholeName="Abu Ali" strong="true"/>
    <nameAlias wholeName="Abou Ali" strong="false"/>
    <nameAlias wholeName="Саддам Хусейн" strong="true"/>
    <citizen countryIso2Code="IQ"/>
    <birthdate birthdate="1937-04-28" city="al-Awja, near Tikrit" countryDescription="IRAQ"/>
    <birthdate year="1939" circa="true"/>
    <identification number="AB850901" identificationTypeCode="passport" countryIso2Code="00"/>
  </sanctionEntity>
  <sanctionEntity logicalId="5982" euReferenceNumber="EU.1.66">
    <regulation programme="TAQA" publicationDate="2002-05-29"/>
    <subjectType code="enterprise" classificationCode="E"/>
    <nameAlias wholeName="Al-Qaida in Iraq"/>
    <address street="Some street 1" city="Mosul" countryDescription="IRAQ"/>
  </sanctionEntity>
</export>
)xml";

const std::string kCsv =
    "fileGenerationDate;Entity_LogicalId;Entity_EU_ReferenceNumber;Entity_Regulation_Programme;"
    "Entity_SubjectType;Entity_SubjectType_ClassificationCode;NameAlias_WholeName;"
    "NameAlias_Strong;BirthDate_BirthDate;BirthDate_Day;BirthDate_Month;BirthDate_Year;"
    "Citizenship_CountryIso2Code;Identification_Number;Identification_TypeCode\n"
    "01/09/2025;13;EU.27.28;IRQ;person;P;Saddam Hussein Al-Tikriti;true;;;;;;;\n"
    "01/09/2025;13;EU.27.28;IRQ;person;P;Abu Ali;true;;;;;;;\n"
    "01/09/2025;13;EU.27.28;IRQ;person;P;;;1937-04-28;;;;;;\n"
    "01/09/2025;13;EU.27.28;IRQ;person;P;;;;;4;1939;;;\n"
    "01/09/2025;13;EU.27.28;IRQ;person;P;;;;;;;IQ;;\n"
    "01/09/2025;13;EU.27.28;IRQ;person;P;;;;;;;;488555 (passport-National passport) ;passport\n"
    "01/09/2025;5982;EU.1.66;TAQA;enterprise;E;Al-Qaida in Iraq;;;;;;;;\n";

const Entity& ById(const std::vector<Record>& records, const std::string& source_id) {
  for (const Record& r : records)
    if (MetaOf(r).provenance.source_record_id == source_id) return std::get<Entity>(r);
  static Entity none;
  ADD_FAILURE() << "no record " << source_id;
  return none;
}

bool HasName(const Entity& e, const std::string& name, NameKind kind) {
  return std::any_of(e.names.begin(), e.names.end(),
                     [&](const Name& n) { return n.full == name && n.kind == kind; });
}

TEST(EuFsfReader, ReadsThePublishedXml) {
  TempDir dir;
  auto records = ReadAll(Options("eu-fsf", dir.Write("fsf.xml", kXml)));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 2u);
  const Entity& saddam = ById(*records, "13");
  EXPECT_EQ(saddam.type, EntityType::kPerson);
  EXPECT_EQ(saddam.meta.id, DeterministicId("person", "eu-fsf", "13"));
  EXPECT_EQ(saddam.DisplayName(), "Saddam Hussein Al-Tikriti");
  EXPECT_TRUE(HasName(saddam, "Abu Ali", NameKind::kAlias));
  EXPECT_TRUE(HasName(saddam, "Abou Ali", NameKind::kWeakAlias));
  ASSERT_EQ(saddam.names.size(), 4u);
  EXPECT_EQ(saddam.names[3].script, "Cyrl");
  ASSERT_EQ(saddam.birth_dates.size(), 2u);
  EXPECT_EQ(saddam.birth_dates[0].ToString(), "1937-04-28");
  EXPECT_EQ(saddam.birth_dates[1].ToString(), "1939");
  EXPECT_EQ(saddam.attributes.at("birth_date_circa"), "1939");
  EXPECT_EQ(saddam.birth_places, std::vector<std::string>{"al-Awja, near Tikrit, IRAQ"});
  EXPECT_EQ(saddam.nationalities, std::vector<std::string>{"IQ"});
  EXPECT_EQ(saddam.gender, Gender::kMale);
  ASSERT_EQ(saddam.documents.size(), 1u);
  EXPECT_EQ(saddam.documents[0].type, "passport");
  EXPECT_EQ(saddam.documents[0].number, "AB850901");
  EXPECT_EQ(saddam.documents[0].country, "");  // "00": unknown
  EXPECT_EQ(saddam.attributes.at("programs"), "IRQ");
  EXPECT_EQ(saddam.attributes.at("listed_on"), "2003-07-07");
  EXPECT_EQ(saddam.attributes.at("eu_reference_number"), "EU.27.28");
  EXPECT_EQ(saddam.attributes.at("un_reference"), "IQi.001");
  EXPECT_EQ(saddam.attributes.at("remarks"), "(UNSC RESOLUTION 1483)");
  EXPECT_EQ(saddam.attributes.at("position"), "Former President");
  EXPECT_EQ(saddam.meta.marking.tlp, Tlp::kClear);
  EXPECT_EQ(saddam.meta.grades.reliability, 'A');

  const Entity& aqi = ById(*records, "5982");
  EXPECT_EQ(aqi.type, EntityType::kOrganization);
  EXPECT_EQ(aqi.meta.category, ThreatCategory::kTerrorism);  // programme TAQA
  EXPECT_EQ(aqi.attributes.at("listed_on"), "2002-05-29");   // first publication
  EXPECT_EQ(aqi.addresses, std::vector<std::string>{"Some street 1, Mosul, IRAQ"});
}

TEST(EuFsfReader, MergesTheRepeatedRowsOfTheSemicolonCsv) {
  TempDir dir;
  auto records = ReadAll(Options("eu-fsf", dir.Write("fsf.csv", kCsv)));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 2u);
  const Entity& saddam = ById(*records, "13");
  EXPECT_EQ(saddam.DisplayName(), "Saddam Hussein Al-Tikriti");
  EXPECT_EQ(saddam.names.size(), 2u);
  ASSERT_EQ(saddam.birth_dates.size(), 2u);
  EXPECT_EQ(saddam.birth_dates[1].ToString(), "1939-04");
  EXPECT_EQ(saddam.nationalities, std::vector<std::string>{"IQ"});
  ASSERT_EQ(saddam.documents.size(), 1u);
  EXPECT_EQ(saddam.documents[0].number, "488555");
  EXPECT_EQ(ById(*records, "5982").meta.category, ThreatCategory::kTerrorism);
}

TEST(EuFsfReader, BadInputNamesFileLineAndReasonAndImportsNothing) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  auto fail = [&](const std::string& file, const std::string& content,
                  const std::string& expected) {
    auto report = RunImport(*db.store, Options("eu-fsf", dir.Write(file, content)));
    ASSERT_FALSE(report.ok()) << expected;
    EXPECT_NE(report.status().message().find(expected), std::string::npos)
        << report.status().message();
    EXPECT_EQ(db.Records(), 0);
  };
  fail("e.xml", "", "e.xml: the file is empty");
  fail("a.xml", "<export>\n<sanctionEntity logicalId=\"1\">\n</export>\n",
       "a.xml line 3: not an EU FSF XML file");
  fail("b.xml", "<CONSOLIDATED_LIST/>",
       "the root element is <CONSOLIDATED_LIST>, expected <export>");
  fail("c.xml",
       "<export>\n<sanctionEntity>\n<subjectType code=\"person\"/>\n"
       "<nameAlias wholeName=\"X\"/></sanctionEntity>\n</export>\n",
       "c.xml line 2, field sanctionEntity@logicalId: missing");
  fail("d.xml",
       "<export>\n<sanctionEntity logicalId=\"7\">\n<subjectType code=\"person\"/>\n"
       "<nameAlias wholeName=\"X\"/>\n<birthdate birthdate=\"2023-02-30\"/>\n"
       "</sanctionEntity>\n</export>\n",
       "d.xml line 5, field BirthDate_BirthDate: \"2023-02-30\"");
  fail("e2.xml",
       "<export>\n<sanctionEntity logicalId=\"8\">\n<subjectType code=\"person\"/>\n"
       "</sanctionEntity>\n</export>\n",
       "e2.xml line 2, field NameAlias_WholeName: entity 8 has no name");
  fail("f.csv", "a;b;c\n1;2;3\n", "f.csv line 1: not an EU FSF CSV file: no Entity_LogicalId");
  fail("g.csv", kCsv + ";;EU.9;;person;P;Nobody;;;;;;;;\n",
       "g.csv line 9, field Entity_LogicalId: missing");
  fail("h.csv", kCsv + "x;99;EU.9;;person;P;Y;;;;13;1980;;;\n",
       "h.csv line 9, field BirthDate_Year: day \"\", month \"13\", year \"1980\"");
  fail("i.csv", kCsv + "x;98;EU.9;;;;Nobody;;;;;;;;\n",
       "i.csv line 9, field Entity_SubjectType: no row of entity 98");
  fail("j.csv", kCsv + "x;97;EU.9;;person;P;\"unclosed;;;;;;;;\n", "j.csv line 9");
  fail("k.csv", kCsv + "x;96;EU.9;;person;P;Bad \xff;;;;;;;;\n", "k.csv line 9: invalid UTF-8");
}

TEST(EuFsfReader, ImportsTheRealColumnSubsetsJoinedOnTheLogicalId) {
  ASSERT_TRUE(testing::SharedExists("data/eu_fsf/output_namealias_english_2.csv"));
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string folder = testing::SharedDir() + "/data/eu_fsf";
  auto report = RunImport(*db.store, Options("eu-fsf", folder));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rows, 5540);
  EXPECT_EQ(report->created, 5540);
  auto stats = db.store->Stats();
  ASSERT_TRUE(stats.ok());
  std::map<std::string, int64_t> by_type(stats->by_type.begin(), stats->by_type.end());
  EXPECT_EQ(by_type["person"], 4230);
  EXPECT_EQ(by_type["organization"], 1310);

  auto saddam = db.store->GetEntity(DeterministicId("person", "eu-fsf", "13"));
  ASSERT_TRUE(saddam.ok()) << saddam.status().ToString();
  EXPECT_EQ(saddam->DisplayName(), "Saddam Hussein Al-Tikriti");
  EXPECT_TRUE(HasName(*saddam, "Abou Ali", NameKind::kAlias));
  ASSERT_FALSE(saddam->birth_dates.empty());
  EXPECT_EQ(saddam->birth_dates[0].ToString(), "1937-04-28");
  EXPECT_EQ(saddam->nationalities, std::vector<std::string>{"IQ"});
  EXPECT_EQ(saddam->attributes.at("eu_reference_number"), "EU.27.28");

  auto passport_holder = db.store->GetEntity(DeterministicId("person", "eu-fsf", "191"));
  ASSERT_TRUE(passport_holder.ok());
  ASSERT_FALSE(passport_holder->documents.empty());
  EXPECT_EQ(passport_holder->documents[0].type, "passport");
  EXPECT_EQ(passport_holder->documents[0].number, "488555");

  // Re-importing the same list changes nothing.
  auto again = RunImport(*db.store, Options("eu-fsf", folder));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->unchanged, 5540);
  EXPECT_EQ(again->created + again->updated, 0);
}

}  // namespace
}  // namespace entente::ingest
