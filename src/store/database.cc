#include "store/database.h"

#include <cstdlib>

#include "store/multi_row_sql.h"
#include "store/postgres/postgres_database.h"
#include "store/sqlite/sqlite_database.h"

namespace entente {

int64_t SqlRow::Int(size_t i) const {
  const SqlValue& v = values.at(i);
  if (auto p = std::get_if<int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::strtoll(p->c_str(), nullptr, 10);
  return 0;
}

double SqlRow::Real(size_t i) const {
  const SqlValue& v = values.at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::strtod(p->c_str(), nullptr);
  return 0;
}

std::string SqlRow::Text(size_t i) const {
  const SqlValue& v = values.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return std::to_string(*p);
  return "";
}

Result<std::vector<SqlRow>> Database::Query(std::string_view sql,
                                            const std::vector<SqlValue>& params) {
  std::vector<SqlRow> rows;
  Status status = QueryEach(sql, params, [&rows](const SqlRow& row) {
    rows.push_back(row);
    return true;
  });
  if (!status.ok()) return status;
  return rows;
}

Status Database::InsertRows(std::string_view table, std::span<const std::string_view> columns,
                            size_t rows, const RowBinder& bind) {
  if (rows == 0) return Status::Ok();
  // All or nothing, as one COPY is: outside a transaction, in one of its own.
  std::unique_ptr<Transaction> own;
  if (!InTransaction()) {
    own = std::make_unique<Transaction>(this);
    ENTENTE_RETURN_IF_ERROR(own->status());
  }
  std::string head = "INSERT INTO " + std::string(table) + " (";
  for (size_t c = 0; c < columns.size(); ++c) {
    if (c) head += ", ";
    head += columns[c];
  }
  head += ") VALUES ";
  const MultiRowSql sql(std::move(head), static_cast<int>(columns.size()), "");
  std::vector<SqlParam> params;
  for (size_t row = 0; row < rows;) {
    size_t n = ChunkRows(rows - row);
    params.clear();
    for (size_t r = 0; r < n; ++r) {
      bind(row + r, &params);
      if (params.size() != (r + 1) * columns.size())
        return Internal(std::string(table) + ": row " + std::to_string(row + r + 1) +
                        " was not given one value per column (" +
                        std::to_string(columns.size()) + ")");
    }
    ENTENTE_RETURN_IF_ERROR(ExecuteView(sql.For(n), params));
    row += n;
  }
  return own ? own->Commit() : Status::Ok();
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& target, int busy_timeout_ms) {
  if (target.rfind("postgresql://", 0) == 0 || target.rfind("postgres://", 0) == 0 ||
      target.find("dbname=") != std::string::npos) {
    return OpenPostgresDatabase(target);
  }
  return OpenSqliteDatabase(target, busy_timeout_ms);
}

std::string Database::Dialect(std::string_view sql) const {
  std::string out(sql);
  auto replace_all = [&out](std::string_view from, std::string_view to) {
    size_t pos = 0;
    while ((pos = out.find(from, pos)) != std::string::npos) {
      out.replace(pos, from.size(), to);
      pos += to.size();
    }
  };
  if (backend() == DatabaseBackend::kSqlite) {
    replace_all("{{SERIAL_PK}}", "INTEGER PRIMARY KEY");
    replace_all("{{BLOB}}", "BLOB");
    replace_all("{{INT64_PK}}", "INTEGER PRIMARY KEY");
    replace_all("{{STRING_AGG}}", "group_concat");
  } else {
    replace_all("{{SERIAL_PK}}", "BIGSERIAL PRIMARY KEY");
    replace_all("{{BLOB}}", "BYTEA");
    replace_all("{{INT64_PK}}", "BIGINT PRIMARY KEY");
    replace_all("{{STRING_AGG}}", "string_agg");
  }
  return out;
}

Transaction::Transaction(Database* db, bool write) : db_(db) {
  begin_status_ = write ? db_->BeginWrite() : db_->BeginRead();
  if (!begin_status_.ok()) done_ = true;
}

Transaction::~Transaction() {
  if (!done_) (void)db_->Rollback();
}

Status Transaction::Commit() {
  if (done_) return begin_status_.ok() ? Internal("transaction already finished") : begin_status_;
  done_ = true;
  return db_->Commit();
}

}  // namespace entente
