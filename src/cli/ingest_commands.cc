// Commands of src/ingest: `import` and `export`. Owned by the ingest subsystem.
#include <stdlib.h>

#include <cstdio>
#include <filesystem>

#include "cli/cli_context.h"
#include "common/text.h"
#include "exchange/misp_feed_fetch.h"
#include "http/server_config.h"
#include "ingest/format_sniff.h"
#include "ingest/ingest.h"

namespace entente::cli {
namespace {

struct ImportFlags {
  std::string format;
  std::string source;
  std::string service;
  std::string reliability;
  int credibility = 0;
  std::string category;
  std::string tlp;
  std::string releasable_to;
  std::string skip_bad;
  std::vector<std::string> paths;
  bool quiet = false;
  int64_t commit_every = ingest::kDefaultCommitEvery;
  std::string id_key_file;  // --id-key-file
  std::string config_file;  // --config: its [server] id_key_file
  bool new_id_key = false;
};

struct ExportFlags {
  std::string format;
  std::string path;
  std::vector<std::string> types;
  std::string category;
  std::string source;
  std::string owner;
  std::string clearance;
  std::string for_service;
};

// The record-id key file as serve reads it: --id-key-file, else the [server] id_key_file of
// --config, else empty (then $ENTENTE_ID_KEY_FILE or the default: ingest/record_ids.h).
Result<std::string> ConfiguredIdKeyFile(const ImportFlags& flags, const CliContext& ctx) {
  if (!flags.id_key_file.empty()) return flags.id_key_file;
  if (flags.config_file.empty()) return std::string();
  server::ServerConfig base;
  base.db_target = ctx.db_target;
  ENTENTE_ASSIGN_OR_RETURN(server::ServerConfig config,
                           server::LoadServerConfig(flags.config_file, base));
  return config.id_key_file;
}

Status BuildImportOptions(const ImportFlags& flags, const CliContext& ctx,
                          ingest::ImportOptions* options) {
  options->format = flags.format;
  options->paths = flags.paths;
  options->skip_bad_path = flags.skip_bad;
  options->commit_every = flags.commit_every;
  options->progress = !flags.quiet;
  ingest::ImportDefaults& d = options->defaults;
  d.service = flags.service.empty() ? ctx.service : flags.service;
  d.source = flags.source;
  if (!flags.reliability.empty() || flags.credibility != 0) {
    Grades grades;
    if (!flags.reliability.empty()) {
      std::string upper = ToUpperAscii(flags.reliability);
      if (upper.size() != 1 || !IsValidReliability(upper[0]))
        return InvalidArgument("--reliability: \"" + flags.reliability + "\" is not A-F");
      grades.reliability = upper[0];
    }
    if (flags.credibility != 0) {
      if (!IsValidCredibility(flags.credibility))
        return InvalidArgument("--credibility: " + std::to_string(flags.credibility) +
                               " is not 1-6");
      grades.credibility = flags.credibility;
    }
    d.grades = grades;
  }
  if (!flags.category.empty()) {
    auto category = ParseThreatCategory(ToLowerAscii(flags.category));
    if (!category)
      return InvalidArgument("--category: unknown category \"" + flags.category +
                             "\" (terrorism, organized-crime, narcotics, illegal-migration, "
                             "human-trafficking, other)");
    d.category = category;
  }
  if (!flags.tlp.empty()) {
    auto tlp = ParseTlp(flags.tlp);
    if (!tlp)
      return InvalidArgument("--tlp: unknown TLP \"" + flags.tlp +
                             "\" (CLEAR, GREEN, AMBER, AMBER+STRICT, RED)");
    d.tlp = tlp;
  }
  d.releasable_to = SplitNonEmpty(flags.releasable_to, ',');
  // The node's record-id key (made on first use): new ids cannot be computed without it.
  ENTENTE_ASSIGN_OR_RETURN(std::string key_file, ConfiguredIdKeyFile(flags, ctx));
  ENTENTE_ASSIGN_OR_RETURN(RecordIdKey key, ingest::LoadRecordIdKey(ctx.db_target, key_file));
  d.id_key = key;
  options->new_id_key = flags.new_id_key;
  return Status::Ok();
}

// Without --format: the format every path is in, by its content (ingest/format_sniff.h),
// the same for all of them.
Result<ingest::SniffedFormat> SniffAll(const std::vector<std::string>& paths) {
  ingest::SniffedFormat first;
  for (size_t i = 0; i < paths.size(); ++i) {
    auto found = ingest::SniffFormat(paths[i]);
    if (!found.ok()) return found.status().WithContext("cannot tell the import format");
    if (i == 0) {
      first = *found;
    } else if (found->format != first.format) {
      return InvalidArgument(paths[i] + " is " + found->format + " (" + found->evidence + ") but " +
                             paths[0] + " is " + first.format +
                             "; import them separately or give --format");
    }
  }
  return first;
}

// A temporary folder, removed with everything in it when this goes out of scope.
class TempFolder {
 public:
  ~TempFolder() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  Status Make() {
    std::string pattern = (std::filesystem::temp_directory_path() / "entente-feed-XXXXXX").string();
    if (!mkdtemp(pattern.data())) return IOError("cannot make a temporary folder for the feed");
    path_ = pattern;
    return Status::Ok();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A MISP feed given by URL is fetched whole into `folder` first, then imported from there as a
// feed folder; the records' source names the URL. Other inputs are left as they are.
Status FetchFeedInputs(ingest::ImportOptions* options, TempFolder* folder) {
  bool any_url = false;
  for (const std::string& path : options->paths) any_url = any_url || exchange::IsFeedUrl(path);
  if (!any_url) return Status::Ok();
  const std::string url = options->paths[0];
  if (options->paths.size() != 1)
    return InvalidArgument("a feed URL is imported on its own: give one URL, or files and folders");
  if (!options->format.empty() && options->format != "misp")
    return InvalidArgument("--format " + options->format +
                           ": only a MISP feed can be imported from a URL (--format misp)");
  ENTENTE_RETURN_IF_ERROR(folder->Make());
  ENTENTE_ASSIGN_OR_RETURN(int64_t events, exchange::FetchMispFeed(url, folder->path()));
  std::printf("fetched %lld event%s from %s\n", static_cast<long long>(events),
              events == 1 ? "" : "s", url.c_str());
  options->format = "misp";
  if (options->defaults.source.empty()) options->defaults.source = "misp:" + url;
  options->paths = {folder->path()};
  return Status::Ok();
}

void RunImportCommand(const ImportFlags& flags, CliContext& ctx) {
  ingest::ImportOptions options;
  Status built = BuildImportOptions(flags, ctx, &options);
  if (!built.ok()) {
    ctx.exit_code = ReportError(built);
    return;
  }
  TempFolder feed_folder;
  if (Status fetched = FetchFeedInputs(&options, &feed_folder); !fetched.ok()) {
    ctx.exit_code = ReportError(fetched.WithContext("import failed, nothing was written"));
    return;
  }
  if (options.format.empty()) {
    auto sniffed = SniffAll(options.paths);
    if (!sniffed.ok()) {
      ctx.exit_code = ReportError(sniffed.status());
      return;
    }
    options.format = sniffed->format;
    std::printf("format %s: %s\n", sniffed->format.c_str(), sniffed->evidence.c_str());
  }
  // Check the format before opening the store, so a typo costs nothing.
  if (auto format = ingest::FormatRegistry::Global().FindReader(options.format); !format.ok()) {
    ctx.exit_code = ReportError(format.status());
    return;
  }
  auto db = ctx.OpenOrReport();
  if (!db) return;
  if (!ctx.Check(server::AuditLog::Migrate(*db))) return;
  RecordStore store(db.get());
  std::string files;
  for (const std::string& path : options.paths) files += (files.empty() ? "" : " ") + path;
  // The audit entry commits with the import's last transaction (or not at all).
  auto report = ingest::RunImport(store, options, [&](Database& tx, const ingest::ImportReport& r) {
    return server::AuditLog::Append(tx,
                                    ctx.LocalAuditEvent("import.run", options.defaults.source,
                                                        {{"format", options.format},
                                                         {"files", files},
                                                         {"records", std::to_string(r.records)},
                                                         {"created", std::to_string(r.created)},
                                                         {"updated", std::to_string(r.updated)},
                                                         {"revoked", std::to_string(r.revoked)},
                                                         {"rejected", std::to_string(r.rejected)}}))
        .status();
  });
  if (!report.ok()) {
    ctx.exit_code = ReportError(report.status());  // it says what stays written
    return;
  }
  if (!report->new_id_key_fingerprint.empty())
    std::printf(
        "started a new record-id key (fingerprint %s, %s): rows imported under the old "
        "key are not matched by re-imports and come in as new records\n",
        report->new_id_key_fingerprint.c_str(), options.defaults.id_key->path().c_str());
  std::printf("%s\n", ingest::ImportSummaryLine(*report).c_str());
  if (report->rejected > 0)
    std::printf("rejected rows written to %s\n", options.skip_bad_path.c_str());
}

void RunExportCommand(const ExportFlags& flags, CliContext& ctx) {
  ingest::ExportOptions options;
  options.format = flags.format;
  options.path = flags.path;
  options.filter.types = flags.types;
  options.filter.source = flags.source;
  options.filter.service = flags.owner;
  if (!flags.category.empty()) {
    options.filter.category = ParseThreatCategory(ToLowerAscii(flags.category));
    if (!options.filter.category) {
      ctx.exit_code =
          ReportError(InvalidArgument("--category: unknown category \"" + flags.category + "\""));
      return;
    }
  }
  if (!flags.clearance.empty()) {
    options.clearance = ParseTlp(flags.clearance);
    if (!options.clearance) {
      ctx.exit_code =
          ReportError(InvalidArgument("--max-tlp: unknown TLP \"" + flags.clearance + "\""));
      return;
    }
  }
  options.for_service = flags.for_service;
  if (auto format = ingest::FormatRegistry::Global().FindWriter(options.format); !format.ok()) {
    ctx.exit_code = ReportError(format.status());
    return;
  }
  auto db = ctx.OpenOrReport();
  if (!db) return;
  RecordStore store(db.get());
  auto report = ingest::RunExport(store, options);
  if (!report.ok()) {
    ctx.exit_code = ReportError(report.status().WithContext("export failed"));
    return;
  }
  std::printf("%s\n", ingest::ExportSummaryLine(options, *report).c_str());
}

}  // namespace

void RegisterIngestCommands(CLI::App& app, CliContext& ctx) {
  auto import_flags = std::make_shared<ImportFlags>();
  CLI::App* import = app.add_subcommand(
      "import",
      "Import records from files into the store. Every row is checked before anything is "
      "written (all or nothing unless --skip-bad), then the records are written in "
      "transactions of --commit-every records, so a serving node's other writers are not "
      "held up. Re-importing the same file changes nothing.");
  import->add_option("--format", import_flags->format,
                     "Input format: csv, jsonl, sdn (OFAC SDN CSV folder), un (UN SC consolidated "
                     "XML), ftm (FollowTheMoney JSON lines or delta file), eu-fsf (EU FSF XML, CSV "
                     "or a folder of them), uk-fcdo (UK FCDO sanctions list CSV), uk-hmt (HM "
                     "Treasury ConList.csv), fr-gels (French asset-freeze register JSON), misp "
                     "(MISP event JSON or feed folder), stix (STIX 2.1 bundle), or one registered "
                     "by another module. Without it, the format is told from the content and "
                     "printed, or the import is refused saying why");
  import->add_option("--source", import_flags->source,
                     "Provenance source name (default per format: csv:<file>, jsonl:<file>, "
                     "ofac-sdn, un-sc, opensanctions, eu-fsf, uk-fcdo, uk-hmt, fr-gels, "
                     "misp:<file or folder>)");
  import->add_option("--service", import_flags->service,
                     "Owning service of the records (default: the global --service)");
  import->add_option("--reliability", import_flags->reliability,
                     "Admiralty source reliability A-F (default F; A for the official lists)");
  import->add_option("--credibility", import_flags->credibility,
                     "Admiralty information credibility 1-6 (default 6; 2 for the official lists)");
  import->add_option("--category", import_flags->category,
                     "Threat category for records whose data does not state one: terrorism, "
                     "organized-crime, narcotics, illegal-migration, human-trafficking, other");
  import->add_option("--tlp", import_flags->tlp,
                     "TLP 2.0 marking: CLEAR, GREEN, AMBER, AMBER+STRICT, RED (default AMBER; "
                     "CLEAR for the public lists)");
  import->add_option("--releasable-to", import_flags->releasable_to,
                     "Comma-separated partner services the records may be released to");
  import->add_option("--skip-bad", import_flags->skip_bad,
                     "Import the good rows and write every rejected row, with file, line and "
                     "reason, to this CSV file");
  import->add_flag("--quiet", import_flags->quiet, "No progress bar");
  import->add_option("--id-key-file", import_flags->id_key_file,
                     "The node's record-id key file (as [server] id_key_file for serve); else the "
                     "id_key_file of --config, else $ENTENTE_ID_KEY_FILE, else <db>.id-key beside "
                     "a SQLite store (a PostgreSQL store has no default)");
  import->add_option("--config", import_flags->config_file,
                     "The server's TOML configuration, to read its [server] id_key_file");
  import->add_flag("--new-id-key", import_flags->new_id_key,
                   "Accept a record-id key this store has not seen although its records were "
                   "keyed with another (a lost key): rows imported before are not matched any "
                   "more and come in again as new records. Without it such an import is refused");
  import
      ->add_option("--commit-every", import_flags->commit_every,
                   "Records per transaction (default 2048). If the import is killed, the "
                   "transactions committed stay and running it again finishes it. 0: one "
                   "transaction for the whole import (nothing stays if killed; other writers wait "
                   "until it ends)")
      ->check(CLI::NonNegativeNumber);
  import
      ->add_option("PATH", import_flags->paths,
                   "Input files (for sdn: the folder or sdn.csv; for eu-fsf: a file or a folder "
                   "of its CSV/XML parts; for misp: a file, a feed folder, or a feed's "
                   "https:// URL, fetched whole before anything is imported)")
      ->required();
  import->callback([import_flags, &ctx]() { RunImportCommand(*import_flags, ctx);
});

auto export_flags = std::make_shared<ExportFlags>();
CLI::App* exp = app.add_subcommand(
    "export", "Export the store's current records to a file (written whole or not at all)");
exp->add_option("--format", export_flags->format,
                "Output format: csv (entities, generic columns), jsonl (every record, "
                "lossless), misp-feed (a MISP feed folder: manifest.json, hashes.csv, one "
                "<uuid>.json per event), or one registered by another module")
    ->required();
exp->add_option("--type", export_flags->types,
                "Only these record types (person, organization, ..., relationship); repeatable");
exp->add_option("--category", export_flags->category, "Only this threat category");
exp->add_option("--source", export_flags->source, "Only records from this source");
exp->add_option("--owner", export_flags->owner, "Only records owned by this service");
exp->add_option("--max-tlp", export_flags->clearance,
                "Withhold records marked above this TLP (checks markings, with --for)");
exp->add_option("--for", export_flags->for_service,
                "Recipient service: withhold records not releasable to it");
exp->add_option("PATH", export_flags->path, "Output file (for misp-feed: the feed folder)")
    ->required();
exp->callback([export_flags, &ctx]() { RunExportCommand(*export_flags, ctx); });
}  // namespace entente::cli

}  // namespace entente::cli
