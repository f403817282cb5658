#include "exchange/received_log.h"

#include "common/time.h"
#include "exchange/exchange_store.h"
#include "exchange/signing.h"
#include "exchange/stix_mapping.h"
#include "store/migrations.h"

namespace entente::exchange {
namespace {

const std::vector<std::string> kSchema = {R"sql(
CREATE TABLE exchange_received (
  id {{SERIAL_PK}},
  partner TEXT NOT NULL,
  collection TEXT NOT NULL,
  object_id TEXT NOT NULL,
  record_id TEXT NOT NULL,
  version TEXT NOT NULL,
  received_at TEXT NOT NULL,
  signed INTEGER NOT NULL
);
CREATE INDEX exchange_received_by_record ON exchange_received (record_id);
CREATE INDEX exchange_received_by_time ON exchange_received (received_at, id);
)sql",
                                          R"sql(
CREATE INDEX exchange_rejections_by_time ON exchange_rejections (at, id);
)sql"};

bool ChangedTheStore(const ReceivedOutcome& outcome) {
  return outcome.ok && (outcome.message == "created" || outcome.message == "updated" ||
                        outcome.message == "revoked" || outcome.message == "created (unsigned)");
}

}  // namespace

Status MigrateReceivedLog(Database& db) {
  ENTENTE_RETURN_IF_ERROR(ExchangeStore::Migrate(db));  // v2 indexes exchange_rejections
  return ApplyMigrations(db, "exchange_received", kSchema);
}

Status LogPulledObjects(Database& db, const std::string& partner, const std::string& collection,
                        const std::vector<nlohmann::json>& objects, const ReceiveSummary& summary) {
  const std::string now = NowTimestamp();
  for (size_t i = 0; i < summary.outcomes.size() && i < objects.size(); ++i) {
    const ReceivedOutcome& outcome = summary.outcomes[i];
    if (!ChangedTheStore(outcome)) continue;
    ENTENTE_RETURN_IF_ERROR(db.Execute(
        "INSERT INTO exchange_received (partner, collection, object_id, record_id, version,"
        " received_at, signed) VALUES (?,?,?,?,?,?,?)",
        {partner, collection, outcome.id, ModelIdForStix(objects[i]), outcome.version, now,
         static_cast<int64_t>(SignerOf(objects[i]).empty() ? 0 : 1)}));
  }
  return Status::Ok();
}

}  // namespace entente::exchange
