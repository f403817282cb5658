// Slow clients on plain HTTP (`entente serve --http`), with real sockets against a real server
// process: connections that trickle a request one byte a second, or send nothing, are cut (over
// the per-address cap at once, the rest at the request timeout), and meanwhile a normal client
// is answered at once, on a keep-alive connection too.
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
#include <fstream>
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
  void SetUp() override {
    dir_ = entente::testing::MakeTempDir("entente-slow-clients");
    std::string config = dir_ + "/serve.toml";
    std::ofstream(config) << "[limits]\nrequest_timeout_seconds = " << kRequestTimeout
                          << "\nkeep_alive_seconds = 2\n";
    std::string out = dir_ + "/serve.out";
    pid_ = SpawnEntente({"--db", entente::testing::StoreTarget(dir_ + "/store.db"), "serve",
                         "--http", "--listen", "127.0.0.1:0", "--config", config},
                        out, out + ".err");
    std::smatch found;
    std::regex serving("serving on http://127\\.0\\.0\\.1:([0-9]+)");
    for (int i = 0; i < 600; ++i) {
      std::string log = ReadLog(out);
      if (std::regex_search(log, found, serving)) {
        port_ = std::stoi(found[1].str());
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_GT(port_, 0) << ReadLog(out) << ReadLog(out + ".err");
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
    std::vector<Clock::time_point> connected;
    for (int i = 0; i < count; ++i) {
      int fd = ConnectRaw(port_);
      EXPECT_GE(fd, 0);
      if (fd < 0) continue;
      sockets.push_back(fd);
      connected.push_back(Clock::now());
    }
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

  static constexpr int kRequestTimeout = 3;
  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

TEST_F(PlainHttpSlowClients, ANormalClientIsAnsweredAtOnceWhileFiftyConnectionsTrickle) {
  double slowest = 0;
  std::vector<double> closed = WatchSlowConnections(50, /*trickle=*/true, kRequestTimeout + 4, [&] {
    for (int request_idx = 0; request_idx < 8; ++request_idx) {
      slowest = std::max(slowest, TimeOneRequest());
      std::this_thread::sleep_for(std::chrono::milliseconds(400));
    }
  });
  EXPECT_LT(slowest, 1.0) << "a normal request waited for the slow connections";
  int cut_early = 0;
  for (double seconds : closed) {
    EXPECT_GE(seconds, 0) << "a trickling connection was still open";
    EXPECT_LE(seconds, kRequestTimeout + 1.5) << "cut later than the request timeout";
    if (seconds >= 0 && seconds < kRequestTimeout - 0.5) ++cut_early;
  }
  // One address keeps 8 connections without a whole request (cut at the request timeout); the
  // others go after a second.
  EXPECT_GE(cut_early, 42) << ::testing::PrintToString(closed);
}

TEST_F(PlainHttpSlowClients, ConnectionsThatSendNothingAreCutAndKeepAliveStillServes) {
  httplib::Client keep_alive("127.0.0.1", port_);
  keep_alive.set_keep_alive(true);
  std::vector<double> closed =
      WatchSlowConnections(30, /*trickle=*/false, kRequestTimeout + 3, [&] {
        for (int request_idx = 0; request_idx < 5; ++request_idx) {
          auto began = Clock::now();
          auto answer = keep_alive.Get("/api/v1/health");
          ASSERT_TRUE(answer) << httplib::to_string(answer.error());
          EXPECT_EQ(answer->status, 200);
          EXPECT_LT(std::chrono::duration<double>(Clock::now() - began).count(), 1.0);
          std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
      });
  for (double seconds : closed) {
    EXPECT_GE(seconds, 0) << "a silent connection was still open";
    EXPECT_LE(seconds, kRequestTimeout + 2);
  }
}

}  // namespace
}  // namespace entente::server::testing
