// PostgreSQL stopped and started under a running server (a cluster of this test's own, so the
// run's shared one is left alone): while it is down every request is answered 503, never 500,
// 401 or data; once it is back the same server answers again without a restart of its own.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "../pg_cluster.h"
#include "audit/audit_log.h"
#include "server_test_util.h"

namespace entente::server {
namespace {

using testing::MakePerson;
using testing::ParseJson;
using testing::TestServer;

TEST(PostgresRestart, ServerAnswers503WhileDownAndRecoversOnItsOwn) {
  entente::testing::PgCluster cluster;
  std::string why;
  ASSERT_TRUE(cluster.Start(&why)) << why;
  TestServer server(nullptr, cluster.ConnInfo());
  server.Start();
  Entity person = MakePerson("Hicham Lahlou", Tlp::kGreen);
  server.Put({person});
  const std::string path = "/api/v1/entities/" + person.meta.id;
  ASSERT_EQ(server.Call("GET", path, "ana").first, 200);

  cluster.Down();
  for (int i = 0; i < 5; ++i) {
    auto [status, body] = server.Call("GET", path, "ana");
    EXPECT_EQ(status, 503) << body;
    EXPECT_EQ(ParseJson(body)["error"].value("code", ""), "unavailable") << body;
  }
  // A write too: refused as unavailable, and nothing half-done afterwards.
  EXPECT_EQ(server
                .Call("POST", "/api/v1/imports?format=jsonl&filename=x.jsonl", "ana",
                      ParseJson(EntityToJson(MakePerson("Down Write", Tlp::kGreen))).dump(),
                      "application/x-ndjson")
                .first,
            503);

  ASSERT_TRUE(cluster.Up());
  int status = 0;
  std::string body;
  for (int attempt = 0; attempt < 20 && status != 200; ++attempt) {
    std::tie(status, body) = server.Call("GET", path, "ana");
    if (status != 200) {
      EXPECT_EQ(status, 503) << body;  // only while the pool's connections are renewed
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(ParseJson(body)["id"], person.meta.id);
  // The failed sign-in checks of the outage did not lock the user out.
  EXPECT_EQ(server.Call("GET", path, "ana").first, 200);
  // And the audit chain is whole.
  auto db = Database::Open(cluster.ConnInfo());
  ASSERT_TRUE(db.ok());
  auto report = AuditLog::Verify(**db);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok) << report->problem;
}

}  // namespace
}  // namespace entente::server
