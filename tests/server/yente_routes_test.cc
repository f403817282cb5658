// The matching APIs other tools speak, over real HTTPS: yente's POST /match/{dataset} and the
// W3C reconciliation service (OpenRefine). Requests in the shapes their documentation gives;
// markings and clearance as on /api/v1/match; bad input named by field.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "api/match_service.h"
#include "server_test_util.h"

namespace entente::server {
namespace {

using nlohmann::json;
using testing::MakeOrganization;
using testing::MakePerson;
using testing::ParseJson;
using testing::TestServer;
using testing::UrlEncode;

class MatchingApisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>();
    karim_ = MakePerson("Karim Benali Yentetest", Tlp::kGreen);
    karim_.birth_dates = {*PartialDate::Parse("1975-03-02")};
    karim_.documents = {{"passport", "YT1234567", "MA", "", ""}};
    karim_.names.push_back({"كريم بنعلي", NameKind::kAlias, "Arab"});
    red_ = MakePerson("Karim Benali Yentetest", Tlp::kRed);
    red_.birth_dates = {*PartialDate::Parse("1975-03-02")};
    company_ = MakeOrganization("Atlas Yentetest Trading", Tlp::kGreen);
    company_.nationalities.clear();
    server_->Put({karim_, red_, company_});
    server_->Start();
    MatchService* match = server_->server().services().Get<MatchService>();
    for (int wait = 0; wait < 300 && !match->ready(); ++wait) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  std::pair<int, json> Yente(const std::string& query_string, const json& body,
                             const std::string& user = "ana") {
    auto [status, text] = server_->Call("POST", "/match/default" + query_string, user, body.dump());
    return {status, ParseJson(text)};
  }

  static json PersonQuery(const json& properties) {
    return {{"queries", {{"q1", {{"schema", "Person"}, {"properties", properties}}}}}};
  }

  std::unique_ptr<TestServer> server_;
  Entity karim_, red_, company_;
};

TEST_F(MatchingApisTest, YenteMatchAnswersInYentesShape) {
  // sam (AMBER) reads the GREEN record, not its RED namesake.
  auto [status, body] =
      Yente("", PersonQuery({{"name", {"Karim Benali Yentetest"}}, {"birthDate", {"1975-03-02"}}}),
            "sam");
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(body["limit"], 5);
  EXPECT_TRUE(body["matcher"].contains("name"));
  const json& q1 = body["responses"]["q1"];
  EXPECT_EQ(q1["status"], 200);
  EXPECT_EQ(q1["query"]["schema"], "Person");
  ASSERT_GE(q1["results"].size(), 1u) << body;
  EXPECT_EQ(q1["total"]["value"], q1["results"].size());
  EXPECT_EQ(q1["total"]["relation"], "eq");
  const json& top = q1["results"][0];
  EXPECT_EQ(top["id"], karim_.meta.id);
  EXPECT_EQ(top["caption"], "Karim Benali Yentetest");
  EXPECT_EQ(top["schema"], "Person");
  EXPECT_EQ(top["properties"]["birthDate"], json::array({"1975-03-02"}));
  EXPECT_EQ(top["properties"]["passportNumber"], json::array({"YT1234567"}));
  EXPECT_EQ(top["properties"]["alias"], json::array({"كريم بنعلي"}));
  EXPECT_EQ(top["properties"]["nationality"], json::array({"ma"}));
  EXPECT_GT(top["score"].get<double>(), 0.75);
  EXPECT_LE(top["score"].get<double>(), 1.0);
  EXPECT_TRUE(top["match"].get<bool>());
  EXPECT_GT(top["features"]["name"].get<double>(), 0.0);
  EXPECT_TRUE(top["features"].contains("birth_date")) << top;
  EXPECT_EQ(top["datasets"], json::array({"default"}));
  EXPECT_EQ(top["entente"]["tlp"], "GREEN");
  // The organization is no result of a Person query.
  for (const json& result : q1["results"]) EXPECT_NE(result["id"], company_.meta.id);
}

TEST_F(MatchingApisTest, YenteMatchAppliesThresholdLimitAndSeveralQueries) {
  json body = {
      {"queries",
       {{"person", {{"schema", "Person"}, {"properties", {{"name", "Karim Benali Yentetest"}}}}},
        {"company",
         {{"schema", "Company"},
          {"properties", {{"name", {"Atlas Yentetest Trading"}}, {"topics", {"sanction"}}}}}}}}};
  auto [status, answer] = Yente("?threshold=0.999&limit=1&algorithm=best", body);
  ASSERT_EQ(status, 200) << answer;
  EXPECT_EQ(answer["limit"], 1);
  ASSERT_EQ(answer["responses"]["person"]["results"].size(), 1u);
  ASSERT_EQ(answer["responses"]["company"]["results"].size(), 1u);
  EXPECT_EQ(answer["responses"]["company"]["results"][0]["id"], company_.meta.id);
  EXPECT_EQ(answer["responses"]["company"]["results"][0]["schema"], "Organization");
  EXPECT_EQ(answer["responses"]["company"]["ignored_properties"], json::array({"topics"}));
  for (const char* key : {"person", "company"}) {
    for (const json& result : answer["responses"][key]["results"]) {
      EXPECT_EQ(result["match"].get<bool>(), result["score"].get<double>() >= 0.999) << result;
    }
  }
  // firstName + lastName make the name when `name` is absent.
  auto [parts_status, parts] =
      Yente("", PersonQuery({{"firstName", "Karim"}, {"lastName", "Benali Yentetest"}}), "sam");
  ASSERT_EQ(parts_status, 200) << parts;
  ASSERT_GE(parts["responses"]["q1"]["results"].size(), 1u) << parts;
  EXPECT_EQ(parts["responses"]["q1"]["results"][0]["id"], karim_.meta.id);
}

TEST_F(MatchingApisTest, YenteMatchShowsNothingAboveTheCallersClearance) {
  json query = PersonQuery({{"name", {"Karim Benali Yentetest"}}, {"birthDate", "1975-03-02"}});
  auto [status, body] = Yente("", query, "green-analyst");
  ASSERT_EQ(status, 200) << body;
  const json& q1 = body["responses"]["q1"];
  for (const json& result : q1["results"]) EXPECT_NE(result["id"], red_.meta.id);
  ASSERT_EQ(q1["restricted"].size(), 1u) << body;
  EXPECT_EQ(q1["restricted"][0]["owner_service"], "DGSN-DGST");
  EXPECT_EQ(body.dump().find(red_.meta.id), std::string::npos);
  // The RED analyst sees both.
  auto [red_status, red_body] = Yente("", query, "ana");
  ASSERT_EQ(red_status, 200);
  std::set<std::string> ids;
  for (const json& result : red_body["responses"]["q1"]["results"]) ids.insert(result["id"]);
  EXPECT_TRUE(ids.count(red_.meta.id) && ids.count(karim_.meta.id)) << red_body;
  EXPECT_TRUE(red_body["responses"]["q1"]["restricted"].empty());
}

TEST_F(MatchingApisTest, YenteMatchNamesWhatIsWrongWithARequest) {
  json good = PersonQuery({{"name", "Karim"}});
  struct Case {
    std::string query_string;
    std::string body;
    int status;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"?algorithm=logic-v1", good.dump(), 400, "algorithm"},
      {"?threshold=2", good.dump(), 400, "threshold"},
      {"?threshold=abc", good.dump(), 400, "threshold"},
      {"?limit=0", good.dump(), 400, "limit"},
      {"", "{not json", 400, "malformed JSON"},
      {"", "{}", 400, "queries"},
      {"", R"({"queries": {}})", 400, "queries"},
      {"", R"({"queries": {"q1": {"schema": "Vessel", "properties": {"name": "X"}}}})", 400,
       "queries.q1.schema"},
      {"", R"({"queries": {"q1": {"properties": {"name": "X"}}}})", 400, "queries.q1.schema"},
      {"", R"({"queries": {"q1": {"schema": "Person"}}})", 400, "queries.q1.properties"},
      {"", R"({"queries": {"q1": {"schema": "Person", "properties": {"name": 42}}}})", 400,
       "queries.q1.properties.name"},
      {"",
       R"({"queries": {"q1": {"schema": "Person", "properties": {"name": "X", "birthDate": "yesterday"}}}})",
       400, "birthDate"},
      {"",
       R"({"queries": {"q1": {"schema": "Person", "properties": {"name": "X", "nationality": "Atlantis"}}}})",
       400, "nationality"},
      {"", R"({"queries": {"q1": {"schema": "Person", "properties": {"birthDate": "1975"}}}})", 400,
       "at least one name"},
  };
  for (const Case& c : cases) {
    auto [status, text] = server_->Call("POST", "/match/default" + c.query_string, "ana", c.body);
    EXPECT_EQ(status, c.status) << c.query_string << " " << c.body << " -> " << text;
    json body = ParseJson(text);
    ASSERT_TRUE(body.contains("detail")) << text;
    EXPECT_NE(body["detail"].get<std::string>().find(c.says), std::string::npos) << text;
  }
  auto [unknown, unknown_body] = server_->Call("POST", "/match/us_ofac_sdn", "ana", good.dump());
  EXPECT_EQ(unknown, 404);
  EXPECT_NE(ParseJson(unknown_body)["detail"].get<std::string>().find("us_ofac_sdn"),
            std::string::npos);
  EXPECT_EQ(server_->Call("POST", "/match/default", "", good.dump()).first, 401);
  EXPECT_EQ(server_->Call("POST", "/match/default", "aud", good.dump()).first, 403);
}

TEST_F(MatchingApisTest, YenteMatchTakesBasicCredentialsAsYenteClientsSendThem) {
  auto client = server_->Client();
  const std::string token = server_->Auth("sam").begin()->second.substr(7);
  client->set_basic_auth("sam", token);
  auto result =
      client->Post("/match/default", PersonQuery({{"name", "Karim Benali Yentetest"}}).dump(),
                   "application/json");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200) << result->body;
}

TEST_F(MatchingApisTest, ReconciliationManifestIsWhatOpenRefineReads) {
  auto [status, text] = server_->Call("GET", "/reconcile", "ana");
  ASSERT_EQ(status, 200) << text;
  json manifest = ParseJson(text);
  EXPECT_NE(std::find(manifest["versions"].begin(), manifest["versions"].end(), "0.2"),
            manifest["versions"].end());
  EXPECT_TRUE(manifest["name"].get<std::string>().find("entente") == 0);
  EXPECT_TRUE(manifest.contains("identifierSpace"));
  EXPECT_TRUE(manifest.contains("schemaSpace"));
  EXPECT_EQ(manifest["defaultTypes"][0]["id"], "Person");
  EXPECT_NE(manifest["view"]["url"].get<std::string>().find("{{id}}"), std::string::npos);
  EXPECT_EQ(server_->Call("GET", "/reconcile", "").first, 401);
}

TEST_F(MatchingApisTest, ReconciliationAnswersAFormEncodedBatchAsOpenRefineSendsIt) {
  json queries = {{"q0",
                   {{"query", "Karim Benali Yentetest"},
                    {"type", "Person"},
                    {"limit", 3},
                    {"type_strict", "should"},
                    {"properties", {{{"pid", "birthDate"}, {"v", "1975-03-02"}}}}}},
                  {"q1", {{"query", "Atlas Yentetest Trading"}}}};
  auto [status, text] =
      server_->Call("POST", "/reconcile", "ana", "queries=" + UrlEncode(queries.dump()),
                    "application/x-www-form-urlencoded");
  ASSERT_EQ(status, 200) << text;
  json answer = ParseJson(text);
  ASSERT_GE(answer["q0"]["result"].size(), 1u) << text;
  const json& top = answer["q0"]["result"][0];
  EXPECT_TRUE(top["id"] == karim_.meta.id || top["id"] == red_.meta.id) << top;
  EXPECT_EQ(top["name"], "Karim Benali Yentetest");
  EXPECT_EQ(top["type"][0]["id"], "Person");
  EXPECT_GT(top["score"].get<double>(), 75.0);
  EXPECT_LE(top["score"].get<double>(), 100.0);
  EXPECT_TRUE(top["match"].is_boolean());
  EXPECT_EQ(top["features"][0]["id"], "name");
  EXPECT_LE(answer["q0"]["result"].size(), 3u);
  ASSERT_GE(answer["q1"]["result"].size(), 1u) << text;
  EXPECT_EQ(answer["q1"]["result"][0]["id"], company_.meta.id);
  EXPECT_EQ(answer["q1"]["result"][0]["type"][0]["id"], "Organization");
  // The same batch as a JSON body and as ?queries= on GET.
  auto [json_status, json_text] =
      server_->Call("POST", "/reconcile", "ana", json{{"queries", queries}}.dump());
  ASSERT_EQ(json_status, 200) << json_text;
  EXPECT_EQ(ParseJson(json_text)["q1"]["result"][0]["id"], company_.meta.id);
  auto [get_status, get_text] =
      server_->Call("GET", "/reconcile?queries=" + UrlEncode(queries.dump()), "ana");
  ASSERT_EQ(get_status, 200) << get_text;
  EXPECT_EQ(ParseJson(get_text)["q1"]["result"][0]["id"], company_.meta.id);
}

TEST_F(MatchingApisTest, ReconciliationShowsNothingAboveTheCallersClearance) {
  json queries = {{"q0", {{"query", "Karim Benali Yentetest"}, {"type", "Person"}}}};
  auto [status, text] =
      server_->Call("POST", "/reconcile", "green-analyst", "queries=" + UrlEncode(queries.dump()),
                    "application/x-www-form-urlencoded");
  ASSERT_EQ(status, 200) << text;
  json answer = ParseJson(text);
  ASSERT_EQ(answer["q0"]["result"].size(), 1u) << text;
  EXPECT_EQ(answer["q0"]["result"][0]["id"], karim_.meta.id);
  EXPECT_EQ(answer["q0"]["entente_restricted"].size(), 1u);
  EXPECT_EQ(text.find(red_.meta.id), std::string::npos);
}

TEST_F(MatchingApisTest, ReconciliationNamesWhatIsWrongWithARequest) {
  const std::string form = "application/x-www-form-urlencoded";
  struct Case {
    std::string body;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"", "queries"},
      {"other=1", "queries"},
      {"queries=%ZZ", "queries"},
      {"queries=" + UrlEncode("{not json"), "queries"},
      {"queries=" + UrlEncode("{}"), "1 to 100"},
      {"queries=" + UrlEncode(R"({"q0": {"type": "Person"}})"), "queries.q0.query"},
      {"queries=" + UrlEncode(R"({"q0": {"query": "X", "limit": 0}})"), "queries.q0.limit"},
      {"queries=" + UrlEncode(R"({"q0": {"query": "X", "type": "Vessel"}})"), "queries.q0.schema"},
      {"queries=" + UrlEncode(R"({"q0": {"query": "X", "properties": {"pid": "a"}}})"),
       "queries.q0.properties"},
      {"queries=" +
           UrlEncode(
               R"({"q0": {"query": "X", "properties": [{"pid": "birthDate", "v": "soon"}]}})"),
       "birthDate"},
      {"queries=" + UrlEncode(R"({"q0": {"query": ""}})"), "at least one name"},
  };
  for (const Case& c : cases) {
    auto [status, text] = server_->Call("POST", "/reconcile", "ana", c.body, form);
    EXPECT_EQ(status, 400) << c.body << " -> " << text;
    EXPECT_NE(text.find(c.says), std::string::npos) << c.body << " -> " << text;
  }
  // A form body under another media type is decoded by the route itself, escapes checked.
  auto [plain, plain_body] =
      server_->Call("POST", "/reconcile", "ana", "queries=%ZZ", "text/plain");
  EXPECT_EQ(plain, 400) << plain_body;
  EXPECT_NE(plain_body.find("percent escape"), std::string::npos) << plain_body;
  EXPECT_EQ(server_->Call("POST", "/reconcile", "aud", "queries={}", form).first, 403);
}

}  // namespace
}  // namespace entente::server
