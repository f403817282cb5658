// Outbound collections: publishing through the agreement, updates once, revocations when a
// record or the agreement changes, exact paging; and receiving on the other side, with a
// tampered object refused and audited.
#include "exchange/collection.h"

#include <gtest/gtest.h>

#include <set>

#include "audit/audit_log.h"
#include "exchange/receive.h"
#include "exchange/signing.h"
#include "exchange/stix_mapping.h"
#include "test_util.h"

namespace entente::exchange {
namespace {

using nlohmann::json;
using testing::kFranceAgreement;
using testing::Person;
using testing::TempStore;

std::vector<json> AllObjects(Database& db, const std::string& collection, int64_t limit = 3) {
  std::vector<json> out;
  ObjectQuery q;
  q.limit = limit;
  while (true) {
    auto page = QueryObjects(db, collection, q);
    EXPECT_TRUE(page.ok());
    for (const StoredObject& o : page->objects) out.push_back(json::parse(o.body));
    if (!page->more) break;
    q.after_seq = page->next_seq;
  }
  return out;
}

std::vector<json> Records(const std::vector<json>& objects) {
  std::vector<json> out;
  for (const json& o : objects)
    if (!IsSupportObject(o)) out.push_back(o);
  return out;
}

TEST(PublishOutbound, SharesUpdatesAndRevokes) {
  TempStore ma;
  Agreement fr = *ParseAgreement(kFranceAgreement);
  ExchangeStore xs(ma.db.get());
  ASSERT_TRUE(xs.PutAgreement(fr).ok());
  Entity shared = Person("Mohammed", ThreatCategory::kTerrorism, Tlp::kAmber, 'A');
  Entity held = Person("Youssef", ThreatCategory::kNarcotics, Tlp::kAmber, 'A');
  ASSERT_TRUE(ma.store->PutAll({shared, held}).ok());

  auto first = PublishOutbound(*ma.db, "DGSN-DGST", fr);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->full);
  EXPECT_EQ(first->added, 1);
  std::string collection = xs.OutboundCollectionId("dgsi");
  auto objects = Records(AllObjects(*ma.db, collection));
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_EQ(objects[0]["id"], "threat-actor--" + shared.meta.id.substr(8));
  EXPECT_FALSE(objects[0]["extensions"][kEntenteExtensionId].contains("addresses"));

  // Nothing changed: nothing appended.
  auto again = PublishOutbound(*ma.db, "DGSN-DGST", fr);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->added + again->revoked, 0);

  // An update is sent once, as a newer version.
  shared.names.push_back({"Mohamed", NameKind::kAlias, "Latn"});
  ASSERT_TRUE(ma.store->PutAll({shared}).ok());
  auto update = PublishOutbound(*ma.db, "DGSN-DGST", fr);
  ASSERT_TRUE(update.ok());
  EXPECT_EQ(update->added, 1);
  ObjectQuery all;
  all.versions = {"all"};
  all.ids = {objects[0]["id"]};
  auto versions = QueryObjects(*ma.db, collection, all);
  ASSERT_EQ(versions->objects.size(), 2u);
  EXPECT_LT(versions->objects[0].version, versions->objects[1].version);

  // The agreement tightens: the record is revoked at the partner.
  Agreement stricter = *ParseAgreement(std::string(kFranceAgreement) + "\n", "v2");
  stricter.share.categories = {ThreatCategory::kOrganizedCrime};
  stricter.hash = "changed";
  auto revoke = PublishOutbound(*ma.db, "DGSN-DGST", stricter);
  ASSERT_TRUE(revoke.ok());
  EXPECT_EQ(revoke->revoked, 1);
  auto last = QueryObjects(*ma.db, collection, ObjectQuery{});
  json latest;
  for (const StoredObject& o : last->objects)
    if (o.id == objects[0]["id"]) latest = json::parse(o.body);
  EXPECT_EQ(latest.value("revoked", false), true);
}

TEST(PublishOutbound, PagingNeitherSkipsNorRepeatsWhileWritesGoOn) {
  TempStore ma;
  Agreement fr = *ParseAgreement(kFranceAgreement);
  ExchangeStore xs(ma.db.get());
  ASSERT_TRUE(xs.PutAgreement(fr).ok());
  std::vector<Record> batch;
  for (int i = 0; i < 25; ++i)
    batch.push_back(Person("P" + std::to_string(i), ThreatCategory::kTerrorism, Tlp::kGreen, 'A'));
  ASSERT_TRUE(ma.store->PutAll(batch).ok());
  ASSERT_TRUE(PublishOutbound(*ma.db, "DGSN-DGST", fr).ok());
  std::string collection = xs.OutboundCollectionId("dgsi");
  // Page with added_after like a TAXII client, writing more between pages.
  std::set<std::string> seen;
  std::string added_after;
  int round = 0;
  while (true) {
    ObjectQuery q;
    q.limit = 4;
    q.added_after = added_after;
    auto page = QueryObjects(*ma.db, collection, q);
    ASSERT_TRUE(page.ok());
    if (page->objects.empty()) break;
    for (const StoredObject& o : page->objects) {
      if (o.type == "marking-definition" || o.type == "extension-definition" ||
          o.id == kEntenteIdentityId)
        continue;
      EXPECT_TRUE(seen.insert(o.id).second) << "repeated " << o.id;
    }
    added_after = page->objects.back().date_added;
    if (round++ < 3) {
      ASSERT_TRUE(ma.store
                      ->PutAll({Person("Late" + std::to_string(round), ThreatCategory::kTerrorism,
                                       Tlp::kGreen, 'A')})
                      .ok());
      ASSERT_TRUE(PublishOutbound(*ma.db, "DGSN-DGST", fr).ok());
    }
  }
  EXPECT_EQ(seen.size(), 28u);
}

TEST(ApplyReceivedObjects, AppliesSignedObjectsAndRefusesTamperedOnes) {
  TempStore ma, fr;
  Agreement ma_to_fr = *ParseAgreement(kFranceAgreement);
  ExchangeStore ma_xs(ma.db.get());
  ASSERT_TRUE(ma_xs.PutAgreement(ma_to_fr).ok());
  Entity p1 = Person("Mohammed", ThreatCategory::kTerrorism, Tlp::kAmber, 'A');
  Entity p2 = Person("Abdelkader", ThreatCategory::kTerrorism, Tlp::kAmber, 'A');
  ASSERT_TRUE(ma.store->PutAll({p1, p2}).ok());
  ASSERT_TRUE(PublishOutbound(*ma.db, "DGSN-DGST", ma_to_fr).ok());
  std::vector<json> objects = AllObjects(*ma.db, ma_xs.OutboundCollectionId("dgsi"), 100);
  // Tamper with p2 in transit.
  for (json& o : objects)
    if (o["id"] == "threat-actor--" + p2.meta.id.substr(8)) o["name"] = "Someone else";

  auto ma_key = ma_xs.NodeKey();
  ASSERT_TRUE(ma_key.ok());
  Agreement fr_from_ma = *ParseAgreement(R"(
[partner]
name = "dgst"
service = "DGSN-DGST"
public_key = ")" + ma_key->public_key + R"("
[share]
categories = ["*"]
)");
  ExchangeStore fr_xs(fr.db.get());
  ASSERT_TRUE(fr_xs.PutAgreement(fr_from_ma).ok());
  auto writer = fr.store->BeginWrite();
  ASSERT_TRUE(writer.ok());
  auto summary = ApplyReceivedObjects(**writer, *fr.db, "DGSI", fr_from_ma, objects,
                                      {"cli:test", "local", "DGSI"});
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_TRUE((*writer)->Commit().ok());
  EXPECT_EQ(summary->created, 1);
  EXPECT_EQ(summary->rejected, 1);
  auto got = fr.store->GetEntity(p1.meta.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->meta.provenance.service, "DGSN-DGST");
  EXPECT_EQ(got->meta.provenance.source, "[redacted]");
  EXPECT_EQ(got->meta.marking.tlp, Tlp::kAmber);
  EXPECT_FALSE(fr.store->Get(p2.meta.id).ok());
  auto audit = server::AuditLog::Read(*fr.db, {.action = "exchange.reject"});
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].outcome, "denied");
  EXPECT_EQ(*fr_xs.CountRejections("dgst"), 1);

  // Applying the same objects again changes nothing.
  auto writer2 = fr.store->BeginWrite();
  auto again = ApplyReceivedObjects(**writer2, *fr.db, "DGSI", fr_from_ma, objects,
                                    {"cli:test", "local", "DGSI"});
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE((*writer2)->Commit().ok());
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->updated, 0);
}

TEST(QueryObjects, RejectsBadVersionFilter) {
  TempStore ma;
  ObjectQuery q;
  q.versions = {"yesterday"};
  EXPECT_EQ(QueryObjects(*ma.db, "x", q).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace entente::exchange
