// Starts a private PostgreSQL 15 cluster for a test suite (initdb into a temp dir, a unix
// socket in that dir, a free port), and stops it at the end. Runs the server as the
// `postgres` system user when the tests run as root (PostgreSQL refuses to run as root).
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "common/ids.h"

namespace entente::testing {

class PgCluster {
 public:
  static constexpr const char* kBin = "/usr/lib/postgresql/15/bin";

  // Returns false (and a reason) when PostgreSQL is not installed or fails to start.
  bool Start(std::string* why) {
    if (!std::filesystem::exists(std::string(kBin) + "/initdb")) {
      *why = "PostgreSQL 15 server binaries not installed";
      return false;
    }
    dir_ = "/tmp/entente-pg-" + RandomHex(4);
    std::filesystem::create_directories(dir_);
    port_ = 20000 + static_cast<int>(getpid() % 20000);
    std::string as = geteuid() == 0 ? "runuser -u postgres -- " : "";
    if (geteuid() == 0) Run("chown postgres " + dir_);
    if (Run(as + kBin + "/initdb -A trust -U entente -D " + dir_ + "/data > " + dir_ +
            "/initdb.log 2>&1") != 0) {
      *why = "initdb failed (see " + dir_ + "/initdb.log)";
      return false;
    }
    if (Run(as + kBin + "/pg_ctl -D " + dir_ + "/data -l " + dir_ + "/pg.log -w -o \"-p " +
            std::to_string(port_) + " -k " + dir_ +
            " -c listen_addresses=''\" start > /dev/null 2>&1") != 0) {
      *why = "pg_ctl start failed (see " + dir_ + "/pg.log)";
      return false;
    }
    started_ = true;
    if (Run(as + kBin + "/createdb -h " + dir_ + " -p " + std::to_string(port_) +
            " -U entente entente_test") != 0) {
      *why = "createdb failed";
      return false;
    }
    return true;
  }

  void Stop() {
    if (!started_) return;
    std::string as = geteuid() == 0 ? "runuser -u postgres -- " : "";
    Run(as + kBin + "/pg_ctl -D " + dir_ + "/data -m immediate stop > /dev/null 2>&1");
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    started_ = false;
  }

  ~PgCluster() { Stop(); }

  // A libpq connection string for the test database.
  std::string ConnInfo(const std::string& dbname = "entente_test") const {
    return "host=" + dir_ + " port=" + std::to_string(port_) + " user=entente dbname=" + dbname;
  }

 private:
  static int Run(const std::string& command) { return std::system(command.c_str()); }
  std::string dir_;
  int port_ = 0;
  bool started_ = false;
};

}  // namespace entente::testing
