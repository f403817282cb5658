// Sharing agreements: parsing with errors that name the key, and per-record evaluation with a
// reason for everything held back.
#include "exchange/agreement.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace entente::exchange {
namespace {

using testing::kFranceAgreement;
using testing::Person;

TEST(ParseAgreement, ReadsEveryKey) {
  auto a = ParseAgreement(kFranceAgreement, "fr.toml");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->partner.name, "dgsi");
  EXPECT_EQ(a->partner.service, "DGSI");
  EXPECT_EQ(a->share.max_tlp, Tlp::kAmber);
  EXPECT_EQ(a->share.min_reliability, 'B');
  EXPECT_TRUE(a->share.categories.count(ThreatCategory::kTerrorism));
  EXPECT_TRUE(a->may_write);
  EXPECT_FALSE(a->hash.empty());
}

TEST(ParseAgreement, BadInputNamesTheKey) {
  auto expect = [](const std::string& text, const std::string& needle) {
    auto a = ParseAgreement(text, "x.toml");
    ASSERT_FALSE(a.ok());
    EXPECT_NE(a.status().message().find(needle), std::string::npos) << a.status().message();
  };
  expect("[partner\nname=1", "x.toml line");
  expect("[share]\ncategories=[\"*\"]", "[partner] is required");
  expect("[partner]\nname=\"a\"\nservice=\"A\"\n[share]\n", "share.categories");
  expect("[partner]\nname=\"a\"\nservice=\"A\"\n[share]\ncategories=[\"piracy\"]",
         "unknown threat category");
  expect("[partner]\nname=\"a\"\nservice=\"A\"\n[share]\ncategories=[\"*\"]\nmax_tlp=\"PURPLE\"",
         "share.max_tlp");
  expect("[partner]\nname=\"a\"\nservice=\"A\"\n[share]\ncategories=[\"*\"]\nmin_reliability=\"Z\"",
         "share.min_reliability");
  expect("[partner]\nname=\"a\"\nservice=\"A\"\n[share]\ncategories=[\"*\"]\ndrop=[\"shoe_size\"]",
         "unknown field");
  expect("[partner]\nname=\"a\"\nservice=\"A\"\ncolour=\"red\"\n[share]\ncategories=[\"*\"]",
         "partner.colour");
  expect("[partner]\nservice=\"A\"\n[share]\ncategories=[\"*\"]", "partner.name");
}

TEST(ParseAgreement, PullSettingsForUnsignedCollections) {
  const std::string base = "[partner]\nname=\"a\"\nservice=\"A\"\n";
  auto plain = ParseAgreement(base + "[share]\ncategories=[\"*\"]\n", "x.toml");
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_FALSE(plain->accept_unsigned);  // refused unless the agreement says so
  EXPECT_TRUE(plain->partner.collection.empty());
  auto pull = ParseAgreement(base +
                                 "collection=\"2f8e0000-0000-4000-8000-000000000001\"\n[share]\n"
                                 "categories=[\"*\"]\n[receive]\naccept_unsigned=true\n",
                             "x.toml");
  ASSERT_TRUE(pull.ok()) << pull.status().ToString();
  EXPECT_TRUE(pull->accept_unsigned);
  EXPECT_FALSE(pull->may_write);
  EXPECT_EQ(pull->partner.collection, "2f8e0000-0000-4000-8000-000000000001");
  for (const std::string& bad : {std::string("accept_unsigned=\"yes\""), std::string("signed=1")}) {
    auto a = ParseAgreement(base + "[share]\ncategories=[\"*\"]\n[receive]\n" + bad, "x.toml");
    ASSERT_FALSE(a.ok()) << bad;
    EXPECT_NE(a.status().message().find("receive."), std::string::npos) << a.status().message();
  }
  auto number = ParseAgreement(base + "collection=7\n[share]\ncategories=[\"*\"]\n", "x.toml");
  ASSERT_FALSE(number.ok());
  EXPECT_NE(number.status().message().find("partner.collection"), std::string::npos)
      << number.status().message();
}

TEST(Evaluate, SharesWhatQualifiesWithFieldsDroppedAndRedacted) {
  Agreement a = *ParseAgreement(kFranceAgreement);
  Entity p = Person("Mohammed EL IDRISSI", ThreatCategory::kTerrorism, Tlp::kAmber, 'B');
  ShareDecision d = Evaluate(a, "DGSN-DGST", p);
  ASSERT_TRUE(d.shared) << (d.reasons.empty() ? "" : d.reasons[0]);
  const Entity& out = std::get<Entity>(*d.outgoing);
  EXPECT_TRUE(out.addresses.empty());
  EXPECT_EQ(out.meta.provenance.source, "[redacted]");
  ASSERT_EQ(out.birth_dates.size(), 1u);
  EXPECT_EQ(out.birth_dates[0].ToString(), "1987");
  EXPECT_EQ(out.documents, p.documents);
}

TEST(Evaluate, GivesEveryReasonForHoldingBack) {
  Agreement a = *ParseAgreement(kFranceAgreement);
  Entity p = Person("X", ThreatCategory::kNarcotics, Tlp::kRed, 'D');
  p.meta.marking.releasable_to = {"CNI"};
  ShareDecision d = Evaluate(a, "DGSN-DGST", p);
  EXPECT_FALSE(d.shared);
  ASSERT_EQ(d.reasons.size(), 4u);
  EXPECT_NE(d.reasons[0].find("narcotics"), std::string::npos);
  EXPECT_NE(d.reasons[1].find("TLP:RED"), std::string::npos);
  EXPECT_NE(d.reasons[2].find("reliability D"), std::string::npos);
  EXPECT_NE(d.reasons[3].find("releasable only to CNI"), std::string::npos);
}

TEST(Evaluate, NeverReSharesPartnerDataUnlessMarkingsAllow) {
  Agreement third = *ParseAgreement(R"(
[partner]
name = "cni"
service = "CNI"
[share]
categories = ["*"]
max_tlp = "AMBER"
)");
  // Received by France from Morocco, AMBER with no releasability: not to Spain.
  Entity p = Person("Y", ThreatCategory::kTerrorism, Tlp::kAmber, 'A', "DGSN-DGST");
  ShareDecision d = Evaluate(third, "DGSI", p);
  EXPECT_FALSE(d.shared);
  ASSERT_FALSE(d.reasons.empty());
  EXPECT_NE(d.reasons.back().find("received from DGSN-DGST"), std::string::npos);
  // Morocco marked it releasable to CNI: allowed.
  p.meta.marking.releasable_to = {"DGSI", "CNI"};
  EXPECT_TRUE(Evaluate(third, "DGSI", p).shared);
  // Never back to where it came from.
  Agreement back = *ParseAgreement(R"(
[partner]
name = "dgst"
service = "DGSN-DGST"
[share]
categories = ["*"]
max_tlp = "RED"
)");
  EXPECT_FALSE(Evaluate(back, "DGSI", p).shared);
}

TEST(Evaluate, RelationshipNeedsBothEndsShared) {
  Agreement a = *ParseAgreement(kFranceAgreement);
  Relationship r;
  r.meta.id = RandomId("relationship");
  r.meta.provenance.service = "DGSN-DGST";
  r.meta.grades = {'A', 1};
  r.meta.category = ThreatCategory::kTerrorism;
  r.type = RelationshipType::kAssociateOf;
  r.source_id = "person--11111111-1111-4111-8111-111111111111";
  r.target_id = "person--22222222-2222-4222-8222-222222222222";
  EndpointCheck check = [&](const std::string& id) -> Result<bool> { return id == r.source_id; };
  ShareDecision d = Evaluate(a, "DGSN-DGST", r, check);
  EXPECT_FALSE(d.shared);
  ASSERT_EQ(d.reasons.size(), 1u);
  EXPECT_NE(d.reasons[0].find(r.target_id), std::string::npos);
}

}  // namespace
}  // namespace entente::exchange

namespace entente::exchange {
namespace {

TEST(LoadAgreementFile, ExampleAgreementsParse) {
  for (const char* name : {"dgsi.example.toml", "dgst.example.toml"}) {
    auto a = LoadAgreementFile(std::string(ENTENTE_SOURCE_DIR) + "/config/agreements/" + name);
    EXPECT_TRUE(a.ok()) << name << ": " << a.status().ToString();
  }
  EXPECT_EQ(LoadAgreementFile("/nonexistent.toml").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace entente::exchange
