// Helpers shared by the exchange tests: temp stores and sample records.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "../test_store_target.h"
#include "common/ids.h"
#include "exchange/exchange_store.h"
#include "model/entity.h"
#include "store/record_store.h"

namespace entente::exchange::testing {

struct TempStore {
  std::filesystem::path dir;
  std::unique_ptr<Database> db;
  std::unique_ptr<RecordStore> store;

  TempStore() {
    dir = std::filesystem::temp_directory_path() / ("exchange_test_" + RandomHex(6));
    std::filesystem::create_directories(dir);
    db = std::move(
        Database::Open(::entente::testing::StoreTarget((dir / "store.db").string())).value());
    (void)RecordStore::Migrate(*db);
    (void)ExchangeStore::Migrate(*db);
    store = std::make_unique<RecordStore>(db.get());
  }
  ~TempStore() {
    store.reset();
    db.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

inline Entity Person(const std::string& name, ThreatCategory category, Tlp tlp, char reliability,
                     const std::string& service = "DGSN-DGST") {
  Entity e;
  e.meta.id = RandomId("person");
  e.meta.provenance = {service, "ma-registry", "MA-" + name, "", ""};
  e.meta.grades = {reliability, 2};
  e.meta.category = category;
  e.meta.marking.tlp = tlp;
  e.type = EntityType::kPerson;
  e.names = {{name, NameKind::kPrimary, "Latn"}};
  e.birth_dates = {*PartialDate::Parse("1987-03-04")};
  e.nationalities = {"MA"};
  e.addresses = {"12 rue X, Casablanca"};
  e.documents = {{"passport", "AB123456", "MA", "", ""}};
  return e;
}

inline const char* kFranceAgreement = R"(
[partner]
name = "dgsi"
service = "DGSI"
principals = ["dgsi", "dgsi-node"]

[share]
categories = ["terrorism", "organized-crime"]
max_tlp = "AMBER"
min_reliability = "B"
drop = ["addresses"]
redact = ["provenance.source", "birth_dates"]

[receive]
may_write = true
)";

}  // namespace entente::exchange::testing
