#include "store/postgres/postgres_change_signal.h"

#include <libpq-fe.h>
#include <poll.h>

#include <thread>

#include "store/postgres/postgres_database.h"

namespace entente {
namespace {

class PostgresChangeSignal final : public ChangeSignal {
 public:
  PostgresChangeSignal(PGconn* conn, std::string channel)
      : conn_(conn), listen_sql_("LISTEN " + std::move(channel)) {}
  ~PostgresChangeSignal() override { PQfinish(conn_); }

  bool wakes() const override { return true; }

  bool Wait(std::chrono::milliseconds timeout) override {
    if (PQstatus(conn_) != CONNECTION_OK) return Reconnect(timeout);
    if (Drain()) return true;  // arrived with an earlier read
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    int ready = poll(&fd, 1, static_cast<int>(timeout.count()));
    if (ready <= 0) return false;
    if (PQconsumeInput(conn_) == 0 || PQstatus(conn_) != CONNECTION_OK) {
      // The connection is gone (PostgreSQL stopped): wake the follower once to poll, and make
      // the connection again from the next call on.
      PQreset(conn_);
      return Relisten();
    }
    return Drain();
  }

  Status Listen() {
    PGresult* res = PQexec(conn_, listen_sql_.c_str());
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    std::string message = ok ? "" : PQresultErrorMessage(res);
    PQclear(res);
    if (!ok) return Unavailable("LISTEN failed: " + message);
    return Status::Ok();
  }

 private:
  // True when at least one notification was waiting; frees them all.
  bool Drain() {
    bool any = false;
    while (PGnotify* note = PQnotifies(conn_)) {
      any = true;
      PQfreemem(note);
    }
    return any;
  }

  // Between attempts the follower still polls the feed on its own schedule: sleep out the
  // timeout when PostgreSQL is still away, so that a down server costs one try per Wait().
  bool Reconnect(std::chrono::milliseconds timeout) {
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::this_thread::sleep_for(timeout);
      return false;
    }
    return Relisten();
  }
  bool Relisten() {
    if (PQstatus(conn_) != CONNECTION_OK) return false;
    return Listen().ok();  // true: changes made while away were not notified; catch up
  }

  PGconn* conn_;
  std::string listen_sql_;
};

}  // namespace

Result<std::unique_ptr<ChangeSignal>> ListenPostgres(const std::string& conninfo,
                                                     const std::string& channel) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    return Unavailable(RedactedTarget(conninfo) + ": cannot connect to PostgreSQL: " + message);
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  auto signal = std::make_unique<PostgresChangeSignal>(conn, channel);
  Status listening = signal->Listen();
  if (!listening.ok()) return Unavailable(RedactedTarget(conninfo) + ": " + listening.message());
  return std::unique_ptr<ChangeSignal>(std::move(signal));
}

}  // namespace entente
