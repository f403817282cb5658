#include "screen/screen_demo.h"

#include <fstream>

#include "common/ids.h"
#include "screen/alerts.h"
#include "screen/hit_review.h"
#include "screen/rescreen.h"
#include "screen/screen_output.h"
#include "store/record_store.h"

namespace entente::screen {
namespace {

struct DemoPerson {
  const char* key;
  const char* name;
  const char* alias;
  const char* birth_date;
  const char* nationality;
  ThreatCategory category;
};

constexpr DemoPerson kWatchlist[] = {
    {"W-001", "Mohammed EL IDRISSI", "Muhammad bin Abd al-Qadir al-Idrisi", "1987-03-04", "MA",
     ThreatCategory::kTerrorism},
    {"W-002", "Karim BENSAID", "Kareem Ben Saeed", "1979-11-20", "DZ",
     ThreatCategory::kNarcotics},
    {"W-003", "Fatima Zahra OUAZZANI", "", "1990-06-15", "MA",
     ThreatCategory::kHumanTrafficking},
    {"W-004", "Jean-Luc MARCHETTI", "", "1968-01-30", "FR", ThreatCategory::kOrganizedCrime},
};

// Shared "weeks later" by the partner: matches applicant A-0009.
constexpr DemoPerson kNewRecord = {"P-117", "Youssef AIT BENHADDOU", "Yusuf Ait Ben Haddou",
                                   "1992-08-09", "MA", ThreatCategory::kIllegalMigration};

Entity MakePerson(const DemoPerson& person, const std::string& service,
                  const std::string& source) {
  Entity entity;
  entity.meta.id = DeterministicId("person", source, person.key);
  entity.meta.provenance = Provenance{service, source, person.key, "", ""};
  entity.meta.grades = Grades{'B', 2};
  entity.meta.category = person.category;
  entity.meta.marking = Marking{Tlp::kAmber, {}};
  entity.type = EntityType::kPerson;
  entity.names.push_back(Name{person.name, NameKind::kPrimary, "Latn"});
  if (*person.alias) entity.names.push_back(Name{person.alias, NameKind::kAlias, "Latn"});
  if (auto date = PartialDate::Parse(person.birth_date)) entity.birth_dates.push_back(*date);
  entity.nationalities.push_back(person.nationality);
  return entity;
}

}  // namespace

Status WriteDemoApplicants(const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  out << "id,name,birth_date,nationality,id_number\n"
         "A-0001,Mohamed El Idrissi,1987-03-04,MA,\n"
         "A-0002,Claire Dubois,1991-05-12,FR,\n"
         "A-0003,Karim Ben Said,1979-11-20,DZ,\n"
         "A-0004,Fatima-Zahra Ouazzani,1990-06-15,MA,\n"
         "A-0005,Thomas Bernard,1985-02-01,FR,\n"
         "A-0006,Mohammed Idrissi,1962-07-19,MA,\n"
         "A-0007,Sofia Martinez,1993-09-23,ES,\n"
         "A-0008,,1980-01-01,FR,\n"
         "A-0009,Youssef Ait Benhaddou,1992-08-09,MA,\n"
         "A-0010,Nadia Cherkaoui,1988-12-03,MA,\n"
         "A-0003,Karim Bensaid,1979-11-20,DZ,\n"
         "A-0011,Jean Luc Marchetti,1968-01-30,FR,\n"
         "A-0012,Leila Haddad,31/02/1990,TN,\n";
  out.close();
  if (!out) return IOError(path + ": cannot write the demo applicants");
  return Status::Ok();
}

Result<ScreeningDemoOutcome> RunScreeningDemo(Database& db, const ScreeningDemoOptions& options,
                                              std::ostream& out) {
  ScreeningDemoOutcome outcome;
  RecordStore store(&db);
  ENTENTE_RETURN_IF_ERROR(RecordStore::Migrate(db));
  if (options.seed_watchlist) {
    std::vector<Record> records;
    for (const DemoPerson& person : kWatchlist) {
      records.emplace_back(MakePerson(person, options.service, "demo-watchlist"));
    }
    ENTENTE_ASSIGN_OR_RETURN(auto written, store.PutAll(records));
    out << "== watchlist: " << written.created << " demo records added (" << written.unchanged
        << " already there)\n";
  }

  // 1. Screen the applicants.
  std::string list_name = options.list_name;
  for (int suffix = 2; FindList(db, list_name).ok(); ++suffix) {
    list_name = options.list_name + "-" + std::to_string(suffix);
  }
  const std::string path = options.work_dir + "/" + list_name + ".csv";
  ENTENTE_RETURN_IF_ERROR(WriteDemoApplicants(path));
  ScreeningOptions screening;
  screening.user = options.user;
  screening.engine = options.engine;
  screening.threads = 2;
  screening.on_row_error = [&out](const RowError& error) {
    out << "   " << error.ToString() << "\n";
  };
  out << "== screening " << path << " as list '" << list_name << "'\n";
  ENTENTE_ASSIGN_OR_RETURN(JobInfo job,
                           RunScreening(db, ScreenListInput{list_name, path}, screening, nullptr));
  outcome.job_id = job.id;
  outcome.hits = job.hits;
  out << "   job " << job.id << ": " << job.rows_done << " rows screened, " << job.rows_rejected
      << " rejected, " << job.hits << " hits\n";
  HitFilter filter;
  filter.list_name = list_name;
  ENTENTE_ASSIGN_OR_RETURN(auto hits, ListHits(db, filter));
  HitWriter writer(out, OutputFormat::kTable);
  for (const HitInfo& hit : hits) writer.Write(hit);
  writer.Finish();

  // 2. Decide a few: the first hit is confirmed, the second referred to a senior officer.
  out << "== review\n";
  for (const HitInfo& hit : hits) {
    if (outcome.decided >= 2) break;
    Decision decision = outcome.decided == 0 ? Decision::kMatch : Decision::kRefer;
    std::string reason = decision == Decision::kMatch
                             ? "same name, birth date and nationality as the watchlist record"
                             : "same name and birth date; ask the liaison officer for the file";
    ENTENTE_ASSIGN_OR_RETURN(
        HitInfo decided, Decide(db, DecideRequest{hit.hit_id, decision, reason, options.user}));
    ++outcome.decided;
    out << "   hit " << decided.hit_id << " (" << decided.row_id << " ~ " << decided.matched_name
        << "): " << decided.decision << " by " << decided.decided_by << ": " << reason << "\n";
  }

  // 3. Weeks later the partner shares a new record.
  Entity shared = MakePerson(kNewRecord, options.partner, "demo-partner-share");
  outcome.new_record_id = shared.meta.id;
  ENTENTE_ASSIGN_OR_RETURN(auto put, store.PutAll({Record(shared)}));
  out << "== " << options.partner << " shares a new record: " << kNewRecord.name << " ("
      << ThreatCategoryName(kNewRecord.category) << "), change " << put.last_change_seq << "\n";

  // 4. Continuous re-screening raises the alert.
  RescreenOptions rescreen;
  rescreen.user = options.user;
  rescreen.engine = options.engine;
  rescreen.list_name = list_name;
  ENTENTE_ASSIGN_OR_RETURN(RescreenSummary summary, Rescreen(db, rescreen));
  out << "== " << summary.ToString() << "\n";
  AlertFilter alert_filter;
  alert_filter.list_name = list_name;
  ENTENTE_ASSIGN_OR_RETURN(auto alerts, ListAlerts(db, alert_filter));
  outcome.alerts = static_cast<int64_t>(alerts.size());
  WriteAlerts(out, OutputFormat::kTable, alerts);
  return outcome;
}

}  // namespace entente::screen
