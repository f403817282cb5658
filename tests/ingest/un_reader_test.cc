// The UN Security Council consolidated list reader: a hand-written list, bad input, and the
// real lists from ../shared/data/un_sc.
#include "ingest/un_reader.h"

#include <gtest/gtest.h>

#include "ingest/country_names.h"
#include "ingest_test_util.h"

namespace entente::ingest {
namespace {

using testing::Options;
using testing::TempDir;
using testing::TestStore;

const std::string kList = R"(<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2025-11-20T23:00:09.067Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>6908555</DATAID>
      <FIRST_NAME>SADDAM</FIRST_NAME>
      <SECOND_NAME>HUSSEIN AL-TIKRITI</SECOND_NAME>
      <UN_LIST_TYPE>Iraq</UN_LIST_TYPE>
      <REFERENCE_NUMBER>IQi.001</REFERENCE_NUMBER>
      <NAME_ORIGINAL_SCRIPT>صدام حسين التكريتي</NAME_ORIGINAL_SCRIPT>
      <NATIONALITY><VALUE>Iraq</VALUE></NATIONALITY>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Abu Ali</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Abu Udai</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1937-04-28</DATE></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_PLACE_OF_BIRTH><CITY>al-Awja, near Tikrit</CITY><COUNTRY>Iraq</COUNTRY></INDIVIDUAL_PLACE_OF_BIRTH>
      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>AB850901 </NUMBER>
        <ISSUING_COUNTRY>United Republic of Tanzania</ISSUING_COUNTRY></INDIVIDUAL_DOCUMENT>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <DATAID>2</DATAID>
      <FIRST_NAME>AHMAD</FIRST_NAME>
      <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
      <REFERENCE_NUMBER>QDi.002</REFERENCE_NUMBER>
      <GENDER>Male</GENDER>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1960</FROM_YEAR><TO_YEAR>1962</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1965</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <DATAID>3</DATAID>
      <FIRST_NAME>CONGOMET TRADING HOUSE</FIRST_NAME>
      <UN_LIST_TYPE>DRC</UN_LIST_TYPE>
      <REFERENCE_NUMBER>CDe.004</REFERENCE_NUMBER>
      <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Congomet</ALIAS_NAME></ENTITY_ALIAS>
      <ENTITY_ADDRESS><CITY>Butembo</CITY><COUNTRY>Democratic Republic of the Congo</COUNTRY></ENTITY_ADDRESS>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
)";

TEST(DetectScript, NamesTheScript) {
  EXPECT_EQ(DetectScript("Mohamed"), "Latn");
  EXPECT_EQ(DetectScript("Gutiérrez"), "Latn");
  EXPECT_EQ(DetectScript("محمد"), "Arab");
  EXPECT_EQ(DetectScript("Захаров"), "Cyrl");
  EXPECT_EQ(DetectScript("김정은"), "Hang");
}

TEST(CountryNames, MapsListSpellings) {
  EXPECT_EQ(CountryCodeForName("Korea, North"), "KP");
  EXPECT_EQ(CountryCodeForName("Democratic People's Republic of Korea"), "KP");
  EXPECT_EQ(CountryCodeForName("Congo, Democratic Republic of the"), "CD");
  EXPECT_EQ(CountryCodeForName("Democratic Republic of the Congo"), "CD");
  EXPECT_EQ(CountryCodeForName("Congo, Republic of the"), "CG");
  EXPECT_EQ(CountryCodeForName("Syrian Arab Republic"), "SY");
  EXPECT_EQ(CountryCodeForName("Iran (Islamic Republic of)"), "IR");
  EXPECT_EQ(CountryCodeForName("Russian Federation"), "RU");
  EXPECT_EQ(CountryCodeForName("Cote d Ivoire"), "CI");
  EXPECT_EQ(CountryCodeForName("Türkiye"), "TR");
  EXPECT_EQ(CountryCodeForName("Bahamas, The"), "BS");
  EXPECT_EQ(CountryCodeForName("Man, Isle of"), "IM");
  EXPECT_EQ(CountryCodeForName("Burma"), "MM");
  EXPECT_EQ(CountryCodeForName("Palestinian"), "PS");
  EXPECT_EQ(CountryCodeForName("Kosovo"), "XK");
  EXPECT_EQ(CountryCodeForName("United Kingdom of Great Britain and Northern Ireland"), "GB");
  EXPECT_EQ(CountryCodeForName("morocco"), "MA");
  EXPECT_EQ(CountryCodeForName("DZA"), "DZ");
  EXPECT_EQ(CountryCodeForName("undetermined"), "");
  EXPECT_EQ(CountryCodeForName("Region: Crimea"), "");
  EXPECT_EQ(CountryNameForCode("TN"), "Tunisia");
}

TEST(UnReader, ReadsIndividualsAndEntities) {
  TempDir dir;
  auto records = ReadAll(Options("un", dir.Write("un.xml", kList)));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 3u);
  const Entity& saddam = std::get<Entity>((*records)[0]);
  EXPECT_EQ(saddam.type, EntityType::kPerson);
  EXPECT_EQ(saddam.DisplayName(), "SADDAM HUSSEIN AL-TIKRITI");
  EXPECT_EQ(saddam.meta.provenance.source, "un-sc");
  EXPECT_EQ(saddam.meta.provenance.source_record_id, "IQi.001");
  ASSERT_EQ(saddam.names.size(), 4u);
  EXPECT_EQ(saddam.names[1].script, "Arab");
  EXPECT_EQ(saddam.names[2].kind, NameKind::kAlias);
  EXPECT_EQ(saddam.names[3].kind, NameKind::kWeakAlias);
  EXPECT_EQ(saddam.birth_dates[0].ToString(), "1937-04-28");
  EXPECT_EQ(saddam.nationalities, (std::vector<std::string>{"IQ"}));
  EXPECT_EQ(saddam.birth_places, (std::vector<std::string>{"al-Awja, near Tikrit, Iraq"}));
  ASSERT_EQ(saddam.documents.size(), 1u);
  EXPECT_EQ(saddam.documents[0].number, "AB850901");
  EXPECT_EQ(saddam.documents[0].country, "TZ");
  EXPECT_EQ(saddam.meta.category, ThreatCategory::kOther);

  const Entity& ahmad = std::get<Entity>((*records)[1]);
  EXPECT_EQ(ahmad.meta.category, ThreatCategory::kTerrorism);
  EXPECT_EQ(ahmad.gender, Gender::kMale);
  std::vector<std::string> years;
  for (const PartialDate& d : ahmad.birth_dates) years.push_back(d.ToString());
  EXPECT_EQ(years, (std::vector<std::string>{"1960", "1962", "1961", "1965"}));

  const Entity& congomet = std::get<Entity>((*records)[2]);
  EXPECT_EQ(congomet.type, EntityType::kOrganization);
  EXPECT_EQ(congomet.names.size(), 2u);
  EXPECT_EQ(congomet.addresses,
            (std::vector<std::string>{"Butembo, Democratic Republic of the Congo"}));
}

TEST(UnReader, BadInput) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  auto fail = [&](const std::string& content, const std::string& expected) {
    auto report = RunImport(*db.store, Options("un", dir.Write("bad.xml", content)));
    EXPECT_FALSE(report.ok()) << expected;
    if (!report.ok()) {
      EXPECT_NE(report.status().message().find(expected), std::string::npos)
          << report.status().message();
    }
    EXPECT_EQ(db.Records(), 0);
  };
  fail("", "bad.xml: the file is empty");
  fail("id,name\nA,B\n", "not a UN consolidated list XML file");
  fail("<?xml version=\"1.0\"?>\n<sdnList></sdnList>\n",
       "bad.xml line 2: not a UN consolidated list: the root element is <sdnList>");
  fail("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>\n</CONSOLIDATED_LIST>",
       "not a UN consolidated list XML file");
  std::string impossible = kList;
  impossible.replace(impossible.find("1937-04-28"), 10, "2023-02-30");
  fail(impossible, "field INDIVIDUAL_DATE_OF_BIRTH/DATE: \"2023-02-30\"");
  std::string bad_utf8 = kList;
  bad_utf8.replace(bad_utf8.find("AHMAD"), 5, "AHM\xc3\x28");
  fail(bad_utf8, "field FIRST_NAME: invalid UTF-8");
  std::string no_name = kList;
  no_name.replace(no_name.find("<FIRST_NAME>AHMAD</FIRST_NAME>"), 30, "");
  fail(no_name, "bad.xml line 19, field FIRST_NAME: no name");
  auto missing = RunImport(*db.store, Options("un", dir.File("missing.xml")));
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST(UnReader, ImportsTheRealLists) {
  if (!testing::SharedExists("data/un_sc/consolidated_2025-11-20.xml"))
    GTEST_SKIP() << "../shared/data/un_sc is missing";
  TempDir dir;
  TestStore db(dir.File("store.db"));
  auto report = RunImport(
      *db.store, Options("un", testing::SharedDir() + "/data/un_sc/consolidated_2025-11-20.xml"));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rejected, 0);
  auto stats = db.store->Stats();
  ASSERT_TRUE(stats.ok());
  std::map<std::string, int64_t> by_type(stats->by_type.begin(), stats->by_type.end());
  EXPECT_EQ(by_type["person"], 727);
  EXPECT_EQ(by_type["organization"], 273);

  int64_t arabic = 0, non_latin = 0, with_nationality = 0;
  Status scan = db.store->ForEachRecord({}, [&](const Record& record) {
    const Entity& e = std::get<Entity>(record);
    for (const Name& n : e.names) {
      arabic += n.script == "Arab";
      non_latin += n.script != "Latn";
    }
    with_nationality += !e.nationalities.empty();
    return true;
  });
  ASSERT_TRUE(scan.ok());
  EXPECT_GE(non_latin, 337);  // NAME_ORIGINAL_SCRIPT for 337 individuals, per the README
  EXPECT_GT(arabic, 200);
  EXPECT_GT(with_nationality, 550);

  // The older version of the list is another snapshot of the same source.
  auto older = RunImport(
      *db.store, Options("un", testing::SharedDir() + "/data/un_sc/consolidated_2025-04-19.xml"));
  ASSERT_TRUE(older.ok()) << older.status().ToString();
  EXPECT_GT(older->unchanged + older->updated, 700);
}

}  // namespace
}  // namespace entente::ingest
