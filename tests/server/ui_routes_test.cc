// The routes the web UI's exchange, hit/no-hit and administration pages use, over real HTTPS:
// open sessions (list, revoke), a user's own password change, agreements in plain words with
// their counts, sync state, share explain, asking a partner and the follow-ups sent. Roles,
// markings and bad input for each.
#include <gtest/gtest.h>

#include "auth/session_store.h"
#include "exchange/agreement.h"
#include "exchange/exchange_store.h"
#include "server_test_util.h"

namespace entente::server {
namespace {

using nlohmann::json;
using testing::MakePerson;
using testing::ParseJson;
using testing::TestServer;

struct Signed {
  std::string cookie;  // "entente_session=..."
  std::string csrf;
};

class UiRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>();
    green_ = MakePerson("Nadia Uiroutes Green", Tlp::kGreen);
    red_ = MakePerson("Nadia Uiroutes Red", Tlp::kRed);
    server_->Put({green_, red_});
    server_->Start();
    auto db = Database::Open(server_->db_path());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(SessionStore::Migrate(**db).ok());
    ASSERT_TRUE(exchange::ExchangeStore::Migrate(**db).ok());
    auto key = TokenKey::LoadOrCreate(DefaultTokenKeyPath(server_->db_path()));
    ASSERT_TRUE(key.ok());
    for (const char* user : {"ana", "fr-analyst", "green-analyst"}) {
      ASSERT_TRUE(SessionStore(db->get(), *key)
                      .SetPassword({"test", "local", "DGSN-DGST"}, user, kPassword)
                      .ok());
    }
    auto agreement = exchange::ParseAgreement(
        "[partner]\nname = \"dgsi\"\nservice = \"DGSI\"\n"
        "[share]\ncategories = [\"*\"]\nmax_tlp = \"GREEN\"\ndrop = [\"addresses\"]\n");
    ASSERT_TRUE(agreement.ok()) << agreement.status().ToString();
    ASSERT_TRUE(exchange::ExchangeStore(db->get()).PutAgreement(*agreement).ok());
  }

  Signed SignIn(const std::string& user, const std::string& password = kPassword) {
    auto client = server_->Client();
    auto answer = client->Post(
        "/api/v1/session", json{{"user", user}, {"password", password}}.dump(), "application/json");
    EXPECT_TRUE(answer && answer->status == 201) << (answer ? answer->body : "no answer");
    if (!answer || answer->status != 201) return {};
    std::string cookie = answer->get_header_value("Set-Cookie");
    return {cookie.substr(0, cookie.find(';')), ParseJson(answer->body)["csrf_token"]};
  }

  std::pair<int, std::string> WithSession(const Signed& session, const std::string& method,
                                          const std::string& path, const std::string& body = "",
                                          bool csrf = true) {
    auto client = server_->Client();
    httplib::Headers headers = {{"Cookie", session.cookie}};
    if (csrf) headers.emplace("X-CSRF-Token", session.csrf);
    httplib::Result result = method == "POST"
                                 ? client->Post(path, headers, body, "application/json")
                                 : client->Get(path, headers);
    if (!result) return {-1, ""};
    return {result->status, result->body};
  }

  static constexpr const char* kPassword = "correct horse battery";
  std::unique_ptr<TestServer> server_;
  Entity green_, red_;
};

// (A session of a user above the administrator's clearance it may not end: trust_test.cc.)
TEST_F(UiRoutesTest, AnAdministratorSeesAndEndsTheOpenSessionsOfItsOwnService) {
  Signed ana = SignIn("green-analyst");  // GREEN, as the administrator adm
  Signed french = SignIn("fr-analyst");  // DGSI: not the DGSN-DGST administrator's
  auto [status, body] = server_->Call("GET", "/api/v1/sessions", "adm");
  ASSERT_EQ(status, 200) << body;
  json items = ParseJson(body)["items"];
  ASSERT_EQ(items.size(), 1u) << body;
  EXPECT_EQ(items[0]["user"], "green-analyst");
  EXPECT_EQ(body.find(ana.csrf), std::string::npos) << "no CSRF token in the list";
  EXPECT_EQ(body.find(ana.cookie.substr(ana.cookie.find('=') + 1)), std::string::npos);
  const std::string id = items[0]["id"];
  EXPECT_EQ(server_->Call("GET", "/api/v1/sessions", "ana").first, 403);
  EXPECT_EQ(server_->Call("DELETE", "/api/v1/sessions/" + id, "ana").first, 403);
  EXPECT_EQ(server_->Call("DELETE", "/api/v1/sessions/not-hex", "adm").first, 400);
  EXPECT_EQ(server_->Call("DELETE", "/api/v1/sessions/0123456789abcdef", "adm").first, 404);
  // The session is live, then ended by the administrator.
  EXPECT_EQ(WithSession(ana, "GET", "/api/v1/session").first, 200);
  auto [revoked, revoked_body] = server_->Call("DELETE", "/api/v1/sessions/" + id, "adm");
  EXPECT_EQ(revoked, 200) << revoked_body;
  EXPECT_EQ(WithSession(ana, "GET", "/api/v1/session").first, 401);
  EXPECT_EQ(server_->Call("DELETE", "/api/v1/sessions/" + id, "adm").first, 404);
  // The French session still works: another service's session is not listed nor ended.
  EXPECT_EQ(WithSession(french, "GET", "/api/v1/session").first, 200);
  auto [audit_status, audit] = server_->Call("GET", "/api/v1/audit?action=session.revoke", "aud");
  ASSERT_EQ(audit_status, 200) << audit;
  EXPECT_NE(audit.find("\"adm\""), std::string::npos) << audit;
}

TEST_F(UiRoutesTest, AUserChangesTheirOwnPasswordAndEverySessionEnds) {
  Signed ana = SignIn("ana");
  const std::string path = "/api/v1/session/password";
  json good = {{"old_password", kPassword}, {"new_password", "a much longer new secret"}};
  EXPECT_EQ(server_->Call("POST", path, "", good.dump()).first, 401);        // not signed in
  EXPECT_EQ(WithSession(ana, "POST", path, good.dump(), false).first, 403);  // no CSRF token
  auto [wrong, wrong_body] = WithSession(
      ana, "POST", path, json{{"old_password", "not it at all"}, {"new_password", "x"}}.dump());
  EXPECT_EQ(wrong, 403) << wrong_body;
  EXPECT_EQ(ParseJson(wrong_body)["error"]["field"], "old_password");
  auto [short_status, short_body] = WithSession(
      ana, "POST", path, json{{"old_password", kPassword}, {"new_password", "short"}}.dump());
  EXPECT_EQ(short_status, 400) << short_body;
  EXPECT_EQ(ParseJson(short_body)["error"]["field"], "new_password");
  EXPECT_EQ(WithSession(ana, "POST", path, R"({"old_password": 3})").first, 400);
  auto [changed, changed_body] = WithSession(ana, "POST", path, good.dump());
  ASSERT_EQ(changed, 200) << changed_body;
  EXPECT_EQ(WithSession(ana, "GET", "/api/v1/session").first, 401);
  Signed again = SignIn("ana", "a much longer new secret");
  EXPECT_FALSE(again.cookie.empty());
}

TEST_F(UiRoutesTest, AgreementsSpeakPlainWordsAndCountOnlyWhatTheLiaisonMayRead) {
  auto [status, body] = server_->Call("GET", "/api/v1/exchange/agreements", "lia");
  ASSERT_EQ(status, 200) << body;
  json agreement = ParseJson(body)["items"][0];
  EXPECT_EQ(agreement["partner"], "dgsi");
  EXPECT_EQ(agreement["share"]["max_tlp"], "GREEN");
  EXPECT_EQ(agreement["share"]["drop"], json::array({"addresses"}));
  EXPECT_NE(agreement["plain"][0].get<std::string>().find("TLP:GREEN"), std::string::npos);
  EXPECT_NE(agreement["plain"].dump().find("addresses"), std::string::npos);
  // lia is AMBER: the RED record is neither counted nor explained.
  auto [detail_status, detail] = server_->Call("GET", "/api/v1/exchange/agreements/dgsi", "lia");
  ASSERT_EQ(detail_status, 200) << detail;
  json counts = ParseJson(detail)["counts"];
  EXPECT_EQ(counts["records"], 1);
  EXPECT_EQ(counts["shared"], 1);
  EXPECT_EQ(counts["held_back"], 0);
  auto [red_status, red_detail] = server_->Call("GET", "/api/v1/exchange/agreements/dgsi", "ana");
  EXPECT_EQ(red_status, 403) << "an analyst is no liaison";
  EXPECT_EQ(server_->Call("GET", "/api/v1/exchange/agreements/nobody", "lia").first, 404);

  auto [shared_status, shared] = server_->Call(
      "GET", "/api/v1/exchange/explain?id=" + green_.meta.id + "&partner=dgsi", "lia");
  ASSERT_EQ(shared_status, 200) << shared;
  EXPECT_TRUE(ParseJson(shared)["shared"].get<bool>());
  auto [hidden, hidden_body] =
      server_->Call("GET", "/api/v1/exchange/explain?id=" + red_.meta.id + "&partner=dgsi", "lia");
  EXPECT_EQ(hidden, 404);
  EXPECT_EQ(hidden_body.find("Uiroutes Red"), std::string::npos);
  EXPECT_EQ(server_->Call("GET", "/api/v1/exchange/explain?partner=dgsi", "lia").first, 400);
  EXPECT_EQ(server_->Call("GET", "/api/v1/exchange/explain?id=" + green_.meta.id, "lia").first,
            400);
  EXPECT_EQ(
      server_->Call("GET", "/api/v1/exchange/explain?id=" + green_.meta.id + "&partner=x", "lia")
          .first,
      404);
}

TEST_F(UiRoutesTest, ARedRecordIsHeldBackWithItsReasonForARedLiaison) {
  server_->AddUserNow("red-liaison", Role::kLiaison, Tlp::kRed, "DGSN-DGST");
  auto [status, body] = server_->Call("GET", "/api/v1/exchange/agreements/dgsi", "red-liaison");
  ASSERT_EQ(status, 200) << body;
  json counts = ParseJson(body)["counts"];
  EXPECT_EQ(counts["records"], 2);
  EXPECT_EQ(counts["held_back"], 1);
  ASSERT_EQ(counts["held_back_by_reason"].size(), 1u) << body;
  auto [explained, why] = server_->Call(
      "GET", "/api/v1/exchange/explain?id=" + red_.meta.id + "&partner=dgsi", "red-liaison");
  ASSERT_EQ(explained, 200) << why;
  EXPECT_FALSE(ParseJson(why)["shared"].get<bool>());
  EXPECT_NE(ParseJson(why)["reasons"][0].get<std::string>().find("RED"), std::string::npos) << why;
}

TEST_F(UiRoutesTest, SyncStateIsListedPerPartner) {
  auto [status, body] = server_->Call("GET", "/api/v1/exchange/sync", "lia");
  ASSERT_EQ(status, 200) << body;
  json item = ParseJson(body)["items"][0];
  EXPECT_EQ(item["partner"], "dgsi");
  EXPECT_FALSE(item["pulls"].get<bool>());  // no url in its agreement
  EXPECT_EQ(item["cursor"]["objects_received"], 0);
  EXPECT_TRUE(item["recent_rejections"].empty());
  EXPECT_EQ(server_->Call("GET", "/api/v1/exchange/sync?rejections=-1", "lia").first, 400);
  EXPECT_EQ(server_->Call("GET", "/api/v1/exchange/sync", "sam").first, 403);
}

TEST_F(UiRoutesTest, AskingAPartnerNamesWhatIsWrong) {
  const std::string path = "/api/v1/hitnohit/ask";
  struct Case {
    std::string body;
    int status;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"{", 400, "malformed"},
      {R"({"queries": [{"name": "A"}]})", 400, "partner"},
      {R"({"partner": "dgsi"})", 400, "queries"},
      {R"({"partner": "dgsi", "queries": []})", 400, "queries"},
      {R"({"partner": "dgsi", "mode": "loud", "queries": [{"name": "A"}]})", 400, "mode"},
      {R"({"partner": "dgsi", "queries": [{"birth_date": "1970"}]})", 400, "queries[0].name"},
      {R"({"partner": "dgsi", "queries": [{"name": "A", "birth_date": "soon"}]})", 400,
       "queries[0].birth_date"},
      {R"({"partner": "dgsi", "queries": [{"name": "A", "nationality": "Atlantis"}]})", 400,
       "queries[0].nationality"},
      {R"({"partner": "nobody", "queries": [{"name": "A"}]})", 404, "nobody"},
      // The agreement has no url nor certificates: the reason is named, nothing is sent.
      {R"({"partner": "dgsi", "queries": [{"name": "A"}]})", 400, "url"},
  };
  for (const Case& c : cases) {
    auto [status, body] = server_->Call("POST", path, "lia", c.body);
    EXPECT_EQ(status, c.status) << c.body << " -> " << body;
    EXPECT_NE(body.find(c.says), std::string::npos) << c.body << " -> " << body;
  }
  EXPECT_EQ(server_->Call("POST", path, "ana", cases.back().body).first, 403);
}

TEST_F(UiRoutesTest, FollowUpsSentAreListedAndBadOnesRefused) {
  auto [status, body] = server_->Call("GET", "/api/v1/hitnohit/outgoing", "lia");
  ASSERT_EQ(status, 200) << body;
  EXPECT_TRUE(ParseJson(body)["followups"].empty());
  EXPECT_EQ(server_->Call("GET", "/api/v1/hitnohit/outgoing?status=maybe", "lia").first, 400);
  EXPECT_EQ(server_->Call("GET", "/api/v1/hitnohit/outgoing", "ana").first, 403);
  const std::string path = "/api/v1/hitnohit/outgoing";
  EXPECT_EQ(server_->Call("POST", path, "lia", R"({"partner": "dgsi", "reference": "x"})").first,
            400);
  auto [unknown, unknown_body] = server_->Call(
      "POST", path, "lia",
      R"({"partner": "dgsi", "reference": "hnh-00000000000000000000000000000000", "reason": "border check"})");
  // The agreement names no partner address: the reason is named, nothing is sent.
  EXPECT_EQ(unknown, 400) << unknown_body;
  EXPECT_NE(unknown_body.find("partner.url"), std::string::npos) << unknown_body;
}

}  // namespace
}  // namespace entente::server
