// The hit/no-hit route handlers (src/exchange/hitnohit/hitnohit_routes.h) and the follow-up
// decisions (followup.h), called through the server's Router with a real SQLite store and the
// real audit trail, as the answering node runs them (the HTTPS/mTLS layer is exercised by
// hitnohit_two_node_test.cc).
#include "api/hitnohit_routes.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../run_entente.h"
#include "../test_store_target.h"
#include "audit/audit_log.h"
#include "common/crash_point.h"
#include "common/ids.h"
#include "common/time.h"
#include "exchange/exchange_store.h"
#include "exchange/hitnohit/followup.h"
#include "exchange/hitnohit/hitnohit_store.h"
#include "exchange/hitnohit/protocol.h"
#include "exchange/hitnohit/settings.h"
#include "http/router.h"

namespace entente::exchange::hitnohit {
namespace {

using nlohmann::json;

constexpr char kAgreement[] = R"(
[partner]
name = "dgsi"
service = "DGSI"
principals = ["dgsi"]

[share]
categories = ["terrorism"]
max_tlp = "AMBER"
drop = ["documents"]
redact = ["birth_dates"]
)";

constexpr char kSecret[] = "the DGSN-DGSI hit/no-hit secret, 2025";

Entity Person(const std::string& name, const std::string& dob, ThreatCategory category) {
  Entity e;
  e.type = EntityType::kPerson;
  e.meta.id = RandomId("person");
  e.meta.provenance = {"DGSN-DGST", "test", e.meta.id, "", ""};
  e.meta.grades = {'B', 2};
  e.meta.category = category;
  e.meta.marking = {Tlp::kAmber, {}};
  e.names.push_back({name, NameKind::kPrimary, "Latn"});
  e.birth_dates.push_back(*PartialDate::Parse(dob));
  e.nationalities = {"MA"};
  e.documents.push_back({"passport", "TA1234567", "MA", "", ""});
  return e;
}

class HitNoHitRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("hitnohit-routes-" + RandomHex(6));
    std::filesystem::create_directories(dir_);
    auto db = Database::Open(::entente::testing::StoreTarget((dir_ / "ma.db").string()));
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(RecordStore::Migrate(*db_).ok());
    ASSERT_TRUE(HitNoHitStore::Migrate(*db_).ok());
    store_ = std::make_unique<RecordStore>(db_.get());
    auto agreement = ParseAgreement(kAgreement, "test agreement");
    ASSERT_TRUE(agreement.ok()) << agreement.status().ToString();
    agreement_ = *agreement;
    ASSERT_TRUE(ExchangeStore(db_.get()).PutAgreement(agreement_).ok());
    std::ofstream(dir_ / "secret") << kSecret << "\n";
    SetSettings("quota_per_day = 100\n");

    terrorist_ = Person("Youssef El Idrissi", "1983-11-05", ThreatCategory::kTerrorism);
    trafficker_ = Person("Karim Bensalah", "1975-01-20", ThreatCategory::kNarcotics);
    other_ = Person("Rachid Tazi", "1969-06-01", ThreatCategory::kOther);
    ASSERT_TRUE(store_->PutAll({terrorist_, trafficker_, other_}).ok());
    ASSERT_TRUE(MountHitNoHitRoutes(router_).ok());
    // Mounting twice is harmless (the exchange may mount them too).
    ASSERT_TRUE(MountHitNoHitRoutes(router_).ok());

    partner_.authenticated = true;
    partner_.user = "dgsi";
    partner_.partner = "dgsi";
    partner_.service = "DGSI";
    partner_.role = server::Role::kPartner;
    partner_.clearance = Tlp::kAmber;
  }

  void TearDown() override {
    store_.reset();
    db_.reset();
    std::error_code error;
    std::filesystem::remove_all(dir_, error);
  }

  // Searchable: terrorism and narcotics (more than is shared), not "other".
  void SetSettings(const std::string& extra) {
    std::string text =
        "[hitnohit]\ncategories = [\"terrorism\", \"narcotics\"]\n"
        "privacy = \"allowed\"\nsecret_file = \"" +
        (dir_ / "secret").string() + "\"\n" + extra;
    Status put = HitNoHitStore(db_.get()).PutSettingsText(agreement_, text);
    ASSERT_TRUE(put.ok()) << put.ToString();
  }

  server::HttpResponse Call(const std::string& method, const std::string& path,
                            const std::string& body, const server::Principal& who) {
    server::HttpRequest request;
    request.method = method;
    request.path = path;
    request.body = body;
    server::RouteMatch match = router_.Resolve(method, path);
    EXPECT_NE(match.route, nullptr) << method << " " << path;
    if (match.route == nullptr) return {};
    request.path_params = match.params;
    server::ScopedStore records(&*store_, who);
    server::RequestContext ctx{request, who, *db_, records, services_, "DGSN-DGST"};
    return match.route->handler(ctx);
  }

  json Ask(const std::vector<AskQuery>& queries, int expect_status = 200) {
    server::HttpResponse r = Call("POST", kHitNoHitPath, BuildPlainRequest(queries).body, partner_);
    EXPECT_EQ(r.status, expect_status) << r.body;
    return json::parse(r.body, nullptr, false);
  }

  std::string HitReference(const std::string& name) {
    json answer = Ask({{"x", name, std::nullopt, "", ""}});
    EXPECT_EQ(answer["answers"][0]["result"], "hit") << answer.dump();
    return answer["answers"][0].value("reference", "");
  }

  // A liaison officer of this node's service.
  static server::Principal Liaison(const std::string& user, Tlp clearance) {
    server::Principal lia;
    lia.authenticated = true;
    lia.user = user;
    lia.role = server::Role::kLiaison;
    lia.service = "DGSN-DGST";
    lia.clearance = clearance;
    return lia;
  }

  std::string RequestFollowup(const std::string& reference) {
    server::HttpResponse r =
        Call("POST", kFollowupsPath,
             BuildFollowupRequest({reference, "traveller at Orly", "fr-lia"}), partner_);
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body, nullptr, false).value("id", "");
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<RecordStore> store_;
  Agreement agreement_;
  server::Router router_;
  server::Services services_;
  server::Principal partner_;
  Entity terrorist_, trafficker_, other_;
  const server::AuditActor liaison_{"lia", "liaison", "DGSN-DGST"};
};

TEST_F(HitNoHitRoutesTest, HitNoHitAndUnsearchable) {
  json answer = Ask({{"a", "Youssef Idrissi", PartialDate{1983, 11, 5}, "MA", ""},
                     {"b", "Jean-Claude Dupuis", std::nullopt, "", ""},
                     {"c", "Rachid Tazi", PartialDate{1969, 6, 1}, "", ""},
                     {"d", "Karim Ben Salah", std::nullopt, "", ""}});
  ASSERT_EQ(answer["answers"].size(), 4u) << answer.dump();
  EXPECT_EQ(answer["answers"][0]["result"], "hit");
  EXPECT_TRUE(IsReference(answer["answers"][0]["reference"].get<std::string>()));
  EXPECT_EQ(answer["answers"][1]["result"], "no-hit");
  EXPECT_EQ(answer["answers"][2]["result"], "no-hit");  // category "other": not searchable
  EXPECT_EQ(answer["answers"][3]["result"], "hit");     // searchable though not shared
  // Nothing of the record leaves.
  const std::string text = answer.dump();
  for (const std::string& secret : {terrorist_.meta.id, std::string("Idrissi"), std::string("1983"),
                                    trafficker_.meta.id, std::string("score")})
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << text;
  // The answers are audited, attributed to the partner; a liaison can list what it asked.
  auto asked = server::AuditLog::Read(*db_, {.actor = "dgsi", .action = "hitnohit.answer"});
  ASSERT_TRUE(asked.ok());
  ASSERT_EQ(asked->size(), 4u);
  EXPECT_NE((*asked)[0].detail_json.find("Youssef Idrissi"), std::string::npos);
  EXPECT_EQ((*asked)[0].outcome, "hit");
  EXPECT_EQ((*asked)[1].outcome, "no-hit");
}

TEST_F(HitNoHitRoutesTest, PrivateModeAnswersAndRefusesAWrongKey) {
  auto keys = PrivacyKeys::Derive(kSecret);
  ASSERT_TRUE(keys.ok());
  PreparedRequest request =
      BuildPrivateRequest(*keys, {{"a", "Youssef El Idrissi", PartialDate{1983, 11, 5}, "", ""},
                                  {"b", "Jean-Claude Dupuis", std::nullopt, "", ""}});
  server::HttpResponse r = Call("POST", kHitNoHitPath, request.body, partner_);
  ASSERT_EQ(r.status, 200) << r.body;
  json answer = json::parse(r.body);
  EXPECT_EQ(answer["mode"], "private");
  EXPECT_EQ(answer["answers"][0]["result"], "hit");
  EXPECT_EQ(answer["answers"][1]["result"], "no-hit");
  // No name reaches the answering side's audit trail in private mode.
  auto entries = server::AuditLog::Read(*db_, {.actor = "dgsi", .action = "hitnohit.answer"});
  ASSERT_TRUE(entries.ok());
  for (const server::AuditEntry& e : *entries)
    EXPECT_EQ(e.detail_json.find("Idrissi"), std::string::npos) << e.detail_json;

  auto wrong = PrivacyKeys::Derive("not the secret of this agreement");
  ASSERT_TRUE(wrong.ok());
  r = Call("POST", kHitNoHitPath,
           BuildPrivateRequest(*wrong, {{"a", "Youssef", std::nullopt, "", ""}}).body, partner_);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("key_id"), std::string::npos);
}

TEST_F(HitNoHitRoutesTest, RequiredPrivacyRefusesPlainQueries) {
  Status put = HitNoHitStore(db_.get()).PutSettingsText(
      agreement_,
      "[hitnohit]\nprivacy = \"required\"\nsecret_file = \"" + (dir_ / "secret").string() + "\"\n");
  ASSERT_TRUE(put.ok()) << put.ToString();
  Ask({{"a", "Youssef Idrissi", std::nullopt, "", ""}}, 403);
}

TEST_F(HitNoHitRoutesTest, QuotaAndBatchLimits) {
  SetSettings("quota_per_day = 3\nmax_batch = 2\n");
  Ask({{"a", "Jean Dupuis", std::nullopt, "", ""}, {"b", "Paul Martin", std::nullopt, "", ""}});
  // Three in one request: over the batch limit (400), nothing counted.
  Ask({{"a", "A B", std::nullopt, "", ""},
       {"b", "C D", std::nullopt, "", ""},
       {"c", "E F", std::nullopt, "", ""}},
      400);
  // Two more would make 4 > 3: 429 with Retry-After, and audited as denied.
  server::HttpResponse r = Call("POST", kHitNoHitPath,
                                BuildPlainRequest({{"a", "Jean Dupuis", std::nullopt, "", ""},
                                                   {"b", "Paul Martin", std::nullopt, "", ""}})
                                    .body,
                                partner_);
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_NE(r.body.find("quota"), std::string::npos);
  bool retry_after = false;
  for (const auto& [name, value] : r.headers) retry_after |= name == "Retry-After";
  EXPECT_TRUE(retry_after);
  auto denied = server::AuditLog::Read(*db_, {.actor = "dgsi", .action = "hitnohit.query"});
  ASSERT_TRUE(denied.ok());
  ASSERT_FALSE(denied->empty());
  EXPECT_EQ(denied->back().outcome, "denied");
  // One more still fits.
  Ask({{"a", "Jean Dupuis", std::nullopt, "", ""}});
}

TEST_F(HitNoHitRoutesTest, RateLimit) {
  SetSettings("rate_per_minute = 2\n");
  // Two requests pass; the third in the same minute is refused (unless the minute turned).
  int refused = 0;
  for (int call_idx = 0; call_idx < 5; ++call_idx) {
    server::HttpResponse r =
        Call("POST", kHitNoHitPath,
             BuildPlainRequest({{"a", "Jean Dupuis", std::nullopt, "", ""}}).body, partner_);
    if (r.status == 429) ++refused;
  }
  EXPECT_GE(refused, 1);
}

TEST_F(HitNoHitRoutesTest, UnknownPartnerIsRefused) {
  server::Principal stranger = partner_;
  stranger.user = stranger.partner = "bnd";
  stranger.service = "BND";
  server::HttpResponse r =
      Call("POST", kHitNoHitPath, BuildPlainRequest({{"a", "Youssef", std::nullopt, "", ""}}).body,
           stranger);
  EXPECT_EQ(r.status, 403) << r.body;
}

// The follow-up decision's crash point (common/crash_point.h): `entente followup approve`
// killed before its commit leaves the request pending with no audit entry of the decision; run
// again, it is approved once, released once, and the trail verifies.
TEST_F(HitNoHitRoutesTest, AFollowupDecisionKilledBeforeItsCommitIsDecidedOnceWhenRunAgain) {
  const std::string id = RequestFollowup(HitReference("Karim Bensalah"));
  ASSERT_FALSE(id.empty());
  const std::string db = ::entente::testing::StoreTarget((dir_ / "ma.db").string());
  auto count = [&](const std::string& action) {
    auto rows = db_->Query("SELECT COUNT(*) FROM audit_log WHERE action = ?", {action});
    return rows.ok() && !rows->empty() ? (*rows)[0].Int(0) : -1;
  };
  int tried = 0;
  for (const CrashPointInfo& point : CrashPoints()) {
    if (point.tested_in != CrashPointInfo::kFollowupRecoveryTest) continue;
    ++tried;
    const std::vector<std::string> approve = {"--db",      db,         "--service",
                                              "DGSN-DGST", "followup", "approve",
                                              id,          "--reason", "confirmed trafficker"};
    setenv("ENTENTE_CRASH_AT", std::string(point.name).c_str(), 1);
    std::string out;
    int killed = ::entente::testing::RunEntente(approve, &out);
    unsetenv("ENTENTE_CRASH_AT");
    EXPECT_TRUE(killed == 128 + SIGKILL || killed == -1) << point.name << " did not fire: " << out;
    auto pending = HitNoHitStore(db_.get()).GetFollowup(id);
    ASSERT_TRUE(pending.ok()) << pending.status().ToString();
    EXPECT_EQ(pending->status, FollowupStatus::kPending);
    EXPECT_EQ(count("hitnohit.followup.approve"), 0);
    ASSERT_EQ(::entente::testing::RunEntente(approve, &out), 0) << out;
    auto decided = HitNoHitStore(db_.get()).GetFollowup(id);
    ASSERT_TRUE(decided.ok());
    EXPECT_EQ(decided->status, FollowupStatus::kApproved);
    EXPECT_EQ(count("hitnohit.followup.approve"), 1);
    EXPECT_EQ(count("hitnohit.release"), 1);
    EXPECT_EQ(::entente::testing::RunEntente({"--db", db, "audit", "verify"}, &out), 0) << out;
  }
  EXPECT_EQ(tried, 1);
}

TEST_F(HitNoHitRoutesTest, FollowupApprovedReleasesTheRecordAsTheAgreementAllows) {
  const std::string reference = HitReference("Karim Bensalah");
  const std::string id = RequestFollowup(reference);
  ASSERT_FALSE(id.empty());
  // Pending: the partner sees no objects yet.
  server::HttpResponse r = Call("GET", std::string(kFollowupsPath) + "/" + id, "", partner_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["status"], "pending");
  EXPECT_FALSE(json::parse(r.body).contains("objects"));

  auto listed = HitNoHitStore(db_.get()).ListFollowups(FollowupStatus::kPending, "");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].entity_id, trafficker_.meta.id);
  EXPECT_EQ((*listed)[0].reason, "traveller at Orly");

  EXPECT_FALSE(DecideFollowupRequest(*db_, "DGSN-DGST", id, true, " ", liaison_).ok());
  auto decided =
      DecideFollowupRequest(*db_, "DGSN-DGST", id, true, "confirmed trafficker", liaison_);
  ASSERT_TRUE(decided.ok()) << decided.status().ToString();
  EXPECT_EQ(decided->status, FollowupStatus::kApproved);
  auto again = DecideFollowupRequest(*db_, "DGSN-DGST", id, false, "changed my mind", liaison_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kConflict);

  r = Call("GET", std::string(kFollowupsPath) + "/" + id, "", partner_);
  ASSERT_EQ(r.status, 200) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["status"], "approved");
  EXPECT_EQ(body["reason"], "confirmed trafficker");
  const std::string objects = body["objects"].dump();
  EXPECT_NE(objects.find("Bensalah"), std::string::npos);
  EXPECT_NE(objects.find("signature"), std::string::npos);
  EXPECT_EQ(objects.find("TA1234567"), std::string::npos) << "documents are dropped";
  EXPECT_EQ(objects.find("1975-01-20"), std::string::npos) << "birth dates are redacted";

  for (const char* action : {"hitnohit.followup.request", "hitnohit.followup.approve",
                             "hitnohit.release", "hitnohit.release.fetch"}) {
    auto entries = server::AuditLog::Read(*db_, {.action = action});
    ASSERT_TRUE(entries.ok());
    EXPECT_FALSE(entries->empty()) << action;
  }
  auto verified = server::AuditLog::Verify(*db_);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok) << verified->problem;

  // Another partner cannot see it.
  server::Principal other = partner_;
  other.user = other.partner = "bnd";
  other.service = "BND";
  ASSERT_TRUE(ExchangeStore(db_.get())
                  .PutAgreement(*ParseAgreement(
                      "[partner]\nname = \"bnd\"\nservice = \"BND\"\nprincipals = [\"bnd\"]\n"
                      "[share]\ncategories = [\"terrorism\"]\n"))
                  .ok());
  EXPECT_EQ(Call("GET", std::string(kFollowupsPath) + "/" + id, "", other).status, 404);
}

TEST_F(HitNoHitRoutesTest, FollowupRefused) {
  const std::string id = RequestFollowup(HitReference("Youssef El Idrissi"));
  auto decided = DecideFollowupRequest(*db_, "DGSN-DGST", id, false, "ongoing operation", liaison_);
  ASSERT_TRUE(decided.ok()) << decided.status().ToString();
  server::HttpResponse r = Call("GET", std::string(kFollowupsPath) + "/" + id, "", partner_);
  json body = json::parse(r.body);
  EXPECT_EQ(body["status"], "refused");
  EXPECT_EQ(body["reason"], "ongoing operation");
  EXPECT_FALSE(body.contains("objects"));
  EXPECT_EQ(r.body.find("Idrissi"), std::string::npos);
}

TEST_F(HitNoHitRoutesTest, ExpiredAndUnknownReferences) {
  const std::string reference = HitReference("Youssef El Idrissi");
  {
    Transaction tx(db_.get());
    ASSERT_TRUE(
        HitNoHitStore(db_.get()).SetReferenceExpiry(reference, NowMillis() / 1000 - 5).ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  server::HttpResponse r =
      Call("POST", kFollowupsPath, BuildFollowupRequest({reference, "why", "fr"}), partner_);
  EXPECT_EQ(r.status, 410) << r.body;
  EXPECT_NE(r.body.find("expired"), std::string::npos);
  r = Call("POST", kFollowupsPath,
           BuildFollowupRequest({"hnh-00000000000000000000000000000000", "why", "fr"}), partner_);
  EXPECT_EQ(r.status, 404) << r.body;
  r = Call("POST", kFollowupsPath, R"({"reference": "person--1", "reason": "x"})", partner_);
  EXPECT_EQ(r.status, 400) << r.body;
}

TEST_F(HitNoHitRoutesTest, LiaisonRoutesListAndDecide) {
  const std::string id = RequestFollowup(HitReference("Youssef El Idrissi"));
  const server::Principal lia = Liaison("lia", Tlp::kAmber);
  server::HttpResponse r = Call("GET", "/api/v1/hitnohit/followups", "", lia);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["followups"].size(), 1u);
  r = Call("POST", "/api/v1/hitnohit/followups/" + id + "/decision", R"({"decision": "maybe"})",
           lia);
  EXPECT_EQ(r.status, 400);
  r = Call("POST", "/api/v1/hitnohit/followups/" + id + "/decision",
           R"({"decision": "refuse", "reason": "not releasable now"})", lia);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["status"], "refused");
  r = Call("POST", "/api/v1/hitnohit/followups/" + id + "/decision",
           R"({"decision": "approve", "reason": "again"})", lia);
  EXPECT_EQ(r.status, 409) << r.body;
}

// Found in session 7: a GREEN liaison listed, and approved the release of, follow-up requests
// on AMBER records it may not read itself.
TEST_F(HitNoHitRoutesTest, ALiaisonDecidesOnlyOnRecordsItMayRead) {
  const std::string id = RequestFollowup(HitReference("Youssef El Idrissi"));  // AMBER record
  const server::Principal green = Liaison("lia-green", Tlp::kGreen);
  server::HttpResponse r = Call("GET", "/api/v1/hitnohit/followups", "", green);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["followups"].size(), 0u) << r.body;
  EXPECT_EQ(r.body.find(terrorist_.meta.id), std::string::npos);
  r = Call("POST", "/api/v1/hitnohit/followups/" + id + "/decision",
           R"({"decision": "approve", "reason": "looks fine"})", green);
  EXPECT_EQ(r.status, 404) << r.body;
  server::HttpResponse missing = Call("POST", "/api/v1/hitnohit/followups/f-nothing/decision",
                                      R"({"decision": "approve", "reason": "x"})", green);
  EXPECT_EQ(missing.status, 404) << missing.body;
  auto still = HitNoHitStore(db_.get()).GetFollowup(id);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->status, FollowupStatus::kPending) << "nothing was released";
}

TEST(HitNoHitSettings, ParsesAndRefusesBadValues) {
  auto agreement = ParseAgreement(kAgreement, "a");
  ASSERT_TRUE(agreement.ok());
  auto defaults = ParseSettings(*agreement, "", "s");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->max_tlp, Tlp::kAmber);
  EXPECT_EQ(defaults->categories, agreement->share.categories);
  EXPECT_EQ(defaults->privacy, PrivacyMode::kOff);
  auto set =
      ParseSettings(*agreement,
                    "[hitnohit]\ncategories = [\"*\"]\nmax_tlp = \"RED\"\nquota_per_day = 5\n"
                    "reference_ttl_hours = 2\nsecret_env = \"X\"\n",
                    "s");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_TRUE(set->all_categories);
  EXPECT_EQ(set->max_tlp, Tlp::kRed);
  EXPECT_EQ(set->quota_per_day, 5);
  EXPECT_EQ(set->reference_ttl_seconds, 7200);
  EXPECT_EQ(set->privacy, PrivacyMode::kAllowed);
  for (const char* bad : {"[hitnohit]\nquota_per_day = 0\n", "[hitnohit]\nmax_tlp = \"PINK\"\n",
                          "[hitnohit]\ncategories = [\"piracy\"]\n", "[hitnohit]\ncolour = 1\n",
                          "[hitnohit]\nprivacy = \"required\"\n", "[hitnohit]\nthreshold = 1.5\n",
                          "[hitnohit]\nmax_batch = 5000\n", "[hitnohit]\ntypes = [\"vehicle\"]\n",
                          "hitnohit = 3\n", "[hitnohit\n"}) {
    auto parsed = ParseSettings(*agreement, bad, "s");
    EXPECT_FALSE(parsed.ok()) << bad;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << bad;
    }
  }
}

TEST(HitNoHitSettings, SecretFromEnvironmentOrFile) {
  HitNoHitSettings s;
  EXPECT_EQ(LoadSecret(s).status().code(), StatusCode::kNotFound);
  s.secret_env = "ENTENTE_HNH_TEST_SECRET_UNSET_42";
  EXPECT_EQ(LoadSecret(s).status().code(), StatusCode::kNotFound);
  ::setenv("ENTENTE_HNH_TEST_SECRET_SET_42", "from the environment", 1);
  s.secret_env = "ENTENTE_HNH_TEST_SECRET_SET_42";
  EXPECT_EQ(*LoadSecret(s), "from the environment");
  s.secret_env.clear();
  s.secret_file = "/nonexistent/secret";
  EXPECT_EQ(LoadSecret(s).status().code(), StatusCode::kIOError);
}

}  // namespace
}  // namespace entente::exchange::hitnohit
