// The screening API over real HTTPS on loopback: a list uploaded as CSV is screened in the
// background, its hits are paged and filtered by markings, decisions are audited, re-screening
// raises alerts, and bad input gets a 4xx that names the field.
#include "api/screen_routes.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "server_test_util.h"

namespace entente::screen {
namespace {

using server::testing::MakePerson;
using server::testing::ParseJson;
using server::testing::TestServer;

constexpr char kList[] =
    "id,name,birth_date,nationality\n"
    "A1,Mohammed Benabdelkader Elidrissi,1987-03-04,MA\n"
    "A2,Karim Benali Zerhouni,,\n"
    "A3,Pierre-Louis Vautrin,1990-01-01,FR\n"
    "A4,,1990-01-01,FR\n";

class ScreeningApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>();
    server_->Start();
    Entity idrissi = MakePerson("Mohamed Ben Abdelkader El Idrissi", Tlp::kGreen);
    idrissi.birth_dates = {*PartialDate::Parse("1987-03-04")};
    // RED: above the screening officer's AMBER clearance.
    Entity benali = MakePerson("Karim Benali Zerhouni", Tlp::kRed);
    server_->Put({idrissi, benali});
    idrissi_id_ = idrissi.meta.id;
    benali_id_ = benali.meta.id;
  }

  // Uploads kList as `name` and waits for its job to finish; returns the job's JSON.
  nlohmann::json ScreenList(const std::string& name) {
    auto [status, body] =
        server_->Call("POST", "/api/v1/screening/lists?name=" + name, "sam", kList, "text/csv");
    EXPECT_EQ(status, 202) << body;
    auto job = ParseJson(body);
    const std::string path =
        "/api/v1/screening/jobs/" + std::to_string(job["job_id"].get<int64_t>());
    for (int i = 0; i < 300 && job["status"] != "done"; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      auto [s, b] = server_->Call("GET", path, "sam");
      EXPECT_EQ(s, 200) << b;
      job = ParseJson(b);
    }
    return job;
  }

  std::vector<nlohmann::json> AllHits(const std::string& query) {
    std::vector<nlohmann::json> hits;
    std::string cursor;
    for (int page = 0; page < 50; ++page) {
      std::string path = "/api/v1/screening/hits?limit=1" + query;
      if (!cursor.empty()) path += "&cursor=" + cursor;
      auto [status, body] = server_->Call("GET", path, "sam");
      EXPECT_EQ(status, 200) << body;
      auto page_json = ParseJson(body);
      for (const auto& hit : page_json["items"]) hits.push_back(hit);
      if (page_json["next_cursor"].is_null()) break;
      cursor = page_json["next_cursor"].get<std::string>();
    }
    return hits;
  }

  std::unique_ptr<TestServer> server_;
  std::string idrissi_id_, benali_id_;
};

TEST_F(ScreeningApiTest, UploadScreensInTheBackgroundAndReportsProgress) {
  auto job = ScreenList("olympics");
  EXPECT_EQ(job["status"], "done");
  EXPECT_EQ(job["rows_total"], 3);
  EXPECT_EQ(job["rows_rejected"], 1);
  EXPECT_DOUBLE_EQ(job["progress"].get<double>(), 1.0);

  // The rejected row is reported with its line and reason, and the file name is the list's.
  auto [status, body] = server_->Call(
      "GET", "/api/v1/screening/jobs/" + std::to_string(job["job_id"].get<int64_t>()) + "/errors",
      "sam");
  ASSERT_EQ(status, 200) << body;
  auto errors = ParseJson(body)["errors"];
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]["line"], 5);
  EXPECT_EQ(errors[0]["file"], "olympics.csv");
  EXPECT_TRUE(errors[0].contains("reason_code")) << "the UI translates it: " << errors[0];

  auto [list_status, list_body] = server_->Call("GET", "/api/v1/screening/jobs", "sam");
  ASSERT_EQ(list_status, 200) << list_body;
  EXPECT_EQ(ParseJson(list_body)["items"].size(), 1u);
}

TEST_F(ScreeningApiTest, HitsArePagedAndRecordsAboveClearanceAreRestricted) {
  ScreenList("olympics");
  auto hits = AllHits("&list=olympics");
  std::set<int64_t> ids;
  bool saw_idrissi = false, saw_restricted = false;
  for (const auto& hit : hits) {
    EXPECT_TRUE(ids.insert(hit["hit_id"].get<int64_t>()).second) << "hit paged twice";
    if (hit.contains("restricted")) {
      saw_restricted = true;
      EXPECT_FALSE(hit.contains("matched_name")) << hit.dump();
      EXPECT_FALSE(hit.contains("entity_id")) << hit.dump();
      EXPECT_FALSE(hit.contains("explanation")) << hit.dump();
      EXPECT_EQ(hit["owner_service"], "DGSN-DGST");
    } else if (hit["entity_id"] == idrissi_id_) {
      saw_idrissi = true;
      EXPECT_EQ(hit["query_id"], "A1");
      EXPECT_FALSE(hit["explanation"].get<std::string>().empty());
    }
    EXPECT_NE(hit.value("entity_id", ""), benali_id_) << "a RED record leaked to an AMBER officer";
  }
  EXPECT_TRUE(saw_idrissi);
  EXPECT_TRUE(saw_restricted);
}

TEST_F(ScreeningApiTest, DecisionsAreRecordedAuditedAndRefusedOnUnreadableRecords) {
  ScreenList("olympics");
  int64_t readable = 0, restricted = 0;
  for (const auto& hit : AllHits("")) {
    if (hit.contains("restricted"))
      restricted = hit["hit_id"];
    else if (hit["entity_id"] == idrissi_id_)
      readable = hit["hit_id"];
  }
  ASSERT_GT(readable, 0);
  ASSERT_GT(restricted, 0);
  const std::string path = "/api/v1/screening/hits/" + std::to_string(readable) + "/decision";

  auto [ok, ok_body] = server_->Call(
      "POST", path, "sam", R"({"decision": "match", "reason": "same DOB and nationality"})");
  ASSERT_EQ(ok, 200) << ok_body;
  EXPECT_EQ(ParseJson(ok_body)["status"], "match");
  EXPECT_EQ(ParseJson(ok_body)["decided_by"], "sam");

  auto [one, one_body] =
      server_->Call("GET", "/api/v1/screening/hits/" + std::to_string(readable), "sam");
  ASSERT_EQ(one, 200) << one_body;
  ASSERT_EQ(ParseJson(one_body)["decisions"].size(), 1u);
  EXPECT_EQ(ParseJson(one_body)["decisions"][0]["reason"], "same DOB and nationality");

  auto [audit, audit_body] = server_->Call("GET", "/api/v1/audit?action=screen.decide", "aud");
  ASSERT_EQ(audit, 200) << audit_body;
  auto entries = ParseJson(audit_body)["items"];
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0]["actor"], "sam");
  EXPECT_EQ(entries[0]["target"], "hit:" + std::to_string(readable));

  // A hit on a record the officer may not read cannot be decided by them.
  auto [denied, denied_body] =
      server_->Call("POST", "/api/v1/screening/hits/" + std::to_string(restricted) + "/decision",
                    "sam", R"({"decision": "no-match", "reason": "x"})");
  EXPECT_EQ(denied, 403) << denied_body;
  EXPECT_EQ(denied_body.find("Benali"), std::string::npos);

  // An analyst has no screen.decide permission.
  auto [role, role_body] =
      server_->Call("POST", path, "ana", R"({"decision": "match", "reason": "x"})");
  EXPECT_EQ(role, 403) << role_body;
}

TEST_F(ScreeningApiTest, BadInputIsRefusedWithTheField) {
  struct Case {
    std::string method, path, body;
    int status;
    std::string field;
  };
  ScreenList("first");
  const std::vector<Case> cases = {
      {"POST", "/api/v1/screening/lists", "id,name\nA,B\n", 400, "name"},
      {"POST", "/api/v1/screening/lists?name=first", "id,name\nA,B\n", 409, ""},
      {"POST", "/api/v1/screening/lists?name=x&threshold=2", "id,name\nA,B\n", 400, "threshold"},
      {"POST", "/api/v1/screening/lists?name=x&top=0", "id,name\nA,B\n", 400, "top"},
      {"POST", "/api/v1/screening/lists?name=x", "", 400, "body"},
      {"POST", "/api/v1/screening/lists?name=y", "name,birth_date\nB,1990\n", 400, ""},
      {"POST", "/api/v1/screening/lists?name=z%27%3B%20DROP%20TABLE%20screen_hits%3B--",
       "id,name\n1,Ali Hassan\n", 202, ""},
      {"GET", "/api/v1/screening/jobs/abc", "", 400, "job"},
      {"GET", "/api/v1/screening/jobs/999999", "", 404, ""},
      {"GET", "/api/v1/screening/hits?limit=abc", "", 400, "limit"},
      {"GET", "/api/v1/screening/hits?limit=5000", "", 400, "limit"},
      {"GET", "/api/v1/screening/hits?status=bogus", "", 400, ""},
      {"GET", "/api/v1/screening/hits?list=nope", "", 404, ""},
      {"GET", "/api/v1/screening/alerts?kind=bogus", "", 400, ""},
      {"POST", "/api/v1/screening/hits/1/decision", "not json", 400, "body"},
      {"POST", "/api/v1/screening/hits/1/decision", R"({"decision": "maybe", "reason": "r"})", 400,
       "decision"},
      {"POST", "/api/v1/screening/hits/1/decision", R"({"decision": "match"})", 400, "reason"},
      {"POST", "/api/v1/screening/hits/1/decision", R"({"decision": "match", "reason": " "})", 400,
       ""},
      {"POST", "/api/v1/screening/hits/999999/decision", R"({"decision": "match", "reason": "r"})",
       404, ""},
      {"POST", "/api/v1/screening/rescreen", R"({"list": 7})", 400, "list"},
  };
  for (const Case& c : cases) {
    auto [status, body] =
        server_->Call(c.method, c.path, "sam", c.body,
                      c.path.find("/lists") != std::string::npos ? "text/csv" : "application/json");
    EXPECT_EQ(status, c.status) << c.method << " " << c.path << ": " << body;
    if (!c.field.empty()) {
      EXPECT_EQ(ParseJson(body)["error"]["field"], c.field) << c.path << ": " << body;
    }
  }
  // The injection-shaped list name is stored as a name, and the hits table is intact.
  auto [status, body] = server_->Call("GET", "/api/v1/screening/hits?list=first", "sam");
  EXPECT_EQ(status, 200) << body;
}

TEST_F(ScreeningApiTest, RescreenRaisesAnAlertForANewRecord) {
  ScreenList("olympics");
  auto [none, none_body] = server_->Call("POST", "/api/v1/screening/rescreen", "sam", "");
  ASSERT_EQ(none, 200) << none_body;
  EXPECT_EQ(ParseJson(none_body)["alerts"], 0);

  server_->Put({MakePerson("Pierre Louis Vautrin", Tlp::kGreen)});
  auto [status, body] =
      server_->Call("POST", "/api/v1/screening/rescreen", "sam", R"({"list": "olympics"})");
  ASSERT_EQ(status, 200) << body;
  EXPECT_GE(ParseJson(body)["alerts"].get<int64_t>(), 1) << body;

  auto [alerts, alerts_body] =
      server_->Call("GET", "/api/v1/screening/alerts?list=olympics", "sam");
  ASSERT_EQ(alerts, 200) << alerts_body;
  auto items = ParseJson(alerts_body)["items"];
  ASSERT_GE(items.size(), 1u);
  EXPECT_EQ(items.back()["row_id"], "A3");
  EXPECT_EQ(items.back()["kind"], "new-hit");
}

}  // namespace
}  // namespace entente::screen
