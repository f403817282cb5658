#include "demo/hitnohit_step.h"

#include <cctype>
#include <cstdio>

#include "audit/audit_log.h"
#include "common/text.h"
#include "demo/demo_output.h"
#include "exchange/demo_flow.h"
#include "exchange/exchange_store.h"
#include "exchange/hitnohit/asking.h"
#include "exchange/hitnohit/followup.h"
#include "exchange/hitnohit/hitnohit_store.h"
#include "store/record_store.h"

namespace entente::demo {
namespace {

namespace hnh = exchange::hitnohit;

const Entity* FindEntity(const std::vector<Record>& records, const std::string& id) {
  for (const Record& r : records)
    if (const Entity* e = std::get_if<Entity>(&r); e && e->meta.id == id) return e;
  return nullptr;
}

// What a border officer reads off a passport: the name as spelled there (a Latin alias when
// the file has one), birth date, nationality and document number.
hnh::AskQuery Traveller(const std::string& label, const Entity& e) {
  hnh::AskQuery q;
  q.label = label;
  q.name = e.DisplayName();
  for (const Name& n : e.names)
    if (n.kind != NameKind::kPrimary && n.script == "Latn") q.name = n.full;
  if (!e.birth_dates.empty()) q.birth_date = e.birth_dates[0];
  if (!e.nationalities.empty()) q.nationality = e.nationalities[0];
  if (!e.documents.empty()) q.id_number = e.documents[0].number;
  return q;
}

// A French suspect with a European (not Maghrebi) identity: Morocco should not know him.
const Entity* FrenchSuspect(const std::vector<Record>& french) {
  const Entity* fallback = nullptr;
  for (const Record& r : french) {
    const Entity* e = std::get_if<Entity>(&r);
    if (!e || e->type != EntityType::kPerson || e->nationalities.empty()) continue;
    const std::string& nat = e->nationalities[0];
    if (nat == "BE" || nat == "ES" || nat == "PT" || nat == "IT") return e;
    if (!fallback && nat == "FR" && e->names.size() == 1) fallback = e;
  }
  return fallback;
}

std::string Describe(const hnh::AskQuery& q) {
  std::string text = q.name;
  if (q.birth_date) text += ", born " + q.birth_date->ToString();
  if (!q.nationality.empty()) text += ", " + q.nationality;
  return text;
}

std::string AnswerText(const hnh::AskAnswer& a) {
  if (a.result != "hit") return a.result + (a.error.empty() ? "" : " (" + a.error + ")");
  return "hit, reference " + a.reference + ", band " + a.band + ", valid until " + a.expires;
}

// True when the captured request bodies hold any part of the queries in the clear.
bool LeaksInClear(const std::vector<std::string>& bodies,
                  const std::vector<hnh::AskQuery>& queries) {
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (const std::string& raw : bodies) {
    std::string body = lower(raw);
    for (const hnh::AskQuery& q : queries) {
      std::vector<std::string> needles = SplitNonEmpty(lower(q.name), ' ');
      if (q.birth_date) needles.push_back(q.birth_date->ToString());
      if (!q.id_number.empty()) needles.push_back(lower(q.id_number));
      if (!q.nationality.empty()) needles.push_back("\"" + lower(q.nationality) + "\"");
      for (const std::string& n : needles)
        if (n.size() >= 3 && body.find(n) != std::string::npos) return true;
    }
  }
  return false;
}

Result<int64_t> CountAudit(Database& db, const std::string& action_prefix) {
  server::AuditQuery query;
  query.limit = 100000;
  ENTENTE_ASSIGN_OR_RETURN(std::vector<server::AuditEntry> entries,
                           server::AuditLog::Read(db, query));
  int64_t n = 0;
  for (const server::AuditEntry& e : entries) n += e.action.rfind(action_prefix, 0) == 0;
  return n;
}

}  // namespace

Status RunHitNoHitStep(TwoNodes& nodes, const HitNoHitStepInput& input) {
  const SampleData& data = *input.data;
  Database& ma = nodes.morocco();
  Database& fr = nodes.france();
  const server::AuditActor officer{input.officer, "screening-officer", kFrenchService};
  const server::AuditActor liaison{input.liaison, "liaison", kMoroccanService};

  // France's side of the privacy-preserving mode: the secret both services hold.
  ENTENTE_RETURN_IF_ERROR(hnh::HitNoHitStore::Migrate(fr));
  ENTENTE_ASSIGN_OR_RETURN(exchange::Agreement fr_agreement,
                           exchange::ExchangeStore(&fr).GetAgreement("dgst"));
  ENTENTE_RETURN_IF_ERROR(hnh::HitNoHitStore(&fr).PutSettingsText(
      fr_agreement,
      "[hitnohit]\nprivacy = \"allowed\"\nsecret_file = \"" + nodes.paths().secret_file + "\"\n"));

  const Entity* leader = data.smuggling_network.empty()
                             ? nullptr
                             : FindEntity(data.moroccan, data.smuggling_network[0]);
  const Entity* suspect = FrenchSuspect(data.french);
  if (!leader || !suspect)
    return Internal("demo data lacks the smuggling ring's leader or a French suspect");
  std::vector<hnh::AskQuery> queries = {Traveller("traveller 1", *leader),
                                        Traveller("traveller 2", *suspect)};
  Say("Two travellers land at Orly on flight AT 780 from Casablanca. The French officer asks");
  Say("DGSN-DGST whether it knows them (`entente ask dgst --name ...`): one POST over mutual TLS,");
  Say("no list sent, and nothing of Morocco's files comes back but hit or no-hit.");
  hnh::AskOptions plain;
  plain.mode = hnh::AskOptions::Mode::kPlain;
  ENTENTE_ASSIGN_OR_RETURN(hnh::AskReport report, hnh::Ask(fr, "dgst", queries, plain, officer));
  for (size_t i = 0; i < report.answers.size() && i < queries.size(); ++i)
    Say("  " + queries[i].label + " (" + Describe(queries[i]) +
        "): " + AnswerText(report.answers[i]));

  // The same questions without names or dates on the wire.
  std::vector<std::string> bodies;
  hnh::AskOptions hidden;
  hidden.mode = hnh::AskOptions::Mode::kPrivate;
  hidden.on_send = [&](std::string_view, std::string_view body) { bodies.emplace_back(body); };
  ENTENTE_ASSIGN_OR_RETURN(hnh::AskReport private_report,
                           hnh::Ask(fr, "dgst", queries, hidden, officer));
  size_t bytes = 0;
  for (const std::string& b : bodies) bytes += b.size();
  std::vector<std::string> results;
  for (const hnh::AskAnswer& a : private_report.answers) results.push_back(a.result);
  Say("Privacy-preserving mode (" + private_report.mode + "): answers " + Join(results, ", ") +
      "; the " + std::to_string(bytes) + "-byte request carried keyed Bloom filters and hashes,");
  Say(std::string("  names, birth dates and nationalities in the clear: ") +
      (LeaksInClear(bodies, queries) ? "PRESENT (unexpected)" : "none"));

  // Step two: the follow-up, decided by a person on Morocco's side.
  const hnh::AskAnswer* hit = nullptr;
  for (const hnh::AskAnswer& a : report.answers)
    if (a.result == "hit" && !hit) hit = &a;
  if (!hit) {
    Say("No hit, so nothing to follow up.");
    return Status::Ok();
  }
  const std::string reason =
      "traveller held at Orly border control, flight AT 780; "
      "possible narcotics courier";
  ENTENTE_ASSIGN_OR_RETURN(hnh::FollowupRow sent,
                           hnh::RequestFollowup(fr, "dgst", hit->reference, reason, officer));
  Say("France sends a follow-up request " + sent.id + " for " + hit->reference +
      " (`entente followup request dgst ...`): \"" + reason + "\"");
  ENTENTE_ASSIGN_OR_RETURN(
      std::vector<hnh::FollowupRow> pending,
      hnh::HitNoHitStore(&ma).ListFollowups(hnh::FollowupStatus::kPending, "dgsi"));
  for (const hnh::FollowupRow& row : pending) {
    std::string label = row.entity_id;
    auto record = RecordStore(&ma).GetEntity(row.entity_id);
    if (record.ok())
      label = record->DisplayName() + " (" +
              std::string(ThreatCategoryName(record->meta.category)) + ")";
    Say("At DGSN-DGST, `entente followup list` shows " + row.id + " from " + row.partner +
        ": the reference stands for " + label + ".");
  }
  const std::string decision = "known leader of a smuggling ring; release for the border check";
  ENTENTE_ASSIGN_OR_RETURN(
      hnh::FollowupRow decided,
      hnh::DecideFollowupRequest(ma, kMoroccanService, sent.id, true, decision, liaison));
  Say("Follow-up " + decided.id + " " + std::string(hnh::FollowupStatusName(decided.status)) +
      " by " + decided.decided_by + ": \"" + decision + "\"");
  ENTENTE_ASSIGN_OR_RETURN(hnh::FetchSummary fetched,
                           hnh::FetchFollowups(fr, kFrenchService, "dgst", officer));
  for (const std::string& line : fetched.lines) Say("  France fetches: " + line);
  auto described = exchange::DescribeReceived(fr, leader->meta.id);
  if (described.ok())
    Say("  received at DGSI: " + *described);
  else
    Say("  the released record is not in France's store: " + described.status().ToString());

  ENTENTE_ASSIGN_OR_RETURN(int64_t fr_audit, CountAudit(fr, "hitnohit."));
  ENTENTE_ASSIGN_OR_RETURN(int64_t ma_audit, CountAudit(ma, "hitnohit."));
  std::printf(
      "Audit: %lld hit/no-hit entries at DGSI (queries sent, request, record received) and "
      "%lld at DGSN-DGST (answers, request, decision, release);\n"
      "`entente asked dgsi` lists what France asked.\n",
      (long long)fr_audit, (long long)ma_audit);
  return Status::Ok();
}

}  // namespace entente::demo
