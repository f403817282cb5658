#include "exchange/collection.h"

#include "common/crash_point.h"
#include "common/ids.h"
#include "common/time.h"
#include "exchange/canonical_json.h"
#include "exchange/exchange_store.h"
#include "exchange/signing.h"
#include "exchange/stix_bundle.h"
#include "exchange/stix_mapping.h"
#include "store/record_store.h"

namespace entente::exchange {
namespace {

using nlohmann::json;

std::string Plus1ms(const std::string& ts) {
  int64_t millis = 0;
  if (!ParseTimestamp(ts, &millis)) return NowTimestamp();
  return FormatTimestamp(millis + 1);
}

// Later of two RFC 3339 timestamps, compared as instants.
bool Later(const std::string& a, const std::string& b) {
  int64_t ma = 0, mb = 0;
  ParseTimestamp(a, &ma);
  ParseTimestamp(b, &mb);
  return ma > mb;
}

struct PublishState {
  int64_t change_seq = 0;
  std::string agreement_hash;
  int64_t last_seq = 0;
  std::string last_date_added;
  bool exists = false;
};

// The publish state of `collection`; its last seq and date_added are never below those of the
// objects it holds (posted objects do not go through publishing).
Result<PublishState> LoadState(Database& db, const std::string& collection) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db.Query("SELECT change_seq, agreement_hash, last_seq, last_date_added FROM"
                          " exchange_publish WHERE collection = ?",
                          {collection}));
  ENTENTE_ASSIGN_OR_RETURN(
      auto max_rows,
      // Two scalar subqueries, each answered from its index's end; MAX(seq), MAX(date_added)
      // in one SELECT read every row of the collection (on every read of it).
      db.Query("SELECT (SELECT MAX(seq) FROM exchange_objects WHERE collection = ?),"
               " (SELECT MAX(date_added) FROM exchange_objects WHERE collection = ?)",
               {collection, collection}));
  PublishState s;
  if (!rows.empty()) {
    s.exists = true;
    s.change_seq = rows[0].Int(0);
    s.agreement_hash = rows[0].Text(1);
    s.last_seq = rows[0].Int(2);
    s.last_date_added = rows[0].Text(3);
  }
  if (!max_rows.empty()) {
    s.last_seq = std::max(s.last_seq, max_rows[0].Int(0));
    if (Later(max_rows[0].Text(1), s.last_date_added)) s.last_date_added = max_rows[0].Text(1);
  }
  return s;
}

// An object's TAXII version: modified, else created, else the date it was added.
std::string VersionOf(const json& object, const std::string& date_added) {
  for (const char* key : {"modified", "created"})
    if (object.contains(key) && object[key].is_string() && !object[key].get<std::string>().empty())
      return object[key].get<std::string>();
  return date_added;
}

class Appender {
 public:
  Appender(Database& db, std::string collection, PublishState* state)
      : db_(db), collection_(std::move(collection)), state_(state) {}

  Status Append(const json& object, int64_t source_change_seq, std::string* version_out = nullptr) {
    std::string date_added = NowTimestamp();
    if (!state_->last_date_added.empty() && !Later(date_added, state_->last_date_added))
      date_added = Plus1ms(state_->last_date_added);
    int64_t seq = ++state_->last_seq;
    state_->last_date_added = date_added;
    std::string version = VersionOf(object, date_added);
    if (version_out) *version_out = version;
    return db_.Execute(
        "INSERT INTO exchange_objects (collection, seq, object_id, object_type, version, "
        "date_added,"
        " source_change_seq, body) VALUES (?,?,?,?,?,?,?,?)",
        {collection_, seq, object.value("id", ""), object.value("type", ""), version, date_added,
         source_change_seq, object.dump()});
  }

  Result<bool> Has(const std::string& object_id) {
    ENTENTE_ASSIGN_OR_RETURN(auto rows,
                             db_.Query("SELECT 1 FROM exchange_objects WHERE collection = ?"
                                       " AND object_id = ? LIMIT 1",
                                       {collection_, object_id}));
    return !rows.empty();
  }

 private:
  Database& db_;
  std::string collection_;
  PublishState* state_;
};

Status SaveState(Database& db, const std::string& collection, const PublishState& s) {
  return db.Execute(
      "INSERT INTO exchange_publish (collection, change_seq, agreement_hash, last_seq, "
      "last_date_added)"
      " VALUES (?,?,?,?,?) ON CONFLICT (collection) DO UPDATE SET change_seq = excluded.change_seq,"
      " agreement_hash = excluded.agreement_hash, last_seq = excluded.last_seq,"
      " last_date_added = excluded.last_date_added",
      {collection, s.change_seq, s.agreement_hash, s.last_seq, s.last_date_added});
}

Result<std::string> ContentHash(json object) {
  object.erase("modified");
  ENTENTE_ASSIGN_OR_RETURN(std::string canonical, CanonicalJson(object));
  return Blake2bHex(canonical);
}

}  // namespace

Result<PublishSummary> PublishOutbound(Database& db, const std::string& own_service,
                                       const Agreement& agreement) {
  return PublishOutbound(db, own_service, agreement,
                         ExchangeStore(&db).OutboundCollectionId(agreement.partner.name));
}

Result<PublishSummary> PublishOutbound(Database& db, const std::string& own_service,
                                       const Agreement& agreement, const std::string& collection) {
  ExchangeStore xs(&db);
  RecordStore store(&db);
  PublishSummary summary;
  {
    ENTENTE_ASSIGN_OR_RETURN(PublishState peek, LoadState(db, collection));
    int64_t max_seq = store.MaxChangeSeq();
    if (peek.exists && peek.agreement_hash == agreement.hash && peek.change_seq >= max_seq)
      return summary;
  }
  ENTENTE_ASSIGN_OR_RETURN(SigningKey key, xs.EnsureNodeKey());
  Transaction tx(&db);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_ASSIGN_OR_RETURN(PublishState state, LoadState(db, collection));
  Appender appender(db, collection, &state);
  ENTENTE_ASSIGN_OR_RETURN(bool has_support, appender.Has(kEntenteIdentityId));
  if (!has_support) {
    std::vector<json> support;
    support.push_back(EntenteIdentity());
    support.push_back(EntenteExtensionDefinition());
    for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed})
      support.push_back(TlpMarkingDefinition(tlp));
    for (const json& o : support) ENTENTE_RETURN_IF_ERROR(appender.Append(o, 0));
  }
  summary.full = state.agreement_hash != agreement.hash;
  int64_t from = summary.full ? 0 : state.change_seq;
  int64_t max_seq = store.MaxChangeSeq();

  // Whether a record (a relationship's end) is shared under this agreement.
  EndpointCheck endpoint = [&](const std::string& id) -> Result<bool> {
    ENTENTE_ASSIGN_OR_RETURN(Record r, store.Get(id));
    if (MetaOf(r).revoked) return false;
    return Evaluate(agreement, own_service, r).shared;
  };
  ExportRefResolver resolve = [&](const std::string& model_id) -> std::string {
    auto r = store.Get(model_id);
    return r.ok() ? StixIdFor(*r) : GuessStixId(model_id);
  };

  auto consider = [&](const std::string& record_id, int64_t change_seq) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(Record record, store.Get(record_id));
    ++summary.considered;
    ENTENTE_ASSIGN_OR_RETURN(
        auto prev_rows,
        db.Query("SELECT object_id, content_hash, modified, revoked FROM exchange_shared"
                 " WHERE collection = ? AND record_id = ?",
                 {collection, record_id}));
    bool had = !prev_rows.empty() && prev_rows[0].Int(3) == 0;
    std::string prev_modified = prev_rows.empty() ? "" : prev_rows[0].Text(2);
    ShareDecision decision;
    if (!MetaOf(record).revoked) decision = Evaluate(agreement, own_service, record, endpoint);
    if (decision.shared) {
      json object = RecordToStix(*decision.outgoing, resolve);
      ENTENTE_ASSIGN_OR_RETURN(std::string hash, ContentHash(object));
      if (had && prev_rows[0].Text(1) == hash && prev_rows[0].Text(0) == object["id"])
        return Status::Ok();
      if (!prev_modified.empty() && !Later(object["modified"], prev_modified))
        object["modified"] = Plus1ms(prev_modified);
      const Marking& marking = MetaOf(record).marking;
      if (!marking.releasable_to.empty()) {
        json rel = ReleasabilityMarking(marking.releasable_to);
        ENTENTE_ASSIGN_OR_RETURN(bool present, appender.Has(rel["id"]));
        if (!present) ENTENTE_RETURN_IF_ERROR(appender.Append(rel, 0));
      }
      ENTENTE_RETURN_IF_ERROR(SignStixObject(key, own_service, &object));
      ENTENTE_RETURN_IF_ERROR(appender.Append(object, change_seq));
      ++summary.added;
      return db.Execute(
          "INSERT INTO exchange_shared (collection, record_id, object_id, content_hash, modified, "
          "revoked)"
          " VALUES (?,?,?,?,?,0) ON CONFLICT (collection, record_id) DO UPDATE SET"
          " object_id = excluded.object_id, content_hash = excluded.content_hash,"
          " modified = excluded.modified, revoked = 0",
          {collection, record_id, object["id"].get<std::string>(), hash,
           object["modified"].get<std::string>()});
    }
    if (!had) return Status::Ok();
    // The partner had it and may no longer: a revoked version of what it had.
    std::string object_id = prev_rows[0].Text(0);
    ENTENTE_ASSIGN_OR_RETURN(
        auto last,
        db.Query("SELECT body FROM exchange_objects WHERE collection = ? AND object_id = ?"
                 " ORDER BY seq DESC LIMIT 1",
                 {collection, object_id}));
    if (last.empty())
      return Corruption("exchange_shared names " + object_id + " but the collection lacks it");
    json object = json::parse(last[0].Text(0));
    object["revoked"] = true;
    std::string modified = NowTimestamp();
    if (!Later(modified, prev_modified)) modified = Plus1ms(prev_modified);
    object["modified"] = modified;
    ENTENTE_RETURN_IF_ERROR(SignStixObject(key, own_service, &object));
    ENTENTE_RETURN_IF_ERROR(appender.Append(object, change_seq));
    ++summary.revoked;
    return db.Execute(
        "UPDATE exchange_shared SET revoked = 1, modified = ? WHERE collection = ? AND record_id = "
        "?",
        {modified, collection, record_id});
  };

  int64_t after = from;
  while (after < max_seq) {
    ENTENTE_ASSIGN_OR_RETURN(auto changes, store.ChangesSince(after, 2000));
    if (changes.empty()) break;
    for (const Change& change : changes) {
      after = change.seq;
      if (change.seq > max_seq) break;
      ENTENTE_RETURN_IF_ERROR(consider(MetaOf(change.record).id, change.seq));
    }
  }
  state.change_seq = max_seq;
  state.agreement_hash = agreement.hash;
  ENTENTE_RETURN_IF_ERROR(SaveState(db, collection, state));
  CrashPoint("share.publish_before_commit");
  ENTENTE_RETURN_IF_ERROR(tx.Commit());
  return summary;
}

Result<std::string> AppendReceivedObject(Database& db, const std::string& collection,
                                         const json& object) {
  ENTENTE_ASSIGN_OR_RETURN(auto versions, AppendReceivedObjects(db, collection, {object}));
  return versions.front();
}

Result<std::vector<std::string>> AppendReceivedObjects(Database& db, const std::string& collection,
                                                       const std::vector<json>& objects) {
  ENTENTE_ASSIGN_OR_RETURN(PublishState state, LoadState(db, collection));
  Appender appender(db, collection, &state);
  std::vector<std::string> versions;
  for (const json& object : objects) {
    std::string stamped = VersionOf(object, "");
    if (!stamped.empty()) {
      ENTENTE_ASSIGN_OR_RETURN(auto same,
                               db.Query("SELECT 1 FROM exchange_objects WHERE collection = ? AND"
                                        " object_id = ? AND version = ? LIMIT 1",
                                        {collection, object.value("id", ""), stamped}));
      if (!same.empty()) {
        versions.push_back(stamped);
        continue;
      }
    }
    std::string version;
    ENTENTE_RETURN_IF_ERROR(appender.Append(object, 0, &version));
    versions.push_back(std::move(version));
  }
  // Remembered apart from the objects, so a deleted last object never lets seq or date_added
  // go back.
  ENTENTE_RETURN_IF_ERROR(SaveState(db, collection, state));
  return versions;
}

Result<ObjectPage> QueryObjects(Database& db, const std::string& collection, const ObjectQuery& q) {
  std::string sql =
      "SELECT o.seq, o.object_id, o.object_type, o.version, o.date_added, o.body FROM "
      "exchange_objects o"
      " WHERE o.collection = ? AND o.seq > ?";
  std::vector<SqlValue> params = {collection, q.after_seq};
  if (!q.added_after.empty()) {
    sql += " AND o.date_added > ?";
    params.push_back(q.added_after);
  }
  auto in_list = [&](const char* column, const std::vector<std::string>& values) {
    sql += std::string(" AND ") + column + " IN (";
    for (size_t i = 0; i < values.size(); ++i) {
      sql += i ? ",?" : "?";
      params.push_back(values[i]);
    }
    sql += ")";
  };
  if (!q.ids.empty()) in_list("o.object_id", q.ids);
  if (!q.types.empty()) in_list("o.object_type", q.types);
  if (!q.spec_versions.empty()) {
    bool wants_21 = false;
    for (const std::string& v : q.spec_versions) wants_21 |= v == "2.1";
    if (!wants_21) return ObjectPage{};
  }
  std::vector<std::string> versions =
      q.versions.empty() ? std::vector<std::string>{"last"} : q.versions;
  bool all = false;
  std::vector<std::string> clauses;
  std::vector<std::string> stamps;
  for (const std::string& v : versions) {
    if (v == "all") {
      all = true;
    } else if (v == "last" || v == "first") {
      clauses.push_back(std::string("o.seq = (SELECT ") + (v == "last" ? "MAX" : "MIN") +
                        "(o2.seq) FROM exchange_objects o2 WHERE o2.collection = o.collection"
                        " AND o2.object_id = o.object_id)");
    } else {
      int64_t millis = 0;
      if (!ParseTimestamp(v, &millis))
        return InvalidArgument("match[version]: \"" + v +
                               "\" is not last, first, all or a timestamp");
      stamps.push_back(v);
    }
  }
  if (!all) {
    std::string clause;
    for (const std::string& c : clauses) clause += (clause.empty() ? "" : " OR ") + c;
    if (!stamps.empty()) {
      std::string in = "o.version IN (";
      for (size_t i = 0; i < stamps.size(); ++i) in += i ? ",?" : "?";
      in += ")";
      clause += (clause.empty() ? "" : " OR ") + in;
    }
    // The timestamp params come after the others in the SQL text.
    sql += " AND (" + clause + ")";
    for (const std::string& s : stamps) params.push_back(s);
  }
  sql += " ORDER BY o.seq LIMIT ?";
  params.push_back(q.limit + 1);
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db.Query(sql, params));
  ObjectPage page;
  for (const SqlRow& row : rows) {
    if (static_cast<int64_t>(page.objects.size()) == q.limit) {
      page.more = true;
      break;
    }
    page.objects.push_back(
        {row.Int(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4), row.Text(5)});
  }
  if (!page.objects.empty()) page.next_seq = page.objects.back().seq;
  return page;
}

Result<int64_t> DeleteObjects(Database& db, const std::string& collection,
                              const std::string& object_id,
                              const std::vector<std::string>& versions) {
  std::string sql = "DELETE FROM exchange_objects WHERE collection = ? AND object_id = ?";
  std::vector<SqlValue> params = {collection, object_id};
  bool all = versions.empty();
  std::vector<std::string> stamps;
  for (const std::string& v : versions) {
    if (v == "all")
      all = true;
    else if (v == "last" || v == "first") {
      ENTENTE_ASSIGN_OR_RETURN(
          auto rows,
          db.Query(std::string(
                       "SELECT version FROM exchange_objects WHERE collection = ? AND object_id = ?"
                       " ORDER BY seq ") +
                       (v == "last" ? "DESC" : "ASC") + " LIMIT 1",
                   {collection, object_id}));
      if (!rows.empty()) stamps.push_back(rows[0].Text(0));
    } else {
      stamps.push_back(v);
    }
  }
  if (!all) {
    if (stamps.empty()) return NotFound("object " + object_id + ": no such version");
    sql += " AND version IN (";
    for (size_t i = 0; i < stamps.size(); ++i) {
      sql += i ? ",?" : "?";
      params.push_back(stamps[i]);
    }
    sql += ")";
  }
  ENTENTE_RETURN_IF_ERROR(db.Execute(sql, params));
  int64_t n = db.ChangedRows();
  if (n == 0) return NotFound("object " + object_id + " is not in the collection");
  return n;
}

}  // namespace entente::exchange
