// The suggest and data-extension services of the W3C reconciliation API over real HTTPS, in
// the shapes OpenRefine sends and reads: the manifest advertises them and each advertised path
// answers; what they show goes through the policy (an unreadable record is never suggested,
// and its extension row is the same as a missing id's); bad input is named by field.
#include <gtest/gtest.h>

#include <set>

#include "server_test_util.h"

namespace entente::server {
namespace {

using nlohmann::json;
using testing::MakeOrganization;
using testing::MakePerson;
using testing::ParseJson;
using testing::TestServer;
using testing::UrlEncode;

constexpr const char* kForm = "application/x-www-form-urlencoded";

class ReconcileServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>();
    green_ = MakePerson("Nadia Suggestova Recontest", Tlp::kGreen);
    green_.birth_dates = {*PartialDate::Parse("1981-06-14")};
    red_ = MakePerson("Nadia Suggestova Recontest", Tlp::kRed);
    red_.birth_dates = {*PartialDate::Parse("1979-01-01")};
    org_ = MakeOrganization("Suggestova Recontest Shipping", Tlp::kGreen);
    server_->Put({green_, red_, org_});
    server_->Start();
  }

  std::pair<int, json> Get(const std::string& path, const std::string& user) {
    auto [status, text] = server_->Call("GET", path, user, "");
    return {status, ParseJson(text)};
  }

  std::pair<int, json> Extend(const json& request, const std::string& user) {
    auto [status, text] =
        server_->Call("POST", "/reconcile", user, "extend=" + UrlEncode(request.dump()), kForm);
    return {status, ParseJson(text)};
  }

  static std::set<std::string> Ids(const json& body) {
    std::set<std::string> ids;
    for (const json& r : body["result"]) ids.insert(r["id"].get<std::string>());
    return ids;
  }

  std::unique_ptr<TestServer> server_;
  Entity green_, red_, org_;
};

TEST_F(ReconcileServicesTest, ManifestAdvertisesSuggestAndExtendAndEachPathAnswers) {
  auto [status, manifest] = Get("/reconcile", "sam");
  ASSERT_EQ(status, 200) << manifest;
  const json& suggest = manifest["suggest"];
  const json& extend = manifest["extend"];
  ASSERT_TRUE(suggest.is_object()) << manifest;
  ASSERT_TRUE(extend.is_object()) << manifest;
  EXPECT_TRUE(extend["property_settings"].is_array());
  std::vector<std::pair<json, std::string>> advertised = {
      {suggest["entity"], "?prefix=Suggestova"},
      {suggest["type"], "?prefix=Per"},
      {suggest["property"], "?prefix=birth"},
      {extend["propose_properties"], "?type=Person"}};
  for (const auto& [service, query] : advertised) {
    std::string url = service["service_url"].get<std::string>();
    EXPECT_EQ(url.rfind("https://", 0), 0u) << url;
    EXPECT_EQ(url.substr(url.size() - 10), "/reconcile") << url;
    // The path part of service_url + service_path, on this server.
    std::string path = url.substr(url.find('/', 8)) + service["service_path"].get<std::string>();
    auto [s, body] = Get(path + query, "sam");
    EXPECT_EQ(s, 200) << path << ": " << body;
  }
}

TEST_F(ReconcileServicesTest, SuggestEntityNamesOnlyReadableRecords) {
  const std::string path = "/reconcile/suggest/entity?prefix=" + UrlEncode("suggestova recon");
  auto [status, ana] = Get(path, "ana");
  ASSERT_EQ(status, 200) << ana;
  EXPECT_EQ(Ids(ana), (std::set<std::string>{green_.meta.id, red_.meta.id, org_.meta.id}));
  for (const char* user : {"sam", "fr-analyst"}) {
    auto [s, body] = Get(path, user);
    ASSERT_EQ(s, 200) << body;
    EXPECT_EQ(Ids(body), (std::set<std::string>{green_.meta.id, org_.meta.id})) << user;
    EXPECT_EQ(body.dump().find(red_.meta.id), std::string::npos) << user;
  }
  auto [s, sam] = Get(path, "sam");
  for (const json& r : sam["result"]) {
    EXPECT_TRUE(r.contains("name") && r.contains("description")) << r;
    std::string schema = r["id"] == org_.meta.id ? "Organization" : "Person";
    EXPECT_EQ(r["notable"][0]["id"], schema) << r;
  }
  // Pages with cursor and limit.
  auto [s1, first] = Get(path + "&limit=1", "ana");
  auto [s2, second] = Get(path + "&limit=1&cursor=1", "ana");
  ASSERT_EQ(first["result"].size(), 1u) << first;
  ASSERT_EQ(second["result"].size(), 1u) << second;
  EXPECT_NE(first["result"][0]["id"], second["result"][0]["id"]);
}

TEST_F(ReconcileServicesTest, SuggestTypesAndPropertiesAndProposeByType) {
  auto [s1, types] = Get("/reconcile/suggest/type?prefix=org", "sam");
  ASSERT_EQ(s1, 200) << types;
  ASSERT_EQ(types["result"].size(), 1u) << types;
  EXPECT_EQ(types["result"][0]["id"], "Organization");
  auto [s2, props] = Get("/reconcile/suggest/property?prefix=birth", "sam");
  ASSERT_EQ(s2, 200) << props;
  std::set<std::string> ids;
  for (const json& p : props["result"]) ids.insert(p["id"].get<std::string>());
  EXPECT_EQ(ids, (std::set<std::string>{"birthDate", "birthPlace"}));
  auto [s3, person] = Get("/reconcile/extend/propose?type=Person", "sam");
  auto [s4, org] = Get("/reconcile/extend/propose?type=Organization", "sam");
  ASSERT_EQ(s3, 200) << person;
  ASSERT_EQ(s4, 200) << org;
  EXPECT_EQ(person["type"], "Person");
  auto has = [](const json& body, const std::string& id) {
    for (const json& p : body["properties"])
      if (p["id"] == id) return true;
    return false;
  };
  EXPECT_TRUE(has(person, "birthDate"));
  EXPECT_FALSE(has(org, "birthDate"));
  EXPECT_TRUE(has(org, "nationality"));
}

TEST_F(ReconcileServicesTest, ExtendFillsReadableRowsAndAnswersHiddenAsMissing) {
  const std::string missing = RandomId("person");
  json request = {{"ids", {green_.meta.id, red_.meta.id, missing}},
                  {"properties", {{{"id", "birthDate"}}, {{"id", "nationality"}}}}};
  auto [status, body] = Extend(request, "sam");
  ASSERT_EQ(status, 200) << body;
  ASSERT_EQ(body["meta"].size(), 2u);
  EXPECT_EQ(body["meta"][0]["id"], "birthDate");
  EXPECT_EQ(body["meta"][0]["name"], "Birth date");
  EXPECT_EQ(body["rows"][green_.meta.id]["birthDate"], json::parse(R"([{"str": "1981-06-14"}])"));
  EXPECT_EQ(body["rows"][green_.meta.id]["nationality"], json::parse(R"([{"str": "ma"}])"));
  EXPECT_EQ(body["rows"][red_.meta.id], body["rows"][missing]);
  EXPECT_EQ(body["rows"][red_.meta.id]["birthDate"], json::array());
  EXPECT_EQ(body.dump().find("1979"), std::string::npos) << body;
  // ana reads the RED record; the same request as a JSON body and as ?extend=.
  auto [ana_status, ana] =
      server_->Call("POST", "/reconcile", "ana", json{{"extend", request}}.dump());
  ASSERT_EQ(ana_status, 200) << ana;
  EXPECT_EQ(ParseJson(ana)["rows"][red_.meta.id]["birthDate"],
            json::parse(R"([{"str": "1979-01-01"}])"));
  auto [get_status, got] = Get("/reconcile?extend=" + UrlEncode(request.dump()), "sam");
  ASSERT_EQ(get_status, 200) << got;
  EXPECT_EQ(got, body);
}

TEST_F(ReconcileServicesTest, BadInputIsRefusedNamingTheField) {
  struct Case {
    std::string path;
    std::string says;
  };
  const std::vector<Case> gets = {
      {"/reconcile/suggest/entity", "field prefix"},
      {"/reconcile/suggest/entity?prefix=" + std::string(201, 'x'), "field prefix"},
      {"/reconcile/suggest/entity?prefix=a%01", "control character"},
      {"/reconcile/suggest/entity?prefix=ab&cursor=-1", "cursor"},
      {"/reconcile/suggest/entity?prefix=ab&limit=51", "limit"},
      {"/reconcile/suggest/type", "field prefix"},
      {"/reconcile/suggest/property?prefix=", "field prefix"},
      {"/reconcile/extend/propose", "field type"},
      {"/reconcile/extend/propose?type=Vessel", "field type"},
      {"/reconcile/extend/propose?type=Person&limit=0", "limit"},
  };
  for (const Case& c : gets) {
    auto [status, text] = server_->Call("GET", c.path, "sam", "");
    EXPECT_EQ(status, 400) << c.path << " -> " << text;
    EXPECT_NE(text.find(c.says), std::string::npos) << c.path << " -> " << text;
  }
  const std::vector<std::pair<std::string, std::string>> extends = {
      {"{not json", "field extend"},
      {"[]", "field extend"},
      {R"({"properties": [{"id": "name"}]})", "field extend.ids"},
      {R"({"ids": [], "properties": [{"id": "name"}]})", "field extend.ids"},
      {R"({"ids": [7], "properties": [{"id": "name"}]})", "field extend.ids[0]"},
      {R"({"ids": ["x"]})", "field extend.properties"},
      {R"({"ids": ["x"], "properties": ["name"]})", "field extend.properties[0]"},
      {R"({"ids": ["x"], "properties": [{"id": "salary"}]})", "field extend.properties[0].id"},
  };
  for (const auto& [text, says] : extends) {
    auto [status, body] =
        server_->Call("POST", "/reconcile", "sam", "extend=" + UrlEncode(text), kForm);
    EXPECT_EQ(status, 400) << text << " -> " << body;
    EXPECT_NE(body.find(says), std::string::npos) << text << " -> " << body;
  }
  EXPECT_EQ(server_->Call("GET", "/reconcile/suggest/entity?prefix=ab", "").first, 401);
  EXPECT_EQ(server_->Call("GET", "/reconcile/suggest/entity?prefix=ab", "aud").first, 403);
}

}  // namespace
}  // namespace entente::server
