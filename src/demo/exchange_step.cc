#include "demo/exchange_step.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "common/text.h"
#include "demo/demo_output.h"
#include "exchange/agreement.h"
#include "exchange/demo_flow.h"
#include "exchange/signing.h"
#include "match/matcher.h"
#include "screen/hit_review.h"
#include "screen/screening_job.h"
#include "screen/store_index.h"
#include "store/record_store.h"

namespace entente::demo {
namespace {

// A held-back reason in words that group well: the relationship reasons name a record id, which
// would make one group per record.
std::string ReasonGroup(const std::string& reason) {
  if (reason.rfind("end ", 0) == 0) {
    if (reason.find("is not in the store") != std::string::npos)
      return "a link to a record this node does not hold";
    return "a link to a record that is itself held back (sharing it would reveal that record)";
  }
  return reason;
}

struct ShareTally {
  int64_t records = 0;
  int64_t shared = 0;
  int64_t held_back = 0;
  std::map<std::string, int64_t> by_reason;  // records held back for each reason
};

// What the agreement lets through, record by record, as the TAXII collection publishes it.
Result<ShareTally> TallyAgreement(Database& ma, const exchange::Agreement& agreement) {
  RecordStore store(&ma);
  std::unordered_map<std::string, Record> records;
  ENTENTE_RETURN_IF_ERROR(store.ForEachRecord(RecordFilter{}, [&](const Record& r) {
    if (!MetaOf(r).revoked) records.emplace(MetaOf(r).id, r);
    return true;
  }));
  exchange::EndpointCheck endpoint = [&](const std::string& id) -> Result<bool> {
    auto it = records.find(id);
    if (it == records.end()) return NotFound(id);
    return exchange::Evaluate(agreement, kMoroccanService, it->second).shared;
  };
  ShareTally tally;
  for (const auto& [id, record] : records) {
    ++tally.records;
    exchange::ShareDecision d = exchange::Evaluate(agreement, kMoroccanService, record, endpoint);
    if (d.shared) {
      ++tally.shared;
      continue;
    }
    ++tally.held_back;
    std::map<std::string, bool> seen;  // a record counts once per group
    for (const std::string& reason : d.reasons) {
      std::string group = ReasonGroup(reason);
      if (!seen[group]) ++tally.by_reason[group];
      seen[group] = true;
    }
  }
  return tally;
}

std::string AgreementInWords(const exchange::Agreement& a) {
  std::vector<std::string> categories;
  for (ThreatCategory c : a.share.categories) categories.emplace_back(ThreatCategoryName(c));
  std::string text = "categories " +
                     (a.share.all_categories ? std::string("all") : Join(categories, ", ")) +
                     "; up to TLP:" + std::string(TlpName(a.share.max_tlp)) +
                     "; source reliability " + a.share.min_reliability + " or better";
  if (!a.share.drop.empty()) text += "; dropped: " + Join(a.share.drop, ", ");
  if (!a.share.redact.empty()) text += "; masked: " + Join(a.share.redact, ", ");
  return text;
}

}  // namespace

Status RunExchangeStep(TwoNodes& nodes, const ExchangeStepInput& input) {
  const SampleData& data = *input.data;
  Database& ma = nodes.morocco();
  Database& fr = nodes.france();

  // What Morocco's liaison officer agreed to share, and what that means for its records.
  ENTENTE_ASSIGN_OR_RETURN(ShareTally tally, TallyAgreement(ma, nodes.agreement()));
  Say("Morocco's node (DGSN-DGST) serves TAXII 2.1 at " + nodes.morocco_url() +
      " over HTTPS; only a client");
  Say("certificate from the demo CA gets in, and the one with CN \"dgsi\" is France's (mutual "
      "TLS).");
  Say("Agreement DGSN-DGST -> DGSI: " + AgreementInWords(nodes.agreement()) + ".");
  std::printf(
      "DGSN-DGST holds %lld records; under the agreement %lld are shared with DGSI and "
      "%lld held back. Why held back (a record may have several reasons):\n",
      (long long)tally.records, (long long)tally.shared, (long long)tally.held_back);
  std::vector<std::pair<int64_t, std::string>> reasons;
  for (const auto& [reason, count] : tally.by_reason) reasons.emplace_back(count, reason);
  std::sort(reasons.rbegin(), reasons.rend());
  for (const auto& [count, reason] : reasons)
    std::printf("  %5lld  %s\n", (long long)count, reason.c_str());
  if (!data.smuggling_network.empty()) {
    RecordStore ma_store(&ma);
    auto hub = ma_store.Get(data.smuggling_network[0]);
    if (hub.ok()) {
      exchange::ShareDecision d = exchange::Evaluate(nodes.agreement(), kMoroccanService, *hub);
      if (!d.shared && !d.reasons.empty())
        Say("  e.g. `entente share explain " + data.smuggling_network[0] +
            " dgsi`:\n    NOT shared: " + Join(d.reasons, "; "));
    }
  }

  // France's own records, then the pull.
  ENTENTE_RETURN_IF_ERROR(RecordStore::Migrate(fr));
  {
    RecordStore fr_store(&fr);
    ENTENTE_ASSIGN_OR_RETURN(WriteSummary own, fr_store.PutAll(data.french));
    std::printf("France's node (DGSI, its own store %s) holds its own %lld records.\n",
                nodes.paths().france_db.c_str(), (long long)own.created);
  }
  ENTENTE_ASSIGN_OR_RETURN(
      exchange::SyncReport report,
      exchange::PullFranceFromMorocco(fr, nodes.morocco_url(), nodes.morocco_public_key(),
                                      nodes.paths().pki));
  std::printf(
      "France received %lld records from DGSN-DGST (`entente sync dgst`: %lld page(s), "
      "%lld STIX objects, %lld new, %lld rejected).\n",
      (long long)(report.created + report.updated), (long long)report.pages,
      (long long)report.objects, (long long)report.created, (long long)report.rejected);
  Say("Each object's Ed25519 signature (over its RFC 8785 canonical JSON) was checked against");
  Say("DGSN-DGST's public key " + exchange::KeyIdOf(nodes.morocco_public_key()) +
      " from France's agreement; a bad one is rejected and audited.");

  // France screens the accreditation applicants against everything it now holds.
  RecordStore fr_store(&fr);
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<MatchIndex> index,
                           screen::BuildMatchIndex(fr_store, RecordFilter{}, nullptr));
  screen::ScreeningOptions screening;
  screening.user = input.user;
  screening.watchlist = index.get();
  const std::string list_name = "olympics-accreditation";
  ENTENTE_ASSIGN_OR_RETURN(
      screen::JobInfo job,
      screen::RunScreening(fr, {list_name, input.applicants_path}, screening, nullptr));
  screen::HitFilter filter;
  filter.list_name = list_name;
  filter.job_id = job.id;
  ENTENTE_ASSIGN_OR_RETURN(std::vector<screen::HitInfo> hits, screen::ListHits(fr, filter));
  // Which service each hit's record came from; rows that only the partner's records caught.
  std::map<std::string, std::string> owner;  // entity id -> service
  std::map<std::string, bool> row_has_own_hit;
  const screen::HitInfo* traced = nullptr;
  bool traced_is_planted = false;
  int64_t moroccan_hits = 0;
  for (const screen::HitInfo& h : hits) {
    if (!owner.count(h.entity_id)) {
      auto record = fr_store.Get(h.entity_id);
      owner[h.entity_id] = record.ok() ? MetaOf(*record).provenance.service : "";
    }
    bool moroccan = owner[h.entity_id] == kMoroccanService;
    row_has_own_hit[h.row_id] = row_has_own_hit[h.row_id] || !moroccan;
    if (!moroccan) continue;
    ++moroccan_hits;
    // Prefer a hit the demo knows is right (an applicant planted under another spelling).
    bool planted = false;
    for (const Applicant& a : data.applicants)
      if (a.id == h.row_id && a.planted_entity_id == h.entity_id) planted = true;
    if (!traced || (planted && !traced_is_planted)) {
      traced = &h;
      traced_is_planted = planted;
    }
  }
  int64_t only_partner = 0;
  for (const auto& [row, own] : row_has_own_hit) only_partner += !own;
  std::printf(
      "France screened %lld applicants against its %lld watchlist entities: %lld hits; "
      "%lld hit(s) trace back to DGSN-DGST records,\n"
      "and %lld applicant(s) were caught only thanks to the partner's records.\n",
      (long long)job.rows_done, (long long)index->Stats().entities, (long long)hits.size(),
      (long long)moroccan_hits, (long long)only_partner);
  if (traced) {
    std::printf("  hit %lld  %s -> %s  %.2f\n        why: %s\n", (long long)traced->hit_id,
                traced->row_id.c_str(), traced->matched_name.c_str(), traced->score,
                traced->explanation.c_str());
    ENTENTE_ASSIGN_OR_RETURN(std::string described,
                             exchange::DescribeReceived(fr, traced->entity_id));
    Say("  traced to DGSN-DGST: " + described);
    Say("  France sees Morocco's markings and grades, not its source (masked by the agreement),");
    Say("  and must not pass the record on beyond what those markings allow.");
  } else {
    Say("  (no applicant matched a record received from DGSN-DGST this time)");
  }
  return Status::Ok();
}

}  // namespace entente::demo
