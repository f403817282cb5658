#include "screen/list_rows.h"

#include <string>

namespace entente::screen {
namespace {

constexpr char kRowColumns[] =
    "SELECT row_idx, row_id, source_file, line, name, birth_date, nationality, id_number"
    " FROM screen_list_rows WHERE list_id = ?";

ListRow RowFrom(const SqlRow& r) {
  ListRow row;
  row.row_idx = r.Int(0);
  row.row_id = r.Text(1);
  row.source_file = r.Text(2);
  row.line = r.Int(3);
  row.name = r.Text(4);
  row.birth_date = r.Text(5);
  row.nationality = r.Text(6);
  row.id_number = r.Text(7);
  return row;
}

}  // namespace

Result<std::vector<ListRow>> ReadListRows(Database& db, int64_t list_id, int64_t from,
                                          int64_t count) {
  std::vector<ListRow> rows;
  rows.reserve(static_cast<size_t>(std::max<int64_t>(0, std::min<int64_t>(count, 1 << 20))));
  Status s =
      db.QueryEach(std::string(kRowColumns) + " AND row_idx >= ? AND row_idx < ? ORDER BY row_idx",
                   {list_id, from, from + count}, [&rows](const SqlRow& r) {
                     rows.push_back(RowFrom(r));
                     return true;
                   });
  if (!s.ok()) return s;
  return rows;
}

Result<ListRow> ReadListRow(Database& db, int64_t list_id, int64_t row_idx) {
  ENTENTE_ASSIGN_OR_RETURN(auto rows, ReadListRows(db, list_id, row_idx, 1));
  if (rows.empty()) {
    return NotFound("list " + std::to_string(list_id) + " has no row " + std::to_string(row_idx));
  }
  return std::move(rows[0]);
}

Status ForEachListRow(Database& db, int64_t list_id, const std::function<bool(ListRow&&)>& fn) {
  return db.QueryEach(std::string(kRowColumns) + " ORDER BY row_idx", {list_id},
                      [&fn](const SqlRow& r) { return fn(RowFrom(r)); });
}

}  // namespace entente::screen
