// What a standard STIX producer's POST leads to: unsigned objects stored and marked unsigned
// (a signed one still verified), a collection's versions (SCOs included) and de-duplication,
// and configured collections with their grants and bad input.
#include "exchange/taxii_collections.h"

#include <gtest/gtest.h>

#include "exchange/collection.h"
#include "exchange/receive.h"
#include "exchange/signing.h"
#include "exchange/stix_mapping.h"
#include "test_util.h"

namespace entente::exchange {
namespace {

using nlohmann::json;
using testing::kFranceAgreement;
using testing::TempStore;

json UnsignedIndividual(const std::string& uuid, const std::string& name) {
  return {{"type", "identity"},
          {"spec_version", "2.1"},
          {"id", "identity--" + uuid},
          {"created", "2026-01-02T03:04:05.123Z"},
          {"modified", "2026-01-02T03:04:05.123Z"},
          {"name", name},
          {"identity_class", "individual"}};
}

TEST(ReceiveUnsigned, StoredWithUnsignedProvenanceOnlyWhenThePolicyAcceptsThem) {
  TempStore node;
  Agreement fr = *ParseAgreement(kFranceAgreement);
  ASSERT_TRUE(ExchangeStore(node.db.get()).PutAgreement(fr).ok());
  std::string uuid = RandomId("x").substr(3);
  json object = UnsignedIndividual(uuid, "Rachid UNSIGNED");
  // A forged extension claiming another provenance and top grades is ignored.
  object["extensions"] = {{kEntenteExtensionId,
                           {{"extension_type", "property-extension"},
                            {"grades", {{"reliability", "A"}, {"credibility", 1}}}}}};
  {
    auto writer = node.store->BeginWrite();
    auto refused = ApplyReceivedObjects(**writer, *node.db, "DGSN-DGST", fr, {object},
                                        {"dgsi", "partner", "DGSI"});
    ASSERT_TRUE(refused.ok());
    EXPECT_EQ(refused->rejected, 1);
    ASSERT_TRUE((*writer)->Commit().ok());
  }
  ReceivePolicy policy;
  policy.accept_unsigned = true;
  auto writer = node.store->BeginWrite();
  auto summary = ApplyReceivedObjects(**writer, *node.db, "DGSN-DGST", fr, {object},
                                      {"dgsi", "partner", "DGSI"}, policy);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_TRUE((*writer)->Commit().ok());
  EXPECT_EQ(summary->created, 1) << summary->outcomes[0].message;
  auto got = node.store->GetEntity("person--" + uuid);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->meta.provenance.service, "DGSI");
  EXPECT_EQ(got->meta.provenance.source, UnsignedSource("dgsi"));
  EXPECT_EQ(got->meta.grades.reliability, 'F');
  EXPECT_EQ(got->meta.grades.credibility, 6);
}

TEST(ReceiveUnsigned, ASignedObjectIsStillVerified) {
  TempStore node;
  Agreement fr = *ParseAgreement(kFranceAgreement);
  fr.partner.public_key = GenerateSigningKey().public_key;  // the partner's real key
  SigningKey other = GenerateSigningKey();
  json object = UnsignedIndividual(RandomId("x").substr(3), "Signed By Someone Else");
  ASSERT_TRUE(SignStixObject(other, "DGSI", &object).ok());
  ReceivePolicy policy;
  policy.accept_unsigned = true;
  auto writer = node.store->BeginWrite();
  auto summary = ApplyReceivedObjects(**writer, *node.db, "DGSN-DGST", fr, {object},
                                      {"dgsi", "partner", "DGSI"}, policy);
  ASSERT_TRUE(summary.ok());
  ASSERT_TRUE((*writer)->Commit().ok());
  EXPECT_EQ(summary->rejected, 1);
  EXPECT_FALSE(summary->outcomes[0].ok);
}

TEST(AppendReceivedObject, VersionsAndDuplicates) {
  TempStore node;
  ASSERT_TRUE(node.db->BeginWrite().ok());
  json sco = {{"type", "ipv4-addr"},
              {"spec_version", "2.1"},
              {"id", "ipv4-addr--" + RandomId("x").substr(3)},
              {"value", "198.51.100.7"}};
  auto v1 = AppendReceivedObject(*node.db, "c1", sco);
  ASSERT_TRUE(v1.ok());
  EXPECT_FALSE(v1->empty()) << "an SCO's version is the date it was added";
  json sdo = UnsignedIndividual(RandomId("x").substr(3), "Once");
  auto a = AppendReceivedObject(*node.db, "c1", sdo);
  auto b = AppendReceivedObject(*node.db, "c1", sdo);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, "2026-01-02T03:04:05.123Z");
  ASSERT_TRUE(node.db->Commit().ok());
  ObjectQuery q;
  q.versions = {"all"};
  auto page = QueryObjects(*node.db, "c1", q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->objects.size(), 2u) << "the same id and version is kept once";
  EXPECT_LT(page->objects[0].date_added, page->objects[1].date_added);
  EXPECT_EQ(json::parse(page->objects[1].body), sdo);
}

TEST(ConfiguredCollections, AddListGrantAndRevoke) {
  TempStore node;
  ASSERT_TRUE(ExchangeStore(node.db.get()).PutAgreement(*ParseAgreement(kFranceAgreement)).ok());
  ConfiguredCollection c;
  c.title = "Community indicators";
  c.agreement = "dgsi";
  ASSERT_TRUE(AddConfiguredCollection(*node.db, &c).ok());
  EXPECT_EQ(c.id.size(), 36u);
  ASSERT_TRUE(GrantConfiguredCollection(*node.db, c.id, {"user:octi", true, true}).ok());
  ASSERT_TRUE(GrantConfiguredCollection(*node.db, c.id, {"role:partner", true, false}).ok());
  ASSERT_TRUE(GrantConfiguredCollection(*node.db, c.id, {"user:octi", true, false}).ok());
  auto got = GetConfiguredCollection(*node.db, c.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->agreement, "dgsi");
  EXPECT_EQ(got->media_types, std::vector<std::string>{"application/stix+json;version=2.1"});
  ASSERT_EQ(got->grants.size(), 2u);
  EXPECT_EQ(got->grants[1].grantee, "user:octi");
  EXPECT_FALSE(got->grants[1].can_write);
  ASSERT_TRUE(GrantConfiguredCollection(*node.db, c.id, {"role:partner", false, false}).ok());
  EXPECT_EQ(GetConfiguredCollection(*node.db, c.id)->grants.size(), 1u);
  EXPECT_EQ(ListConfiguredCollections(*node.db)->size(), 1u);
}

TEST(ConfiguredCollections, BadInputIsRefusedWithTheReason) {
  TempStore node;
  struct Case {
    ConfiguredCollection c;
    StatusCode code;
    std::string needle;
  };
  ConfiguredCollection ok;
  ok.title = "first";
  ASSERT_TRUE(AddConfiguredCollection(*node.db, &ok).ok());
  std::vector<Case> cases = {
      {{"not-a-uuid", "t", "", {}, "", {}}, StatusCode::kInvalidArgument, "not a UUID"},
      {{"", "  ", "", {}, "", {}}, StatusCode::kInvalidArgument, "title is empty"},
      {{"", "t", "", {"text/csv"}, "", {}}, StatusCode::kInvalidArgument, "not STIX 2.1"},
      {{"", "t", "", {}, "nobody", {}}, StatusCode::kInvalidArgument, "no agreement"},
      {{ok.id, "t", "", {}, "", {}}, StatusCode::kConflict, "already exists"},
  };
  for (Case& k : cases) {
    Status s = AddConfiguredCollection(*node.db, &k.c);
    EXPECT_EQ(s.code(), k.code) << s.ToString();
    EXPECT_NE(s.message().find(k.needle), std::string::npos) << s.message();
  }
  Status s = GrantConfiguredCollection(*node.db, RandomId("x").substr(3), {"user:a", true, false});
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace entente::exchange
