#include "demo/demo_steps.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "demo/demo_output.h"
#include "demo/exchange_step.h"
#include "demo/hitnohit_step.h"
#include "demo/network_risk_step.h"
#include "demo/two_nodes.h"
#include "ingest/importer.h"
#include "match/matcher.h"
#include "model/codec.h"
#include "screen/alerts.h"
#include "screen/hit_review.h"
#include "screen/rescreen.h"
#include "screen/screening_job.h"
#include "screen/store_index.h"
#include "store/record_store.h"

namespace entente::demo {
namespace {

Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return IOError(path + ": cannot write");
  out << text;
  return out ? Status::Ok() : IOError(path + ": write failed");
}

Status WriteJsonl(const std::string& path, const std::vector<Record>& records) {
  std::string text;
  for (const Record& r : records) text += RecordToJson(r) + "\n";
  return WriteText(path, text);
}

int CountType(const std::vector<Record>& records, EntityType type) {
  int n = 0;
  for (const Record& r : records)
    if (auto* e = std::get_if<Entity>(&r); e && e->type == type) ++n;
  return n;
}

int CountRelationships(const std::vector<Record>& records) {
  int n = 0;
  for (const Record& r : records) n += std::holds_alternative<Relationship>(r);
  return n;
}

struct SampleFiles {
  std::string moroccan;
  std::string french;
  std::string applicants;
};

// Step 1: the two services' records and the applicants, written where the officer can read them.
Result<SampleFiles> WriteSampleFiles(const DemoOptions& options, const SampleData& data) {
  Heading(1, "Sample intelligence of two services");
  SampleFiles files{options.workdir + "/ma_intel.jsonl", options.workdir + "/fr_intel.jsonl",
                    options.workdir + "/applicants.csv"};
  ENTENTE_RETURN_IF_ERROR(WriteJsonl(files.moroccan, data.moroccan));
  ENTENTE_RETURN_IF_ERROR(WriteJsonl(files.french, data.french));
  ENTENTE_RETURN_IF_ERROR(WriteText(files.applicants, ApplicantsCsv(data.applicants)));
  for (auto [service, records, path] :
       {std::tuple{kMoroccanService, &data.moroccan, files.moroccan},
        std::tuple{kFrenchService, &data.french, files.french}}) {
    std::printf(
        "%-10s %5d persons, %3d organizations, %4d phones, %5d relationships  -> %s\n", service,
        CountType(*records, EntityType::kPerson), CountType(*records, EntityType::kOrganization),
        CountType(*records, EntityType::kPhone), CountRelationships(*records), path.c_str());
  }
  std::printf("applicants %5zu (accreditation requests for a major event)      -> %s\n",
              data.applicants.size(), files.applicants.c_str());
  return files;
}

// Step 2: both files through the one import path, and what the store then holds.
Status ImportSamples(const DemoOptions& options, const SampleFiles& files, RecordStore& store) {
  Heading(2, "Import into the store");
  for (auto [service, path] :
       {std::pair{kMoroccanService, files.moroccan}, std::pair{kFrenchService, files.french}}) {
    ingest::ImportOptions import;
    import.format = "jsonl";
    import.paths = {path};
    import.defaults.service = service;
    import.defaults.source = service == std::string(kMoroccanService) ? "ma-intel" : "fr-intel";
    auto report = ingest::RunImport(store, import);
    if (!report.ok()) return report.status();
    std::printf("%-10s %s\n", service, ingest::ImportSummaryLine(*report).c_str());
  }
  auto stats = store.Stats();
  if (!stats.ok()) return stats.status();
  std::printf("store %s: %lld records, change feed at %lld\n", options.db_target.c_str(),
              (long long)stats->records, (long long)stats->max_change_seq);
  for (const auto& [category, count] : stats->by_category)
    std::printf("  %-20s %lld\n", category.c_str(), (long long)count);
  return Status::Ok();
}

// Step 3: a planted applicant looked up by the spelling on the form, with the explanation.
Status ShowOneMatch(const SampleData& data, const MatchIndex& index) {
  Heading(3, "Matching: one name, many spellings");
  const Applicant* probe = nullptr;
  for (const Applicant& a : data.applicants) {
    if (!a.planted_entity_id.empty() && a.planted_entity_id != data.linked_applicant_entity_id) {
      probe = &a;
      break;
    }
  }
  if (!probe) return Status::Ok();
  MatchQuery query;
  query.name = probe->name;
  if (!probe->birth_date.empty()) query.birth_date = PartialDate::Parse(probe->birth_date);
  query.nationality = probe->nationality;
  query.top = 3;
  auto results = index.Match(query);
  if (!results.ok()) return results.status();
  std::printf("query: \"%s\", born %s, %s\n", probe->name.c_str(), probe->birth_date.c_str(),
              probe->nationality.c_str());
  for (const MatchResult& r : *results)
    std::printf("  %.2f  %-36s %s\n        why: %s\n", r.score, r.matched_name.c_str(),
                r.entity_id.c_str(), r.Explanation().c_str());
  return Status::Ok();
}

// Step 4: the applicants screened as a job; how many of the planted ones were caught.
Result<std::vector<screen::HitInfo>> ScreenApplicants(const DemoOptions& options,
                                                      const SampleData& data, Database& db,
                                                      const MatchIndex& index,
                                                      const std::string& applicants_path,
                                                      const std::string& list_name) {
  Heading(4, "Screening the accreditation applicants");
  screen::ScreeningOptions screening;
  screening.user = options.user;
  screening.watchlist = &index;
  auto job = screen::RunScreening(db, {list_name, applicants_path}, screening, nullptr);
  if (!job.ok()) return job.status();
  std::printf("job %lld: %lld rows screened, %lld hits at threshold %.2f\n", (long long)job->id,
              (long long)job->rows_done, (long long)job->hits, job->threshold);
  screen::HitFilter open_hits;
  open_hits.list_name = list_name;
  open_hits.status = "open";
  ENTENTE_ASSIGN_OR_RETURN(auto hits, screen::ListHits(db, open_hits));
  int planted_found = 0;
  for (const Applicant& a : data.applicants) {
    if (a.planted_entity_id.empty()) continue;
    for (const auto& h : hits)
      if (h.row_id == a.id && h.entity_id == a.planted_entity_id) {
        ++planted_found;
        break;
      }
  }
  std::printf("%d of the %d applicants planted under another spelling were caught\n", planted_found,
              options.sample.planted_applicants);
  int shown = 0;
  for (const auto& h : hits) {
    if (shown++ == 4) break;
    std::printf("  hit %lld  %s -> %s  %.2f\n        why: %s\n", (long long)h.hit_id,
                h.row_id.c_str(), h.matched_name.c_str(), h.score, h.explanation.c_str());
  }
  return hits;
}

// Step 5: the officer confirms two planted people (the demo knows the truth) and clears a
// namesake.
Status ReviewHits(const DemoOptions& options, const SampleData& data, Database& db,
                  const std::vector<screen::HitInfo>& hits) {
  Heading(5, "Review: the officer decides");
  int confirmed = 0, cleared = 0;
  for (const auto& h : hits) {
    const Applicant* applicant = nullptr;
    for (const Applicant& a : data.applicants)
      if (a.id == h.row_id) applicant = &a;
    if (!applicant) continue;
    bool same = applicant->planted_entity_id == h.entity_id;
    if (same ? confirmed == 2 : cleared == 1) continue;
    screen::DecideRequest request;
    request.hit_id = h.hit_id;
    request.user = options.user;
    request.decision = same ? screen::Decision::kMatch : screen::Decision::kNoMatch;
    request.reason = same ? "same person: spelling variant, birth date and nationality agree"
                          : "namesake: birth date and passport differ on document check";
    auto d = screen::Decide(db, request);
    if (!d.ok()) return d.status();
    std::printf("  hit %lld (%s ~ %s) -> %s by %s: %s\n", (long long)h.hit_id, h.row_id.c_str(),
                h.matched_name.c_str(), d->status.c_str(), options.user.c_str(),
                request.reason.c_str());
    (same ? confirmed : cleared)++;
    if (confirmed == 2 && cleared == 1) break;
  }
  return Status::Ok();
}

// Step 6: a partner record arrives weeks later; re-screening raises the alert.
Status LateRecordAndRescreen(const DemoOptions& options, const SampleData& data, Database& db,
                             RecordStore& store) {
  Heading(6, "Weeks later: the partner reports someone; continuous re-screening");
  Record late = LateArrivingRecord(data);
  auto written = store.PutAll({late});
  if (!written.ok()) return written.status();
  std::printf("DGSI record %s arrives (change %lld)\n", MetaOf(late).id.c_str(),
              (long long)written->last_change_seq);
  screen::RescreenOptions rescreen;
  rescreen.user = options.user;
  auto summary = screen::Rescreen(db, rescreen, nullptr);
  if (!summary.ok()) return summary.status();
  std::printf("re-screened %lld list(s) against %lld changed entit%s: %lld new hit(s)\n",
              (long long)summary->lists_checked, (long long)summary->entities_changed,
              summary->entities_changed == 1 ? "y" : "ies", (long long)summary->new_hits);
  auto alerts = screen::ListAlerts(db, {});
  if (!alerts.ok()) return alerts.status();
  for (const auto& a : *alerts)
    std::printf("  ALERT %s: list %s, applicant %s ~ %s (%.2f)\n        why: %s\n", a.kind.c_str(),
                a.list_name.c_str(), a.row_id.c_str(), a.matched_name.c_str(), a.score,
                a.why.c_str());
  return Status::Ok();
}

// Steps 8 and 9: two real nodes; the servers stop on every path out. Returns their folder.
Result<std::string> RunTwoNodeSteps(const DemoOptions& options, const SampleData& data,
                                    const std::string& applicants_path) {
  Heading(8, "Two nodes: Morocco shares, France pulls over TAXII 2.1 with mutual TLS");
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<TwoNodes> nodes,
                           TwoNodes::Start(options.workdir, data.moroccan));
  ExchangeStepInput exchange;
  exchange.data = &data;
  exchange.applicants_path = applicants_path;
  exchange.user = "fr-officer";
  ENTENTE_RETURN_IF_ERROR(RunExchangeStep(*nodes, exchange));

  Heading(9, "Hit/no-hit: France asks about two travellers, then follows up");
  HitNoHitStepInput hitnohit;
  hitnohit.data = &data;
  ENTENTE_RETURN_IF_ERROR(RunHitNoHitStep(*nodes, hitnohit));
  nodes->Stop();
  return nodes->paths().root;
}

}  // namespace

Status RunDemo(const DemoOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  std::filesystem::create_directories(options.workdir, ec);
  if (ec) return IOError(options.workdir + ": cannot create folder: " + ec.message());
  SampleData data = GenerateSampleData(options.sample);
  ENTENTE_ASSIGN_OR_RETURN(SampleFiles files, WriteSampleFiles(options, data));

  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(options.db_target));
  ENTENTE_RETURN_IF_ERROR(RecordStore::Migrate(*db));
  RecordStore store(db.get());
  ENTENTE_RETURN_IF_ERROR(ImportSamples(options, files, store));
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<MatchIndex> index,
                           screen::BuildMatchIndex(store, RecordFilter{}, nullptr));
  ENTENTE_RETURN_IF_ERROR(ShowOneMatch(data, *index));
  const std::string list_name = "olympics-accreditation";
  ENTENTE_ASSIGN_OR_RETURN(
      auto hits, ScreenApplicants(options, data, *db, *index, files.applicants, list_name));
  ENTENTE_RETURN_IF_ERROR(ReviewHits(options, data, *db, hits));
  ENTENTE_RETURN_IF_ERROR(LateRecordAndRescreen(options, data, *db, store));

  Heading(7, "Link analysis: the networks and who holds them together");
  NetworkRiskStepInput network;
  network.data = &data;
  network.list_name = list_name;
  ENTENTE_RETURN_IF_ERROR(RunNetworkRiskStep(*db, network));

  ENTENTE_ASSIGN_OR_RETURN(std::string nodes_root,
                           RunTwoNodeSteps(options, data, files.applicants));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "\nDemo finished in %.1f s; Morocco's server is stopped. Files are in %s; explore with\n"
      "`entente --db %s stats`, `entente --db %s hits --list %s`, `entente --db %s alerts`,\n"
      "`entente --db %s --service %s graph central`, and the two nodes' stores in %s.\n",
      seconds, options.workdir.c_str(), options.db_target.c_str(), options.db_target.c_str(),
      list_name.c_str(), options.db_target.c_str(), options.db_target.c_str(), kMoroccanService,
      nodes_root.c_str());
  return Status::Ok();
}

}  // namespace entente::demo
