// Import jobs kept in the store: a job outlives the server that ran it (GET /imports/{id} after
// a restart still answers, with its audited finish), and a job whose server died mid-way is
// failed and audited instead of showing "running" for ever.
#include "api/import_jobs.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "api/import_job_table.h"
#include "audit/audit_log.h"
#include "common/time.h"
#include "exchange/stix_bundle.h"
#include "server_test_util.h"

namespace entente::server {
namespace {

using testing::MakePerson;
using testing::ParseJson;
using testing::TestServer;

class ImportJobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>();
    server_->Start();
  }
  // Polls the job until it leaves queued/running; its last JSON.
  nlohmann::json WaitForJob(const std::string& id) {
    nlohmann::json job;
    for (int poll = 0; poll < 200; ++poll) {
      auto [status, body] = server_->Call("GET", "/api/v1/imports/" + id, "ana");
      EXPECT_EQ(status, 200) << body;
      job = ParseJson(body);
      if (job.value("state", "") != "queued" && job.value("state", "") != "running") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return job;
  }
  // Uploads `body` as `query` asks (format=...&filename=...), waits for the job; its last JSON
  // (a failed upload: an empty object).
  nlohmann::json ImportAndWait(const std::string& query, const std::string& body,
                               const std::string& content_type) {
    auto [status, answer] =
        server_->Call("POST", "/api/v1/imports?" + query, "ana", body, content_type);
    EXPECT_EQ(status, 202) << answer;
    if (status != 202) return nlohmann::json::object();
    return WaitForJob(ParseJson(answer)["id"]);
  }
  std::vector<AuditEntry> Audit(const std::string& action, const std::string& target) {
    auto db = Database::Open(server_->db_path());
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    auto entries = AuditLog::Read(**db, {0, "", "", action, 100000});
    EXPECT_TRUE(entries.ok()) << entries.status().ToString();
    std::vector<AuditEntry> out;
    for (const AuditEntry& e : *entries)
      if (e.target == target) out.push_back(e);
    return out;
  }
  std::unique_ptr<TestServer> server_;
};

TEST_F(ImportJobsTest, FinishedJobIsAnsweredAfterARestart) {
  std::string jsonl =
      ParseJson(EntityToJson(MakePerson("Karim Haddad", Tlp::kGreen))).dump() + "\n" +
      ParseJson(EntityToJson(MakePerson("Salma Idrissi", Tlp::kGreen))).dump() + "\n";
  auto [status, body] = server_->Call("POST", "/api/v1/imports?format=jsonl&filename=two.jsonl",
                                      "ana", jsonl, "application/x-ndjson");
  ASSERT_EQ(status, 202) << body;
  std::string id = ParseJson(body)["id"];
  nlohmann::json before = WaitForJob(id);
  ASSERT_EQ(before["state"], "done") << before.dump();
  EXPECT_EQ(before["records"], 2);

  server_->Restart();
  auto [after_status, after_body] = server_->Call("GET", "/api/v1/imports/" + id, "ana");
  ASSERT_EQ(after_status, 200) << after_body;
  nlohmann::json after = ParseJson(after_body);
  EXPECT_EQ(after["state"], "done");
  EXPECT_EQ(after["records"], 2);
  EXPECT_EQ(after["created_records"], 2);
  EXPECT_EQ(after["file_name"], "two.jsonl");
  EXPECT_FALSE(after["finished"].get<std::string>().empty());
  // Still the uploader's alone, and its finish is in the trail once.
  // Another user's job answers exactly as a missing one (no existence oracle).
  auto [other, other_body] = server_->Call("GET", "/api/v1/imports/" + id, "green-analyst");
  EXPECT_EQ(other, 404);
  auto [missing, missing_body] =
      server_->Call("GET", "/api/v1/imports/import--0000000000000000", "green-analyst");
  EXPECT_EQ(missing, 404);
  EXPECT_EQ(ParseJson(other_body)["error"]["message"].get<std::string>(),
            "import job " + id + " not found");
  EXPECT_EQ(ParseJson(missing_body)["error"]["message"].get<std::string>(),
            "import job import--0000000000000000 not found");
  auto finished = Audit("import.finish", id);
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].outcome, "ok");
  EXPECT_EQ(finished[0].actor, "ana");
}

// A STIX bundle's objects that become no record are named by type in the job, also after a
// restart; a job whose rows all became records says nothing of them.
TEST_F(ImportJobsTest, StixObjectsNotStoredAreCountedInTheJob) {
  ASSERT_TRUE(exchange::RegisterStixFormats().ok());
  std::ifstream in(std::string(ENTENTE_SHARED_DIR) +
                   "/data/stix/oasis_examples/indicators-for-C2-with-COA.json");
  ASSERT_TRUE(in) << "OASIS example missing";
  std::string bundle((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  nlohmann::json job = ImportAndWait("format=stix&filename=c2.json", bundle, "application/json");
  ASSERT_EQ(job.value("state", ""), "done") << job.dump();
  std::string id = job["id"];
  int64_t not_stored = 0;
  for (const auto& [kind, count] : job["not_stored"].items()) not_stored += count.get<int64_t>();
  EXPECT_GT(not_stored, 0) << job.dump();
  EXPECT_EQ(job["records"].get<int64_t>() + not_stored, job["rows"].get<int64_t>()) << job.dump();
  std::string summary = job["not_stored_summary"];
  EXPECT_EQ(summary.find(std::to_string(not_stored) + " source item"), 0u) << summary;
  EXPECT_NE(summary.find("not stored as records"), std::string::npos) << summary;

  server_->Restart();
  auto [after_status, after_body] = server_->Call("GET", "/api/v1/imports/" + id, "ana");
  ASSERT_EQ(after_status, 200) << after_body;
  nlohmann::json after = ParseJson(after_body);
  EXPECT_EQ(after["not_stored"], job["not_stored"]);
  EXPECT_EQ(after["not_stored_summary"], summary);

  std::string jsonl = ParseJson(EntityToJson(MakePerson("Karim Haddad", Tlp::kGreen))).dump();
  nlohmann::json plain =
      ImportAndWait("format=jsonl&filename=one.jsonl", jsonl + "\n", "application/x-ndjson");
  ASSERT_EQ(plain.value("state", ""), "done") << plain.dump();
  EXPECT_EQ(plain["not_stored"], nlohmann::json::object());
  EXPECT_EQ(plain["not_stored_summary"], "");
}

TEST_F(ImportJobsTest, JobOfADeadServerIsFailedAndAudited) {
  // A job row as a server that was killed mid-import leaves it: running, owned by a process of
  // this host that is gone (a child that has exited), heartbeat fresh.
  pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  waitpid(child, nullptr, 0);
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  ImportJob job;
  job.id = "import--deadbeef00000000";
  job.state = "running";
  job.format = "jsonl";
  job.file_name = "big.jsonl";
  job.user = "ana";
  job.service = "DGSN-DGST";
  job.created = NowTimestamp();
  {
    auto db = Database::Open(server_->db_path());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(
        import_table::Insert(**db, job, std::string(host) + "/" + std::to_string(child) + "/ab12")
            .ok());
    // A job of a live process on this host (the test itself) is left alone.
    ImportJob live = job;
    live.id = "import--live000000000000";
    ASSERT_TRUE(import_table::Insert(**db, live, import_table::NewOwner()).ok());
  }
  auto [status, body] = server_->Call("GET", "/api/v1/imports/" + job.id, "ana");
  ASSERT_EQ(status, 200) << body;
  nlohmann::json answered = ParseJson(body);
  EXPECT_EQ(answered["state"], "failed");
  EXPECT_NE(answered["error"].get<std::string>().find("stopped before it finished"),
            std::string::npos)
      << body;
  auto finished = Audit("import.finish", job.id);
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].outcome, "failed");
  // Looking again neither changes it nor audits it twice.
  EXPECT_EQ(ParseJson(server_->Call("GET", "/api/v1/imports/" + job.id, "ana").second)["state"],
            "failed");
  EXPECT_EQ(Audit("import.finish", job.id).size(), 1u);
  EXPECT_EQ(
      ParseJson(
          server_->Call("GET", "/api/v1/imports/import--live000000000000", "ana").second)["state"],
      "running");
}

TEST(ImportJobOwner, AnotherHostIsGoneWhenItsHeartbeatIsStale) {
  EXPECT_TRUE(import_table::OwnerAlive("elsewhere/1/x", NowMillis() - 1000, NowMillis()));
  EXPECT_FALSE(import_table::OwnerAlive(
      "elsewhere/1/x", NowMillis() - import_table::kStaleAfterMs - 1, NowMillis()));
}

}  // namespace
}  // namespace entente::server
