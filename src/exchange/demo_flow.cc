#include "exchange/demo_flow.h"

#include "common/ids.h"
#include "common/text.h"
#include "exchange/agreement.h"
#include "exchange/exchange_store.h"
#include "exchange/signing.h"
#include "store/record_store.h"

namespace entente::exchange {
namespace {

Entity DemoPerson(const std::string& key, const std::string& latin, const std::string& arabic,
                  const std::string& birth, ThreatCategory category, Tlp tlp, Grades grades,
                  std::vector<std::string> releasable_to = {}) {
  Entity e;
  e.meta.id = DeterministicId("person", "demo-ma-registry", key);
  e.meta.provenance = {kDemoMoroccoService, "demo-ma-registry", key, "", ""};
  e.meta.grades = grades;
  e.meta.category = category;
  e.meta.marking = {tlp, std::move(releasable_to)};
  e.type = EntityType::kPerson;
  e.names = {{latin, NameKind::kPrimary, "Latn"}};
  if (!arabic.empty()) e.names.push_back({arabic, NameKind::kAlias, "Arab"});
  e.birth_dates = {*PartialDate::Parse(birth)};
  e.nationalities = {"MA"};
  e.addresses = {"Casablanca"};
  return e;
}

}  // namespace

std::vector<Record> DemoMoroccanRecords() {
  return {
      DemoPerson("MA-0001", "EL IDRISSI, Mohammed",
                 "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf "
                 "\xd8\xa7\xd9\x84\xd8\xa5\xd8\xaf\xd8\xb1\xd9\x8a\xd8\xb3\xd9\x8a",
                 "1987-03", ThreatCategory::kTerrorism, Tlp::kAmber, {'B', 2}, {"DGSI"}),
      DemoPerson("MA-0002", "BENALI, Abdelkader", "", "1979", ThreatCategory::kOrganizedCrime,
                 Tlp::kGreen, {'A', 2}),
      DemoPerson("MA-0003", "OUAZZANI, Youssef", "", "1990-11-02",
                 ThreatCategory::kHumanTrafficking, Tlp::kAmber, {'B', 3}),
      DemoPerson("MA-0004", "TAZI, Karim", "", "1985", ThreatCategory::kNarcotics, Tlp::kAmber,
                 {'A', 1}),  // narcotics: not in the agreement
      DemoPerson("MA-0005", "ALAOUI, Samir", "", "1992", ThreatCategory::kTerrorism, Tlp::kRed,
                 {'A', 1}),  // RED: never leaves
      DemoPerson("MA-0006", "CHRAIBI, Hamid", "", "1975", ThreatCategory::kTerrorism, Tlp::kAmber,
                 {'D', 4}),  // reliability D: below the minimum
  };
}

Result<std::string> PrepareMoroccanNode(Database& ma) {
  ENTENTE_RETURN_IF_ERROR(RecordStore::Migrate(ma));
  ENTENTE_RETURN_IF_ERROR(ExchangeStore::Migrate(ma));
  ExchangeStore xs(&ma);
  ENTENTE_ASSIGN_OR_RETURN(SigningKey key, xs.EnsureNodeKey());
  RecordStore store(&ma);
  ENTENTE_ASSIGN_OR_RETURN(WriteSummary written, store.PutAll(DemoMoroccanRecords()));
  (void)written;
  ENTENTE_ASSIGN_OR_RETURN(Agreement agreement, ParseAgreement(R"(
[partner]
name = "dgsi"
service = "DGSI"
principals = ["dgsi"]
[share]
categories = ["terrorism", "organized-crime", "human-trafficking"]
max_tlp = "AMBER"
min_reliability = "B"
drop = ["addresses"]
redact = ["provenance.source"]
)",
                                                               "demo agreement DGSN-DGST -> DGSI"));
  ENTENTE_RETURN_IF_ERROR(xs.PutAgreement(agreement));
  return key.public_key;
}

Result<SyncReport> PullFranceFromMorocco(Database& fr, const std::string& morocco_url,
                                         const std::string& morocco_public_key,
                                         const std::string& pki_dir) {
  ENTENTE_RETURN_IF_ERROR(RecordStore::Migrate(fr));
  ENTENTE_RETURN_IF_ERROR(ExchangeStore::Migrate(fr));
  ExchangeStore xs(&fr);
  ENTENTE_ASSIGN_OR_RETURN(SigningKey key, xs.EnsureNodeKey());
  (void)key;
  std::string text = "[partner]\nname = \"dgst\"\nservice = \"DGSN-DGST\"\nurl = \"" + morocco_url +
                     "/taxii2/\"\npublic_key = \"" + morocco_public_key + "\"\nca_cert = \"" +
                     pki_dir + "/ca.crt\"\nclient_cert = \"" + pki_dir +
                     "/dgsi.crt\"\nclient_key = \"" + pki_dir +
                     "/dgsi.key\"\n[share]\ncategories = [\"terrorism\"]\nmax_tlp = \"GREEN\"\n";
  ENTENTE_ASSIGN_OR_RETURN(Agreement agreement,
                           ParseAgreement(text, "demo agreement DGSI -> DGSN-DGST"));
  ENTENTE_RETURN_IF_ERROR(xs.PutAgreement(agreement));
  SyncOptions options;
  options.actor = "demo";
  return SyncPartner(fr, kDemoFranceService, "dgst", options);
}

Result<std::string> DescribeReceived(Database& fr, const std::string& record_id) {
  RecordStore store(&fr);
  ENTENTE_ASSIGN_OR_RETURN(Record record, store.Get(record_id));
  const RecordMeta& m = MetaOf(record);
  std::string name =
      std::holds_alternative<Entity>(record) ? std::get<Entity>(record).DisplayName() : m.id;
  std::string text = m.id + " " + name + " - from " + m.provenance.service + " (source " +
                     m.provenance.source + ", record " + m.provenance.source_record_id +
                     "), TLP:" + std::string(TlpName(m.marking.tlp));
  if (!m.marking.releasable_to.empty())
    text += ", releasable to " + Join(m.marking.releasable_to, ", ");
  text += std::string(", grades ") + m.grades.reliability + std::to_string(m.grades.credibility) +
          ", " + std::string(ThreatCategoryName(m.category));
  ExchangeStore xs(&fr);
  auto agreements = xs.ListAgreements();
  if (agreements.ok())
    for (const Agreement& a : *agreements)
      if (a.partner.service == m.provenance.service && !a.partner.public_key.empty())
        text +=
            "; received signed by " + a.partner.service + " key " + KeyIdOf(a.partner.public_key);
  return text;
}

}  // namespace entente::exchange
