// yente's data routes over real HTTPS: GET /search/{dataset}, GET /entities/{id}, GET /catalog
// in the shapes yente answers, through the policy (a hidden record never appears, counts and
// facets included; an unreadable id answers exactly as a missing one), and bad input named.
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

class YenteSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>();
    green_ = MakePerson("Samir Qadiri Searchtest", Tlp::kGreen);
    red_ = MakePerson("Samir Qadiri Searchtest", Tlp::kRed);
    red_.nationalities = {"DZ"};
    company_ = MakeOrganization("Qadiri Searchtest Holding", Tlp::kGreen);
    company_.meta.category = ThreatCategory::kNarcotics;
    company_.nationalities = {"ES"};
    server_->Put({green_, red_, company_});
    server_->Start();
  }

  std::pair<int, json> Get(const std::string& path, const std::string& user) {
    auto [status, text] = server_->Call("GET", path, user, "");
    return {status, ParseJson(text)};
  }

  static std::set<std::string> Ids(const json& body) {
    std::set<std::string> ids;
    for (const json& r : body["results"]) ids.insert(r["id"].get<std::string>());
    return ids;
  }

  std::unique_ptr<TestServer> server_;
  Entity green_, red_, company_;
};

TEST_F(YenteSearchTest, SearchAnswersInYentesShapeWithinClearanceAndService) {
  const std::string q = "/search/default?q=" + UrlEncode("Qadiri Searchtest");
  // ana (RED, own service) reads all three.
  auto [status, all] = Get(q, "ana");
  ASSERT_EQ(status, 200) << all;
  EXPECT_EQ(Ids(all), (std::set<std::string>{green_.meta.id, red_.meta.id, company_.meta.id}));
  EXPECT_EQ(all["total"]["value"], 3);
  EXPECT_EQ(all["total"]["relation"], "eq");
  EXPECT_EQ(all["limit"], 10);
  EXPECT_EQ(all["offset"], 0);
  // sam (AMBER) and fr-analyst (RED, another service) never see the RED record: not in the
  // results, not in the total, not in a facet (its country DZ is its alone).
  for (const char* user : {"sam", "fr-analyst"}) {
    auto [s, body] = Get(q, user);
    ASSERT_EQ(s, 200) << body;
    EXPECT_EQ(Ids(body), (std::set<std::string>{green_.meta.id, company_.meta.id})) << user;
    EXPECT_EQ(body["total"]["value"], 2) << user;
    EXPECT_EQ(body.dump().find("dz"), std::string::npos) << user << body["facets"];
    EXPECT_EQ(body.dump().find(red_.meta.id), std::string::npos) << user;
  }
  auto [s, body] = Get(q, "sam");
  const json& first = body["results"][0];
  for (const char* key : {"id", "caption", "schema", "properties", "datasets", "referents",
                          "target", "first_seen", "last_seen", "last_change"})
    EXPECT_TRUE(first.contains(key)) << key << first;
  json countries = body["facets"]["countries"]["values"];
  EXPECT_EQ(countries.size(), 2u) << countries;
  for (const json& v : countries) EXPECT_EQ(v["count"], 1) << v;
  EXPECT_EQ(body["facets"]["datasets"]["values"][0]["count"], 2);
}

TEST_F(YenteSearchTest, SearchFiltersSchemaCountriesTopicsAndPages) {
  const std::string q = "/search/default?q=" + UrlEncode("Qadiri Searchtest");
  auto [s1, orgs] = Get(q + "&schema=Company", "ana");
  ASSERT_EQ(s1, 200) << orgs;
  EXPECT_EQ(Ids(orgs), (std::set<std::string>{company_.meta.id}));
  EXPECT_EQ(orgs["results"][0]["schema"], "Organization");
  auto [s2, people] = Get(q + "&schema=Person&countries=MA", "ana");
  ASSERT_EQ(s2, 200) << people;
  EXPECT_EQ(Ids(people), (std::set<std::string>{green_.meta.id}));
  auto [s3, drugs] = Get(q + "&topics=crime.traffick.drug", "ana");
  ASSERT_EQ(s3, 200) << drugs;
  EXPECT_EQ(Ids(drugs), (std::set<std::string>{company_.meta.id}));
  EXPECT_EQ(drugs["results"][0]["properties"]["topics"], json::array({"crime.traffick.drug"}));
  auto [s4, none] = Get(q + "&target=false", "ana");
  ASSERT_EQ(s4, 200) << none;
  EXPECT_TRUE(none["results"].empty());
  // Pages: limit 1 at offsets 0, 1, 2 cover the three results once each.
  std::set<std::string> seen;
  for (int offset = 0; offset < 3; ++offset) {
    auto [s, page] = Get(q + "&limit=1&offset=" + std::to_string(offset), "ana");
    ASSERT_EQ(s, 200) << page;
    ASSERT_EQ(page["results"].size(), 1u) << page;
    EXPECT_EQ(page["total"]["value"], 3);
    seen.insert(page["results"][0]["id"].get<std::string>());
  }
  EXPECT_EQ(seen.size(), 3u);
}

TEST_F(YenteSearchTest, EntityAnswersAnUnreadableIdExactlyAsAMissingOne) {
  auto [status, body] = Get("/entities/" + green_.meta.id, "sam");
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(body["id"], green_.meta.id);
  EXPECT_EQ(body["caption"], "Samir Qadiri Searchtest");
  EXPECT_EQ(body["schema"], "Person");
  EXPECT_EQ(body["properties"]["nationality"], json::array({"ma"}));
  EXPECT_EQ(body["properties"]["topics"], json::array({"crime.terror"}));
  EXPECT_EQ(body["datasets"], json::array({"default"}));
  // The RED record for sam, and an id that does not exist: the same status and body, but for
  // the id itself.
  const std::string missing = RandomId("person");
  auto [hidden_status, hidden_text] = server_->Call("GET", "/entities/" + red_.meta.id, "sam", "");
  auto [missing_status, missing_text] = server_->Call("GET", "/entities/" + missing, "sam", "");
  EXPECT_EQ(hidden_status, 404);
  EXPECT_EQ(missing_status, 404);
  std::string normalised = hidden_text;
  for (size_t at = normalised.find(red_.meta.id); at != std::string::npos;
       at = normalised.find(red_.meta.id, at + missing.size()))
    normalised.replace(at, red_.meta.id.size(), missing);
  EXPECT_EQ(normalised, missing_text);
  EXPECT_NE(missing_text.find("\"detail\""), std::string::npos) << missing_text;
  // Another service's analyst with RED clearance: still not releasable to it.
  auto [fr_status, fr] = Get("/entities/" + red_.meta.id, "fr-analyst");
  EXPECT_EQ(fr_status, 404) << fr;
  // The owner reads it.
  auto [ana_status, ana] = Get("/entities/" + red_.meta.id, "ana");
  EXPECT_EQ(ana_status, 200) << ana;
}

TEST_F(YenteSearchTest, CatalogCountsOnlyReadableRecords) {
  auto [status, ana] = Get("/catalog", "ana");
  ASSERT_EQ(status, 200) << ana;
  ASSERT_EQ(ana["datasets"].size(), 1u);
  EXPECT_EQ(ana["datasets"][0]["name"], "default");
  EXPECT_EQ(ana["current"], json::array({"default"}));
  EXPECT_EQ(ana["outdated"], json::array());
  EXPECT_EQ(ana["index_stale"], false);
  auto [s2, sam] = Get("/catalog", "sam");
  ASSERT_EQ(s2, 200) << sam;
  EXPECT_EQ(ana["datasets"][0]["entity_count"].get<int64_t>(),
            sam["datasets"][0]["entity_count"].get<int64_t>() + 1);
}

TEST_F(YenteSearchTest, BadInputIsRefusedNamingTheField) {
  struct Case {
    std::string path;
    int status;
    std::string needle;
  };
  const std::string q = "/search/default?q=Qadiri";
  const std::vector<Case> cases = {
      {"/search/default", 400, "field q"},
      {"/search/default?q=", 400, "field q"},
      {"/search/default?q=" + std::string(201, 'a'), 400, "field q"},
      {"/search/default?q=a%01b", 400, "control character"},
      {q + "&schema=Vessel", 400, "field schema"},
      {q + "&limit=abc", 400, "limit"},
      {q + "&limit=501", 400, "limit"},
      {q + "&offset=-1", 400, "offset"},
      {q + "&limit=500&offset=600", 400, "offset + limit"},
      {q + "&countries=morocco", 400, "field countries"},
      {q + "&target=maybe", 400, "field target"},
      {q + "&fuzzy=2", 400, "field fuzzy"},
      {q + "&sort=name", 400, "field sort"},
      {"/search/sanctions?q=Qadiri", 404, "unknown dataset"},
      {"/entities/" + green_.meta.id + "?nested=perhaps", 400, "field nested"},
  };
  for (const Case& c : cases) {
    auto [status, body] = Get(c.path, "sam");
    EXPECT_EQ(status, c.status) << c.path << ": " << body;
    EXPECT_NE(body.value("detail", "").find(c.needle), std::string::npos) << c.path << ": " << body;
  }
  // Without credentials, and for a role that reads no records.
  auto [anonymous, text] = server_->Call("GET", q, "", "");
  EXPECT_EQ(anonymous, 401) << text;
  auto [admin, admin_text] = server_->Call("GET", q, "adm", "");
  EXPECT_EQ(admin, 403) << admin_text;
}

}  // namespace
}  // namespace entente::server
