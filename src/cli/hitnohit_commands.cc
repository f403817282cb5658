// Commands of src/exchange/hitnohit (Prüm-style hit/no-hit between partners):
//
//   entente ask PARTNER --name NAME [--birth-date D] [--nationality CC] [--id-number X]
//   entente ask PARTNER --input FILE.csv        (columns id,name,birth_date,nationality,id_number)
//   entente followup request PARTNER REFERENCE --reason TEXT
//   entente followup fetch [PARTNER]            (collect decisions and released records)
//   entente followup list [--status S] [--partner P] [--outgoing]
//   entente followup approve|refuse ID --reason TEXT
//   entente asked PARTNER [--since TIME] [--limit N]   (what a partner asked this node)
//   entente hitnohit settings PARTNER [--file FILE | --clear]
//
// Local commands act as "cli:<user>" in the audit trail (--user / $ENTENTE_USER / $USER).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "audit/audit_log.h"
#include "cli/cli_context.h"
#include "common/csv.h"
#include "exchange/exchange_store.h"
#include "exchange/hitnohit/asking.h"
#include "exchange/hitnohit/followup.h"
#include "exchange/hitnohit/hitnohit_store.h"
#include "screen/screen_csv.h"

namespace entente::cli {
namespace {

namespace hnh = entente::exchange::hitnohit;

struct AskFlags {
  std::string partner;
  std::string name;
  std::string birth_date;
  std::string nationality;
  std::string id_number;
  std::string input;
  std::string output;
  bool plain = false;
  bool private_mode = false;
};

Result<std::vector<hnh::AskQuery>> QueriesFrom(const AskFlags& f) {
  std::vector<hnh::AskQuery> queries;
  if (!f.input.empty()) {
    if (!f.name.empty()) return InvalidArgument("--name and --input: give one or the other");
    ENTENTE_ASSIGN_OR_RETURN(std::vector<match::QueryRow> rows, match::ReadQueryCsv(f.input));
    for (const match::QueryRow& row : rows) {
      for (const std::string& warning : row.warnings)
        std::fprintf(stderr, "warning: %s\n", warning.c_str());
      hnh::AskQuery q{row.id, row.query.name, row.query.birth_date, row.query.nationality,
                      row.query.id_number};
      if (!row.skip_reason.empty()) q.name.clear();  // reported as not sent
      queries.push_back(std::move(q));
    }
    return queries;
  }
  if (f.name.empty()) return InvalidArgument("--name or --input is required");
  hnh::AskQuery q{"1", f.name, std::nullopt, f.nationality, f.id_number};
  if (!f.birth_date.empty()) {
    std::string why;
    q.birth_date = PartialDate::Parse(f.birth_date, &why);
    if (!q.birth_date) return InvalidArgument("--birth-date: " + why);
  }
  queries.push_back(std::move(q));
  return queries;
}

void PrintFollowups(const std::vector<hnh::FollowupRow>& rows, bool outgoing) {
  if (rows.empty()) {
    std::printf("no follow-up requests\n");
    return;
  }
  for (const hnh::FollowupRow& row : rows) {
    std::printf("%s  %-9s %s %s  %s  reference %s\n", row.id.c_str(),
                std::string(hnh::FollowupStatusName(row.status)).c_str(), outgoing ? "to" : "from",
                row.partner.c_str(), row.created.c_str(), row.reference.c_str());
    if (!outgoing) std::printf("    record %s\n", row.entity_id.c_str());
    std::printf("    asked by %s: %s\n",
                row.requested_by.empty() ? "(unnamed)" : row.requested_by.c_str(),
                row.reason.c_str());
    if (row.status != hnh::FollowupStatus::kPending)
      std::printf("    decision%s%s: %s\n", row.decided_by.empty() ? "" : " by ",
                  row.decided_by.c_str(), row.decision_reason.c_str());
  }
}

// The flags of the followup subcommands (one set: one of them runs).
struct FollowupFlags {
  std::string partner, reference, reason, id, status, list_partner;
  bool outgoing = false;
};

// Prints the hit/no-hit settings in force for `partner`.
void PrintSettings(const std::string& partner, const hnh::HitNoHitSettings& s) {
  std::string categories;
  if (s.all_categories) categories = "*";
  for (ThreatCategory c : s.categories)
    categories += (categories.empty() ? "" : ",") + std::string(ThreatCategoryName(c));
  std::string types;
  for (const std::string& t : s.types) types += (types.empty() ? "" : ",") + t;
  std::printf(
      "partner %s\n  enabled %s\n  searchable categories %s, types %s, up to TLP:%s\n"
      "  follow-up releases up to TLP:%s\n  quota %lld queries/day, %lld requests/minute, "
      "batches of %d\n  references valid %lld h\n  thresholds: plain %.2f, private %.2f\n"
      "  privacy %s (secret from %s)\n",
      partner.c_str(), s.enabled ? "yes" : "no", categories.c_str(), types.c_str(),
      std::string(TlpName(s.max_tlp)).c_str(), std::string(TlpName(s.release_max_tlp)).c_str(),
      static_cast<long long>(s.quota_per_day), static_cast<long long>(s.rate_per_minute),
      s.max_batch, static_cast<long long>(s.reference_ttl_seconds / 3600), s.threshold,
      s.privacy_threshold, std::string(hnh::PrivacyModeName(s.privacy)).c_str(),
      !s.secret_env.empty()    ? ("$" + s.secret_env).c_str()
      : !s.secret_file.empty() ? s.secret_file.c_str()
                               : "nowhere");
}

void RegisterAskCommand(CLI::App& app, CliContext& ctx) {
  auto ask_flags = std::make_shared<AskFlags>();
  CLI::App* ask = app.add_subcommand(
      "ask", "Ask a partner whether it knows a person or organization (hit/no-hit, step one)");
  ask->add_option("PARTNER", ask_flags->partner, "Partner name (its sharing agreement)")
      ->required();
  ask->add_option("--name", ask_flags->name, "Name as known (any script)");
  ask->add_option("--birth-date", ask_flags->birth_date, "YYYY, YYYY-MM or YYYY-MM-DD");
  ask->add_option("--nationality", ask_flags->nationality, "ISO 3166 alpha-2 code");
  ask->add_option("--id-number", ask_flags->id_number, "Passport or national id number");
  ask->add_option("--input", ask_flags->input,
                  "CSV of queries: id,name[,birth_date,nationality,id_number]")
      ->check(CLI::ExistingFile);
  ask->add_option("--output", ask_flags->output, "Write the answers as CSV here (default: stdout)");
  ask->add_flag("--plain", ask_flags->plain,
                "Send names in the clear even if privacy mode is set up");
  ask->add_flag("--private", ask_flags->private_mode,
                "Send only keyed encodings (needs the agreement's shared secret)");
  ask->callback([&ctx, ask_flags] {
    auto queries = QueriesFrom(*ask_flags);
    if (!queries.ok()) {
      ctx.exit_code = ReportError(queries.status());
      return;
    }
    auto db = ctx.OpenDatabase();
    if (!db.ok()) {
      ctx.exit_code = ReportError(db.status());
      return;
    }
    hnh::AskOptions options;
    if (ask_flags->plain) options.mode = hnh::AskOptions::Mode::kPlain;
    if (ask_flags->private_mode) options.mode = hnh::AskOptions::Mode::kPrivate;
    auto report = hnh::Ask(**db, ask_flags->partner, *queries, options, ctx.LocalActor());
    if (!report.ok()) {
      ctx.exit_code = ReportError(report.status());
      return;
    }
    std::ostringstream out;
    out << "id,result,reference,band,expires,error\n";
    int64_t hits = 0;
    for (const hnh::AskAnswer& a : report->answers) {
      hits += a.result == "hit" ? 1 : 0;
      out << CsvField(a.label) << "," << a.result << "," << a.reference << "," << a.band << ","
          << a.expires << "," << CsvField(a.error) << "\n";
    }
    if (ask_flags->output.empty()) {
      std::cout << out.str();
    } else {
      std::ofstream file(ask_flags->output);
      file << out.str();
      if (!file) {
        ctx.exit_code = ReportError(IOError("cannot write " + ask_flags->output));
        return;
      }
    }
    std::fprintf(stderr, "%zu queries to %s (%s mode): %lld hit(s)\n", report->answers.size(),
                 ask_flags->partner.c_str(), report->mode.c_str(), static_cast<long long>(hits));
  });
}

// entente followup request PARTNER REFERENCE --reason TEXT
void AddFollowupRequest(CLI::App* followup, CliContext& ctx, std::shared_ptr<FollowupFlags> ff) {
  CLI::App* request =
      followup->add_subcommand("request", "Ask a partner for the record behind a hit");
  request->add_option("PARTNER", ff->partner, "Partner name")->required();
  request->add_option("REFERENCE", ff->reference, "The reference of the hit (hnh-...)")->required();
  request->add_option("--reason", ff->reason, "Why the details are needed")->required();
  request->callback([&ctx, ff] {
    auto db = ctx.OpenDatabase();
    if (!db.ok()) {
      ctx.exit_code = ReportError(db.status());
      return;
    }
    auto row = hnh::RequestFollowup(**db, ff->partner, ff->reference, ff->reason, ctx.LocalActor());
    if (!row.ok()) {
      ctx.exit_code = ReportError(row.status());
      return;
    }
    std::printf(
        "follow-up request %s sent to %s; pending its liaison's decision "
        "(collect it with: entente followup fetch %s)\n",
        row->id.c_str(), ff->partner.c_str(), ff->partner.c_str());
  });
}

// entente followup fetch [PARTNER]
void AddFollowupFetch(CLI::App* followup, CliContext& ctx, std::shared_ptr<FollowupFlags> ff) {
  CLI::App* fetch = followup->add_subcommand(
      "fetch", "Collect partners' decisions on this node's requests and store released records");
  fetch->add_option("PARTNER", ff->partner, "Only this partner");
  fetch->callback([&ctx, ff] {
    auto db = ctx.OpenDatabase();
    if (!db.ok()) {
      ctx.exit_code = ReportError(db.status());
      return;
    }
    auto summary = hnh::FetchFollowups(**db, ctx.service, ff->partner, ctx.LocalActor());
    if (!summary.ok()) {
      ctx.exit_code = ReportError(summary.status());
      return;
    }
    for (const std::string& line : summary->lines) std::printf("%s\n", line.c_str());
    std::printf("%lld checked: %lld approved (%lld records stored), %lld refused, %lld pending\n",
                static_cast<long long>(summary->checked), static_cast<long long>(summary->approved),
                static_cast<long long>(summary->records), static_cast<long long>(summary->refused),
                static_cast<long long>(summary->pending));
  });
}

// entente followup list [--status S] [--partner P] [--outgoing]
void AddFollowupList(CLI::App* followup, CliContext& ctx, std::shared_ptr<FollowupFlags> ff) {
  CLI::App* list = followup->add_subcommand(
      "list", "Partners' follow-up requests to this node (or, with --outgoing, this node's)");
  list->add_option("--status", ff->status, "pending, approved, refused (received: --outgoing)");
  list->add_option("--partner", ff->list_partner, "Only this partner");
  list->add_flag("--outgoing", ff->outgoing, "Requests this node sent");
  list->callback([&ctx, ff] {
    std::optional<hnh::FollowupStatus> status;
    if (!ff->status.empty()) {
      status = hnh::ParseFollowupStatus(ff->status);
      if (!status) {
        ctx.exit_code =
            ReportError(InvalidArgument("--status: pending, approved, refused or received"));
        return;
      }
    }
    auto db = ctx.OpenDatabase();
    if (!db.ok()) {
      ctx.exit_code = ReportError(db.status());
      return;
    }
    Status migrated = hnh::HitNoHitStore::Migrate(**db);
    if (!migrated.ok()) {
      ctx.exit_code = ReportError(migrated);
      return;
    }
    hnh::HitNoHitStore hs(db->get());
    auto rows = ff->outgoing ? hs.ListOutgoing(status, ff->list_partner)
                             : hs.ListFollowups(status, ff->list_partner);
    if (!rows.ok()) {
      ctx.exit_code = ReportError(rows.status());
      return;
    }
    PrintFollowups(*rows, ff->outgoing);
  });
}

// entente followup approve|refuse ID --reason TEXT
void AddFollowupDecisions(CLI::App* followup, CliContext& ctx, std::shared_ptr<FollowupFlags> ff) {
  for (bool approve : {true, false}) {
    CLI::App* decide = followup->add_subcommand(
        approve ? "approve" : "refuse",
        approve ? "Approve a partner's request: release the record as the agreement allows"
                : "Refuse a partner's request");
    decide->add_option("ID", ff->id, "The follow-up request id (fu-...)")->required();
    decide->add_option("--reason", ff->reason, "Why (kept in the audit trail, sent to the partner)")
        ->required();
    decide->callback([&ctx, ff, approve] {
      auto db = ctx.OpenDatabase();
      if (!db.ok()) {
        ctx.exit_code = ReportError(db.status());
        return;
      }
      auto row = hnh::DecideFollowupRequest(**db, ctx.service, ff->id, approve, ff->reason,
                                            ctx.LocalActor());
      if (!row.ok()) {
        ctx.exit_code = ReportError(row.status());
        return;
      }
      std::printf("follow-up request %s %s; %s can collect the decision\n", row->id.c_str(),
                  approve ? "approved" : "refused", row->partner.c_str());
    });
  }
}

void RegisterFollowupCommands(CLI::App& app, CliContext& ctx) {
  CLI::App* followup = app.add_subcommand(
      "followup", "Follow-up requests for the details behind a hit (hit/no-hit, step two)");
  followup->require_subcommand(1);

  auto ff = std::make_shared<FollowupFlags>();
  AddFollowupRequest(followup, ctx, ff);
  AddFollowupFetch(followup, ctx, ff);
  AddFollowupList(followup, ctx, ff);
  AddFollowupDecisions(followup, ctx, ff);
}

void RegisterAskedCommand(CLI::App& app, CliContext& ctx) {
  struct AskedFlags {
    std::string partner, since;
    int64_t limit = 1000;
  };
  auto af = std::make_shared<AskedFlags>();
  CLI::App* asked = app.add_subcommand(
      "asked",
      "What a partner asked this node (hit/no-hit queries and answers, from the audit trail)");
  asked->add_option("PARTNER", af->partner, "Partner name (as its certificate maps to)")
      ->required();
  asked->add_option("--since", af->since, "Only at or after this RFC 3339 time");
  asked->add_option("--limit", af->limit, "At most this many (default 1000)");
  asked->callback([&ctx, af] {
    auto db = ctx.OpenDatabase();
    if (!db.ok()) {
      ctx.exit_code = ReportError(db.status());
      return;
    }
    Status migrated = hnh::HitNoHitStore::Migrate(**db);
    if (!migrated.ok()) {
      ctx.exit_code = ReportError(migrated);
      return;
    }
    server::AuditQuery query;
    query.actor = af->partner;
    query.action = "hitnohit.answer";
    query.since = af->since;
    query.limit = af->limit;
    auto entries = server::AuditLog::Read(**db, query);
    if (!entries.ok()) {
      ctx.exit_code = ReportError(entries.status());
      return;
    }
    std::printf("at,result,reference,detail\n");
    for (const server::AuditEntry& e : *entries)
      std::printf("%s,%s,%s,%s\n", e.at.c_str(), e.outcome.c_str(), e.target.c_str(),
                  CsvField(e.detail_json).c_str());
    std::fprintf(stderr, "%zu answers to %s\n", entries->size(), af->partner.c_str());
  });
}

void RegisterHitNoHitSettingsCommand(CLI::App& app, CliContext& ctx) {
  struct SettingsFlags {
    std::string partner, file;
    bool clear = false;
  };
  auto sf = std::make_shared<SettingsFlags>();
  CLI::App* hitnohit = app.add_subcommand("hitnohit", "Hit/no-hit settings per partner");
  hitnohit->require_subcommand(1);
  CLI::App* settings = hitnohit->add_subcommand(
      "settings",
      "Show the hit/no-hit settings for a partner, or store an override ([hitnohit] table)");
  settings->add_option("PARTNER", sf->partner, "Partner name")->required();
  settings->add_option("--file", sf->file, "TOML file with a [hitnohit] table to store")
      ->check(CLI::ExistingFile);
  settings->add_flag("--clear", sf->clear,
                     "Drop the stored override (the agreement's table applies)");
  settings->callback([&ctx, sf] {
    auto db = ctx.OpenDatabase();
    if (!db.ok()) {
      ctx.exit_code = ReportError(db.status());
      return;
    }
    Status migrated = hnh::HitNoHitStore::Migrate(**db);
    if (!migrated.ok()) {
      ctx.exit_code = ReportError(migrated);
      return;
    }
    auto agreement = exchange::ExchangeStore(db->get()).GetAgreement(sf->partner);
    if (!agreement.ok()) {
      ctx.exit_code = ReportError(agreement.status());
      return;
    }
    hnh::HitNoHitStore hs(db->get());
    Status changed = Status::Ok();
    if (sf->clear) changed = hs.DeleteSettings(sf->partner);
    if (!sf->file.empty()) {
      std::ifstream in(sf->file);
      std::stringstream text;
      text << in.rdbuf();
      changed = hs.PutSettingsText(*agreement, text.str());
    }
    if (!changed.ok()) {
      ctx.exit_code = ReportError(changed);
      return;
    }
    auto s = hs.LoadSettings(*agreement);
    if (!s.ok()) {
      ctx.exit_code = ReportError(s.status());
      return;
    }
    PrintSettings(sf->partner, *s);
  });
}

}  // namespace

void RegisterHitNoHitCommands(CLI::App& app, CliContext& ctx) {
  RegisterAskCommand(app, ctx);
  RegisterFollowupCommands(app, ctx);
  RegisterAskedCommand(app, ctx);
  RegisterHitNoHitSettingsCommand(app, ctx);
}

}  // namespace entente::cli
