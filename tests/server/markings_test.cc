// Markings on every read path: get, search, history, match. A user never sees a record above
// their clearance, nor one whose releasability excludes their service; a match on such a
// record says only that a hit exists and whom to ask.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "api/match_service.h"
#include "server_test_util.h"

namespace entente::server {
namespace {

using testing::MakePerson;
using testing::ParseJson;
using testing::TestServer;

class MarkingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>();
    red_ = MakePerson("Abdelkader Marking Red", Tlp::kRed);
    amber_ = MakePerson("Abdelkader Marking Amber", Tlp::kAmber);
    green_ = MakePerson("Abdelkader Marking Green", Tlp::kGreen);
    // Owned by DGSN-DGST, releasable to DGSI only (besides the owner).
    shared_ = MakePerson("Abdelkader Marking Shared", Tlp::kAmber, "DGSN-DGST", {"DGSI"});
    // Owned by DGSI and not releasable to anyone else.
    french_ = MakePerson("Abdelkader Marking French", Tlp::kGreen, "DGSI", {"DGSI"});
    server_->Put({red_, amber_, green_, shared_, french_});
    server_->Start();
    // The match index is built in the background at start.
    MatchService* match = server_->server().services().Get<MatchService>();
    for (int wait = 0; wait < 300 && !match->ready(); ++wait) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  std::set<std::string> SearchIds(const std::string& user) {
    auto [status, body] = server_->Call("GET", "/api/v1/entities?q=marking&limit=100", user);
    EXPECT_EQ(status, 200) << body;
    EXPECT_NE(body.find("\"items\""), std::string::npos) << body;
    std::set<std::string> ids;
    nlohmann::json parsed_items = ParseJson(body);
    for (const auto& item : parsed_items["items"]) ids.insert(item["id"].get<std::string>());
    if (ids.empty()) ADD_FAILURE() << "search answered " << body;
    return ids;
  }

  std::unique_ptr<TestServer> server_;
  Entity red_, amber_, green_, shared_, french_;
};

TEST_F(MarkingsTest, GetHonoursClearance) {
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + red_.meta.id, "ana").first, 200);
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + red_.meta.id, "sam").first, 404);  // AMBER
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + amber_.meta.id, "sam").first, 200);
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + amber_.meta.id, "green-analyst").first, 404);
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + green_.meta.id, "green-analyst").first, 200);
}

TEST_F(MarkingsTest, GetHonoursReleasability) {
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + shared_.meta.id, "fr-analyst").first, 200);
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + shared_.meta.id, "ana").first,
            200);  // owner
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + french_.meta.id, "fr-analyst").first, 200);
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + french_.meta.id, "ana").first, 404);
  // An unreadable record looks exactly like a missing one.
  auto [status, body] = server_->Call("GET", "/api/v1/entities/" + french_.meta.id, "ana");
  auto [missing_status, missing] =
      server_->Call("GET", "/api/v1/entities/person--00000000-0000-4000-8000-000000000000", "ana");
  EXPECT_EQ(status, missing_status);
  EXPECT_EQ(ParseJson(body)["error"]["code"], ParseJson(missing)["error"]["code"]);
}

TEST_F(MarkingsTest, SearchIsFiltered) {
  EXPECT_EQ(SearchIds("ana"),
            (std::set<std::string>{red_.meta.id, amber_.meta.id, green_.meta.id, shared_.meta.id}));
  EXPECT_EQ(SearchIds("sam"),
            (std::set<std::string>{amber_.meta.id, green_.meta.id, shared_.meta.id}));
  EXPECT_EQ(SearchIds("green-analyst"), (std::set<std::string>{green_.meta.id}));
  // Empty releasability: AMBER and GREEN reach another service, RED stays with its owner.
  EXPECT_EQ(SearchIds("fr-analyst"), (std::set<std::string>{amber_.meta.id, green_.meta.id,
                                                            shared_.meta.id, french_.meta.id}));
}

TEST_F(MarkingsTest, HistoryIsFilteredVersionByVersion) {
  // Version 2 raises the marking to RED: the record is now hidden from an AMBER reader, and so
  // is its history (its existence must not leak through an old version).
  Entity raised = amber_;
  raised.meta.marking.tlp = Tlp::kRed;
  raised.names[0].full = "Abdelkader Marking Raised";
  server_->Put({raised});
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + amber_.meta.id + "/history", "sam").first,
            404);
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + amber_.meta.id, "sam").first, 404);
  // Version 3 lowers it to GREEN (declassified on the node): the AMBER reader sees versions 1
  // and 3, and that one version is withheld.
  Entity lowered = raised;
  lowered.meta.marking.tlp = Tlp::kGreen;
  lowered.names[0].full = "Abdelkader Marking Lowered";
  server_->Put({lowered});
  auto [status, body] =
      server_->Call("GET", "/api/v1/entities/" + amber_.meta.id + "/history", "sam");
  ASSERT_EQ(status, 200) << body;
  nlohmann::json history = ParseJson(body);
  ASSERT_EQ(history["versions"].size(), 2u) << body;
  EXPECT_EQ(history["versions"][0]["version"], 1);
  EXPECT_EQ(history["versions"][1]["version"], 3);
  EXPECT_EQ(history["withheld_versions"], 1);
  EXPECT_EQ(body.find("Marking Raised"), std::string::npos);
  auto [red_status, red_body] =
      server_->Call("GET", "/api/v1/entities/" + amber_.meta.id + "/history", "ana");
  ASSERT_EQ(red_status, 200);
  EXPECT_EQ(ParseJson(red_body)["versions"].size(), 3u);
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + french_.meta.id + "/history", "ana").first,
            404);
}

TEST_F(MarkingsTest, MatchSaysOnlyThatAHitExistsAndWhomToAsk) {
  auto [status, body] = server_->Call("POST", "/api/v1/match", "green-analyst",
                                      R"({"name": "Abdelkader Marking", "top": 10})");
  ASSERT_EQ(status, 200) << body;
  nlohmann::json results = ParseJson(body)["results"];
  int restricted = 0;
  int visible = 0;
  for (const auto& result : results) {
    if (result.value("restricted", false)) {
      restricted++;
      EXPECT_FALSE(result.contains("entity_id")) << result;
      EXPECT_FALSE(result.contains("matched_name")) << result;
      EXPECT_FALSE(result.contains("score")) << result;
      EXPECT_TRUE(result.contains("owner_service"));
    } else {
      visible++;
      EXPECT_EQ(result["entity_id"], green_.meta.id);
    }
  }
  EXPECT_EQ(visible, 1);
  EXPECT_EQ(restricted, 4);
  EXPECT_EQ(body.find("Marking Red"), std::string::npos);
  EXPECT_EQ(body.find(red_.meta.id), std::string::npos);
}

TEST_F(MarkingsTest, CannotWriteAboveOwnClearance) {
  nlohmann::json entity = {{"type", "person"},
                           {"names", {{{"full", "Too Secret"}, {"kind", "primary"}}}},
                           {"marking", {{"tlp", "RED"}}}};
  auto [status, body] = server_->Call("POST", "/api/v1/entities", "green-analyst", entity.dump());
  EXPECT_EQ(status, 403) << body;
  // Nor update a record they cannot read.
  EXPECT_EQ(server_
                ->Call("PUT", "/api/v1/entities/" + red_.meta.id, "green-analyst",
                       nlohmann::json{{"type", "person"},
                                      {"names", {{{"full", "X"}}}},
                                      {"marking", {{"tlp", "GREEN"}}}}
                           .dump())
                .first,
            404);
}

TEST_F(MarkingsTest, RefusedReadsAreAudited) {
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + red_.meta.id, "sam").first, 404);
  auto db = Database::Open(server_->db_path());
  ASSERT_TRUE(db.ok());
  auto entries = AuditLog::Read(**db, {0, "", "sam", "record.read", 100});
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ(entries->front().outcome, "denied");
  EXPECT_EQ(entries->front().target, red_.meta.id);
}

}  // namespace
}  // namespace entente::server
