// The server over real HTTPS on loopback: authentication failures, 403/404/405/413/429, bad
// input of every kind, SQL-injection-shaped strings, path traversal, slow clients, mutual TLS,
// HTTP Basic, graceful shutdown, and the audit entries requests leave.
#include "server/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "audit/audit_log.h"
#include "server_test_util.h"

namespace entente::server {
namespace {

using testing::ConnectRaw;
using testing::MakePerson;
using testing::ParseJson;
using testing::TestServer;

std::string ErrorCode(const std::string& body) {
  nlohmann::json json = ParseJson(body);
  if (!json.is_object() || !json.contains("error")) return "(no error body: " + body + ")";
  return json["error"].value("code", "");
}

int CountAudit(const std::string& db_path, const std::string& action) {
  auto db = Database::Open(db_path);
  if (!db.ok()) return -1;
  auto entries = AuditLog::Read(**db, {0, "", "", action, 100000});
  return entries.ok() ? static_cast<int>(entries->size()) : -1;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>([](ServerConfig& config) {
      config.limits.max_body_bytes = 4096;
      config.limits.rate_burst = 1000;
      config.limits.rate_per_minute = 60;
      config.limits.request_timeout_seconds = 2;
      config.limits.keep_alive_seconds = 1;
      config.partners.push_back({"dgsi", "DGSI", "dgsi", "", Tlp::kAmber});
    });
    // A route for the authentication tests: who am I, with any credential.
    ASSERT_TRUE(
        server_->server()
            .router()
            .Add({.method = "GET",
                  .pattern = "/api/v1/test/whoami",
                  .permission = Permission::kPartnerAccess,
                  .auth = kAuthBearer | kAuthBasic | kAuthClientCert,
                  .openapi = R"({"summary": "test", "responses": {"200": {"description": "ok"}}})",
                  .handler =
                      [](RequestContext& ctx) {
                        return JsonResponse(200,
                                            nlohmann::json{{"user", ctx.principal.user},
                                                           {"role", RoleName(ctx.principal.role)},
                                                           {"partner", ctx.principal.partner},
                                                           {"service", ctx.principal.service}}
                                                .dump());
                      }})
            .ok());
    ASSERT_TRUE(
        server_->server()
            .router()
            .Add({.method = "GET",
                  .pattern = "/api/v1/test/slow",
                  .permission = Permission::kStatsRead,
                  .openapi = R"({"summary": "test", "responses": {"200": {"description": "ok"}}})",
                  .handler =
                      [](RequestContext&) {
                        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
                        return JsonResponse(200, R"({"slow":true})");
                      }})
            .ok());
    server_->Start();
    amber_ = MakePerson("Youssef El Amrani", Tlp::kAmber);
    green_ = MakePerson("Karim Benali", Tlp::kGreen);
    server_->Put({amber_, green_});
  }

  std::unique_ptr<TestServer> server_;
  Entity amber_;
  Entity green_;
};

TEST_F(HttpServerTest, ServesPublicRoutesWithoutCredentials) {
  auto [status, body] = server_->Call("GET", "/api/v1/health", "");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(ParseJson(body)["status"], "ok");
  auto [doc_status, doc] = server_->Call("GET", "/api/v1/openapi.json", "");
  EXPECT_EQ(doc_status, 200);
  EXPECT_EQ(ParseJson(doc)["openapi"], "3.1.0");
}

TEST_F(HttpServerTest, RefusesMissingInvalidExpiredAndRevokedTokens) {
  std::string path = "/api/v1/entities/" + green_.meta.id;
  auto client = server_->Client();
  auto missing = client->Get(path.c_str());
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 401);
  EXPECT_EQ(ErrorCode(missing->body), "unauthenticated");
  EXPECT_NE(missing->get_header_value("WWW-Authenticate").find("Bearer"), std::string::npos);
  for (const std::string& header :
       {std::string("Bearer"), std::string("Bearer nonsense"), std::string("Token abc"),
        std::string("Bearer ent_0123456789abcdef_") + std::string(64, '0'),
        std::string("Bearer ") + server_->user("ana").token + "0",
        std::string("Bearer ' OR 1=1 --")}) {
    auto result = client->Get(path.c_str(), {{"Authorization", header}});
    ASSERT_TRUE(result) << header;
    EXPECT_EQ(result->status, 401) << header;
  }
  // Expired and revoked.
  auto db = Database::Open(server_->db_path());
  ASSERT_TRUE(db.ok());
  auto key = TokenKey::LoadOrCreate(DefaultTokenKeyPath(server_->db_path()));
  ASSERT_TRUE(key.ok());
  UserStore users(db->get(), *key);
  auto expired = users.IssueToken({"t", "local", "x"}, "ana", "2021-01-01T00:00:00Z");
  ASSERT_TRUE(expired.ok());
  auto result = client->Get(path.c_str(), {{"Authorization", "Bearer " + expired->token}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 401);
  EXPECT_EQ(server_->Call("GET", path, "green-analyst").first, 200);
  ASSERT_TRUE(users.RevokeUser({"t", "local", "x"}, "green-analyst").ok());
  EXPECT_EQ(server_->Call("GET", path, "green-analyst").first, 401);
  EXPECT_GE(CountAudit(server_->db_path(), "auth.failure"), 8);
}

TEST_F(HttpServerTest, RoleWithoutPermissionGets403AndIsAudited) {
  auto [status, body] = server_->Call("GET", "/api/v1/entities/" + green_.meta.id, "aud");
  EXPECT_EQ(status, 403);
  EXPECT_EQ(ErrorCode(body), "permission_denied");
  EXPECT_EQ(server_->Call("POST", "/api/v1/users", "ana", "{}").first, 403);
  EXPECT_EQ(server_->Call("GET", "/api/v1/audit", "adm").first, 403);
  EXPECT_GE(CountAudit(server_->db_path(), "access.denied"), 3);
}

TEST_F(HttpServerTest, UnknownRoutesAndMethods) {
  auto [status, body] = server_->Call("GET", "/api/v1/nothing-here", "ana");
  EXPECT_EQ(status, 404);
  EXPECT_EQ(ErrorCode(body), "not_found");
  EXPECT_EQ(server_->Call("GET", "/", "").first, 404);
  auto client = server_->Client();
  auto wrong = client->Patch("/api/v1/stats", server_->Auth("ana"), "{}", "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->get_header_value("Allow"), "GET, HEAD");
  EXPECT_EQ(server_->Call("DELETE", "/api/v1/stats", "ana").first, 405);
}

TEST_F(HttpServerTest, HeadIsAGetWithoutItsBody) {
  auto client = server_->Client();
  auto health = client->Head("/api/v1/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_TRUE(health->body.empty());
  std::string path = "/api/v1/entities/" + green_.meta.id;
  auto anonymous = client->Head(path.c_str());
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  auto entity = client->Head(path.c_str(), server_->Auth("ana"));
  ASSERT_TRUE(entity);
  EXPECT_EQ(entity->status, 200);
  EXPECT_TRUE(entity->body.empty());
  EXPECT_NE(entity->get_header_value("Content-Type").find("application/json"), std::string::npos);
  auto denied = client->Head(path.c_str(), server_->Auth("aud"));
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 403);
  auto missing = client->Head("/api/v1/entities/person--00000000-0000-4000-8000-000000000000",
                              server_->Auth("ana"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST_F(HttpServerTest, BadJsonBodies) {
  struct Case {
    std::string body;
    std::string field;
  };
  std::vector<Case> cases = {
      {"{", ""},
      {"not json", ""},
      {"[1,2,3]", ""},
      {"\"a string\"", ""},
      {"{\"type\": 42, \"names\": []}", "type"},
      {"{\"type\": \"spaceship\"}", "type"},
      {"{\"names\": [{\"full\": \"A\"}]}", "type"},
      {"{\"type\": \"person\", \"names\": \"Karim\"}", ""},
      {"{\"type\": \"person\", \"names\": []}", ""},
      {"{\"type\": \"person\", \"names\": [{\"full\": \"A\"}], \"birth_dates\": [\"2023-02-30\"]}",
       ""},
      {"{\"type\": \"person\", \"names\": [{\"full\": \"A\"}], \"marking\": {\"tlp\": \"PURPLE\"}}",
       ""},
      {"{\"type\": \"person\", \"names\": [{\"full\": \"A\"}], \"provenance\": 5}", "provenance"},
  };
  for (const Case& test : cases) {
    auto [status, body] = server_->Call("POST", "/api/v1/entities", "ana", test.body);
    EXPECT_EQ(status, 400) << test.body << " -> " << body;
    EXPECT_EQ(ErrorCode(body), "invalid_argument") << body;
    if (!test.field.empty()) {
      EXPECT_EQ(ParseJson(body)["error"]["field"], test.field) << body;
    }
  }
  for (const std::string& body : {std::string("{}"), std::string("{\"name\": 5}"),
                                  std::string("{\"name\": \"A\", \"top\": \"ten\"}"),
                                  std::string("{\"name\": \"A\", \"top\": 100000}"),
                                  std::string("{\"name\": \"A\", \"birth_date\": \"yesterday\"}"),
                                  std::string("{\"name\": \"A\", \"nationality\": \"Atlantis\"}"),
                                  std::string("{\"name\": \"A\", \"type\": \"vehicle\"}")}) {
    EXPECT_EQ(server_->Call("POST", "/api/v1/match", "sam", body).first, 400) << body;
  }
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities?q=a", "ana").first, 400);
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities?q=karim&limit=0", "ana").first, 400);
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities?q=karim&limit=abc", "ana").first, 400);
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities?q=karim&cursor=%%%", "ana").first, 400);
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities/not-an-id", "ana").first, 400);
  EXPECT_EQ(server_->Call("GET", "/api/v1/audit?since=yesterday", "aud").first, 400);
  EXPECT_EQ(
      server_->Call("POST", "/api/v1/users", "adm", "{\"name\": \"x\", \"role\": \"god\"}").first,
      400);
  // Invalid UTF-8 in a name.
  std::string bad_utf8 = "{\"type\": \"person\", \"names\": [{\"full\": \"A\xff\xfe\"}]}";
  EXPECT_EQ(server_->Call("POST", "/api/v1/entities", "ana", bad_utf8).first, 400);
}

TEST_F(HttpServerTest, BodiesOverTheLimitGet413) {
  std::string huge(10000, 'x');
  auto [status, body] = server_->Call("POST", "/api/v1/entities", "ana", huge);
  EXPECT_EQ(status, 413);
  EXPECT_EQ(ErrorCode(body), "payload_too_large");
  // Chunked (no Content-Length) is measured after reading.
  auto client = server_->Client();
  auto chunked = client->Post(
      "/api/v1/match", server_->Auth("ana"),
      [&](size_t offset, httplib::DataSink& sink) {
        for (int chunk_idx = 0; chunk_idx < 10; ++chunk_idx) sink.write(huge.data(), 1000);
        sink.done();
        return true;
      },
      "application/json");
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->status, 413);
  // The server is fine afterwards.
  EXPECT_EQ(server_->Call("GET", "/api/v1/health", "").first, 200);
}

TEST_F(HttpServerTest, SqlInjectionShapedStringsAreJustText) {
  const std::vector<std::string> attacks = {"Robert'); DROP TABLE records;--",
                                            "' OR '1'='1",
                                            "\" OR \"\"=\"",
                                            "1; DELETE FROM audit_log",
                                            "%' UNION SELECT secret_hash FROM server_tokens --",
                                            "\\'; --"};
  std::vector<std::string> created_ids;
  for (const std::string& attack : attacks) {
    nlohmann::json entity = {{"type", "person"},
                             {"names", {{{"full", attack}, {"kind", "primary"}}}},
                             {"birth_places", {attack}},
                             {"addresses", {attack}},
                             {"attributes", {{"note", attack}}},
                             {"marking", {{"tlp", "GREEN"}}}};
    auto [status, body] = server_->Call("POST", "/api/v1/entities", "ana", entity.dump());
    ASSERT_EQ(status, 201) << body;
    created_ids.push_back(ParseJson(body)["id"]);
    auto [search_status, results] =
        server_->Call("GET", "/api/v1/entities?q=" + testing::UrlEncode(attack), "ana");
    EXPECT_EQ(search_status, 200) << results;
    bool found = false;
    nlohmann::json parsed_items = ParseJson(results);
    for (const auto& item : parsed_items["items"])
      found = found || item["names"][0]["full"] == attack;
    EXPECT_TRUE(found) << attack;
    // A name of punctuation only has nothing to match: a clear 400, never a 500.
    int match_status =
        server_->Call("POST", "/api/v1/match", "ana", nlohmann::json{{"name", attack}}.dump())
            .first;
    EXPECT_TRUE(match_status == 200 || match_status == 400) << attack << " -> " << match_status;
    EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + testing::UrlEncode(attack), "ana").first,
              400);
    EXPECT_EQ(server_
                  ->Call("POST", "/api/v1/users", "adm",
                         nlohmann::json{{"name", attack}, {"role", "analyst"}}.dump())
                  .first,
              400);
    EXPECT_EQ(
        server_->Call("GET", "/api/v1/audit?actor=" + testing::UrlEncode(attack), "aud").first,
        200);
  }
  // Everything is still there and the chain holds.
  for (const std::string& id : created_ids) {
    EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + id, "ana").first, 200);
  }
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + amber_.meta.id, "ana").first, 200);
  auto [verify_status, verify] = server_->Call("GET", "/api/v1/audit/verify", "aud");
  EXPECT_EQ(verify_status, 200);
  EXPECT_EQ(ParseJson(verify)["ok"], true) << verify;
}

TEST_F(HttpServerTest, PathTraversalGoesNowhere) {
  for (const std::string& path :
       {std::string("/api/v1/entities/..%2F..%2F..%2Fetc%2Fpasswd"),
        std::string("/api/v1/entities/../../etc/passwd"), std::string("/api/v1/../../etc/passwd"),
        std::string("/api/v1/entities/%2e%2e/history"),
        std::string("/api/v1/users/..%2Fadm/tokens")}) {
    auto [status, body] = server_->Call("GET", path, "ana");
    EXPECT_TRUE(status == 400 || status == 404 || status == 405) << path << " " << status;
    EXPECT_EQ(body.find("root:"), std::string::npos);
  }
  // An upload's file name never becomes a path.
  std::string csv = "id,name\n1,Karim\n";
  auto [status, body] = server_->Call(
      "POST", "/api/v1/imports?format=csv&filename=..%2F..%2F..%2Ftmp%2Fentente-evil.csv", "ana",
      csv, "text/csv");
  ASSERT_EQ(status, 202) << body;
  EXPECT_EQ(ParseJson(body)["file_name"], "entente-evil.csv");
  EXPECT_FALSE(std::filesystem::exists("/tmp/entente-evil.csv"));
}

TEST(HttpServerRateLimit, Gives429WithRetryAfter) {
  TestServer limited_server([](ServerConfig& config) {
    config.limits.rate_burst = 5;
    config.limits.rate_per_minute = 60;
  });
  limited_server.Start();
  Entity green = MakePerson("Karim Benali", Tlp::kGreen);
  limited_server.Put({green});
  TestServer* server_ = &limited_server;
  auto client = server_->Client();
  int limited = 0;
  for (int request_idx = 0; request_idx < 10; ++request_idx) {
    auto result = client->Get("/api/v1/entities?q=karim", server_->Auth("lia"));
    ASSERT_TRUE(result);
    if (result->status == 429) {
      limited++;
      EXPECT_FALSE(result->get_header_value("Retry-After").empty());
      EXPECT_EQ(ErrorCode(result->body), "rate_limited");
    }
  }
  EXPECT_GE(limited, 4);
  // Other users have their own buckets; unlimited routes are not counted.
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities?q=karim", "sam").first, 200);
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + green.meta.id, "lia").first, 200);
}

// What one raw request over TLS gets back (status line, headers and body), for the requests a
// standard client will not send.
std::string RawTlsExchange(int port, const std::string& request) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(ctx);
  int fd = ConnectRaw(port);
  SSL_set_fd(ssl, fd);
  std::string answer;
  if (SSL_connect(ssl) == 1 &&
      SSL_write(ssl, request.data(), static_cast<int>(request.size())) > 0) {
    char buffer[4096];
    int got = 0;
    while ((got = SSL_read(ssl, buffer, sizeof buffer)) > 0) {
      answer.append(buffer, static_cast<size_t>(got));
      if (answer.find("\r\n\r\n") != std::string::npos && answer.find('}') != std::string::npos)
        break;
    }
  }
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  close(fd);
  return answer;
}

// Session 7: the errors the HTTP library answers by itself (before any route) went out with an
// empty body.
TEST_F(HttpServerTest, RequestsTheLibraryRefusesGetAnErrorThatSaysWhy) {
  const int port = server_->server().port();
  const std::string big_header = "X-Padding: " + std::string(10000, 'a') + "\r\n";
  const std::string headers = "Host: x\r\nConnection: close\r\nAuthorization: Bearer " +
                              server_->user("ana").token + "\r\n";
  std::string unreadable =
      RawTlsExchange(port, "GET /api/v1/health HTTP/1.1\r\n" + headers + big_header + "\r\n");
  EXPECT_EQ(unreadable.rfind("HTTP/1.1 400", 0), 0u) << unreadable;
  EXPECT_NE(unreadable.find("application/json"), std::string::npos) << unreadable;
  EXPECT_NE(unreadable.find("could not be read"), std::string::npos) << unreadable;
  // Under /taxii2/ the error is a TAXII error message.
  std::string taxii =
      RawTlsExchange(port, "GET /taxii2/ HTTP/1.1\r\n" + headers + big_header + "\r\n");
  EXPECT_NE(taxii.find("application/taxii+json;version=2.1"), std::string::npos) << taxii;
  EXPECT_NE(taxii.find("\"http_status\":\"400\""), std::string::npos) << taxii;
  std::string long_uri = RawTlsExchange(port, "GET /api/v1/entities?q=" + std::string(20000, 'a') +
                                                  " HTTP/1.1\r\n" + headers + "\r\n");
  EXPECT_EQ(long_uri.rfind("HTTP/1.1 414", 0), 0u) << long_uri.substr(0, 200);
  EXPECT_NE(long_uri.find("URI is longer"), std::string::npos) << long_uri.substr(0, 400);
  // A route's own error keeps its body.
  auto [status, body] =
      server_->Call("GET", "/api/v1/entities/person--00000000-0000-5000-8000-000000000000", "ana");
  EXPECT_EQ(status, 404);
  EXPECT_NE(body.find("no record"), std::string::npos) << body;
}

TEST_F(HttpServerTest, SlowClientsAreCutAndOthersAreServed) {
  // 20 connections that trickle one byte a second (more than the 16 workers), one speaking
  // TLS the same way after a complete handshake.
  std::atomic<bool> stop{false};
  std::vector<int> sockets;
  for (int slow_idx = 0; slow_idx < 20; ++slow_idx) {
    int fd = ConnectRaw(server_->server().port());
    ASSERT_GE(fd, 0);
    sockets.push_back(fd);
  }
  std::atomic<int> tls_slow_closed{0};
  std::thread tls_slow([&] {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL* ssl = SSL_new(ctx);
    int fd = ConnectRaw(server_->server().port());
    SSL_set_fd(ssl, fd);
    if (SSL_connect(ssl) == 1) {
      std::string request = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n";
      for (char c : request) {
        if (stop || SSL_write(ssl, &c, 1) <= 0) break;
        std::this_thread::sleep_for(std::chrono::seconds(1));
      }
      char buffer[64];
      if (SSL_read(ssl, buffer, sizeof buffer) <= 0) tls_slow_closed = 1;
    }
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    close(fd);
  });
  std::thread tricklers([&] {
    for (int second = 0; second < 6 && !stop; ++second) {
      for (int fd : sockets) (void)!send(fd, "\x16", 1, MSG_NOSIGNAL);
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  });
  // Meanwhile others are served (they may wait for the guard to free workers, not forever).
  auto began = std::chrono::steady_clock::now();
  for (int request_idx = 0; request_idx < 5; ++request_idx) {
    EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + green_.meta.id, "ana").first, 200);
  }
  auto waited = std::chrono::steady_clock::now() - began;
  EXPECT_LT(waited, std::chrono::seconds(15));
  stop = true;
  tricklers.join();
  tls_slow.join();
  for (int fd : sockets) close(fd);
  EXPECT_EQ(tls_slow_closed.load(), 1);
  EXPECT_GE(server_->server().slow_connections_cut(), 10);
}

TEST_F(HttpServerTest, ClientCertificateIdentifiesAPartner) {
  ASSERT_TRUE(
      IssueCertificate(server_->pki_dir(), "dgsi", {"dgsi", CertificateKind::kClient, {}, {}, 30})
          .ok());
  ASSERT_TRUE(IssueCertificate(server_->pki_dir(), "stranger",
                               {"stranger", CertificateKind::kClient, {}, {}, 30})
                  .ok());
  auto with_cert = [&](const std::string& stem) {
    auto client = std::make_unique<httplib::SSLClient>("127.0.0.1", server_->server().port(),
                                                       server_->pki_dir() + "/" + stem + ".crt",
                                                       server_->pki_dir() + "/" + stem + ".key");
    client->set_ca_cert_path((server_->pki_dir() + "/ca.crt").c_str());
    client->enable_server_certificate_verification(true);
    return client;
  };
  auto partner = with_cert("dgsi")->Get("/api/v1/test/whoami");
  ASSERT_TRUE(partner);
  ASSERT_EQ(partner->status, 200) << partner->body;
  EXPECT_EQ(ParseJson(partner->body)["partner"], "dgsi");
  EXPECT_EQ(ParseJson(partner->body)["service"], "DGSI");
  // A valid certificate that names no partner, and no certificate at all: 401.
  auto stranger = with_cert("stranger")->Get("/api/v1/test/whoami");
  ASSERT_TRUE(stranger);
  EXPECT_EQ(stranger->status, 401);
  EXPECT_EQ(server_->Call("GET", "/api/v1/test/whoami", "").first, 401);
  // A partner certificate does not open user routes.
  auto user_route = with_cert("dgsi")->Get(("/api/v1/entities/" + green_.meta.id).c_str());
  ASSERT_TRUE(user_route);
  EXPECT_EQ(user_route->status, 401);
  // A certificate from another CA fails the handshake.
  std::string other = testing::MakeTempDir("entente-other-ca");
  ASSERT_TRUE(CreateCa(other, "other CA").ok());
  ASSERT_TRUE(IssueCertificate(other, "dgsi", {"dgsi", CertificateKind::kClient, {}, {}, 30}).ok());
  httplib::SSLClient forged("127.0.0.1", server_->server().port(), other + "/dgsi.crt",
                            other + "/dgsi.key");
  forged.set_ca_cert_path((server_->pki_dir() + "/ca.crt").c_str());
  forged.enable_server_certificate_verification(true);
  auto refused = forged.Get("/api/v1/test/whoami");
  EXPECT_TRUE(!refused || refused->status == 401);
  std::filesystem::remove_all(other);
}

TEST_F(HttpServerTest, BasicAuthWhereTheRouteAcceptsIt) {
  auto client = server_->Client();
  client->set_basic_auth("par", server_->user("par").token.c_str());
  auto ok = client->Get("/api/v1/test/whoami");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  client->set_basic_auth("someone-else", server_->user("par").token.c_str());
  auto wrong_user = client->Get("/api/v1/test/whoami");
  ASSERT_TRUE(wrong_user);
  EXPECT_EQ(wrong_user->status, 401);
  // Routes that do not accept Basic refuse it.
  auto basic_on_bearer_route = server_->Client();
  basic_on_bearer_route->set_basic_auth("ana", server_->user("ana").token.c_str());
  auto refused = basic_on_bearer_route->Get(("/api/v1/entities/" + green_.meta.id).c_str());
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
}

TEST_F(HttpServerTest, EntityLifecycleIsAudited) {
  nlohmann::json entity = {{"type", "person"},
                           {"names", {{{"full", "Mohamed Idrissi"}, {"kind", "primary"}}}},
                           {"birth_dates", {"1987-03"}},
                           {"nationalities", {"MA"}},
                           {"marking", {{"tlp", "AMBER"}}}};
  auto [created_status, created] = server_->Call("POST", "/api/v1/entities", "ana", entity.dump());
  ASSERT_EQ(created_status, 201) << created;
  std::string id = ParseJson(created)["id"];
  EXPECT_EQ(ParseJson(created)["version"], 1);
  EXPECT_EQ(ParseJson(created)["provenance"]["service"], "DGSN-DGST");
  // A client does not choose ids: posting the record back (with its id) is refused.
  auto [again, again_body] =
      server_->Call("POST", "/api/v1/entities", "ana", ParseJson(created).dump());
  EXPECT_EQ(again, 400) << again_body;
  EXPECT_NE(again_body.find("field id"), std::string::npos) << again_body;
  entity["names"][0]["full"] = "Mohammed Idrissi";
  auto client = server_->Client();
  httplib::Headers headers = server_->Auth("ana");
  headers.emplace("If-Match", "7");
  auto stale =
      client->Put(("/api/v1/entities/" + id).c_str(), headers, entity.dump(), "application/json");
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 409);
  auto [updated_status, updated] =
      server_->Call("PUT", "/api/v1/entities/" + id, "ana", entity.dump());
  ASSERT_EQ(updated_status, 200) << updated;
  EXPECT_EQ(ParseJson(updated)["version"], 2);
  auto [history_status, history] =
      server_->Call("GET", "/api/v1/entities/" + id + "/history", "ana");
  ASSERT_EQ(history_status, 200);
  EXPECT_EQ(ParseJson(history)["versions"].size(), 2u);
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + id, "sam").first, 200);
  auto [revoked_status, revoked] = server_->Call("DELETE", "/api/v1/entities/" + id, "ana");
  ASSERT_EQ(revoked_status, 200) << revoked;
  EXPECT_EQ(ParseJson(revoked)["revoked"], true);
  EXPECT_EQ(CountAudit(server_->db_path(), "record.create"), 1);
  EXPECT_EQ(CountAudit(server_->db_path(), "record.update"), 1);
  EXPECT_EQ(CountAudit(server_->db_path(), "record.revoke"), 1);
  EXPECT_GE(CountAudit(server_->db_path(), "record.read"), 1);  // the AMBER read
  EXPECT_GE(CountAudit(server_->db_path(), "token.use"), 1);
  // A GREEN read is not a "sensitive read" entry.
  int reads = CountAudit(server_->db_path(), "record.read");
  EXPECT_EQ(server_->Call("GET", "/api/v1/entities/" + green_.meta.id, "ana").first, 200);
  EXPECT_EQ(CountAudit(server_->db_path(), "record.read"), reads);
}

TEST_F(HttpServerTest, SearchPaginatesWithCursors) {
  std::vector<Record> people;
  for (int person_idx = 0; person_idx < 25; ++person_idx) {
    people.push_back(MakePerson("Pagination Person " + std::to_string(person_idx), Tlp::kGreen));
  }
  server_->Put(people);
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto [status, body] = server_->Call(
        "GET",
        "/api/v1/entities?q=pagination&limit=10" + (cursor.empty() ? "" : "&cursor=" + cursor),
        "ana");
    ASSERT_EQ(status, 200) << body;
    nlohmann::json page = ParseJson(body);
    for (const auto& item : page["items"]) seen.insert(item["id"].get<std::string>());
    cursor = page["next_cursor"].is_null() ? "" : page["next_cursor"].get<std::string>();
    pages++;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen.size(), 25u);
  EXPECT_EQ(pages, 3);
}

TEST_F(HttpServerTest, UsersAdminOverTheApi) {
  auto [status, body] = server_->Call(
      "POST", "/api/v1/users", "adm",
      R"({"name": "new-officer", "role": "screening-officer", "clearance": "GREEN"})");
  ASSERT_EQ(status, 201) << body;
  std::string token = ParseJson(body)["token"];
  auto client = server_->Client();
  auto used = client->Get("/api/v1/stats", {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(used);
  EXPECT_EQ(used->status, 200);
  auto [list_status, list] = server_->Call("GET", "/api/v1/users", "adm");
  ASSERT_EQ(list_status, 200);
  EXPECT_EQ(list.find("ent_"), std::string::npos);  // tokens are never listed
  EXPECT_EQ(server_->Call("DELETE", "/api/v1/users/new-officer", "adm").first, 200);
  auto after = client->Get("/api/v1/stats", {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401);
  EXPECT_EQ(
      server_->Call("POST", "/api/v1/users", "adm", R"({"name": "ana", "role": "analyst"})").first,
      409);
}

TEST_F(HttpServerTest, ImportJobRuns) {
  std::string jsonl =
      ParseJson(EntityToJson(MakePerson("Imported Person", Tlp::kGreen))).dump() + "\n";
  auto [status, body] = server_->Call("POST", "/api/v1/imports?format=jsonl&filename=people.jsonl",
                                      "ana", jsonl, "application/x-ndjson");
  ASSERT_EQ(status, 202) << body;
  std::string id = ParseJson(body)["id"];
  std::string state;
  for (int poll = 0; poll < 100; ++poll) {
    auto [job_status, job] = server_->Call("GET", "/api/v1/imports/" + id, "ana");
    ASSERT_EQ(job_status, 200);
    state = ParseJson(job)["state"];
    if (state == "done" || state == "failed") {
      EXPECT_EQ(state, "done") << job;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(state, "done");
  // Another user does not see the job; unknown formats are refused.
  EXPECT_EQ(server_->Call("GET", "/api/v1/imports/" + id, "green-analyst").first, 404);
  EXPECT_EQ(server_->Call("POST", "/api/v1/imports?format=nope", "ana", "x").first, 400);
}

TEST_F(HttpServerTest, StopLetsInFlightRequestsFinish) {
  std::atomic<int> status{0};
  std::thread request([&] { status = server_->Call("GET", "/api/v1/test/slow", "ana").first; });
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  server_->server().Stop();
  request.join();
  EXPECT_EQ(status.load(), 200);
  // Stopped: nothing listens any more.
  EXPECT_EQ(server_->Call("GET", "/api/v1/health", "").first, -1);
}

}  // namespace
}  // namespace entente::server
