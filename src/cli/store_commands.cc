// Commands over the record store: init, get, search, stats, history, changes.
#include <cstdio>
#include <iostream>

#include "cli/cli_context.h"
#include "ingest/record_ids.h"
#include "model/codec.h"
#include "store/record_store.h"

namespace entente::cli {
namespace {

// One readable line per record for tables.
std::string Summary(const Record& record) {
  const RecordMeta& m = MetaOf(record);
  std::string line;
  if (auto* e = std::get_if<Entity>(&record)) {
    line = std::string(EntityTypeName(e->type)) + "  " + e->DisplayName();
    if (!e->birth_dates.empty()) line += "  born " + e->birth_dates[0].ToString();
    for (const auto& n : e->nationalities) line += "  " + n;
  } else {
    const auto& r = std::get<Relationship>(record);
    line = r.source_id + " " + std::string(RelationshipTypeName(r.type)) + " " + r.target_id;
  }
  line += "  [" + std::string(ThreatCategoryName(m.category)) +
          ", TLP:" + std::string(TlpName(m.marking.tlp)) + ", " +
          std::string(1, m.grades.reliability) + std::to_string(m.grades.credibility) + ", " +
          m.provenance.service + "/" + m.provenance.source + " " + m.provenance.source_record_id +
          ", v" + std::to_string(m.version) + (m.revoked ? ", REVOKED" : "") + "]";
  return line;
}

void PrintGroup(const char* title, const std::vector<std::pair<std::string, int64_t>>& rows) {
  std::printf("%s:\n", title);
  for (const auto& [name, count] : rows)
    std::printf("  %-28s %lld\n", name.empty() ? "(none)" : name.c_str(), (long long)count);
}

}  // namespace

void RegisterStoreCommands(CLI::App& app, CliContext& ctx) {
  auto* init = app.add_subcommand("init", "Create the store (or bring its schema up to date)");
  init->callback([&ctx] {
    auto db = ctx.OpenOrReport();
    if (!db) return;
    // The record-id key is made here (mode 0600) if the store has none yet; a PostgreSQL store
    // has no default file, so there only when $ENTENTE_ID_KEY_FILE names one.
    if (ingest::DefaultRecordIdKeyPath(ctx.db_target).empty()) {
      std::printf(
          "no record-id key made: a PostgreSQL store has no default key file; set "
          "$ENTENTE_ID_KEY_FILE (or [server] id_key_file) to the same file everywhere\n");
    } else if (!ctx.Check(ingest::LoadRecordIdKey(ctx.db_target, "").status())) {
      return;
    }
    std::printf("store ready: %s\n", ctx.db_target.c_str());
  });

  auto* get = app.add_subcommand("get", "Print one record (current version) as JSON");
  static std::string get_id;
  static int get_version = 0;
  get->add_option("ID", get_id, "Record id, e.g. person--<uuid>")->required();
  get->add_option("--version", get_version, "A given version instead of the current one");
  get->callback([&ctx] {
    auto db = ctx.OpenOrReport();
    if (!db) return;
    RecordStore store(db.get());
    auto record = get_version > 0 ? store.GetVersion(get_id, get_version) : store.Get(get_id);
    if (!record.ok()) {
      ctx.exit_code = ReportError(record.status());
      return;
    }
    std::printf("%s\n", RecordToJson(*record).c_str());
  });

  auto* history = app.add_subcommand("history", "List every version of a record");
  static std::string history_id;
  history->add_option("ID", history_id, "Record id")->required();
  history->callback([&ctx] {
    auto db = ctx.OpenOrReport();
    if (!db) return;
    RecordStore store(db.get());
    auto versions = store.History(history_id);
    if (!versions.ok()) {
      ctx.exit_code = ReportError(versions.status());
      return;
    }
    for (const Record& r : *versions)
      std::printf("v%d  seq %lld  %s  %s\n", MetaOf(r).version, (long long)MetaOf(r).change_seq,
                  MetaOf(r).modified.c_str(), Summary(r).c_str());
  });

  auto* search = app.add_subcommand("search", "Find records whose names contain TEXT");
  static std::string search_text;
  static int64_t search_limit = 20;
  static std::string search_format = "table";
  search->add_option("TEXT", search_text, "Text to look for in names (case-insensitive)")
      ->required();
  search->add_option("--limit", search_limit, "At most this many results")
      ->check(CLI::Range(1, 10000));
  search->add_option("--format", search_format, "table or jsonl")
      ->check(CLI::IsMember({"table", "jsonl"}));
  search->callback([&ctx] {
    auto db = ctx.OpenOrReport();
    if (!db) return;
    RecordStore store(db.get());
    auto found = store.SearchNames(search_text, {}, search_limit);
    if (!found.ok()) {
      ctx.exit_code = ReportError(found.status());
      return;
    }
    for (const Entity& e : *found) {
      if (search_format == "jsonl") {
        std::printf("%s\n", EntityToJson(e).c_str());
      } else {
        std::printf("%s  %s\n", e.meta.id.c_str(), Summary(e).c_str());
      }
    }
    if (search_format == "table") std::fprintf(stderr, "%zu record(s) found\n", found->size());
  });

  auto* changes = app.add_subcommand("changes", "Print the change feed after a sequence number");
  static int64_t changes_since = 0;
  static int64_t changes_limit = 100;
  changes->add_option("--since", changes_since, "Show changes after this sequence number");
  changes->add_option("--limit", changes_limit, "At most this many");
  changes->callback([&ctx] {
    auto db = ctx.OpenOrReport();
    if (!db) return;
    RecordStore store(db.get());
    auto feed = store.ChangesSince(changes_since, changes_limit);
    if (!feed.ok()) {
      ctx.exit_code = ReportError(feed.status());
      return;
    }
    for (const Change& c : *feed)
      std::printf("%lld  %-8s  %s  %s\n", (long long)c.seq,
                  std::string(ChangeKindName(c.kind)).c_str(), MetaOf(c.record).id.c_str(),
                  Summary(c.record).c_str());
  });

  auto* stats = app.add_subcommand("stats", "Count records by type, category, source and service");
  stats->callback([&ctx] {
    auto db = ctx.OpenOrReport();
    if (!db) return;
    RecordStore store(db.get());
    auto s = store.Stats();
    if (!s.ok()) {
      ctx.exit_code = ReportError(s.status());
      return;
    }
    std::printf("store %s\n", ctx.db_target.c_str());
    std::printf("records: %lld current, %lld revoked, %lld versions, last change %lld\n",
                (long long)s->records, (long long)s->revoked, (long long)s->versions,
                (long long)s->max_change_seq);
    PrintGroup("by type", s->by_type);
    PrintGroup("by category", s->by_category);
    PrintGroup("by source", s->by_source);
    PrintGroup("by service", s->by_service);
  });
}

}  // namespace entente::cli
