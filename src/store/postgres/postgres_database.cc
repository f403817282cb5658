#include "store/postgres/postgres_database.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <span>
#include <type_traits>
#include <unordered_map>

namespace entente {

std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out.push_back(c);
    } else if (c == '\'' || c == '"') {
      quote = c;
      out.push_back(c);
    } else if (c == '?') {
      out.push_back('$');
      out.append(std::to_string(++n));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string RedactedTarget(const std::string& conninfo) {
  // Keep scheme/host/db, drop anything that looks like a password.
  std::string out = conninfo;
  size_t at = out.find('@');
  size_t scheme = out.find("://");
  if (at != std::string::npos && scheme != std::string::npos && at > scheme)
    out = out.substr(0, scheme + 3) + "***" + out.substr(at);
  size_t pw = out.find("password=");
  if (pw != std::string::npos) {
    size_t end = out.find(' ', pw);
    out.replace(pw, (end == std::string::npos ? out.size() : end) - pw, "password=***");
  }
  return out;
}

namespace {

// Type OIDs from pg_type.
constexpr Oid kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kFloat4Oid = 700,
              kFloat8Oid = 701, kNumericOid = 1700;

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(PGconn* conn, std::string target) : conn_(conn), target_(std::move(target)) {}
  ~PostgresDatabase() override { PQfinish(conn_); }

  DatabaseBackend backend() const override { return DatabaseBackend::kPostgres; }

  Status Execute(std::string_view sql, const std::vector<SqlValue>& params) override {
    return Run(sql, params, nullptr);
  }
  Status QueryEach(std::string_view sql, const std::vector<SqlValue>& params,
                   const std::function<bool(const SqlRow&)>& on_row) override {
    return Run(sql, params, on_row);
  }
  Status ExecuteView(std::string_view sql, std::span<const SqlParam> params) override {
    return Run(sql, params, nullptr);
  }
  Status QueryEachView(std::string_view sql, std::span<const SqlParam> params,
                       const std::function<bool(const SqlRow&)>& on_row) override {
    return Run(sql, params, on_row);
  }
  Status ExecuteScript(std::string_view sql) override {
    std::string text(sql);
    Reconnect();
    Status s = Exec(text);
    if (!s.ok() && Retryable(text)) s = Exec(text);
    return s;
  }
  int64_t ChangedRows() override { return changed_; }

  Status InsertRows(std::string_view table, std::span<const std::string_view> columns,
                    size_t rows, const RowBinder& bind) override {
    if (rows == 0) return Status::Ok();
    std::string copy = "COPY " + std::string(table) + " (";
    for (size_t c = 0; c < columns.size(); ++c) {
      if (c) copy += ", ";
      copy += columns[c];
    }
    copy += ") FROM STDIN";
    Reconnect();
    PGresult* res = PQexec(conn_, copy.c_str());
    if (PQresultStatus(res) != PGRES_COPY_IN) {
      Status s = Check(res);
      PQclear(res);
      return s.ok() ? Internal(copy + ": the server did not start the copy") : s;
    }
    PQclear(res);
    std::string refused = StreamRows(columns.size(), rows, bind);
    if (PQputCopyEnd(conn_, refused.empty() ? nullptr : refused.c_str()) != 1)
      return Unavailable(target_ + ": connection to PostgreSQL lost during a copy");
    Status status;
    while (PGresult* result = PQgetResult(conn_)) {
      Status s = Check(result);
      if (status.ok()) status = s;
      PQclear(result);
    }
    if (!refused.empty()) return Internal(std::string(table) + ": " + refused);
    return status;
  }

  Status BeginWrite() override { return Begin("BEGIN ISOLATION LEVEL READ COMMITTED"); }
  Status BeginRead() override { return Begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); }
  Status Commit() override {
    if (!in_tx_) return InvalidArgument("commit without a transaction");
    in_tx_ = false;
    // Never on a new connection: there COMMIT would "succeed" with nothing to commit.
    if (PQstatus(conn_) != CONNECTION_OK)
      return Unavailable(target_ + ": connection to PostgreSQL lost; the transaction was lost");
    return Exec("COMMIT");
  }
  Status Rollback() override {
    if (!in_tx_) return Status::Ok();
    in_tx_ = false;
    if (PQstatus(conn_) != CONNECTION_OK) return Status::Ok();  // PostgreSQL rolled it back
    return Exec("ROLLBACK");
  }
  bool InTransaction() const override { return in_tx_; }

 private:
  // After PostgreSQL restarted (or a network cut), the connection is bad: outside a
  // transaction, open a new one, so that the server recovers without a restart of its own. In a
  // transaction the error stands (the transaction is lost); Unavailable, answered 503.
  bool Reconnect() {
    if (in_tx_ || PQstatus(conn_) == CONNECTION_OK) return false;
    PQreset(conn_);
    statements_.clear();  // a new session has none of them
    return PQstatus(conn_) == CONNECTION_OK;
  }
  // A statement that failed because the connection was gone may be sent again on a new one when
  // it changes nothing by itself: BEGIN, or a read outside a transaction.
  bool Retryable(std::string_view sql) {
    if (in_tx_ || PQstatus(conn_) == CONNECTION_OK) return false;
    bool harmless = sql.rfind("BEGIN", 0) == 0 || sql.rfind("SELECT", 0) == 0;
    return harmless && Reconnect();
  }

  Status Exec(const std::string& text) {
    PGresult* res = PQexec(conn_, text.c_str());
    Status s = Check(res);
    PQclear(res);
    return s;
  }

  Status Begin(const char* sql) {
    if (in_tx_) return InvalidArgument("nested transactions are not supported");
    ENTENTE_RETURN_IF_ERROR(ExecuteScript(sql));
    in_tx_ = true;
    return Status::Ok();
  }

  Status Check(PGresult* res) {
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
      const char* tuples = PQcmdTuples(res);
      changed_ = tuples && *tuples ? std::atoll(tuples) : 0;
      return Status::Ok();
    }
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    std::string message = target_ + ": " + PQresultErrorMessage(res);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
      message.pop_back();
    std::string code = state ? state : "";
    if (code.rfind("23", 0) == 0) return Conflict(message);
    if (code == "40001" || code == "40P01" || code == "55P03") return Unavailable(message);
    // Connection lost (08...), server shutting down or restarted (57P01..57P03).
    if (code.rfind("08", 0) == 0 || code.rfind("57P", 0) == 0) return Unavailable(message);
    if (code.rfind("42", 0) == 0 || code.rfind("22", 0) == 0) return InvalidArgument(message);
    if (PQstatus(conn_) != CONNECTION_OK) return Unavailable(message);
    return IOError(message);
  }

  // Text form of one parameter into *out; false for NULL. libpq wants NUL-terminated text.
  template <typename Value>
  static bool ParamText(const Value& v, std::string* out) {
    return std::visit(
        [out](const auto& x) -> bool {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            return false;
          } else if constexpr (std::is_same_v<T, int64_t>) {
            *out = std::to_string(x);
          } else if constexpr (std::is_same_v<T, double>) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.17g", x);
            *out = buf;
          } else {
            out->assign(x.data() ? x.data() : "", x.size());
          }
          return true;
        },
        v);
  }

  template <typename Params>
  Status Run(std::string_view sql, const Params& params,
             const std::function<bool(const SqlRow&)>& on_row) {
    std::string text = RewritePlaceholders(sql);
    std::vector<std::string> storage(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i)
      if (ParamText(params[i], &storage[i])) values[i] = storage[i].c_str();
    Reconnect();
    const int n = static_cast<int>(params.size());
    PGresult* res = Send(text, n, values.data());
    Status s = Check(res);
    if (!s.ok() && Retryable(text)) {
      PQclear(res);
      res = Send(text, n, values.data());
      s = Check(res);
    }
    // A plan gone stale under a prepared statement fails before anything runs: outside a
    // transaction the statement is sent again, prepared afresh.
    if (!s.ok() && Forget(text, res) && !in_tx_) {
      PQclear(res);
      res = Send(text, n, values.data());
      s = Check(res);
    }
    if (s.ok() && on_row && PQresultStatus(res) == PGRES_TUPLES_OK) {
      int rows = PQntuples(res), cols = PQnfields(res);
      SqlRow row;
      row.values.resize(cols);
      for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
          if (PQgetisnull(res, r, c)) {
            row.values[c] = std::monostate{};
            continue;
          }
          const char* v = PQgetvalue(res, r, c);
          switch (PQftype(res, c)) {
            case kInt2Oid:
            case kInt4Oid:
            case kInt8Oid:
              row.values[c] = int64_t{std::atoll(v)};
              break;
            case kBoolOid:
              row.values[c] = int64_t{v[0] == 't' ? 1 : 0};
              break;
            case kFloat4Oid:
            case kFloat8Oid:
            case kNumericOid:
              row.values[c] = std::strtod(v, nullptr);
              break;
            default:
              row.values[c] = std::string(v, PQgetlength(res, r, c));
          }
        }
        if (!on_row(row)) break;
      }
    }
    PQclear(res);
    return s;
  }

  // Sends the rows of a COPY in its text format, about kCopyChunk bytes at a time. Returns why
  // the rows were refused (a row with the wrong number of values, a lost connection), or "".
  static constexpr size_t kCopyChunk = 1 << 18;
  std::string StreamRows(size_t columns, size_t rows, const RowBinder& bind) {
    std::string buffer;
    std::vector<SqlParam> values;
    for (size_t row = 0; row < rows; ++row) {
      values.clear();
      bind(row, &values);
      if (values.size() != columns)
        return "row " + std::to_string(row + 1) + " has " + std::to_string(values.size()) +
               " values for " + std::to_string(columns) + " columns";
      for (size_t c = 0; c < columns; ++c) {
        if (c) buffer.push_back('\t');
        AppendCopyField(values[c], &buffer);
      }
      buffer.push_back('\n');
      if (buffer.size() >= kCopyChunk || row + 1 == rows) {
        if (PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) != 1)
          return "connection to PostgreSQL lost during a copy";
        buffer.clear();
      }
    }
    return "";
  }

  // One value in COPY's text format: NULL as \N; in text, backslash, tab, newline and carriage
  // return escaped, the rest as is.
  static void AppendCopyField(const SqlParam& value, std::string* out) {
    if (std::holds_alternative<std::monostate>(value)) {
      *out += "\\N";
    } else if (const int64_t* n = std::get_if<int64_t>(&value)) {
      char digits[24];
      auto end = std::to_chars(digits, digits + sizeof digits, *n).ptr;
      out->append(digits, end);
    } else if (const double* x = std::get_if<double>(&value)) {
      char digits[64];
      int n = std::snprintf(digits, sizeof digits, "%.17g", *x);
      out->append(digits, static_cast<size_t>(n));
    } else {
      std::string_view text = std::get<std::string_view>(value);
      size_t from = 0;
      for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c != '\\' && c != '\t' && c != '\n' && c != '\r') continue;
        out->append(text.data() + from, i - from);
        out->push_back('\\');
        out->push_back(c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\');
        from = i + 1;
      }
      out->append(text.data() + from, text.size() - from);
    }
  }

  // Statements are prepared on their second use and kept for the connection's life (at most
  // kMaxStatements texts are tracked; others always go unprepared), so that a statement the
  // server runs on every request is parsed and planned once per connection, not every time.
  // Each is prepared again every kReplanEvery runs: PostgreSQL may settle on a generic plan made
  // when a table was nearly empty (a scan), which a bulk write growing that table in one
  // transaction would otherwise keep using.
  static constexpr size_t kMaxStatements = 512;
  static constexpr int64_t kReplanEvery = 64;
  struct Statement {
    std::string name;  // empty until prepared
    int64_t runs = 0;  // since it was prepared
  };

  PGresult* Send(const std::string& text, int n, const char* const* values) {
    auto it = statements_.find(text);
    if (it == statements_.end()) {
      if (statements_.size() < kMaxStatements) statements_.emplace(text, Statement{});
      return PQexecParams(conn_, text.c_str(), n, nullptr, values, nullptr, nullptr, 0);
    }
    Statement& statement = it->second;
    if (!statement.name.empty() && statement.runs >= kReplanEvery &&
        PQtransactionStatus(conn_) != PQTRANS_INERROR) {
      Deallocate(statement.name);
      statement = Statement{};
    }
    if (statement.name.empty()) {
      std::string name = "entente_" + std::to_string(++prepared_);
      PGresult* prepared = PQprepare(conn_, name.c_str(), text.c_str(), n, nullptr);
      // A statement that cannot be prepared would not run either: its error is the answer.
      if (PQresultStatus(prepared) != PGRES_COMMAND_OK) return prepared;
      PQclear(prepared);
      statement.name = std::move(name);
    }
    ++statement.runs;
    return PQexecPrepared(conn_, statement.name.c_str(), n, values, nullptr, nullptr, 0);
  }

  void Deallocate(const std::string& name) {
    std::string deallocate = "DEALLOCATE " + name;
    PQclear(PQexec(conn_, deallocate.c_str()));
  }

  // After an error that a prepared statement may have caused ("cached plan must not change
  // result type" once a table changed under it, or a session reset by a pooler), the text is
  // prepared afresh on its next use.
  // Returns whether it forgot a prepared statement.
  bool Forget(const std::string& text, PGresult* res) {
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    std::string code = state ? state : "";
    if (code != "0A000" && code != "26000") return false;
    auto it = statements_.find(text);
    if (it == statements_.end() || it->second.name.empty()) return false;
    if (!in_tx_) Deallocate(it->second.name);
    statements_.erase(it);
    return true;
  }

  PGconn* conn_;
  std::string target_;
  int64_t changed_ = 0;
  bool in_tx_ = false;
  std::unordered_map<std::string, Statement> statements_;
  int64_t prepared_ = 0;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgresDatabase(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  std::string target = RedactedTarget(conninfo);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    return Unavailable(target + ": cannot connect to PostgreSQL: " + message);
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<Database>(new PostgresDatabase(conn, target));
}

}  // namespace entente
