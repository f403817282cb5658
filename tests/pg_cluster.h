// The one starter of private PostgreSQL 15 clusters for tests: initdb into a folder under /tmp,
// the server listening on a unix socket in that folder only (no TCP), durability off (a test
// cluster is thrown away). Runs the server as the `postgres` system user when the tests run as
// root, since PostgreSQL refuses to run as root. Header-only and without libraries (it drives
// the PostgreSQL programs), so every test binary and the ctest fixture program can use it.
//
//   PgCluster cluster;                       // a fresh folder /tmp/entente-pg-<hex>
//   if (!cluster.Start(&why)) GTEST_SKIP() << why;
//   Database::Open(cluster.ConnInfo());      // the database "entente_test"
//   cluster.Psql("postgres", "CREATE DATABASE x");
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
  static constexpr int kPort = 5432;  // names the socket file only: nothing listens on TCP

  // A cluster in a fresh folder /tmp/entente-pg-<hex>, removed by Stop().
  PgCluster() : PgCluster("/tmp/entente-pg-" + RandomHex(4), /*owned=*/true) {}
  // A cluster in `dir`: Start() creates it there (wiping a leftover one), Attach() uses one
  // that another process started. Stop() leaves the folder to whoever passed it, unless owned.
  PgCluster(std::string dir, bool owned) : dir_(std::move(dir)), owned_(owned) {}

  // Returns false (and a reason) when PostgreSQL is not installed or fails to start.
  bool Start(std::string* why) {
    if (!std::filesystem::exists(std::string(kBin) + "/initdb")) {
      *why = "PostgreSQL 15 server binaries not installed (apt-get install postgresql-15)";
      return false;
    }
    if (std::filesystem::exists(dir_ + "/data")) Pg("-D " + dir_ + "/data -m immediate stop");
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    std::filesystem::create_directories(dir_);
    if (geteuid() == 0) Run("chown postgres " + dir_);
    if (Run(As() + kBin + "/initdb -A trust -U entente -E UTF8 --locale=C.UTF-8 -D " + dir_ +
            "/data > " + dir_ + "/initdb.log 2>&1") != 0) {
      *why = "initdb failed (see " + dir_ + "/initdb.log)";
      return false;
    }
    if (!Up()) {
      *why = "pg_ctl start failed (see " + dir_ + "/pg.log)";
      return false;
    }
    started_ = true;
    if (!Psql("postgres", "CREATE DATABASE entente_test")) {
      *why = "createdb failed (see " + dir_ + "/pg.log)";
      return false;
    }
    return true;
  }

  // Uses a cluster another process started in this folder; false when none answers.
  bool Attach(std::string* why) {
    if (Run(std::string(kBin) + "/pg_isready -q -h " + dir_ + " -p " + std::to_string(kPort)) !=
        0) {
      *why = "no PostgreSQL test cluster answers in " + dir_;
      return false;
    }
    return true;
  }

  // Stops the server (fast, keeping the data) and starts it again: for the tests of what the
  // servers do while PostgreSQL is away. Up() returns once it accepts connections.
  void Down() { Pg("-D " + dir_ + "/data -m fast stop"); }
  bool Up() {
    return Pg("-D " + dir_ + "/data -l " + dir_ + "/pg.log -w -o \"-p " + std::to_string(kPort) +
              " -k " + dir_ +
              " -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
              " -c full_page_writes=off -c max_connections=300\" start") == 0;
  }

  void Stop() {
    if (started_) Pg("-D " + dir_ + "/data -m immediate stop");
    started_ = false;
    if (owned_) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  // An owned cluster is stopped and removed; one in a folder the caller named keeps running.
  ~PgCluster() {
    if (owned_) Stop();
  }

  // A libpq connection string for `dbname` (no spaces or quotes: safe as one shell word).
  std::string ConnInfo(const std::string& dbname = "entente_test") const {
    return "postgresql:///" + dbname + "?host=" + dir_ + "&port=" + std::to_string(kPort) +
           "&user=entente";
  }

  // Runs one SQL command in `dbname` with psql; true when it succeeded.
  bool Psql(const std::string& dbname, const std::string& sql) const {
    return Run("psql -X -q -v ON_ERROR_STOP=1 '" + ConnInfo(dbname) + "' -c \"" + sql +
               "\" > /dev/null 2>> " + dir_ + "/psql.log") == 0;
  }

  const std::string& dir() const { return dir_; }

 private:
  static int Run(const std::string& command) { return std::system(command.c_str()); }
  static std::string As() { return geteuid() == 0 ? "runuser -u postgres -- " : ""; }
  static int Pg(const std::string& args) {
    return Run(As() + kBin + "/pg_ctl " + args + " > /dev/null 2>&1");
  }
  std::string dir_;
  bool owned_ = true;
  bool started_ = false;
};

}  // namespace entente::testing
