#include "api/exchange_receipts.h"

#include <limits>

#include "api/cursor_seal.h"
#include "api/route_util.h"

namespace entente::server {
namespace {

constexpr int64_t kChunk = 256;  // rows read from one stream at a time
constexpr int64_t kMaxKey = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinKey = std::numeric_limits<int64_t>::min();
const char kCursorError[] = "field cursor: not a cursor this server issued";

// "(t <= ? AND (t < ? OR k < ?))": the first term seeks in the (time, key) index.
std::string Keyset(const std::string& time, const std::string& key) {
  return "(" + time + " <= ? AND (" + time + " < ? OR " + key + " < ?))";
}

// The keyset's three parameters for rows of `stream` after `p` in (time, stream, key) DESC.
std::vector<SqlValue> KeysetParams(const std::string& stream, const ReceiptPosition& p) {
  if (p.empty()) return {std::string("9999"), std::string("9999"), kMaxKey};
  int64_t key = stream < p.stream ? kMaxKey : stream == p.stream ? p.key : kMinKey;
  return {p.at, p.at, key};
}

// (time, stream, key) of `a` comes before `b` in the descending order.
bool Before(const Receipt& a, const Receipt& b) {
  if (a.at != b.at) return a.at > b.at;
  if (a.stream != b.stream) return a.stream > b.stream;
  return a.key > b.key;
}

}  // namespace

std::string EncodeReceiptCursor(const CursorSeal& seal, const ReceiptPosition& p) {
  return seal.Seal("k\n" + p.at + "\n" + p.stream + "\n" + std::to_string(p.key));
}

Result<ReceiptPosition> DecodeReceiptCursor(const CursorSeal& seal, const std::string& cursor) {
  std::optional<std::string> decoded = seal.Open(cursor, 800);
  if (!decoded) return InvalidArgument(kCursorError);
  const std::string& text = *decoded;
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    size_t end = text.find('\n', start);
    parts.push_back(text.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (parts.size() != 4 || parts[0] != "k" || parts[1].empty() || parts[2].empty() ||
      parts[3].empty() || parts[3].size() > 18 ||
      parts[3].find_first_not_of("0123456789") != std::string::npos)
    return InvalidArgument(kCursorError);
  if (parts[2] != "pull" && parts[2] != "refused" && !parts[2].starts_with("post:"))
    return InvalidArgument(kCursorError);
  return ReceiptPosition{parts[1], parts[2], std::stoll(parts[3])};
}

Result<std::vector<ReceiptSources::Collection>> ReceivingCollections(Database& db) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db.Query("SELECT id, partner FROM exchange_collections WHERE direction = 'in'"
                          " UNION ALL SELECT id, agreement FROM taxii_collections"
                          " WHERE agreement <> '' ORDER BY 1"));
  std::vector<ReceiptSources::Collection> out;
  for (const SqlRow& row : rows) out.push_back({row.Text(0), row.Text(1)});
  return out;
}

ReceiptReader::ReceiptReader(Database& db, const ReceiptSources& sources, ReceiptPosition after)
    : db_(db), after_(std::move(after)) {
  // One stream: `filter` is the WHERE terms before the keyset's ("partner = ? AND ", or "").
  auto timed = [&](std::string name, const std::string& columns, const std::string& table,
                   const std::string& filter, const std::string& time, const std::string& key,
                   std::vector<SqlValue> params, std::string partner) {
    streams_.push_back({.name = std::move(name),
                        .sql = "SELECT " + columns + " FROM " + table + " WHERE " + filter +
                               Keyset(time, key) + " ORDER BY " + time + " DESC, " + key +
                               " DESC LIMIT ?",
                        .params = std::move(params),
                        .partner = std::move(partner)});
  };
  std::string by_partner = sources.partner.empty() ? "" : "partner = ? AND ";
  std::vector<SqlValue> partner_param;
  if (!sources.partner.empty()) partner_param.push_back(sources.partner);
  if (sources.pulls)
    timed("pull", "partner, collection, object_id, record_id, version, received_at, signed, id",
          "exchange_received", by_partner, "received_at", "id", partner_param, "");
  if (sources.posts)
    for (const auto& c : sources.collections) {
      if (!sources.partner.empty() && c.partner != sources.partner) continue;
      timed("post:" + c.id, "object_id, version, date_added, body, seq", "exchange_objects",
            "collection = ? AND ", "date_added", "seq", {c.id}, c.partner);
    }
  if (sources.refusals)
    timed("refused", "partner, object_id, reason, at, id", "exchange_rejections", by_partner, "at",
          "id", partner_param, "");
}

Status ReceiptReader::Refill(Stream& s) {
  std::vector<SqlValue> params = s.params;
  for (SqlValue& v : KeysetParams(s.name, s.last ? *s.last : after_)) params.push_back(v);
  params.push_back(kChunk);
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db_.Query(s.sql, params));
  if (static_cast<int64_t>(rows.size()) < kChunk) s.exhausted = true;
  for (const SqlRow& row : rows) {
    Receipt r;
    if (s.name == "pull") {
      r = {"pull",      row.Text(0), row.Text(1), row.Text(2), row.Text(3),
           row.Text(4), row.Text(5), "",          "",          row.Int(6) != 0};
      r.key = row.Int(7);
    } else if (s.name == "refused") {
      r = {"refused", row.Text(0), "", row.Text(1), "", "", row.Text(3), row.Text(2), ""};
      r.key = row.Int(4);
    } else {
      r = {"post",      s.partner, s.name.substr(5), row.Text(0), "", row.Text(1),
           row.Text(2), "",        row.Text(3)};
      r.key = row.Int(4);
    }
    r.stream = s.name;
    s.last = ReceiptPosition{r.at, s.name, r.key};
    s.buffer.push_back(std::move(r));
  }
  return Status::Ok();
}

Result<std::optional<Receipt>> ReceiptReader::Next() {
  Stream* best = nullptr;
  for (Stream& s : streams_) {
    if (s.buffer.empty() && !s.exhausted) ENTENTE_RETURN_IF_ERROR(Refill(s));
    if (s.buffer.empty()) continue;
    if (!best || Before(s.buffer.front(), best->buffer.front())) best = &s;
  }
  if (!best) return std::optional<Receipt>();
  Receipt r = std::move(best->buffer.front());
  best->buffer.pop_front();
  return std::optional<Receipt>(std::move(r));
}

}  // namespace entente::server
