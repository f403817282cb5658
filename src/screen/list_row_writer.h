// Storing a new list's rows (screen_list_rows) in multi-row INSERTs: rows are held until 64 are
// waiting, then positions are given to the rows whose id was not seen before in this list, and
// those go in one INSERT: one statement per 64 rows instead of one per row (on PostgreSQL each
// statement is a round trip). The list is new and only this writer fills it, so duplicates are
// found in memory (the ids seen so far and their lines; about 80 bytes per row), not by reading
// back the table being filled. Duplicates, warnings and the rejections the caller reports are
// handled in file order, so `on_row_error` sees them as before.
//
// Thread-safety: uses the caller's Database (one thread at a time), inside its transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "screen/list_file.h"
#include "store/database.h"

namespace entente::screen {

// Stores one refused or warned row of a list (screen_row_errors).
Status StoreRowError(Database& db, int64_t list_id, const RowError& error);

class ListRowWriter {
 public:
  ListRowWriter(Database& db, int64_t list_id,
                std::function<void(const RowError&)> on_row_error = nullptr);

  // Queues a row read from the file (its row_idx is set when it is stored).
  Status Add(ListRow row);
  // Queues a row the reader rejected (stored after the rows before it).
  Status Reject(RowError error);
  // Stores what is queued.
  Status Flush();

  int64_t accepted() const { return accepted_; }
  int64_t rejected() const { return rejected_; }
  int64_t warned() const { return warned_; }

 private:
  struct Pending {
    bool is_row = true;
    ListRow row;
    RowError error;
  };
  Status Error(const RowError& error);

  Database& db_;
  int64_t list_id_;
  std::function<void(const RowError&)> on_row_error_;
  std::vector<Pending> pending_;
  std::unordered_map<std::string, int64_t> first_line_;  // row id -> line it was first seen at
  size_t pending_rows_ = 0;
  std::vector<SqlParam> params_;
  int64_t accepted_ = 0, rejected_ = 0, warned_ = 0;
};

}  // namespace entente::screen
