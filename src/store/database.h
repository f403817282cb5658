// A thin, portable SQL connection: the one door through which every subsystem reaches its
// tables, so that the SQLite default and the PostgreSQL back end run the same code.
//
// SQL is written once with `?` placeholders; the PostgreSQL back end rewrites them to `$1..$n`.
// Schema text may use these tokens, replaced per back end by ApplyMigrations():
//   {{SERIAL_PK}}  an auto-increment 64-bit primary key column type
//   {{BLOB}}       a binary column type
//   {{INT64_PK}}   a 64-bit primary key the caller assigns (SQLite: the rowid itself)
//   {{STRING_AGG}} the aggregate joining strings with a separator: f(expr, separator)
// Use RETURNING to get generated keys (both back ends support it).
//
// Thread-safety: a Database is one connection; use it from one thread at a time. Open one per
// thread (SQLite in WAL mode lets readers run beside the one writer).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace entente {

using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;
// A parameter that refers to caller-owned data instead of holding a copy: for hot paths that
// bind many values (bulk writes). The data must stay alive for the duration of the call.
using SqlParam = std::variant<std::monostate, int64_t, double, std::string_view>;

// One result row. Accessors convert: Int() of a NULL is 0, Text() of a NULL is "".
class SqlRow {
 public:
  std::vector<SqlValue> values;
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(values.at(i)); }
  int64_t Int(size_t i) const;
  double Real(size_t i) const;
  std::string Text(size_t i) const;
};

enum class DatabaseBackend { kSqlite, kPostgres };

class Database {
 public:
  virtual ~Database() = default;

  // Opens `target`: a file path for SQLite (created if missing), or a "postgresql://..." /
  // "postgres://..." URI or "host=... dbname=..." string for PostgreSQL.
  // SQLite is opened in WAL mode with a busy timeout, so a second writing process waits for
  // the first (up to `busy_timeout_ms`) and then fails with Unavailable, never corrupting data.
  static Result<std::unique_ptr<Database>> Open(const std::string& target,
                                                int busy_timeout_ms = 30000);

  virtual DatabaseBackend backend() const = 0;
  // Runs one statement with parameters. Errors: Conflict on a constraint violation,
  // Unavailable when locked, InvalidArgument on bad SQL, IOError otherwise.
  virtual Status Execute(std::string_view sql, const std::vector<SqlValue>& params = {}) = 0;
  // Runs one statement and returns all rows (QueryEach() collecting them).
  Result<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params = {});
  // Streams rows to `on_row` until it returns false. For large scans.
  virtual Status QueryEach(std::string_view sql, const std::vector<SqlValue>& params,
                           const std::function<bool(const SqlRow&)>& on_row) = 0;
  // The same as Execute() and QueryEach() with parameters that are not copied. Statements are
  // prepared once per SQL text and reused, so callers should keep the set of texts small.
  virtual Status ExecuteView(std::string_view sql, std::span<const SqlParam> params) = 0;
  virtual Status QueryEachView(std::string_view sql, std::span<const SqlParam> params,
                               const std::function<bool(const SqlRow&)>& on_row) = 0;
  // Appends `rows` rows to `table` by the fastest path the back end has for plain inserts:
  // PostgreSQL streams them with one COPY FROM STDIN; SQLite (the default here) runs multi-row
  // INSERTs of prepared shapes. `bind(row, out)` appends row `row`'s values, one per column of
  // `columns`, in order. All or nothing, and no upsert: a row whose key exists fails the whole
  // call with Conflict, a row given the wrong number of values with Internal, and none of the
  // rows stay (in a transaction, the transaction is then lost, as after any failed statement).
  // Triggers fire as for INSERT. ChangedRows() afterwards is not defined.
  using RowBinder = std::function<void(size_t row, std::vector<SqlParam>* out)>;
  virtual Status InsertRows(std::string_view table, std::span<const std::string_view> columns,
                            size_t rows, const RowBinder& bind);
  // Runs several statements without parameters (schema scripts).
  virtual Status ExecuteScript(std::string_view sql) = 0;
  // Rows changed by the last Execute().
  virtual int64_t ChangedRows() = 0;

  // Transactions. BeginWrite takes the write lock at once (SQLite BEGIN IMMEDIATE), so two
  // writers never deadlock half-way. Nesting is not supported: InvalidArgument.
  virtual Status BeginWrite() = 0;
  virtual Status BeginRead() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  virtual bool InTransaction() const = 0;

  // Replaces the {{...}} tokens above for this back end.
  std::string Dialect(std::string_view sql) const;
};

// Commits on Commit(); rolls back when destroyed without it. Use for every multi-statement
// write so that a failure (or a kill -9) leaves the store as it was.
class Transaction {
 public:
  // Begins a write transaction; check status() before use.
  explicit Transaction(Database* db, bool write = true);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  const Status& status() const { return begin_status_; }
  Status Commit();

 private:
  Database* db_;
  Status begin_status_;
  bool done_ = false;
};

}  // namespace entente
