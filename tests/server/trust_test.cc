// Regressions of the trust review (issue 15), one test per defect found, over the real server:
// each failed before the policy decision point (auth/policy.h) and passes through it.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <thread>

#include "../run_entente.h"
#include "../test_store_target.h"
#include "auth/session_store.h"
#include "common/ids.h"
#include "exchange/agreement.h"
#include "exchange/exchange_store.h"
#include "exchange/taxii_collections.h"
#include "exchange/taxii_roots.h"
#include "ingest/record_ids.h"
#include "model/codec.h"
#include "server_test_util.h"

namespace entente::server {
namespace {

using testing::MakePerson;
using testing::ParseJson;
using testing::TestServer;

class TrustTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>();
    // A RED record of this service whose id an importer can compute from its source row.
    red_ = MakePerson("Rouge Secretissime", Tlp::kRed, "DGSN-DGST");
    red_.meta.id = DeterministicId("person", "leak-src", "R1");
    red_.meta.provenance = {"DGSN-DGST", "leak-src", "R1", "", ""};
    green_ = MakePerson("Vert Ordinaire", Tlp::kGreen, "DGSN-DGST");
    server_->Put({red_, green_});
    server_->Start();
  }

  // Waits for an import job; returns its final JSON.
  nlohmann::json WaitForImport(const std::string& id, const std::string& user) {
    nlohmann::json job;
    for (int wait = 0; wait < 200; ++wait) {
      auto [status, body] = server_->Call("GET", "/api/v1/imports/" + id, user);
      job = ParseJson(body);
      if (job.value("state", "") == "done" || job.value("state", "") == "failed") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return job;
  }

  // Posts `csv` as green-analyst's GREEN import from `source`; returns the finished job's JSON.
  nlohmann::json ImportGreenCsv(const std::string& source, const std::string& csv) {
    auto [status, body] =
        server_->Call("POST", "/api/v1/imports?format=csv&tlp=GREEN&source=" + source,
                      "green-analyst", csv, "text/csv");
    EXPECT_EQ(status, 202) << body;
    if (status != 202) return nlohmann::json::object();
    return WaitForImport(ParseJson(body)["id"], "green-analyst");
  }

  // Stores an agreement with DGSI (terrorism, up to AMBER) acted for by `principals`; returns
  // the id of its outbound collection.
  std::string PutDgsiAgreement(const std::string& principals) {
    auto db = Database::Open(server_->db_path());
    EXPECT_TRUE(db.ok());
    if (!db.ok()) return "";
    EXPECT_TRUE(exchange::ExchangeStore::Migrate(**db).ok());
    auto agreement = exchange::ParseAgreement(R"toml(
[partner]
name = "dgsi"
service = "DGSI"
principals = [)toml" + principals + R"toml(]
[share]
categories = ["terrorism"]
max_tlp = "AMBER"
)toml");
    EXPECT_TRUE(agreement.ok()) << agreement.status().ToString();
    if (!agreement.ok()) return "";
    exchange::ExchangeStore store(db->get());
    EXPECT_TRUE(store.PutAgreement(*agreement).ok());
    return store.OutboundCollectionId("dgsi");
  }

  // Gives ana (RED analyst) the web UI password "correct horse battery".
  void SetAnasPassword() {
    auto db = Database::Open(server_->db_path());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(SessionStore::Migrate(**db).ok());
    auto key = TokenKey::LoadOrCreate(DefaultTokenKeyPath(server_->db_path()));
    ASSERT_TRUE(key.ok());
    ASSERT_TRUE(SessionStore(db->get(), *key)
                    .SetPassword({"test", "local", "DGSN-DGST"}, "ana", "correct horse battery")
                    .ok());
  }

  httplib::Result SignInAsAna(httplib::SSLClient& client) {
    return client.Post("/api/v1/session", R"({"user": "ana", "password": "correct horse battery"})",
                       "application/json");
  }

  std::unique_ptr<TestServer> server_;
  Entity red_;
  Entity green_;
};

// Critical: a GREEN analyst's CSV row with the source id of a RED record made it version 2,
// marked GREEN.
TEST_F(TrustTest, AnImportCannotOverwriteARecordTheUploaderCannotRead) {
  nlohmann::json job = ImportGreenCsv("leak-src", "id,name,type\nR1,Overwritten Name,person\n");
  EXPECT_EQ(job["state"], "failed") << job.dump();
  std::string error = job.value("error", "");
  EXPECT_NE(error.find("line 2"), std::string::npos) << error;
  EXPECT_NE(error.find("no such record, or not yours to change"), std::string::npos) << error;
  EXPECT_EQ(error.find("RED"), std::string::npos) << "the refusal must not describe the record";
  EXPECT_EQ(error.find(red_.meta.id), std::string::npos) << "nor name its id: " << error;
  auto [read, record] = server_->Call("GET", "/api/v1/entities/" + red_.meta.id, "ana");
  ASSERT_EQ(read, 200) << record;
  EXPECT_EQ(ParseJson(record)["version"], 1);
  EXPECT_EQ(record.find("Overwritten"), std::string::npos);
}

// The owning service is part of a keyed id: a row of this service with the source and source id
// of another service's record (here a DGSI record stored under its legacy id) is a record of
// its own, not a write to that one, and the job tells nothing about it.
TEST_F(TrustTest, AnImportRowNeverLandsOnAnotherServicesRecord) {
  Entity french = MakePerson("Dossier Francais", Tlp::kGreen, "DGSI");
  french.meta.id = DeterministicId("person", "shared-src", "F1");
  french.meta.provenance = {"DGSI", "shared-src", "F1", "", ""};
  server_->Put({french});
  nlohmann::json job = ImportGreenCsv("shared-src", "id,name,type\nF1,Own Record,person\n");
  ASSERT_EQ(job["state"], "done") << job.dump();
  auto db = Database::Open(server_->db_path());
  ASSERT_TRUE(db.ok());
  RecordStore store(db->get());
  auto kept = store.GetEntity(french.meta.id);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->meta.version, 1);
  EXPECT_EQ(kept->names[0].full, "Dossier Francais");
  auto key = RecordIdKey::LoadOrCreate(ingest::DefaultRecordIdKeyPath(server_->db_path()));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  auto own = store.GetEntity(KeyedId(*key, "person", "DGSN-DGST", "shared-src", "F1"));
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(own->meta.provenance.service, "DGSN-DGST");
}

// Record ids were an unkeyed hash of type, source and source id, so anyone who knew a source
// name could compute them. An import now keys them with the node's record-id key (a 0600 file
// beside the store); the RED record above, stored under its legacy id, still refuses the
// overwrite (the test before this one).
TEST_F(TrustTest, AnImportedRecordsIdIsKeyedWithTheNodesSecret) {
  nlohmann::json job = ImportGreenCsv("keyed-src", "id,name,type\nK1,Keyed Person,person\n");
  ASSERT_EQ(job["state"], "done") << job.dump();
  auto [guessed, missing] = server_->Call(
      "GET", "/api/v1/entities/" + DeterministicId("person", "keyed-src", "K1"), "green-analyst");
  EXPECT_EQ(guessed, 404) << missing;
  std::string key_path = ingest::DefaultRecordIdKeyPath(server_->db_path());
  struct stat info;
  ASSERT_EQ(stat(key_path.c_str(), &info), 0) << key_path;
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  auto key = RecordIdKey::LoadOrCreate(key_path);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  auto [read, record] = server_->Call(
      "GET", "/api/v1/entities/" + KeyedId(*key, "person", "DGSN-DGST", "keyed-src", "K1"),
      "green-analyst");
  ASSERT_EQ(read, 200) << record;
  EXPECT_NE(record.find("Keyed Person"), std::string::npos) << record;
}

TEST_F(TrustTest, AnImportCannotSetAMarkingAboveTheClearanceOrClaimAnotherService) {
  std::string above = R"({"type": "person", "id": ")" + RandomId("person") +
                      R"(", "names": [{"full": "Planted Red"}], "marking": {"tlp": "RED"}})";
  auto [status, body] = server_->Call("POST", "/api/v1/imports?format=jsonl", "green-analyst",
                                      above + "\n", "application/x-ndjson");
  ASSERT_EQ(status, 202) << body;
  nlohmann::json job = WaitForImport(ParseJson(body)["id"], "green-analyst");
  EXPECT_EQ(job["state"], "failed");
  EXPECT_NE(job.value("error", "").find("above your clearance"), std::string::npos) << job.dump();

  std::string other =
      R"({"type": "person", "id": ")" + RandomId("person") +
      R"(", "names": [{"full": "Planted French"}], "marking": {"tlp": "GREEN"},)"
      R"( "provenance": {"service": "DGSI", "source": "x", "source_record_id": "1"}})";
  auto [status2, body2] = server_->Call("POST", "/api/v1/imports?format=jsonl", "ana", other + "\n",
                                        "application/x-ndjson");
  ASSERT_EQ(status2, 202) << body2;
  job = WaitForImport(ParseJson(body2)["id"], "ana");
  EXPECT_EQ(job["state"], "failed");
  EXPECT_NE(job.value("error", "").find("provenance.service"), std::string::npos) << job.dump();
}

// GET/history/PUT/DELETE of an unreadable id answered differently from a missing one.
TEST_F(TrustTest, AHiddenRecordAndAMissingOneGetTheSameAnswer) {
  std::string missing = RandomId("person");
  for (const std::string suffix : {"", "/history"}) {
    auto [hidden_status, hidden_body] =
        server_->Call("GET", "/api/v1/entities/" + red_.meta.id + suffix, "green-analyst");
    auto [missing_status, missing_body] =
        server_->Call("GET", "/api/v1/entities/" + missing + suffix, "green-analyst");
    EXPECT_EQ(hidden_status, 404);
    EXPECT_EQ(hidden_status, missing_status);
    EXPECT_EQ(std::regex_replace(hidden_body, std::regex(red_.meta.id), "ID"),
              std::regex_replace(missing_body, std::regex(missing), "ID"));
  }
  std::string put_body = EntityToJson(red_);
  auto [put_hidden, put_hidden_body] =
      server_->Call("PUT", "/api/v1/entities/" + red_.meta.id, "green-analyst", put_body);
  auto [put_missing, put_missing_body] =
      server_->Call("PUT", "/api/v1/entities/" + missing, "green-analyst", put_body);
  EXPECT_EQ(put_hidden, 404) << put_hidden_body;
  EXPECT_EQ(put_missing, 404) << put_missing_body;
  auto [del_hidden, del_hidden_body] =
      server_->Call("DELETE", "/api/v1/entities/" + red_.meta.id, "green-analyst");
  EXPECT_EQ(del_hidden, 404) << del_hidden_body;
  // Creating a record under a chosen id: "taken by a hidden record" and "free" answered 409 and
  // 201 (session 7); a client chooses no id now, so both get the same refusal.
  auto post_with = [&](const std::string& id) {
    nlohmann::json body = nlohmann::json::parse(EntityToJson(green_));
    body["id"] = id;
    body["marking"] = {{"tlp", "GREEN"}};
    return server_->Call("POST", "/api/v1/entities", "green-analyst", body.dump());
  };
  auto [post_hidden, post_hidden_body] = post_with(red_.meta.id);
  auto [post_missing, post_missing_body] = post_with(missing);
  EXPECT_EQ(post_hidden, 400) << post_hidden_body;
  EXPECT_EQ(post_missing, 400) << post_missing_body;
  EXPECT_EQ(post_hidden_body, post_missing_body);
}

// TAXII served what the agreement allows the partner's service, whatever the partner user's
// own clearance: a GREEN partner user received AMBER objects.
TEST_F(TrustTest, TaxiiServesNothingAboveThePartnerUsersClearance) {
  Entity amber = MakePerson("Ambre Partagee", Tlp::kAmber, "DGSN-DGST");
  server_->Put({amber});
  server_->AddUserNow("par-green", Role::kPartner, Tlp::kGreen, "DGSI");
  server_->AddUserNow("par-amber", Role::kPartner, Tlp::kAmber, "DGSI");
  std::string collection = PutDgsiAgreement(R"("par-green", "par-amber")");
  ASSERT_FALSE(collection.empty());
  auto objects = [&](const std::string& user) {
    auto client = server_->Client();
    httplib::Headers headers = server_->Auth(user);
    headers.emplace("Accept", "application/taxii+json;version=2.1");
    auto result =
        client->Get(("/taxii2/entente/collections/" + collection + "/objects/").c_str(), headers);
    EXPECT_TRUE(result);
    EXPECT_EQ(result->status, 200) << result->body;
    return result ? result->body : std::string();
  };
  std::string amber_view = objects("par-amber");
  EXPECT_NE(amber_view.find(amber.meta.id.substr(amber.meta.id.find("--") + 2)), std::string::npos)
      << "the AMBER partner user should receive the AMBER record";
  std::string green_view = objects("par-green");
  EXPECT_EQ(green_view.find(amber.meta.id.substr(amber.meta.id.find("--") + 2)), std::string::npos)
      << green_view;
  EXPECT_EQ(green_view.find("Ambre Partagee"), std::string::npos);
  EXPECT_NE(green_view.find(green_.meta.id.substr(green_.meta.id.find("--") + 2)),
            std::string::npos)
      << "the GREEN record is still served";
}

// A TAXII collection the caller may not see (no grant; another partner's agreement collection,
// whose id anyone can derive from the partner's name; a collection of another API root) answers
// exactly as an id that does not exist: same status, same text once the id is put back.
TEST_F(TrustTest, AHiddenTaxiiCollectionAndAMissingOneGetTheSameAnswer) {
  server_->AddUserNow("par-cni", Role::kPartner, Tlp::kAmber, "CNI");
  std::string agreement_collection = PutDgsiAgreement(R"("par")");
  ASSERT_FALSE(agreement_collection.empty());
  std::string ungranted, other_root;
  {
    auto db = Database::Open(server_->db_path());
    ASSERT_TRUE(db.ok());
    exchange::ConfiguredCollection desk;
    desk.title = "Analysts' desk";
    ASSERT_TRUE(exchange::AddConfiguredCollection(**db, &desk).ok());
    ASSERT_TRUE(exchange::GrantConfiguredCollection(**db, desk.id, {"user:ana", true, true}).ok());
    ungranted = desk.id;
    ASSERT_TRUE(exchange::AddApiRoot(**db, {"ops", "Operations", ""}).ok());
    exchange::ConfiguredCollection ops;
    ops.title = "Operations feed";
    ops.api_root = "ops";
    ASSERT_TRUE(exchange::AddConfiguredCollection(**db, &ops).ok());
    ASSERT_TRUE(
        exchange::GrantConfiguredCollection(**db, ops.id, {"user:green-analyst", true, true}).ok());
    other_root = ops.id;
  }
  auto get = [&](const std::string& user, const std::string& path) {
    auto client = server_->Client();
    httplib::Headers headers = server_->Auth(user);
    headers.emplace("Accept", "application/taxii+json;version=2.1");
    auto result = client->Get(path.c_str(), headers);
    EXPECT_TRUE(result) << path;
    return result ? std::make_pair(result->status, result->body) : std::make_pair(-1, "");
  };
  const std::string missing = "0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f";
  struct Probe {
    std::string user, id;
  };
  for (const Probe& probe :
       {Probe{"green-analyst", ungranted}, Probe{"par-cni", ungranted},
        Probe{"par-cni", agreement_collection}, Probe{"green-analyst", agreement_collection},
        Probe{"green-analyst", other_root}}) {
    for (const char* tail : {"", "objects/", "manifest/", "objects/person--x/"}) {
      std::string base = "/taxii2/entente/collections/";
      auto hidden = get(probe.user, base + probe.id + "/" + tail);
      auto absent = get(probe.user, base + missing + "/" + tail);
      EXPECT_EQ(hidden.first, 404)
          << probe.user << " " << probe.id << tail << ": " << hidden.second;
      EXPECT_EQ(absent.first, 404);
      std::string hidden_text = hidden.second;
      for (size_t at; (at = hidden_text.find(probe.id)) != std::string::npos;)
        hidden_text.replace(at, probe.id.size(), missing);
      EXPECT_EQ(hidden_text, absent.second) << probe.user << " " << probe.id << tail;
    }
  }
  // An API root without a collection the caller may see answers as a root that does not exist
  // and is not listed: ana learns neither the name "ops" nor its title.
  auto hidden_root = get("ana", "/taxii2/ops/");
  auto absent_root = get("ana", "/taxii2/nosuch/");
  EXPECT_EQ(hidden_root.first, 404) << hidden_root.second;
  std::string hidden_root_text = hidden_root.second;
  hidden_root_text.replace(hidden_root_text.find("ops"), 3, "nosuch");
  EXPECT_EQ(hidden_root_text, absent_root.second);
  EXPECT_EQ(hidden_root.second.find("Operations"), std::string::npos);
  EXPECT_EQ(get("ana", "/taxii2/").second.find("/taxii2/ops/"), std::string::npos);
  EXPECT_NE(get("green-analyst", "/taxii2/").second.find("/taxii2/ops/"), std::string::npos);
  // The grants still open what they grant.
  EXPECT_EQ(get("ana", "/taxii2/entente/collections/" + ungranted + "/").first, 200);
  EXPECT_EQ(get("green-analyst", "/taxii2/ops/collections/" + other_root + "/").first, 200);
  EXPECT_EQ(get("par", "/taxii2/entente/collections/" + agreement_collection + "/").first, 200);
}

TEST_F(TrustTest, StatisticsCountOnlyWhatTheCallerMayRead) {
  auto [status, body] = server_->Call("GET", "/api/v1/stats", "green-analyst");
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(ParseJson(body)["records"], 1) << body;  // the GREEN record, not the RED one
  auto [red_status, red_body] = server_->Call("GET", "/api/v1/stats", "ana");
  ASSERT_EQ(red_status, 200);
  EXPECT_EQ(ParseJson(red_body)["records"], 2) << red_body;
}

// The match index's figures count every record of the node (2 here: one RED): a GREEN reader, or
// a RED reader of another service, does not get them; a RED reader of the node's service does.
TEST_F(TrustTest, TheWholeNodesIndexFiguresGoOnlyToARedReaderOfTheNode) {
  nlohmann::json index;
  for (int i = 0; i < 200; ++i) {  // the index is built in the background at start
    auto [status, body] = server_->Call("GET", "/api/v1/stats", "ana");
    ASSERT_EQ(status, 200) << body;
    index = ParseJson(body)["match_index"];
    if (index.value("ready", false)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(index.value("ready", false)) << index.dump();
  EXPECT_EQ(index["entities"], 2) << index.dump();
  EXPECT_TRUE(index.contains("applied_seq")) << index.dump();
  for (const char* user : {"green-analyst", "fr-analyst", "par"}) {
    auto [status, body] = server_->Call("GET", "/api/v1/stats", user);
    if (status == 403) continue;  // a role without stats.read
    ASSERT_EQ(status, 200) << user << ": " << body;
    nlohmann::json theirs = ParseJson(body)["match_index"];
    EXPECT_FALSE(theirs.contains("entities")) << user << ": " << body;
    EXPECT_FALSE(theirs.contains("applied_seq")) << user << ": " << body;
    EXPECT_EQ(theirs["ready"], true) << user;
  }
}

TEST_F(TrustTest, AnAdministratorGrantsNothingAboveItsOwnRights) {
  // adm: admin, GREEN, DGSN-DGST.
  auto [above, above_body] =
      server_->Call("POST", "/api/v1/users", "adm",
                    R"({"name": "new-red", "role": "analyst", "clearance": "RED"})");
  EXPECT_EQ(above, 403) << above_body;
  EXPECT_NE(above_body.find("field clearance"), std::string::npos);
  auto [foreign, foreign_body] = server_->Call(
      "POST", "/api/v1/users", "adm",
      R"({"name": "new-admin", "role": "admin", "clearance": "GREEN", "service": "DGSI"})");
  EXPECT_EQ(foreign, 403) << foreign_body;
  auto [fine, fine_body] =
      server_->Call("POST", "/api/v1/users", "adm",
                    R"({"name": "new-green", "role": "analyst", "clearance": "GREEN"})");
  EXPECT_EQ(fine, 201) << fine_body;
  // ana is RED, above adm's clearance: not even a request for her token.
  auto [impersonate, impersonate_body] =
      server_->Call("POST", "/api/v1/users/ana/tokens", "adm", "{}");
  EXPECT_EQ(impersonate, 403) << impersonate_body;
  auto [own, own_body] = server_->Call("POST", "/api/v1/users/adm/tokens", "adm", "{}");
  EXPECT_EQ(own, 201) << own_body;
}

// Issue 15: an administrator alone could mint a token for another user and act as them. A
// token for someone else is now asked for, and made only when a second administrator approves.
TEST_F(TrustTest, ATokenForAnotherUserNeedsASecondAdministrator) {
  server_->AddUserNow("adm2", Role::kAdmin, Tlp::kGreen, "DGSN-DGST");
  server_->AddUserNow("fr-adm", Role::kAdmin, Tlp::kRed, "DGSI");
  auto [asked, asked_body] =
      server_->Call("POST", "/api/v1/users/green-analyst/tokens", "adm", R"({"expires": "7d"})");
  ASSERT_EQ(asked, 202) << asked_body;
  const nlohmann::json request = ParseJson(asked_body);
  EXPECT_EQ(request["state"], "pending");
  EXPECT_EQ(request.count("token"), 0u) << "no token before the second administrator approves";
  const std::string id = request["id"];
  // The requester may not approve its own request; a foreign administrator does not see it.
  auto [self, self_body] =
      server_->Call("POST", "/api/v1/token-requests/" + id + "/approve", "adm", "{}");
  EXPECT_EQ(self, 403) << self_body;
  EXPECT_NE(self_body.find("second administrator"), std::string::npos) << self_body;
  auto [foreign, foreign_body] =
      server_->Call("POST", "/api/v1/token-requests/" + id + "/approve", "fr-adm", "{}");
  EXPECT_EQ(foreign, 404) << foreign_body;
  EXPECT_EQ(ParseJson(foreign_body)["error"]["message"], "token request " + id + " not found");
  auto [listed, listed_body] = server_->Call("GET", "/api/v1/token-requests", "adm2");
  ASSERT_EQ(listed, 200) << listed_body;
  EXPECT_EQ(ParseJson(listed_body)["items"].size(), 1u) << listed_body;
  EXPECT_EQ(ParseJson(server_->Call("GET", "/api/v1/token-requests", "fr-adm").second)["items"],
            nlohmann::json::array());
  // A second administrator approves: the token is made, and it signs in as the analyst.
  auto [approved, approved_body] =
      server_->Call("POST", "/api/v1/token-requests/" + id + "/approve", "adm2", "{}");
  ASSERT_EQ(approved, 201) << approved_body;
  const std::string token = ParseJson(approved_body)["token"];
  auto client = server_->Client();
  auto as_analyst = client->Get("/api/v1/stats", {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(as_analyst);
  EXPECT_EQ(as_analyst->status, 200);
  // Decided once only; a refused request cannot be approved afterwards.
  EXPECT_EQ(server_->Call("POST", "/api/v1/token-requests/" + id + "/approve", "adm2", "{}").first,
            409);
  auto [again, again_body] =
      server_->Call("POST", "/api/v1/users/green-analyst/tokens", "adm2", "{}");
  ASSERT_EQ(again, 202) << again_body;
  const std::string second = ParseJson(again_body)["id"];
  EXPECT_EQ(server_->Call("DELETE", "/api/v1/token-requests/" + second, "adm").first, 200);
  EXPECT_EQ(
      server_->Call("POST", "/api/v1/token-requests/" + second + "/approve", "adm", "{}").first,
      409);
  // Every step is in the trail, with both administrators named.
  auto [audit, audit_body] = server_->Call("GET", "/api/v1/audit?limit=500", "aud");
  ASSERT_EQ(audit, 200) << audit_body;
  for (const char* action : {"token.request", "token.approve", "token.refuse"})
    EXPECT_NE(audit_body.find(action), std::string::npos) << action;
}

// Found in session 7: any administrator revoked any user or token, those above its clearance
// (the RED auditor) and, for an administrator of another service, those of this node's service.
TEST_F(TrustTest, AnAdministratorActsOnlyOnUsersWithinItsReach) {
  server_->AddUserNow("fr-adm", Role::kAdmin, Tlp::kRed, "DGSI");  // a foreign administrator
  // adm (GREEN, the node's service) may not lock out the RED auditor, nor end their tokens.
  auto [above, above_body] = server_->Call("DELETE", "/api/v1/users/aud", "adm");
  EXPECT_EQ(above, 403) << above_body;
  EXPECT_NE(above_body.find("above your own"), std::string::npos) << above_body;
  // fr-adm sees and acts on DGSI's users only: the node's users look missing to it.
  auto [listed, list_body] = server_->Call("GET", "/api/v1/users", "fr-adm");
  ASSERT_EQ(listed, 200) << list_body;
  std::set<std::string> names;
  const nlohmann::json list = ParseJson(list_body);
  for (const auto& user : list["items"]) names.insert(user["name"].get<std::string>());
  EXPECT_EQ(names, (std::set<std::string>{"fr-adm", "fr-analyst", "par"})) << list_body;
  auto [hidden, hidden_body] = server_->Call("DELETE", "/api/v1/users/green-analyst", "fr-adm");
  auto [missing, missing_body] = server_->Call("DELETE", "/api/v1/users/nobody-here", "fr-adm");
  EXPECT_EQ(hidden, 404) << hidden_body;
  EXPECT_EQ(missing, 404) << missing_body;
  EXPECT_EQ(ParseJson(hidden_body)["error"]["message"], "user green-analyst not found");
  // The node's own administrator still manages partners' accounts (of another service).
  auto [partner, partner_body] = server_->Call("DELETE", "/api/v1/users/par", "adm");
  EXPECT_EQ(partner, 200) << partner_body;
  // The refusals are in the audit trail.
  auto [audit, audit_body] = server_->Call("GET", "/api/v1/audit?action=user.revoke", "aud");
  ASSERT_EQ(audit, 200) << audit_body;
  EXPECT_NE(audit_body.find("denied"), std::string::npos) << audit_body;
  // A token of a user out of reach answers as a missing token; one above the clearance, 403.
  auto [token, token_body] = server_->Call("POST", "/api/v1/users/adm/tokens", "adm", "{}");
  ASSERT_EQ(token, 201) << token_body;
  const std::string token_id = ParseJson(token_body)["token_id"];
  auto [foreign_revoke, foreign_body] =
      server_->Call("DELETE", "/api/v1/tokens/" + token_id, "fr-adm");
  EXPECT_EQ(foreign_revoke, 404) << foreign_body;
  EXPECT_EQ(ParseJson(foreign_body)["error"]["message"], "token " + token_id + " not found");
  server_->AddUserNow("red-adm", Role::kAdmin, Tlp::kRed, "DGSN-DGST");
  auto [red_token, red_token_body] =
      server_->Call("POST", "/api/v1/users/red-adm/tokens", "red-adm", "{}");
  ASSERT_EQ(red_token, 201) << red_token_body;
  const std::string red_token_id = ParseJson(red_token_body)["token_id"];
  auto [green_revoke, green_body] =
      server_->Call("DELETE", "/api/v1/tokens/" + red_token_id, "adm");
  EXPECT_EQ(green_revoke, 403) << green_body;
  EXPECT_EQ(server_->Call("DELETE", "/api/v1/tokens/" + token_id, "adm").first, 200);
}

TEST_F(TrustTest, RepeatedWrongCredentialsAreSlowedDown) {
  int limited = 0;
  std::string retry_after;
  for (int attempt = 0; attempt < 30 && limited == 0; ++attempt) {
    auto client = server_->Client();
    auto result = client->Get("/api/v1/stats",
                              {{"Authorization", "Bearer ent_0123456789abcdef_" + RandomHex(32)}});
    ASSERT_TRUE(result);
    if (result->status == 429) {
      ++limited;
      retry_after = result->get_header_value("Retry-After");
    } else {
      EXPECT_EQ(result->status, 401);
    }
  }
  EXPECT_EQ(limited, 1) << "no lockout after 30 wrong tokens";
  EXPECT_FALSE(retry_after.empty());
  auto [status, body] = server_->Call("GET", "/api/v1/audit?action=auth.lockout", "aud");
  ASSERT_EQ(status, 200) << body;
  EXPECT_FALSE(ParseJson(body)["items"].empty()) << body;
}

TEST_F(TrustTest, EntityWritesAndSearchesRefuseAbsurdNames) {
  std::string names;
  for (int name_idx = 0; name_idx < 300; ++name_idx) {
    names += std::string(name_idx ? "," : "") + R"({"full": "Name )" + std::to_string(name_idx) +
             R"("})";
  }
  auto [many, many_body] = server_->Call(
      "POST", "/api/v1/entities", "ana",
      R"({"type": "person", "names": [)" + names + R"(], "marking": {"tlp": "GREEN"}})");
  EXPECT_EQ(many, 400) << many_body;
  EXPECT_NE(many_body.find("field names"), std::string::npos);
  auto [nul, nul_body] = server_->Call(
      "POST", "/api/v1/entities", "ana",
      R"({"type": "person", "names": [{"full": "Bad\u0000Name"}], "marking": {"tlp": "GREEN"}})");
  EXPECT_EQ(nul, 400) << nul_body;
  auto [search, search_body] = server_->Call("GET", "/api/v1/entities?q=%00%00", "ana");
  EXPECT_EQ(search, 400) << search_body;
  auto [path, path_body] = server_->Call("GET", "/api/v1/stats%00.txt", "ana");
  EXPECT_EQ(path, 404) << path_body;
}

// Browser sessions: a password sign-in gives an HttpOnly cookie; state-changing requests need
// the CSRF token; signing out ends the session in the store.
// Ending a user's session acts on that user: an administrator below the user's clearance may
// not (as it may not revoke them), and its attempt is audited; one of that clearance may.
TEST_F(TrustTest, AnAdministratorEndsNoSessionOfAUserAboveItsClearance) {
  ASSERT_NO_FATAL_FAILURE(SetAnasPassword());
  server_->AddUserNow("adm-red", Role::kAdmin, Tlp::kRed, "DGSN-DGST");
  auto client = server_->Client();
  auto signed_in = SignInAsAna(*client);
  ASSERT_TRUE(signed_in);
  ASSERT_EQ(signed_in->status, 201) << signed_in->body;
  std::string cookie = signed_in->get_header_value("Set-Cookie");
  httplib::Headers with_cookie = {{"Cookie", cookie.substr(0, cookie.find(';'))}};
  auto [listed, list_body] = server_->Call("GET", "/api/v1/sessions", "adm-red");
  ASSERT_EQ(listed, 200) << list_body;
  ASSERT_EQ(ParseJson(list_body)["items"].size(), 1u) << list_body;
  std::string id = ParseJson(list_body)["items"][0]["id"];

  auto [refused, refused_body] = server_->Call("DELETE", "/api/v1/sessions/" + id, "adm");
  EXPECT_EQ(refused, 403) << refused_body;  // adm is GREEN, ana RED
  auto still = client->Get("/api/v1/stats", with_cookie);
  ASSERT_TRUE(still);
  EXPECT_EQ(still->status, 200) << "the GREEN administrator ended a RED user's session";
  auto [audit_status, audit] = server_->Call("GET", "/api/v1/audit?action=session.revoke", "aud");
  EXPECT_EQ(audit_status, 200) << audit;
  EXPECT_NE(audit.find("denied"), std::string::npos) << audit;

  auto [ended, ended_body] = server_->Call("DELETE", "/api/v1/sessions/" + id, "adm-red");
  EXPECT_EQ(ended, 200) << ended_body;
  auto after = client->Get("/api/v1/stats", with_cookie);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401);
}

TEST_F(TrustTest, ASessionCookieWorksOnlyWithItsCsrfTokenAndEndsAtSignOut) {
  ASSERT_NO_FATAL_FAILURE(SetAnasPassword());
  auto client = server_->Client();
  auto wrong = client->Post("/api/v1/session", R"({"user": "ana", "password": "wrong password!"})",
                            "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_FALSE(wrong->has_header("Set-Cookie"));
  auto unknown = client->Post(
      "/api/v1/session", R"({"user": "nobody", "password": "whatever it is"})", "application/json");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->body, wrong->body) << "an unknown user and a wrong password look the same";

  auto signed_in = SignInAsAna(*client);
  ASSERT_TRUE(signed_in);
  ASSERT_EQ(signed_in->status, 201) << signed_in->body;
  std::string cookie = signed_in->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("Secure"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  std::string value = cookie.substr(0, cookie.find(';'));
  std::string csrf = ParseJson(signed_in->body)["csrf_token"];
  EXPECT_EQ(ParseJson(signed_in->body)["user"]["clearance"], "RED");

  httplib::Headers with_cookie = {{"Cookie", value}};
  auto stats = client->Get("/api/v1/stats", with_cookie);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200) << stats->body;
  std::string body =
      R"({"type": "person", "names": [{"full": "Made In Browser"}], "marking": {"tlp": "GREEN"}})";
  auto no_csrf = client->Post("/api/v1/entities", with_cookie, body, "application/json");
  ASSERT_TRUE(no_csrf);
  EXPECT_EQ(no_csrf->status, 403) << no_csrf->body;
  EXPECT_NE(no_csrf->body.find("CSRF"), std::string::npos);
  httplib::Headers with_csrf = {{"Cookie", value}, {"X-CSRF-Token", csrf}};
  auto created = client->Post("/api/v1/entities", with_csrf, body, "application/json");
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201) << created->body;

  auto out = client->Delete("/api/v1/session", with_csrf);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 204) << out->body;
  auto after = client->Get("/api/v1/stats", with_cookie);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401);
  auto whoami = client->Get("/api/v1/session", with_cookie);
  ASSERT_TRUE(whoami);
  EXPECT_EQ(whoami->status, 401);
}

TEST(TrustUi, UiFilesGoOutWithAStrictContentSecurityPolicy) {
  std::string ui = testing::MakeTempDir("entente-ui-test");
  {
    std::ofstream index(ui + "/index.html");
    index << "<!doctype html><title>entente</title>";
  }
  TestServer server([&ui](ServerConfig& config) { config.static_dir = ui; });
  server.Start();
  auto client = server.Client();
  auto page = client->Get("/ui/index.html");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  std::string csp = page->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("script-src 'self' 'unsafe-inline'"), std::string::npos) << csp;
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(page->get_header_value("Referrer-Policy"), "no-referrer");
  auto nul = client->Get("/ui/index.html%00.txt");
  ASSERT_TRUE(nul);
  EXPECT_EQ(nul->status, 404);
  auto root = client->Get("/");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->status, 302);
  EXPECT_EQ(root->get_header_value("Location"), "/ui/");
  std::filesystem::remove_all(ui);
}

TEST(TrustStore, ANewSqliteStoreIsReadableByItsOwnerOnly) {
  std::string dir = testing::MakeTempDir("entente-mode-test");
  std::string path = dir + "/new.db";  // a SQLite file on both runs: its mode is the point
  {
    auto db = Database::Open(path);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
  }
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  std::filesystem::remove_all(dir);
}

TEST(TrustCli, AnUnknownCommandIsNamedAndFails) {
  auto run = entente::testing::RunEntente("NO-SUCH-COMMAND --help");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("unknown command 'NO-SUCH-COMMAND'"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace entente::server
