// Slow clients on plain HTTP (`entente serve --http`), with real sockets against a real server
// process: connections that trickle a request one byte a second, or send nothing, are cut (over
// the per-address cap at once, the rest at the request timeout), and meanwhile a normal client
// is answered, on a keep-alive connection too. A fast first request does not exempt a trickled
// second one, and many addresses (127.0.0.x, all on loopback) cannot take every worker.
// The asserts are on what happened (cut or answered, and the server's log of why), with bounds
// loose enough for a loaded machine: the request timeout is far from the times checked.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <functional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "../temp_dir.h"
#include "../test_store_target.h"
#include "run_entente.h"
#include "server_test_util.h"

namespace entente::server::testing {
namespace {

using Clock = std::chrono::steady_clock;

// True when the server closed `fd` (end of stream or reset), looking without waiting.
bool ClosedByServer(int fd) {
  pollfd entry{fd, POLLIN, 0};
  if (poll(&entry, 1, 0) <= 0) return false;
  char byte;
  ssize_t got = recv(fd, &byte, 1, MSG_DONTWAIT);
  return got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

class PlainHttpSlowClients : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = entente::testing::MakeTempDir("entente-slow-clients"); }

  // Starts `entente serve --http` with the request timeout and keep-alive time given (seconds),
  // and `limits` (more lines of its [limits] table).
  void StartServer(int request_timeout, int keep_alive, const std::string& limits) {
    std::string config = dir_ + "/serve.toml";
    std::ofstream(config) << "[limits]\nrequest_timeout_seconds = " << request_timeout
                          << "\nkeep_alive_seconds = " << keep_alive << "\n"
                          << limits;
    log_ = dir_ + "/serve.out";
    pid_ = SpawnEntente({"--db", entente::testing::StoreTarget(dir_ + "/store.db"), "serve",
                         "--http", "--listen", "127.0.0.1:0", "--config", config},
                        log_, log_ + ".err");
    std::smatch found;
    std::regex serving("serving on http://127\\.0\\.0\\.1:([0-9]+)");
    for (int i = 0; i < 600; ++i) {
      std::string log = ReadLog(log_);
      if (std::regex_search(log, found, serving)) {
        port_ = std::stoi(found[1].str());
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_GT(port_, 0) << ReadLog(log_) << ReadLog(log_ + ".err");
  }

  // How many connections the server's log says it cut for `why`.
  int CutsLogged(const std::string& why) {
    std::string log = ReadLog(log_) + ReadLog(log_ + ".err");
    std::string line = "connection cut (" + why + ")";
    int count = 0;
    for (size_t at = log.find(line); at != std::string::npos; at = log.find(line, at + 1)) ++count;
    return count;
  }

  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }

  // Seconds one normal request takes: a fresh connection, GET /api/v1/health, 200 expected.
  double TimeOneRequest() {
    auto began = Clock::now();
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(10);
    client.set_read_timeout(10);
    auto answer = client.Get("/api/v1/health");
    EXPECT_TRUE(answer) << "no answer: " << httplib::to_string(answer.error());
    if (answer) {
      EXPECT_EQ(answer->status, 200) << answer->body;
    }
    return std::chrono::duration<double>(Clock::now() - began).count();
  }

  // Opens `count` connections; each gets the next byte of a request every second while
  // `trickle` (none when it is false). Records, per connection, the seconds from its connect
  // until the server closed it (< 0: still open after `watch_seconds`).
  std::vector<double> WatchSlowConnections(int count, bool trickle, double watch_seconds,
                                           const std::function<void()>& meanwhile) {
    std::vector<int> sockets;
    for (int i = 0; i < count; ++i) {
      int fd = ConnectRaw(port_);
      EXPECT_GE(fd, 0);
      if (fd >= 0) sockets.push_back(fd);
    }
    return Watch(sockets, trickle, watch_seconds, meanwhile);
  }

  // As WatchSlowConnections, on `sockets` (connected; closed at the end).
  std::vector<double> Watch(const std::vector<int>& sockets, bool trickle, double watch_seconds,
                            const std::function<void()>& meanwhile) {
    std::vector<Clock::time_point> connected(sockets.size(), Clock::now());
    auto began = Clock::now();
    std::vector<double> closed_after(sockets.size(), -1);
    std::atomic<bool> stop{false};
    std::thread watcher([&] {
      const std::string request = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n";
      size_t sent = 0;
      auto next_byte = began;
      while (!stop && Clock::now() - began < std::chrono::duration<double>(watch_seconds)) {
        for (size_t i = 0; i < sockets.size(); ++i) {
          if (closed_after[i] < 0 && ClosedByServer(sockets[i]))
            closed_after[i] = std::chrono::duration<double>(Clock::now() - connected[i]).count();
        }
        if (trickle && Clock::now() >= next_byte && sent < request.size()) {
          for (size_t i = 0; i < sockets.size(); ++i) {
            if (closed_after[i] < 0) (void)!send(sockets[i], &request[sent], 1, MSG_NOSIGNAL);
          }
          ++sent;
          next_byte += std::chrono::seconds(1);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
    meanwhile();
    watcher.join();
    for (int fd : sockets) close(fd);
    return closed_after;
  }

  static constexpr int kRequestTimeout = 10;
  std::string dir_;
  std::string log_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// A connection from `source` (a loopback address such as 127.0.0.7) to the server; -1 on failure.
int ConnectFrom(const std::string& source, int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, source.c_str(), &local.sin_addr);
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof server) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Sends one whole request on `fd` and reads its answer (the server keeps the connection open);
// true when it was a 200.
bool FastRequest(int fd) {
  const std::string request = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n";
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size()))
    return false;
  std::string answer;
  char buffer[4096];
  while (answer.find("\r\n\r\n") == std::string::npos) {
    pollfd entry{fd, POLLIN, 0};
    if (poll(&entry, 1, 10000) <= 0) return false;
    ssize_t got = recv(fd, buffer, sizeof buffer, 0);
    if (got <= 0) return false;
    answer.append(buffer, static_cast<size_t>(got));
  }
  // The health body is small: wait a moment for it so it is not read as a close later.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  (void)!recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
  return answer.rfind("HTTP/1.1 200", 0) == 0;
}

TEST_F(PlainHttpSlowClients, ANormalClientIsAnsweredWhileFiftyConnectionsTrickle) {
  StartServer(kRequestTimeout, /*keep_alive=*/2, "max_slow_connections_per_address = 8\n");
  double slowest = 0;
  std::vector<double> closed = WatchSlowConnections(50, /*trickle=*/true, kRequestTimeout + 4, [&] {
    for (int request_idx = 0; request_idx < 8; ++request_idx) {
      slowest = std::max(slowest, TimeOneRequest());
      std::this_thread::sleep_for(std::chrono::milliseconds(400));
    }
  });
  // Well before the slow connections' request timeout: the normal client did not wait for them.
  EXPECT_LT(slowest, kRequestTimeout / 2.0) << "a normal request waited for the slow connections";
  for (double seconds : closed) {
    EXPECT_GE(seconds, 0) << "a trickling connection was still open";
    EXPECT_LE(seconds, kRequestTimeout + 4) << "cut later than the request timeout";
  }
  // One address keeps 8 connections without a request head (cut at the request timeout); the
  // others are cut over the cap.
  EXPECT_GE(CutsLogged("over the per-address cap"), 42) << ::testing::PrintToString(closed);
  EXPECT_GE(CutsLogged("request timeout"), 1);
}

TEST_F(PlainHttpSlowClients, ConnectionsThatSendNothingAreCutAndKeepAliveStillServes) {
  // Keep-alive longer than the test: the silent connections are cut, not closed as idle.
  StartServer(kRequestTimeout, /*keep_alive=*/20, "max_slow_connections_per_address = 8\n");
  httplib::Client keep_alive("127.0.0.1", port_);
  keep_alive.set_keep_alive(true);
  keep_alive.set_read_timeout(10);
  std::vector<double> closed =
      WatchSlowConnections(30, /*trickle=*/false, kRequestTimeout + 4, [&] {
        for (int request_idx = 0; request_idx < 5; ++request_idx) {
          auto began = Clock::now();
          auto answer = keep_alive.Get("/api/v1/health");
          ASSERT_TRUE(answer) << httplib::to_string(answer.error());
          EXPECT_EQ(answer->status, 200);
          EXPECT_LT(std::chrono::duration<double>(Clock::now() - began).count(),
                    kRequestTimeout / 2.0);
          std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
      });
  for (double seconds : closed) {
    EXPECT_GE(seconds, 0) << "a silent connection was still open";
    EXPECT_LE(seconds, kRequestTimeout + 4);
  }
  EXPECT_GE(CutsLogged("over the per-address cap"), 22);
  EXPECT_GE(CutsLogged("request timeout"), 8);
}

// A fast first request, then a second one trickled a byte a second: the connection counts as
// slow again from its first response, so the 12 beyond the cap of 8 are cut long before the
// request timeout (they were exempt for good before).
TEST_F(PlainHttpSlowClients, AFastFirstRequestDoesNotExemptATrickledSecondOne) {
  StartServer(/*request_timeout=*/30, /*keep_alive=*/20, "max_slow_connections_per_address = 8\n");
  std::vector<int> sockets;
  for (int i = 0; i < 20; ++i) {
    int fd = ConnectRaw(port_);
    ASSERT_GE(fd, 0);
    sockets.push_back(fd);
    ASSERT_TRUE(FastRequest(fd)) << "first request " << i << " not answered";
  }
  std::vector<double> closed = Watch(sockets, /*trickle=*/true, 8, [] {});
  int cut = 0;
  for (double seconds : closed) cut += seconds >= 0 ? 1 : 0;
  EXPECT_GE(cut, 12) << ::testing::PrintToString(closed);
  EXPECT_LE(cut, 14) << "cut more than those over the cap";
  EXPECT_GE(CutsLogged("over the per-address cap"), 12);
}

// Twelve addresses, one silent connection each, none over the per-address cap: together they
// may hold only half of the 8 workers (the oldest beyond are cut), and a normal client is still
// answered. Before, they held every worker until the request timeout.
TEST_F(PlainHttpSlowClients, ManyAddressesCannotTakeEveryWorker) {
  StartServer(/*request_timeout=*/30, /*keep_alive=*/20, "max_connections = 8\n");
  std::vector<int> sockets;
  for (int i = 0; i < 12; ++i) {
    int fd = ConnectFrom("127.0.0." + std::to_string(10 + i), port_);
    ASSERT_GE(fd, 0) << "cannot connect from 127.0.0." << 10 + i << ": " << std::strerror(errno);
    sockets.push_back(fd);
  }
  int answered = 0;
  std::vector<double> closed = Watch(sockets, /*trickle=*/false, 8, [&] {
    std::this_thread::sleep_for(std::chrono::seconds(3));
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(4);
    client.set_read_timeout(4);
    auto answer = client.Get("/api/v1/health");
    if (answer && answer->status == 200) ++answered;
  });
  int cut = 0;
  for (double seconds : closed) cut += seconds >= 0 ? 1 : 0;
  EXPECT_EQ(answered, 1) << "a normal client was not answered";
  EXPECT_GE(cut, 8) << ::testing::PrintToString(closed);
  EXPECT_GE(CutsLogged("over the bound on all addresses"), 8);
  EXPECT_EQ(CutsLogged("over the per-address cap"), 0);
}

TEST_F(PlainHttpSlowClients, ANegativeCapIsRefusedNamingTheFileAndKey) {
  std::string config = dir_ + "/bad.toml";
  std::ofstream(config) << "[limits]\nmax_slow_connections_per_address = -3\n";
  std::string log = dir_ + "/bad.out";
  int code = RunEntente({"--db", entente::testing::StoreTarget(dir_ + "/store.db"), "serve",
                         "--http", "--listen", "127.0.0.1:0", "--config", config},
                        log);
  EXPECT_NE(code, 0);
  std::string text = ReadLog(log);
  EXPECT_NE(
      text.find(config + " [limits] key max_slow_connections_per_address: expected a non-negative"),
      std::string::npos)
      << text;
}

}  // namespace
}  // namespace entente::server::testing
