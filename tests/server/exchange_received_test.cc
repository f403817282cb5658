// The exchange page's collections and received-records routes over real HTTPS: records a
// partner sent (pulled and signed, posted unsigned, refused), with provenance and signature
// status, filtered and paged; one record's provenance chain; the collections with their
// readers, writers and counts. A lower-clearance and an other-service liaison must see neither
// the hidden records nor a count or a refusal that names them. Bad input for every parameter.
#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdio>
#include <set>

#include "exchange/agreement.h"
#include "exchange/collection.h"
#include "exchange/exchange_store.h"
#include "exchange/receive.h"
#include "exchange/received_log.h"
#include "exchange/signing.h"
#include "exchange/stix_mapping.h"
#include "server_test_util.h"

namespace entente::server {
namespace {

using nlohmann::json;
using testing::MakePerson;
using testing::ParseJson;
using testing::TestServer;

class ExchangeReceivedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>();
    local_ = MakePerson("Local Shared Green", Tlp::kGreen);
    server_->Put({local_});
    server_->Start();
    server_->AddUserNow("red-liaison", Role::kLiaison, Tlp::kRed, "DGSN-DGST");
    server_->AddUserNow("green-liaison", Role::kLiaison, Tlp::kGreen, "DGSN-DGST");
    server_->AddUserNow("dgse-liaison", Role::kLiaison, Tlp::kAmber, "DGSE");
    auto opened = Database::Open(server_->db_path());
    ASSERT_TRUE(opened.ok());
    Database& db = **opened;
    ASSERT_TRUE(exchange::ExchangeStore::Migrate(db).ok());
    ASSERT_TRUE(exchange::MigrateReceivedLog(db).ok());
    key_ = exchange::GenerateSigningKey();
    auto agreement = exchange::ParseAgreement(
        "[partner]\nname = \"dgsi\"\nservice = \"DGSI\"\npublic_key = \"" + key_.public_key +
        "\"\n[share]\ncategories = [\"*\"]\nmax_tlp = \"GREEN\"\n");
    ASSERT_TRUE(agreement.ok()) << agreement.status().ToString();
    agreement_ = *agreement;
    exchange::ExchangeStore xs(&db);
    ASSERT_TRUE(xs.PutAgreement(agreement_).ok());
    inbound_ = xs.InboundCollectionId("dgsi");
    ASSERT_TRUE(exchange::PublishOutbound(db, "DGSN-DGST", agreement_).ok());

    amber_ = MakePerson("Karim Recu Amber", Tlp::kAmber, "DGSI", {"DGSN-DGST"});
    red_ = MakePerson("Karim Recu Red", Tlp::kRed, "DGSI", {"DGSN-DGST"});
    Pull(db, {Signed(amber_), Signed(red_)});
    // Refused: a tampered object with a new id, and one with the RED record's id.
    json tampered = Signed(MakePerson("Tampered Nobody", Tlp::kGreen, "DGSI"));
    tampered["name"] = "changed after signing";
    tampered_id_ = tampered["id"];
    json tampered_red = Signed(red_);
    tampered_red["modified"] = "2026-02-01T00:00:00.000Z";
    Pull(db, {tampered, tampered_red});
    // Posted into the inbound collection without entente's signature (a standard producer).
    posted_ = {{"type", "identity"},
               {"spec_version", "2.1"},
               {"id", "identity--0b6c3c8e-7a57-4b1a-9d43-5a7f0f1d2c3e"},
               {"created", "2026-01-05T00:00:00.000Z"},
               {"modified", "2026-01-05T00:00:00.000Z"},
               {"name", "Samir Unsigned Amber"},
               {"identity_class", "individual"},
               {"object_marking_refs", {std::string(exchange::TlpMarkingId(Tlp::kAmber))}}};
    {
      RecordStore store(&db);
      auto writer = store.BeginWrite();
      ASSERT_TRUE(writer.ok());
      exchange::ReceivePolicy policy;
      policy.accept_unsigned = true;
      auto summary = exchange::ApplyReceivedObjects(**writer, db, "DGSN-DGST", agreement_,
                                                    {posted_}, {"par", "partner", "DGSI"}, policy);
      ASSERT_TRUE(summary.ok()) << summary.status().ToString();
      ASSERT_EQ(summary->created, 1) << summary->outcomes[0].message;
      ASSERT_TRUE(exchange::AppendReceivedObjects(db, inbound_, {posted_}).ok());
      ASSERT_TRUE((*writer)->Commit().ok());
    }
  }

  json Signed(Entity entity) {
    entity.meta.created = entity.meta.modified =
        "2026-01-0" + std::to_string(++n_) + "T00:00:00.000Z";
    json o = exchange::RecordToStix(Record(entity));
    EXPECT_TRUE(exchange::SignStixObject(key_, "DGSI", &o).ok());
    return o;
  }

  // What SyncPartner does with a page: apply, then log, in one transaction.
  void Pull(Database& db, const std::vector<json>& objects) {
    RecordStore store(&db);
    auto writer = store.BeginWrite();
    ASSERT_TRUE(writer.ok());
    auto summary = exchange::ApplyReceivedObjects(**writer, db, "DGSN-DGST", agreement_, objects,
                                                  {"lia", "local", "DGSN-DGST"});
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    ASSERT_TRUE(exchange::LogPulledObjects(db, "dgsi", "their-collection", objects, *summary).ok());
    ASSERT_TRUE((*writer)->Commit().ok());
  }

  json Items(const std::string& query, const std::string& user) {
    auto [status, body] = server_->Call("GET", "/api/v1/exchange/received" + query, user);
    EXPECT_EQ(status, 200) << body;
    return status == 200 ? ParseJson(body)["items"] : json::array();
  }

  std::unique_ptr<TestServer> server_;
  exchange::SigningKey key_;
  exchange::Agreement agreement_;
  std::string inbound_, tampered_id_;
  Entity local_, amber_, red_;
  json posted_;
  int n_ = 0;
};

std::set<std::string> Signatures(const json& items) {
  std::set<std::string> out;
  for (const json& i : items)
    out.insert(i["signature"].get<std::string>() + ":" + i["via"].get<std::string>());
  return out;
}

TEST_F(ExchangeReceivedTest, ALiaisonSeesWhatItMayReadWithProvenanceAndSignature) {
  json items = Items("", "lia");
  ASSERT_EQ(items.size(), 3u) << items.dump(1);  // AMBER pulled, unsigned posted, one refusal
  EXPECT_EQ(Signatures(items),
            (std::set<std::string>{"verified:pull", "unsigned:post", "failed:refused"}));
  EXPECT_EQ(items.dump().find("Recu Red"), std::string::npos);
  EXPECT_EQ(items.dump().find(red_.meta.id.substr(7)), std::string::npos) << "not even the id";
  for (const json& i : items) {
    EXPECT_EQ(i["partner"], "dgsi");
    EXPECT_FALSE(i["received_at"].get<std::string>().empty());
    if (i["via"] == "pull") {
      EXPECT_EQ(i["record"]["name"], "Karim Recu Amber");
      EXPECT_EQ(i["record"]["service"], "DGSI");
      EXPECT_EQ(i["collection"], "their-collection");
      EXPECT_EQ(i["signer_key"], exchange::KeyIdOf(key_.public_key));
    } else if (i["via"] == "post") {
      EXPECT_EQ(i["record"]["name"], "Samir Unsigned Amber");
      EXPECT_EQ(i["collection"], inbound_);
      EXPECT_FALSE(i.contains("signer_key"));
    } else {
      EXPECT_EQ(i["object_id"], tampered_id_);
      EXPECT_NE(i["reason"].get<std::string>().find("signature"), std::string::npos) << i;
      EXPECT_TRUE(i["record"].is_null());
    }
  }
  // A RED liaison sees the RED record and the refusal that names it.
  json red = Items("", "red-liaison");
  EXPECT_EQ(red.size(), 5u) << red.dump(1);
  EXPECT_NE(red.dump().find("Karim Recu Red"), std::string::npos);
  // Another service's liaison: the records released to DGSN-DGST only are not there.
  json dgse = Items("", "dgse-liaison");
  EXPECT_EQ(Signatures(dgse), (std::set<std::string>{"unsigned:post", "failed:refused"}))
      << dgse.dump(1);
  EXPECT_EQ(dgse.dump().find("Recu Amber"), std::string::npos);
  EXPECT_EQ(server_->Call("GET", "/api/v1/exchange/received", "ana").first, 403);
  EXPECT_EQ(server_->Call("GET", "/api/v1/exchange/received", "").first, 401);
}

TEST_F(ExchangeReceivedTest, FiltersAndCursorPages) {
  EXPECT_EQ(Items("?signature=unsigned", "lia").size(), 1u);
  EXPECT_EQ(Items("?signature=failed", "lia").size(), 1u);
  EXPECT_EQ(Items("?signature=failed", "red-liaison").size(), 2u);
  EXPECT_EQ(Items("?signature=verified&partner=dgsi", "red-liaison").size(), 2u);
  json named = Items("?q=karim", "lia");
  ASSERT_EQ(named.size(), 1u);
  EXPECT_EQ(named[0]["record"]["id"], amber_.meta.id);
  EXPECT_EQ(Items("?type=organization", "lia").size(), 0u);
  EXPECT_EQ(Items("?type=person", "red-liaison").size(), 4u);  // with the refusal of the RED one
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto [status, body] = server_->Call(
        "GET", "/api/v1/exchange/received?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor),
        "red-liaison");
    ASSERT_EQ(status, 200) << body;
    json page = ParseJson(body);
    for (const json& i : page["items"]) seen.insert(i.dump());
    cursor = page.value("next_cursor", "");
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 5u) << "every row once";
}

TEST_F(ExchangeReceivedTest, BadInputIsNamed) {
  struct Case {
    std::string query, field;
  };
  for (const Case& c : std::vector<Case>{{"?partner=nobody", "partner"},
                                         {"?signature=maybe", "signature"},
                                         {"?type=planet", "type"},
                                         {"?limit=0", "limit"},
                                         {"?limit=201", "limit"},
                                         {"?limit=ten", "limit"},
                                         {"?cursor=%21%21", "cursor"},
                                         {"?q=" + std::string(201, 'x'), "q"}}) {
    auto [status, body] = server_->Call("GET", "/api/v1/exchange/received" + c.query, "lia");
    EXPECT_EQ(status, 400) << c.query << " " << body;
    EXPECT_NE(body.find(c.field), std::string::npos) << c.query << " " << body;
  }
}

TEST_F(ExchangeReceivedTest, OneRecordShowsItsProvenanceChain) {
  auto [status, body] = server_->Call("GET", "/api/v1/exchange/received/" + amber_.meta.id, "lia");
  ASSERT_EQ(status, 200) << body;
  json detail = ParseJson(body);
  EXPECT_TRUE(detail["received"].get<bool>());
  ASSERT_EQ(detail["chain"].size(), 2u) << body;
  EXPECT_EQ(detail["chain"][0]["step"], "origin");
  EXPECT_EQ(detail["chain"][0]["service"], "DGSI");
  EXPECT_EQ(detail["chain"][0]["grades"], "B2");
  EXPECT_EQ(detail["chain"][1]["step"], "received");
  EXPECT_EQ(detail["chain"][1]["signature"], "verified");
  EXPECT_EQ(detail["chain"][1]["collection"], "their-collection");
  EXPECT_EQ(detail["versions"].size(), 1u);
  EXPECT_EQ(detail["marking"]["releasable_to"], json::array({"DGSN-DGST"}));

  std::string posted_id = exchange::ModelIdForStix(posted_);
  auto [posted_status, posted_body] =
      server_->Call("GET", "/api/v1/exchange/received/" + posted_id, "lia");
  ASSERT_EQ(posted_status, 200) << posted_body;
  json posted = ParseJson(posted_body);
  EXPECT_EQ(posted["receipts"][0]["signature"], "unsigned");
  EXPECT_EQ(posted["receipts"][0]["collection"], inbound_);
  EXPECT_EQ(posted["chain"][0]["source"], exchange::UnsignedSource("dgsi"));

  // The RED record: missing for the AMBER liaison; for the RED one, its refusal is in the chain.
  auto [hidden, hidden_body] =
      server_->Call("GET", "/api/v1/exchange/received/" + red_.meta.id, "lia");
  EXPECT_EQ(hidden, 404);
  EXPECT_EQ(hidden_body.find("Recu Red"), std::string::npos);
  auto [red_status, red_body] =
      server_->Call("GET", "/api/v1/exchange/received/" + red_.meta.id, "red-liaison");
  ASSERT_EQ(red_status, 200) << red_body;
  json red = ParseJson(red_body);
  ASSERT_EQ(red["chain"].size(), 3u) << red_body;
  EXPECT_EQ(red["chain"][2]["step"], "refused");
  EXPECT_EQ(red["chain"][2]["signature"], "failed");
  // A local record was not received: said so, with its origin only.
  auto [local_status, local_body] =
      server_->Call("GET", "/api/v1/exchange/received/" + local_.meta.id, "lia");
  ASSERT_EQ(local_status, 200) << local_body;
  EXPECT_FALSE(ParseJson(local_body)["received"].get<bool>());
  EXPECT_EQ(server_->Call("GET", "/api/v1/exchange/received/person--nope", "lia").first, 404);
  EXPECT_EQ(server_->Call("GET", "/api/v1/exchange/received/" + amber_.meta.id, "ana").first, 403);
}

TEST_F(ExchangeReceivedTest, CollectionsCountOnlyWhatTheCallerMayRead) {
  auto collections = [&](const std::string& user) {
    auto [status, body] = server_->Call("GET", "/api/v1/exchange/collections", user);
    EXPECT_EQ(status, 200) << body;
    std::map<std::string, json> by_direction;
    json parsed = status == 200 ? ParseJson(body) : json::object();
    for (const json& c : parsed.value("items", json::array()))
      by_direction[c["direction"].get<std::string>()] = c;
    return by_direction;
  };
  auto lia = collections("lia");
  ASSERT_EQ(lia.size(), 2u);
  EXPECT_EQ(lia["out"]["agreement"], "dgsi");
  EXPECT_EQ(lia["out"]["readers"], json::array({"partner:dgsi"}));
  EXPECT_EQ(lia["out"]["writers"], json::array());
  EXPECT_EQ(lia["out"]["objects"]["records"], 1);  // the local GREEN record it shares
  EXPECT_EQ(lia["in"]["id"], inbound_);
  EXPECT_EQ(lia["in"]["objects"]["records"], 1);  // the posted AMBER record
  auto green = collections("green-liaison");
  EXPECT_EQ(green["in"]["objects"]["records"], 0) << "an AMBER record is not counted for GREEN";
  EXPECT_EQ(green["out"]["objects"]["records"], 1);
  EXPECT_EQ(server_->Call("GET", "/api/v1/exchange/collections", "ana").first, 403);
}

TEST_F(ExchangeReceivedTest, AgreementCountsFollowTheStoreBetweenRequests) {
  auto counts = [&](const std::string& user) {
    auto [status, body] = server_->Call("GET", "/api/v1/exchange/agreements/dgsi", user);
    EXPECT_EQ(status, 200) << body;
    return status == 200 ? ParseJson(body)["counts"] : json::object();
  };
  json before = counts("lia");
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(before["records"].get<int64_t>(),
            before["shared"].get<int64_t>() + before["held_back"].get<int64_t>());
  // Three new records: one shared (GREEN), one held back (AMBER, above the agreement's GREEN),
  // one the AMBER liaison may not read (RED); then the local shared one is revoked.
  server_->Put({MakePerson("Counted Green", Tlp::kGreen), MakePerson("Counted Amber", Tlp::kAmber),
                MakePerson("Counted Red", Tlp::kRed)});
  json after = counts("lia");
  EXPECT_EQ(after["records"], before["records"].get<int64_t>() + 2);
  EXPECT_EQ(after["shared"], before["shared"].get<int64_t>() + 1);
  EXPECT_EQ(after["held_back"], before["held_back"].get<int64_t>() + 1);
  EXPECT_GT(after["as_of_change"].get<int64_t>(), before["as_of_change"].get<int64_t>());
  {
    auto db = Database::Open(server_->db_path());
    ASSERT_TRUE(db.ok());
    RecordStore store(db->get());
    auto writer = store.BeginWrite();
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Revoke(local_.meta.id).ok());
    ASSERT_TRUE((*writer)->Commit().ok());
  }
  json revoked = counts("lia");
  EXPECT_EQ(revoked["records"], after["records"].get<int64_t>() - 1);
  EXPECT_EQ(revoked["shared"], after["shared"].get<int64_t>() - 1);
  // A RED liaison counts from scratch (another clearance): the RED records are in its counts,
  // and its held-back reasons add up to at least its held-back records.
  json red = counts("red-liaison");
  EXPECT_EQ(red["records"], revoked["records"].get<int64_t>() + 2);  // Counted Red, Karim Recu Red
  int64_t by_reason = 0;
  for (const json& r : red["held_back_by_reason"]) by_reason += r["count"].get<int64_t>();
  EXPECT_GE(by_reason, red["held_back"].get<int64_t>());
  EXPECT_EQ(counts("red-liaison"), red) << "unchanged store: the same answer";
}

// Keyset paging: 1,500 receipts, 600 of them at the same instant, paged by 200 while more
// arrive: every receipt once, none skipped, and the new ones (newer) not mixed in.
TEST_F(ExchangeReceivedTest, DeepPagesByKeysetSeeEveryReceiptOnceWhileMoreArrive) {
  auto db = Database::Open(server_->db_path());
  ASSERT_TRUE(db.ok());
  auto add_log = [&](int from, int to, const std::string& at_prefix) {
    ASSERT_TRUE((*db)->Execute("BEGIN").ok());
    for (int i = from; i < to; ++i) {
      std::string at = at_prefix.empty() ? "2026-03-01T00:00:00.000Z"
                                         : at_prefix + std::to_string(100000 + i) + "Z";
      ASSERT_TRUE((*db)
                      ->Execute("INSERT INTO exchange_received (partner, collection, object_id,"
                                " record_id, version, received_at, signed) VALUES"
                                " ('dgsi', 'bulk', ?, ?, ?, ?, 1)",
                                {amber_.meta.id, amber_.meta.id, "v" + std::to_string(i), at})
                      .ok());
    }
    ASSERT_TRUE((*db)->Execute("COMMIT").ok());
  };
  add_log(0, 600, "");                        // one instant: the tie-break decides the order
  add_log(600, 1500, "2026-02-01T00:00:00."); // distinct instants, older than the tied ones
  std::set<std::string> versions;
  std::string cursor, previous_at = "9999";
  int pages = 0, total = 0;
  do {
    auto [status, body] = server_->Call(
        "GET", "/api/v1/exchange/received?via=pull&limit=200" +
                   (cursor.empty() ? "" : "&cursor=" + cursor), "lia");
    ASSERT_EQ(status, 200) << body;
    json page = ParseJson(body);
    for (const json& i : page["items"]) {
      ++total;
      EXPECT_LE(i["received_at"].get<std::string>(), previous_at) << "newest first";
      previous_at = i["received_at"];
      if (i["collection"] == "bulk") versions.insert(i["version"].get<std::string>());
    }
    cursor = page.value("next_cursor", "");
    if (++pages == 2) add_log(1500, 1600, "2027-01-01T00:00:00.");  // newer: before page 1
  } while (!cursor.empty() && pages < 20);
  EXPECT_EQ(versions.size(), 1500u) << "every bulk receipt once";
  EXPECT_EQ(total, 1501) << "the 1,500 and the demo's pulled AMBER record, nothing twice";
  EXPECT_EQ(pages, 8);
  // A filter that leaves out most rows still ends: the refused ones only.
  json refused = Items("?via=refused", "red-liaison");
  EXPECT_EQ(refused.size(), 2u);
  for (const json& i : refused) EXPECT_EQ(i["signature"], "failed");
  EXPECT_EQ(Items("?via=post", "lia").size(), 1u);
}

// A page cut short after 20,000 receipts the caller may not see goes on from the last one it
// looked at; its cursor used to be that receipt's time and row in base64, readable by anyone.
// Now it is sealed: its bytes show neither, it opens only on this server, and an edited one is
// refused.
TEST_F(ExchangeReceivedTest, ACursorPastHiddenReceiptsTellsNothingAboutThem) {
  auto db = Database::Open(server_->db_path());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Execute("BEGIN").ok());
  for (int i = 0; i < 20100; ++i) {
    char at[40];
    std::snprintf(at, sizeof at, "2031-07-01T00:%02d:%02d.%03dZ", i / 6000, (i / 100) % 60,
                  i % 1000);
    ASSERT_TRUE((*db)
                    ->Execute("INSERT INTO exchange_received (partner, collection, object_id,"
                              " record_id, version, received_at, signed) VALUES"
                              " ('dgsi', 'hidden', ?, ?, ?, ?, 1)",
                              {red_.meta.id, red_.meta.id, "h" + std::to_string(i), at})
                    .ok());
  }
  ASSERT_TRUE((*db)->Execute("COMMIT").ok());
  auto [status, body] = server_->Call("GET", "/api/v1/exchange/received?via=pull", "lia");
  ASSERT_EQ(status, 200) << body;
  json page = ParseJson(body);
  EXPECT_EQ(page["truncated"], true) << body.substr(0, 300);
  EXPECT_TRUE(page["items"].empty()) << "every receipt looked at was of the RED record";
  std::string cursor = page.value("next_cursor", "");
  ASSERT_FALSE(cursor.empty());
  std::string bytes(cursor.size(), '\0');
  size_t length = 0;
  ASSERT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(),
                              cursor.data(), cursor.size(), nullptr, &length, nullptr,
                              sodium_base64_VARIANT_URLSAFE_NO_PADDING),
            0);
  bytes.resize(length);
  EXPECT_EQ(bytes.find("2031"), std::string::npos) << "the hidden receipt's time";
  EXPECT_EQ(bytes.find("pull"), std::string::npos) << "the hidden receipt's stream";

  // It goes on past the hidden receipts to the AMBER record the caller may read.
  auto [next_status, next_body] =
      server_->Call("GET", "/api/v1/exchange/received?via=pull&cursor=" + cursor, "lia");
  ASSERT_EQ(next_status, 200) << next_body;
  json next = ParseJson(next_body);
  ASSERT_EQ(next["items"].size(), 1u) << next_body.substr(0, 400);
  EXPECT_EQ(next["items"][0]["record"]["id"], amber_.meta.id);
  EXPECT_EQ(next_body.find(red_.meta.id), std::string::npos);

  // One character changed: refused as a cursor this server did not issue.
  std::string edited = cursor;
  edited[edited.size() / 2] = edited[edited.size() / 2] == 'A' ? 'B' : 'A';
  auto [edited_status, edited_body] =
      server_->Call("GET", "/api/v1/exchange/received?via=pull&cursor=" + edited, "lia");
  EXPECT_EQ(edited_status, 400) << edited_body;
  EXPECT_NE(edited_body.find("not a cursor this server issued"), std::string::npos) << edited_body;
}

TEST_F(ExchangeReceivedTest, BadCursorsAndViaAreNamedWithACode) {
  for (const std::string& query :
       {std::string("?via=sideways"), std::string("?cursor=cDUw") /* an old offset cursor */,
        std::string("?cursor=") + std::string(401, 'a'), std::string("?cursor=awpwdWxsCjE"),
        std::string("?signature=maybe")}) {
    auto [status, body] = server_->Call("GET", "/api/v1/exchange/received" + query, "lia");
    EXPECT_EQ(status, 400) << query << " " << body;
    json error = ParseJson(body)["error"];
    EXPECT_TRUE(error.contains("message_code")) << query << " " << body;
  }
  auto [status, body] = server_->Call("GET", "/api/v1/exchange/received?via=sideways", "lia");
  json error = ParseJson(body)["error"];
  EXPECT_EQ(error["field"], "via");
  EXPECT_EQ(error["message_code"], "exchange.via_filter");
  EXPECT_EQ(error["message_params"]["value"], "sideways");
}

// The sync state lists the latest refusals with their reason and its code, and leaves out a
// refusal that names a record the caller may not read.
TEST_F(ExchangeReceivedTest, SyncRejectionsGiveTheirReasonAndHideWhatTheCallerMayNotRead) {
  auto rejections = [&](const std::string& user) {
    auto [status, body] = server_->Call("GET", "/api/v1/exchange/sync", user);
    EXPECT_EQ(status, 200) << body;
    json items = status == 200 ? ParseJson(body)["items"] : json::array();
    return items.empty() ? json::array() : items[0]["recent_rejections"];
  };
  json lia = rejections("lia");
  ASSERT_EQ(lia.size(), 1u) << lia.dump(1);
  EXPECT_EQ(lia[0]["object_id"], tampered_id_);
  EXPECT_EQ(lia[0]["reason_code"], "refused.bad_signature") << lia[0];
  EXPECT_EQ(lia[0]["reason_params"]["id"], tampered_id_);
  EXPECT_EQ(lia.dump().find(red_.meta.id.substr(7)), std::string::npos);
  EXPECT_EQ(rejections("red-liaison").size(), 2u);
}

}  // namespace
}  // namespace entente::server
