// Commands of src/match: `match`, `screen` and `eval`. Owned by the match subsystem.
//
//   entente match NAME [--birth-date D] [--nationality CC] [--id-number N]
//                 [--type person|organization] [--top K] [--threshold T]
//   entente screen --input FILE.csv --output FILE.csv [--threshold T] [--top K] [--threads N]
//   entente eval --truth TRUTH.csv --hits HITS.csv [--threshold T]
#include <cstdio>
#include <optional>
#include <thread>

#include "cli/cli_context.h"
#include "common/progress.h"
#include "match/matcher.h"
#include "model/country.h"
#include "screen/screen_csv.h"
#include "screen/store_index.h"

namespace entente::cli {
namespace {

struct MatchFlags {
  std::string name;
  std::string birth_date;
  std::string nationality;
  std::string id_number;
  std::string type;
  int top = 10;
  std::optional<double> threshold;
};

struct ScreenFlags {
  std::string input;
  std::string output;
  std::string list_name;
  std::optional<double> threshold;
  int top = 5;
  int threads = 0;
};

struct EvalFlags {
  std::string truth;
  std::string hits;
  std::optional<double> threshold;
};

Result<std::unique_ptr<MatchIndex>> BuildIndexFromStore(CliContext& ctx, Database* db) {
  RecordStore store(db);
  ProgressBar progress("indexing", 0);
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<MatchIndex> index,
                           screen::BuildMatchIndex(store, RecordFilter{}, &progress));
  progress.Finish();
  return index;
}

Status CheckThreshold(const std::optional<double>& threshold) {
  if (threshold && (*threshold < 0.0 || *threshold > 1.0)) {
    return InvalidArgument("--threshold: must be between 0 and 1");
  }
  return Status::Ok();
}

Status RunMatch(CliContext& ctx, const MatchFlags& flags) {
  MatchQuery query;
  query.name = flags.name;
  if (!flags.birth_date.empty()) {
    std::string why;
    std::optional<PartialDate> date = PartialDate::Parse(flags.birth_date, &why);
    if (!date) date = PartialDate::ParseLoose(flags.birth_date, &why);
    if (!date) return InvalidArgument("--birth-date: '" + flags.birth_date + "': " + why);
    query.birth_date = date;
  }
  if (!flags.nationality.empty()) {
    query.nationality = NormalizeCountryCode(flags.nationality);
    if (query.nationality.empty()) {
      return InvalidArgument("--nationality: unknown country code '" + flags.nationality + "'");
    }
  }
  query.id_number = flags.id_number;
  if (!flags.type.empty()) {
    if (flags.type == "person") {
      query.type = EntityType::kPerson;
    } else if (flags.type == "organization") {
      query.type = EntityType::kOrganization;
    } else {
      return InvalidArgument("--type: must be person or organization, not '" + flags.type + "'");
    }
  }
  if (flags.top < 1) return InvalidArgument("--top: must be at least 1");
  query.top = flags.top;
  ENTENTE_RETURN_IF_ERROR(CheckThreshold(flags.threshold));
  query.threshold = flags.threshold.value_or(0.0);

  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, ctx.OpenDatabase());
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<MatchIndex> index, BuildIndexFromStore(ctx, db.get()));
  ENTENTE_ASSIGN_OR_RETURN(std::vector<MatchResult> results, index->Match(query));
  const double hit_threshold = MatchIndex::DefaultThreshold();
  MatchIndexStats stats = index->Stats();
  std::printf("%zu match%s for \"%s\" among %lld entities (hit at score >= %.2f)\n", results.size(),
              results.size() == 1 ? "" : "es", flags.name.c_str(),
              static_cast<long long>(stats.entities), hit_threshold);
  int rank = 0;
  for (const MatchResult& result : results) {
    std::printf("%2d. %.3f %s  %s  %s  \"%s\"\n", ++rank, result.score,
                result.score >= hit_threshold ? "HIT " : "    ",
                result.source_record_id.empty() ? "-" : result.source_record_id.c_str(),
                result.entity_id.c_str(), result.matched_name.c_str());
    for (const MatchFactor& factor : result.factors) {
      std::printf("      %-12s %s%.2f  %s\n", factor.factor.c_str(),
                  factor.factor == "name" ? " " : (factor.contribution >= 0 ? "+" : ""),
                  factor.contribution, factor.detail.c_str());
    }
  }
  return Status::Ok();
}

Status RunScreen(CliContext& ctx, const ScreenFlags& flags) {
  ENTENTE_RETURN_IF_ERROR(CheckThreshold(flags.threshold));
  if (flags.top < 1) return InvalidArgument("--top: must be at least 1");
  if (flags.threads < 0 || flags.threads > 256) {
    return InvalidArgument("--threads: must be between 1 and 256");
  }
  ENTENTE_ASSIGN_OR_RETURN(std::vector<match::QueryRow> rows, match::ReadQueryCsv(flags.input));
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, ctx.OpenDatabase());
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<MatchIndex> index, BuildIndexFromStore(ctx, db.get()));

  match::ScreenOptions options;
  options.threshold = flags.threshold.value_or(MatchIndex::DefaultThreshold());
  options.top = flags.top;
  options.threads = flags.threads > 0
                        ? flags.threads
                        : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::vector<MatchResult>> results;
  ProgressBar progress("screening", rows.size());
  match::ScreenSummary summary = match::ScreenQueries(*index, rows, options, &results, &progress);
  progress.Finish();
  for (const match::QueryRow& row : rows) {
    for (const std::string& warning : row.warnings)
      std::fprintf(stderr, "warning: %s\n", warning.c_str());
    if (!row.skip_reason.empty()) {
      std::fprintf(stderr, "skipped: %s: %s\n", flags.input.c_str(), row.skip_reason.c_str());
    }
  }
  ENTENTE_RETURN_IF_ERROR(match::WriteHitsCsv(flags.output, rows, results));
  std::printf("%s; threshold %.2f; %lld entities indexed; hits written to %s\n",
              summary.ToString().c_str(), options.threshold,
              static_cast<long long>(index->Stats().entities), flags.output.c_str());
  return Status::Ok();
}

Status RunEval(const EvalFlags& flags) {
  ENTENTE_RETURN_IF_ERROR(CheckThreshold(flags.threshold));
  ENTENTE_ASSIGN_OR_RETURN(match::EvalReport report,
                           match::EvaluateHits(flags.truth, flags.hits, flags.threshold));
  std::printf("%s\n", report.ToString().c_str());
  return Status::Ok();
}

}  // namespace

void RegisterMatchCommands(CLI::App& app, CliContext& ctx) {
  auto match_flags = std::make_shared<MatchFlags>();
  CLI::App* match = app.add_subcommand(
      "match", "Find the persons and organizations a name refers to, ranked, with explanations");
  match->add_option("name", match_flags->name, "The name, in any script")->required();
  match->add_option("--birth-date", match_flags->birth_date, "YYYY, YYYY-MM or YYYY-MM-DD");
  match->add_option("--nationality", match_flags->nationality, "ISO 3166 alpha-2 code");
  match->add_option("--id-number", match_flags->id_number, "Passport or national id number");
  match->add_option("--type", match_flags->type, "person or organization");
  match->add_option("--top", match_flags->top, "At most this many results (default 10)");
  match->add_option("--threshold", match_flags->threshold, "Drop results scoring below this");
  match->callback([&ctx, match_flags]() {
    Status status = RunMatch(ctx, *match_flags);
    if (!status.ok()) ctx.exit_code = ReportError(status);
  });

  auto screen_flags = std::make_shared<ScreenFlags>();
  CLI::App* screen = app.add_subcommand(
      "screen",
      "Screen a CSV of people/organizations (id,name,birth_date,nationality,id_number) "
      "against the store; writes query_id,entity_id,source_id,score,matched_name,"
      "explanation");
  screen->add_option("--input", screen_flags->input, "Query CSV")->required();
  screen->add_option("--output", screen_flags->output, "Hits CSV to write (without --list)");
  screen->add_option("--list", screen_flags->list_name,
                     "Store the list under this name and screen it as a resumable job "
                     "(as `entente jobs start`; hits go to the review queue: entente hits)");
  screen->add_option("--threshold", screen_flags->threshold,
                     "Report hits at or above this score (default: the calibrated threshold)");
  screen->add_option("--top", screen_flags->top, "At most this many hits per query (default 5)");
  screen->add_option("--threads", screen_flags->threads, "Worker threads (default: all cores)");
  screen->callback([&ctx, screen_flags]() {
    if (!screen_flags->list_name.empty()) {
      if (!screen_flags->output.empty()) {
        ctx.exit_code = ReportError(InvalidArgument(
            "--output: not used with --list (the hits go to the store; export them with "
            "`entente hits --list NAME --format csv`)"));
        return;
      }
      StartScreeningJob(ctx, StoredListScreening{screen_flags->list_name, screen_flags->input,
                                                 screen_flags->threshold.value_or(-1.0),
                                                 screen_flags->top > 0 ? screen_flags->top : 10,
                                                 screen_flags->threads});
      return;
    }
    if (screen_flags->output.empty()) {
      ctx.exit_code = ReportError(InvalidArgument("--output: required (or --list NAME)"));
      return;
    }
    Status status = RunScreen(ctx, *screen_flags);
    if (!status.ok()) ctx.exit_code = ReportError(status);
  });

  auto eval_flags = std::make_shared<EvalFlags>();
  CLI::App* eval =
      app.add_subcommand("eval",
                         "Score a hits CSV against a truth CSV (query_id,expected_watchlist_id): "
                         "precision, recall, F1, recall@5");
  eval->add_option("--truth", eval_flags->truth, "Truth CSV")->required();
  eval->add_option("--hits", eval_flags->hits, "Hits CSV written by `entente screen`")->required();
  eval->add_option("--threshold", eval_flags->threshold, "Ignore hits scoring below this");
  eval->callback([&ctx, eval_flags]() {
    Status status = RunEval(*eval_flags);
    if (!status.ok()) ctx.exit_code = ReportError(status);
  });
}

}  // namespace entente::cli
