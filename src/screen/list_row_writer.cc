#include "screen/list_row_writer.h"

#include <string_view>
#include <utility>

#include "store/multi_row_sql.h"

namespace entente::screen {
namespace {

const MultiRowSql& InsertRowsSql() {
  static const MultiRowSql sql(
      "INSERT INTO screen_list_rows (list_id, row_idx, row_id, source_file, line, name,"
      " birth_date, nationality, id_number) VALUES ",
      9, "");
  return sql;
}

}  // namespace

Status StoreRowError(Database& db, int64_t list_id, const RowError& error) {
  return db.Execute(
      "INSERT INTO screen_row_errors (list_id, source_file, line, row_id, kind, reason)"
      " VALUES (?, ?, ?, ?, ?, ?)",
      {list_id, error.source_file, error.line, error.row_id, error.kind, error.reason});
}

ListRowWriter::ListRowWriter(Database& db, int64_t list_id,
                             std::function<void(const RowError&)> on_row_error)
    : db_(db), list_id_(list_id), on_row_error_(std::move(on_row_error)) {}

Status ListRowWriter::Add(ListRow row) {
  pending_.push_back({true, std::move(row), {}});
  if (++pending_rows_ == kMaxRowsPerStatement) return Flush();
  return Status::Ok();
}

Status ListRowWriter::Reject(RowError error) {
  ++rejected_;
  pending_.push_back({false, {}, std::move(error)});
  return Status::Ok();
}

Status ListRowWriter::Error(const RowError& error) {
  ENTENTE_RETURN_IF_ERROR(StoreRowError(db_, list_id_, error));
  if (on_row_error_) on_row_error_(error);
  return Status::Ok();
}

Status ListRowWriter::Flush() {
  std::vector<ListRow*> accepted;
  for (Pending& p : pending_) {
    if (!p.is_row) {
      ENTENTE_RETURN_IF_ERROR(Error(p.error));
      continue;
    }
    ListRow& row = p.row;
    auto [it, first] = first_line_.emplace(row.row_id, row.line);
    if (!first) {
      ++rejected_;
      ENTENTE_RETURN_IF_ERROR(
          Error(RowError{row.source_file, row.line, row.row_id,
                         "duplicate id '" + row.row_id + "' (first seen at line " +
                             std::to_string(it->second) + ")"}));
      continue;
    }
    row.row_idx = accepted_++;
    accepted.push_back(&row);
    for (const std::string& warning : row.warnings) {
      ++warned_;
      ENTENTE_RETURN_IF_ERROR(
          Error(RowError{row.source_file, row.line, row.row_id, warning, "warning"}));
    }
  }
  ENTENTE_RETURN_IF_ERROR(ExecuteChunked(
      db_, accepted.size(), [](size_t n) -> const std::string& { return InsertRowsSql().For(n); },
      [&](size_t i, std::vector<SqlParam>* p) {
        const ListRow& row = *accepted[i];
        p->push_back(list_id_);
        p->push_back(row.row_idx);
        p->push_back(std::string_view(row.row_id));
        p->push_back(std::string_view(row.source_file));
        p->push_back(row.line);
        p->push_back(std::string_view(row.name));
        p->push_back(std::string_view(row.birth_date));
        p->push_back(std::string_view(row.nationality));
        p->push_back(std::string_view(row.id_number));
      },
      &params_));
  pending_.clear();
  pending_rows_ = 0;
  return Status::Ok();
}

}  // namespace entente::screen
