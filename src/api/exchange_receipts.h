// The receipts of records from partners, newest first, read by keyset (no OFFSET): the exchange
// page's received list (exchange_received_routes.cc) pages through hundreds of thousands of them
// at the cost of one page, however deep.
//
// Three kinds of receipt, each read from its own table along its own time index, and merged:
//   pull     exchange_received (exchange/received_log.h), index (received_at, id)
//   post     exchange_objects of one inbound or configured collection, index
//            (collection, date_added): one stream per collection
//   refused  exchange_rejections, index (at, id) (added by MigrateReceivedLog)
// The order is (time, stream, key) descending, total and stable, so a position in it (a
// ReceiptPosition, carried by the opaque cursor) says exactly where the next page starts.
//
//   ReceiptReader reader(db, sources, after);   // after: empty for the first page
//   while (auto r = reader.Next()) { ... reader.Position() ... }
//
// Thread-safety: one reader per request, over that request's connection.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "api/cursor_seal.h"
#include "common/status.h"
#include "store/database.h"

namespace entente::server {

// One row, as read. `body` is the posted object's JSON (post only).
struct Receipt {
  std::string via;  // pull, post, refused
  std::string partner, collection, object_id, record_id, version, at, reason, body;
  bool is_signed = false;  // pull only: the log's signed flag
  std::string stream;      // which stream it came from ("pull", "post:<collection>", "refused")
  int64_t key = 0;         // the row's id (or seq) within its stream
};

// A place in the merged order: the last receipt a page gave.
struct ReceiptPosition {
  std::string at, stream;
  int64_t key = 0;
  bool empty() const { return stream.empty(); }
};

// A position sealed with `seal` (api/cursor_seal.h: the cursor says nothing of the receipt it
// points at, which may be one the caller may not see); the reverse, InvalidArgument "field
// cursor: not a cursor this server issued" on anything else (an old or edited cursor included).
std::string EncodeReceiptCursor(const CursorSeal& seal, const ReceiptPosition& position);
Result<ReceiptPosition> DecodeReceiptCursor(const CursorSeal& seal, const std::string& cursor);

// Which receipts to read.
struct ReceiptSources {
  std::string partner;   // empty: every partner
  bool pulls = true;     // exchange_received
  bool posts = true;     // exchange_objects of the collections below
  bool refusals = true;  // exchange_rejections
  struct Collection {
    std::string id, partner;
  };
  std::vector<Collection> collections;  // inbound and configured collections with an agreement
};

// The collections whose posted objects are receipts (inbound ones and configured ones with an
// agreement), for ReceiptSources::collections.
Result<std::vector<ReceiptSources::Collection>> ReceivingCollections(Database& db);

class ReceiptReader {
 public:
  ReceiptReader(Database& db, const ReceiptSources& sources, ReceiptPosition after);
  // The next receipt in the order, or nullopt at the end; errors from the database.
  Result<std::optional<Receipt>> Next();

 private:
  struct Stream {
    std::string name;              // "pull", "post:<id>", "refused"
    std::string sql;               // SELECT ... WHERE (keyset) ORDER BY time DESC, key DESC LIMIT ?
    std::vector<SqlValue> params;  // the filter's parameters, before the keyset's
    std::string partner;           // post: the collection's partner
    std::deque<Receipt> buffer;
    std::optional<ReceiptPosition> last;  // where the next chunk starts
    bool exhausted = false;
  };
  Status Refill(Stream& stream);
  Database& db_;
  ReceiptPosition after_;
  std::vector<Stream> streams_;
};

}  // namespace entente::server
