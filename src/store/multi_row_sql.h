// Multi-row statements for bulk writes: "INSERT ... VALUES (?,?),(?,?),..." with a row count
// that is a power of two up to kMaxRowsPerStatement, so that only a handful of SQL texts exist
// (each prepared once per connection, on both back ends) whatever the number of rows written.
//
//   static const MultiRowSql sql("INSERT INTO t (a, b) VALUES ", 2, " ON CONFLICT DO NOTHING");
//   ExecuteChunked(db, rows.size(), [](size_t n) -> const std::string& { return sql.For(n); },
//                  [&](size_t i, std::vector<SqlParam>* p) { p->push_back(rows[i].a); ... },
//                  &params);
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/database.h"

namespace entente {

inline constexpr size_t kMaxRowsPerStatement = 64;

// The largest power of two not above min(n, kMaxRowsPerStatement): the rows of the next
// statement when n rows are left.
inline size_t ChunkRows(size_t n) { return std::bit_floor(std::min(n, kMaxRowsPerStatement)); }

// `head` + rows of `columns` placeholders + `tail`, for each shape (1, 2, 4, ..., 64 rows).
class MultiRowSql {
 public:
  MultiRowSql(std::string head, int columns, std::string tail) {
    std::string row = "(";
    for (int c = 0; c < columns; ++c) row += c ? ",?" : "?";
    row += ")";
    for (size_t shape = 0; shape < kShapes; ++shape) {
      std::string sql = head;
      for (size_t r = 0; r < (size_t{1} << shape); ++r) {
        if (r) sql += ",";
        sql += row;
      }
      sql += tail;
      texts_[shape] = std::move(sql);
    }
  }
  // The text for `rows` rows; `rows` must be a power of two up to kMaxRowsPerStatement.
  const std::string& For(size_t rows) const {
    return texts_[static_cast<size_t>(std::countr_zero(rows))];
  }

 private:
  static constexpr size_t kShapes = std::countr_zero(kMaxRowsPerStatement) + 1;
  std::array<std::string, kShapes> texts_;
};

// Runs `sql_for(rows)` over `total` rows in chunks of ChunkRows(); `bind(row, out)` appends one
// row's values. `on_done(rows)`, when given, runs after each statement (ChangedRows() is its).
template <typename SqlFor, typename BindRow, typename OnDone>
Status ExecuteChunked(Database& db, size_t total, SqlFor&& sql_for, BindRow&& bind,
                      std::vector<SqlParam>* params, OnDone&& on_done) {
  size_t row = 0;
  while (row < total) {
    size_t rows = ChunkRows(total - row);
    params->clear();
    for (size_t r = 0; r < rows; ++r) bind(row + r, params);
    ENTENTE_RETURN_IF_ERROR(db.ExecuteView(sql_for(rows), *params));
    on_done(rows);
    row += rows;
  }
  return Status::Ok();
}

template <typename SqlFor, typename BindRow>
Status ExecuteChunked(Database& db, size_t total, SqlFor&& sql_for, BindRow&& bind,
                      std::vector<SqlParam>* params) {
  return ExecuteChunked(db, total, sql_for, bind, params, [](size_t) {});
}

}  // namespace entente
