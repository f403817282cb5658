#include "store/sqlite/sqlite_database.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <span>
#include <unordered_map>

#include "store/sqlite/write_turns.h"

namespace entente {
namespace {

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(sqlite3* db, std::string path, int busy_timeout_ms)
      : db_(db),
        path_(std::move(path)),
        turns_(WriteTurns::For(path_)),
        busy_timeout_(busy_timeout_ms) {}
  ~SqliteDatabase() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    if (in_tx_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    EndTurn();
    sqlite3_close_v2(db_);
  }

  DatabaseBackend backend() const override { return DatabaseBackend::kSqlite; }

  Status Execute(std::string_view sql, const std::vector<SqlValue>& params) override {
    return Run(sql, params, nullptr);
  }

  Status ExecuteView(std::string_view sql, std::span<const SqlParam> params) override {
    return Run(sql, params, nullptr);
  }

  Status QueryEachView(std::string_view sql, std::span<const SqlParam> params,
                       const std::function<bool(const SqlRow&)>& on_row) override {
    return Run(sql, params, on_row);
  }

  Status QueryEach(std::string_view sql, const std::vector<SqlValue>& params,
                   const std::function<bool(const SqlRow&)>& on_row) override {
    return Run(sql, params, on_row);
  }

  Status ExecuteScript(std::string_view sql) override {
    char* err = nullptr;
    std::string text(sql);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string message = err ? err : "unknown error";
      sqlite3_free(err);
      return Translate(sqlite3_extended_errcode(db_), message);
    }
    return Status::Ok();
  }

  int64_t ChangedRows() override { return sqlite3_changes64(db_); }

  Status BeginWrite() override {
    if (in_tx_) return InvalidArgument("nested transactions are not supported");
    if (turns_ && !turns_->Take(std::chrono::milliseconds(busy_timeout_))) {
      return Unavailable(path_ + ": another writer of this process held the store for more than " +
                         std::to_string(busy_timeout_) + " ms; try again");
    }
    has_turn_ = turns_ != nullptr;
    Status begun = Begin("BEGIN IMMEDIATE");
    if (!begun.ok()) EndTurn();
    return begun;
  }
  Status BeginRead() override { return Begin("BEGIN"); }
  Status Commit() override {
    if (!in_tx_) return InvalidArgument("commit without a transaction");
    Status s = ExecuteScript("COMMIT");
    if (s.ok()) {
      in_tx_ = false;
      EndTurn();
    }
    return s;
  }
  Status Rollback() override {
    if (!in_tx_) return Status::Ok();
    in_tx_ = false;
    Status s = ExecuteScript("ROLLBACK");
    EndTurn();
    return s;
  }
  bool InTransaction() const override { return in_tx_; }

 private:
  Status Begin(const char* sql) {
    if (in_tx_) return InvalidArgument("nested transactions are not supported");
    ENTENTE_RETURN_IF_ERROR(ExecuteScript(sql));
    in_tx_ = true;
    return Status::Ok();
  }

  // Ends this connection's write turn, if it holds one (write_turns.h).
  void EndTurn() {
    if (!has_turn_) return;
    has_turn_ = false;
    turns_->Give();
  }

  Status Translate(int code, const std::string& message) {
    int primary = code & 0xff;
    std::string where = path_ + ": " + message;
    switch (primary) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return Unavailable(where + " (another process is writing; try again)");
      case SQLITE_CONSTRAINT:
        return Conflict(where);
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        return Corruption(where);
      case SQLITE_ERROR:
      case SQLITE_MISMATCH:
      case SQLITE_RANGE:
        return InvalidArgument(where);
      default:
        return IOError(where);
    }
  }

  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second;
    std::string key(sql);
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return Translate(rc, sqlite3_errmsg(db_));
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  // Binds parameter `index` (1-based) from either kind of value.
  static int Bind(sqlite3_stmt* stmt, int index, const SqlValue& v) {
    if (auto p = std::get_if<int64_t>(&v)) return sqlite3_bind_int64(stmt, index, *p);
    if (auto p = std::get_if<double>(&v)) return sqlite3_bind_double(stmt, index, *p);
    if (auto p = std::get_if<std::string>(&v))
      return sqlite3_bind_text64(stmt, index, p->data(), p->size(), SQLITE_STATIC, SQLITE_UTF8);
    return sqlite3_bind_null(stmt, index);
  }
  static int Bind(sqlite3_stmt* stmt, int index, const SqlParam& v) {
    if (auto p = std::get_if<int64_t>(&v)) return sqlite3_bind_int64(stmt, index, *p);
    if (auto p = std::get_if<double>(&v)) return sqlite3_bind_double(stmt, index, *p);
    if (auto p = std::get_if<std::string_view>(&v))
      return sqlite3_bind_text64(stmt, index, p->data() ? p->data() : "", p->size(), SQLITE_STATIC,
                                 SQLITE_UTF8);
    return sqlite3_bind_null(stmt, index);
  }

  template <typename Params>
  Status Run(std::string_view sql, const Params& params,
             const std::function<bool(const SqlRow&)>& on_row) {
    ENTENTE_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt))
      return InvalidArgument("SQL expects " + std::to_string(sqlite3_bind_parameter_count(stmt)) +
                             " parameters, got " + std::to_string(params.size()));
    for (size_t i = 0; i < params.size(); ++i) {
      int rc = Bind(stmt, static_cast<int>(i + 1), params[i]);
      if (rc != SQLITE_OK) return Translate(rc, sqlite3_errmsg(db_));
    }
    SqlRow row;
    while (true) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return Translate(sqlite3_extended_errcode(db_), sqlite3_errmsg(db_));
      if (!on_row) continue;
      int columns = sqlite3_column_count(stmt);
      row.values.resize(columns);
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER:
            row.values[c] = int64_t{sqlite3_column_int64(stmt, c)};
            break;
          case SQLITE_FLOAT:
            row.values[c] = sqlite3_column_double(stmt, c);
            break;
          case SQLITE_NULL:
            row.values[c] = std::monostate{};
            break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_blob(stmt, c));
            int size = sqlite3_column_bytes(stmt, c);
            row.values[c] = std::string(text ? text : "", static_cast<size_t>(size));
          }
        }
      }
      if (!on_row(row)) return Status::Ok();
    }
  }

  sqlite3* db_;
  std::string path_;
  std::shared_ptr<WriteTurns> turns_;  // null for an in-memory database
  int busy_timeout_;                   // ms, also how long BeginWrite waits for its turn
  bool has_turn_ = false;
  // Keyed by SQL text; looked up by string_view without building a key.
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> cache_;
  bool in_tx_ = false;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path, int busy_timeout_ms) {
  // A new store file is readable by its owner only (SQLite gives its -wal and -shm files the
  // same mode): it holds intelligence, and the umask of whoever started the process decides
  // nothing here.
  if (!path.empty() && path[0] != ':' && path.rfind("file:", 0) != 0) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return IOError(path + ": cannot open SQLite database: " + message);
  }
  sqlite3_busy_timeout(db, busy_timeout_ms);
  auto database = std::make_unique<SqliteDatabase>(db, path, busy_timeout_ms);
  // WAL lets readers run beside the writer; NORMAL sync is durable at each checkpoint and
  // never corrupts on a crash (a kill -9 loses at most the transaction in flight).
  Status s = database->ExecuteScript(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
      "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;");
  if (!s.ok()) {
    if (s.code() == StatusCode::kCorruption || s.code() == StatusCode::kInvalidArgument)
      return Corruption(path + ": not a SQLite database or damaged (" + s.message() + ")");
    return s;
  }
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace entente
