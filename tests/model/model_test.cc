#include <gtest/gtest.h>

#include "common/ids.h"
#include "model/codec.h"
#include "model/country.h"
#include "model/entity.h"
#include "model/partial_date.h"

namespace entente {
namespace {

TEST(PartialDate, ParsesYearMonthDay) {
  EXPECT_EQ(PartialDate::Parse("1987")->ToString(), "1987");
  EXPECT_EQ(PartialDate::Parse("1987-03")->ToString(), "1987-03");
  EXPECT_EQ(PartialDate::Parse("1987-03-04")->ToString(), "1987-03-04");
}

TEST(PartialDate, RejectsImpossibleDatesWithReason) {
  std::string why;
  EXPECT_FALSE(PartialDate::Parse("2023-02-30", &why));
  EXPECT_NE(why.find("no day 30 in february 2023"), std::string::npos) << why;
  EXPECT_TRUE(PartialDate::Parse("2024-02-29"));
  EXPECT_FALSE(PartialDate::Parse("0000-00-00", &why));
  EXPECT_FALSE(PartialDate::Parse("31/02/1990", &why));
  EXPECT_FALSE(PartialDate::Parse("1987-13", &why));
  EXPECT_FALSE(PartialDate::Parse("", &why));
}

TEST(PartialDate, LooseFormsOfPublicLists) {
  EXPECT_EQ(PartialDate::ParseLoose("04 Mar 1987")->ToString(), "1987-03-04");
  EXPECT_EQ(PartialDate::ParseLoose("Mar 1987")->ToString(), "1987-03");
  EXPECT_EQ(PartialDate::ParseLoose("circa 1960")->ToString(), "1960");
  EXPECT_EQ(PartialDate::ParseLoose("04/03/1987")->ToString(), "1987-03-04");
  EXPECT_FALSE(PartialDate::ParseLoose("31/02/1990"));
}

TEST(Ids, DeterministicIdsAreStableAndDistinct) {
  std::string a = DeterministicId("person", "ofac-sdn", "36");
  EXPECT_EQ(a, DeterministicId("person", "ofac-sdn", "36"));
  EXPECT_NE(a, DeterministicId("person", "ofac-sdn", "37"));
  EXPECT_NE(a, DeterministicId("person", "un-sc", "36"));
  EXPECT_TRUE(IsValidStixId(a));
  EXPECT_EQ(StixIdType(a), "person");
  EXPECT_FALSE(IsValidStixId("person--not-a-uuid"));
  EXPECT_FALSE(IsValidStixId("Person--1b4e28ba-2fa1-11d2-883f-0016d3cca427"));
}

TEST(Types, ParsesVocabularies) {
  EXPECT_EQ(ParseTlp("amber+strict"), Tlp::kAmberStrict);
  EXPECT_EQ(ParseTlp("TLP:RED"), Tlp::kRed);
  EXPECT_FALSE(ParseTlp("purple"));
  EXPECT_EQ(ParseThreatCategory("human-trafficking"), ThreatCategory::kHumanTrafficking);
  EXPECT_FALSE(ParseThreatCategory("terrorsim"));
  EXPECT_TRUE(Tlp::kGreen < Tlp::kAmber);
  EXPECT_TRUE(IsValidCountryCode("MA"));
  EXPECT_FALSE(IsValidCountryCode("XX"));
  EXPECT_FALSE(IsValidCountryCode("ma"));
}

TEST(Marking, MayReadChecksTlpAndReleasability) {
  Marking m{Tlp::kAmber, {"DGSI"}};
  EXPECT_TRUE(MayRead(m, "DGSN-DGST", Tlp::kAmber, "DGSI"));
  EXPECT_FALSE(MayRead(m, "DGSN-DGST", Tlp::kGreen, "DGSI"));
  EXPECT_FALSE(MayRead(m, "DGSN-DGST", Tlp::kRed, "BND"));
  EXPECT_TRUE(MayRead(m, "DGSN-DGST", Tlp::kRed, "DGSN-DGST"));
  EXPECT_TRUE(MayRead({Tlp::kAmber, {}}, "DGSN-DGST", Tlp::kRed, "DGSI"));
  EXPECT_FALSE(MayRead({Tlp::kAmberStrict, {}}, "DGSN-DGST", Tlp::kRed, "DGSI"));
  EXPECT_FALSE(MayRead({Tlp::kRed, {}}, "DGSN-DGST", Tlp::kRed, "DGSI"));
}

TEST(Codec, EntityRoundTripsThroughJson) {
  Entity e;
  e.type = EntityType::kPerson;
  e.meta.id = DeterministicId("person", "t", "1");
  e.meta.grades = {'A', 1};
  e.meta.category = ThreatCategory::kNarcotics;
  e.meta.marking = {Tlp::kAmberStrict, {"DGSI"}};
  e.names = {{"محمد الإدريسي", NameKind::kPrimary, "Arab"},
             {"Mohamed Idrissi", NameKind::kAlias, "Latn"}};
  e.birth_dates = {*PartialDate::Parse("1987-03-04")};
  e.nationalities = {"MA"};
  e.gender = Gender::kMale;
  e.documents = {{"passport", "AB123456", "MA", "", "2030-01-01"}};
  e.attributes["programs"] = "SDGT";
  auto back = EntityFromJson(EntityToJson(e));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, e);
}

TEST(Codec, BadFieldsNameTheField) {
  auto r =
      EntityFromJson(R"({"id":"person--1b4e28ba-2fa1-51d2-883f-0016d3cca427","category":"bogus"})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("category"), std::string::npos);
  auto d = EntityFromJson(R"({"birth_dates":["2023-02-30"]})");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("birth_dates"), std::string::npos);
  EXPECT_FALSE(EntityFromJson("{not json").ok());
  EXPECT_FALSE(EntityFromJson(R"({"names":"x"})").ok());
}

TEST(Validate, PersonNeedsANameAndValidCountries) {
  Entity e;
  e.meta.id = DeterministicId("person", "t", "1");
  EXPECT_FALSE(ValidateEntity(e).ok());
  e.names = {{"Ali", NameKind::kPrimary, ""}};
  EXPECT_TRUE(ValidateEntity(e).ok());
  e.names[0].full = std::string("bad \xff utf8");
  EXPECT_FALSE(ValidateEntity(e).ok());
  e.names[0].full = "Ali";
  e.meta.id = DeterministicId("organization", "t", "1");
  EXPECT_FALSE(ValidateEntity(e).ok());
}

}  // namespace
}  // namespace entente
