// The real `entente` binary: users add prints the token alone on the last line; audit verify
// catches tampering and names the entry; pki makes usable certificates; serve prints its
// address, answers over HTTPS and stops cleanly on SIGTERM.
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <regex>
#include <sstream>
#include <thread>

#include "../run_entente.h"
#include "../test_store_target.h"
#include "server_test_util.h"

namespace entente::server {
namespace {

using entente::testing::RunEntente;
using CommandRun = entente::testing::CommandResult;

std::string LastLine(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  size_t newline = trimmed.rfind('\n');
  return newline == std::string::npos ? trimmed : trimmed.substr(newline + 1);
}

class ServerCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("entente-cli-server");
    store_ = ::entente::testing::StoreTarget(dir_ + "/store.db");
    db_ = "--db '" + store_ + "' --service DGSN-DGST --user tester";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Starts the real `entente serve` on 127.0.0.1 with the certificates in dir_/pki, and reads
  // the port from the line it prints. `shell_sigpipe`: SIGPIPE back to its default action, as
  // a shell would start it (this test binary ignores it). The caller stops it and closes *out.
  void StartServe(const char* log_level, bool shell_sigpipe, pid_t* pid, int* port, FILE** out) {
    int out_pipe[2];
    ASSERT_EQ(pipe(out_pipe), 0);
    *pid = fork();
    ASSERT_GE(*pid, 0);
    if (*pid == 0) {
      dup2(out_pipe[1], STDOUT_FILENO);
      close(out_pipe[0]);
      if (shell_sigpipe) signal(SIGPIPE, SIG_DFL);
      const std::string& db_path = store_;
      std::string cert = dir_ + "/pki/server.crt";
      std::string key = dir_ + "/pki/server.key";
      execl(ENTENTE_BINARY, ENTENTE_BINARY, "--db", db_path.c_str(), "--service", "DGSN-DGST",
            "serve", "--listen", "127.0.0.1:0", "--tls-cert", cert.c_str(), "--tls-key",
            key.c_str(), "--log-level", log_level, static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out_pipe[1]);
    *out = fdopen(out_pipe[0], "r");
    char line[256] = {0};
    ASSERT_NE(fgets(line, sizeof line, *out), nullptr);
    std::cmatch address;
    ASSERT_TRUE(std::regex_search(line, address,
                                  std::regex(R"(entente serving on https://127\.0\.0\.1:(\d+))")))
        << line;
    *port = std::stoi(address[1].str());
  }

  std::string dir_;
  std::string store_;  // the store target
  std::string db_;     // the --db, --service and --user flags
};

TEST_F(ServerCommandsTest, UsersAddPrintsTheTokenAloneOnTheLastLine) {
  CommandRun added = RunEntente(db_ + " users add ana --role analyst --clearance AMBER");
  ASSERT_EQ(added.exit_code, 0) << added.output;
  EXPECT_TRUE(std::regex_match(LastLine(added.output), std::regex("ent_[0-9a-f]{16}_[0-9a-f]{64}")))
      << added.output;
  CommandRun listed = RunEntente(db_ + " users list");
  ASSERT_EQ(listed.exit_code, 0);
  EXPECT_NE(listed.output.find("ana"), std::string::npos);
  EXPECT_EQ(listed.output.find("ent_"), std::string::npos);
  EXPECT_EQ(RunEntente(db_ + " users add bob --role wizard").exit_code, 2);
  EXPECT_EQ(RunEntente(db_ + " users add bob --role analyst --clearance PURPLE").exit_code, 2);
  EXPECT_EQ(RunEntente(db_ + " users add ana --role analyst").exit_code, 5);  // exists
  EXPECT_EQ(RunEntente(db_ + " users revoke nobody").exit_code, 3);
  EXPECT_EQ(RunEntente(db_ + " users revoke ana").exit_code, 0);
  EXPECT_EQ(RunEntente(db_ + " users --help").exit_code, 0);
}

TEST_F(ServerCommandsTest, AuditVerifyNamesTheFirstBadEntry) {
  for (const char* name : {"u1", "u2", "u3", "u4"}) {
    ASSERT_EQ(RunEntente(db_ + " users add " + name + " --role auditor").exit_code, 0);
  }
  CommandRun ok = RunEntente(db_ + " audit verify");
  ASSERT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_NE(ok.output.find("audit trail OK: 4 entries"), std::string::npos) << ok.output;
  std::smatch head;
  ASSERT_TRUE(std::regex_search(ok.output, head, std::regex("head (\\d+:[0-9a-f]{64})")));
  EXPECT_EQ(RunEntente(db_ + " audit verify --expect-head " + head[1].str()).exit_code, 0);
  CommandRun shown = RunEntente(db_ + " audit show --action user.add");
  EXPECT_EQ(shown.exit_code, 0);
  EXPECT_EQ(std::count(shown.output.begin(), shown.output.end(), '\n'), 4);
  {
    auto db = Database::Open(::entente::testing::StoreTarget(dir_ + "/store.db"));
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Execute("UPDATE audit_log SET target = 'someone' WHERE seq = 2").ok());
  }
  CommandRun tampered = RunEntente(db_ + " audit verify");
  EXPECT_EQ(tampered.exit_code, 6) << tampered.output;
  EXPECT_NE(tampered.output.find("entry 2"), std::string::npos) << tampered.output;
}

TEST_F(ServerCommandsTest, PkiMakesACaAndCertificates) {
  std::string pki = " pki --dir " + dir_ + "/pki ";
  CommandRun init = RunEntente(db_ + pki + "init");
  ASSERT_EQ(init.exit_code, 0) << init.output;
  for (const char* file : {"ca.crt", "ca.key", "server.crt", "server.key"}) {
    EXPECT_TRUE(std::filesystem::exists(dir_ + "/pki/" + file)) << file;
  }
  auto perms = std::filesystem::status(dir_ + "/pki/ca.key").permissions();
  EXPECT_EQ(perms & std::filesystem::perms::others_all, std::filesystem::perms::none);
  CommandRun client = RunEntente(db_ + pki + "client dgsi");
  ASSERT_EQ(client.exit_code, 0) << client.output;
  EXPECT_TRUE(std::regex_search(client.output, std::regex("sha256 [0-9a-f]{64}")));
  EXPECT_NE(RunEntente(db_ + pki + "init").exit_code, 0);  // never overwrites a CA
  EXPECT_NE(RunEntente(db_ + pki + "client ../../evil").exit_code, 0);
}

TEST_F(ServerCommandsTest, ServePrintsItsAddressAndStopsOnSigterm) {
  ASSERT_EQ(RunEntente(db_ + " pki --dir " + dir_ + "/pki init").exit_code, 0);
  CommandRun added = RunEntente(db_ + " users add ana --role analyst");
  ASSERT_EQ(added.exit_code, 0);
  std::string token = LastLine(added.output);
  // Without certificates and without --http it refuses to start.
  EXPECT_EQ(RunEntente(db_ + " serve --listen 127.0.0.1:0").exit_code, 2);

  pid_t pid = 0;
  int port = 0;
  FILE* out = nullptr;
  StartServe("warn", false, &pid, &port, &out);
  if (HasFatalFailure()) return;
  httplib::SSLClient client("127.0.0.1", port);
  client.set_ca_cert_path((dir_ + "/pki/ca.crt").c_str());
  client.enable_server_certificate_verification(true);
  auto stats = client.Get("/api/v1/stats", {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200);
  // Plain HTTP to an HTTPS port gets nowhere.
  httplib::Client plain("127.0.0.1", port);
  plain.set_read_timeout(3);
  auto refused = plain.Get("/api/v1/health");
  EXPECT_TRUE(!refused || refused->status != 200);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  fclose(out);
}

// Opens a TLS connection to 127.0.0.1:port, sends `request` and closes at once without
// reading the answer, so that the server writes to a closed socket (EPIPE, SIGPIPE).
void SendAndHangUp(int port, const std::string& request) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  if (SSL_connect(ssl) == 1) {
    (void)SSL_write(ssl, request.data(), static_cast<int>(request.size()));
  }
  close(fd);  // no close_notify, no read: the answer meets a closed socket
  SSL_free(ssl);
  SSL_CTX_free(ctx);
}

// The real `entente serve` (not this test binary, which ignores SIGPIPE for itself): clients
// that hang up before reading a large answer must not kill the server.
TEST_F(ServerCommandsTest, ServeSurvivesClientsThatHangUpBeforeTheAnswer) {
  ASSERT_EQ(RunEntente(db_ + " pki --dir " + dir_ + "/pki init").exit_code, 0);
  pid_t pid = 0;
  int port = 0;
  FILE* out = nullptr;
  StartServe("error", true, &pid, &port, &out);
  if (HasFatalFailure()) return;
  // Several pipelined requests for the OpenAPI document (tens of kilobytes each).
  std::string request;
  for (int request_idx = 0; request_idx < 8; ++request_idx)
    request += "GET /api/v1/openapi.json HTTP/1.1\r\nHost: localhost\r\n\r\n";
  for (int client_idx = 0; client_idx < 20; ++client_idx) SendAndHangUp(port, request);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, WNOHANG), 0)
      << "serve died: " << (WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "exited");
  httplib::SSLClient client("127.0.0.1", port);
  client.set_ca_cert_path((dir_ + "/pki/ca.crt").c_str());
  client.enable_server_certificate_verification(true);
  auto health = client.Get("/api/v1/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  kill(pid, SIGTERM);
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  fclose(out);
}

}  // namespace
}  // namespace entente::server
