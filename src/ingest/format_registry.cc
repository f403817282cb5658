#include "ingest/format_registry.h"

#include <algorithm>

#include "common/text.h"
#include "ingest/csv_reader.h"
#include "ingest/eu_fsf_reader.h"
#include "ingest/fr_gels_reader.h"
#include "ingest/ftm_reader.h"
#include "ingest/jsonl_reader.h"
#include "ingest/misp_feed_writer.h"
#include "ingest/misp_reader.h"
#include "ingest/record_writers.h"
#include "ingest/sdn_reader.h"
#include "ingest/uk_list_reader.h"
#include "ingest/un_reader.h"

namespace entente::ingest {
namespace {

std::string KnownNames(const std::vector<std::string>& names) { return Join(names, ", "); }

void RegisterBuiltins(FormatRegistry& registry) {
  // Generic files: the source is the file's name; grades "cannot be judged" until the
  // analyst says otherwise; TLP:AMBER, the model's default.
  Status ok = registry.AddReader(
      {"csv", "generic watchlist CSV with a header (id,name,aliases,birth_date,...)",
       [](const std::string& path) { return "csv:" + BaseName(path); }, Grades{'F', 6}, Tlp::kAmber,
       OpenGenericCsvReader});
  ok = registry.AddReader({"jsonl",
                           "JSON lines: generic watchlist rows or entente's own record JSON",
                           [](const std::string& path) { return "jsonl:" + BaseName(path); },
                           Grades{'F', 6}, Tlp::kAmber, OpenJsonlReader});
  // Official public lists: a government publication (reliability A, credibility 2 "probably
  // true": listed, not proven) and public, so TLP:CLEAR.
  ok = registry.AddReader({"sdn", "OFAC SDN list, CSV form (folder with sdn.csv, alt.csv, add.csv)",
                           [](const std::string&) { return std::string("ofac-sdn"); },
                           Grades{'A', 2}, Tlp::kClear, OpenSdnReader});
  ok = registry.AddReader({"un", "UN Security Council consolidated list XML",
                           [](const std::string&) { return std::string("un-sc"); }, Grades{'A', 2},
                           Tlp::kClear, OpenUnReader});
  // OpenSanctions aggregates official lists: reliable (B), credibility 2; public data.
  ok = registry.AddReader({"ftm", "FollowTheMoney entities, JSON lines (OpenSanctions)",
                           [](const std::string&) { return std::string("opensanctions"); },
                           Grades{'B', 2}, Tlp::kClear, OpenFtmReader});
  ok = registry.AddReader(
      {"eu-fsf", "EU consolidated financial sanctions list (FSF XML or CSV, or a folder of them)",
       [](const std::string&) { return std::string("eu-fsf"); }, Grades{'A', 2}, Tlp::kClear,
       OpenEuFsfReader});
  ok = registry.AddReader({"uk-fcdo", "UK FCDO sanctions list CSV",
                           [](const std::string&) { return std::string("uk-fcdo"); },
                           Grades{'A', 2}, Tlp::kClear, OpenUkFcdoReader});
  ok = registry.AddReader({"uk-hmt", "HM Treasury consolidated list (ConList.csv)",
                           [](const std::string&) { return std::string("uk-hmt"); }, Grades{'A', 2},
                           Tlp::kClear, OpenUkHmtReader});
  ok = registry.AddReader({"fr-gels", "French national register of asset freezes (JSON)",
                           [](const std::string&) { return std::string("fr-gels"); },
                           Grades{'A', 2}, Tlp::kClear, OpenFrGelsReader});
  // MISP events: analysts' and partners' intelligence, graded "cannot be judged" until the
  // analyst says otherwise; the TLP comes from each event's tags (AMBER when they say none).
  ok = registry.AddReader({"misp", "MISP core format events (JSON file) or a MISP feed folder",
                           [](const std::string& path) { return "misp:" + BaseName(path); },
                           Grades{'F', 6}, Tlp::kAmber, OpenMispReader});
  ok = registry.AddWriter(
      {"jsonl", "JSON lines of entente's record JSON (lossless)", OpenJsonlWriter});
  ok = registry.AddWriter({"csv", "generic watchlist CSV (entities only)", OpenCsvWriter});
  ok = registry.AddWriter(
      {"misp-feed", "MISP feed folder (manifest.json, hashes.csv, one <uuid>.json per event)",
       OpenMispFeedWriter});
  (void)ok;
}

}  // namespace

FormatRegistry& FormatRegistry::Global() {
  static FormatRegistry* registry = [] {
    auto* r = new FormatRegistry();
    RegisterBuiltins(*r);
    return r;
  }();
  return *registry;
}

Status FormatRegistry::AddReader(ReaderFormat format) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const ReaderFormat& f : readers_)
    if (f.name == format.name)
      return Conflict("import format \"" + f.name + "\" is already registered");
  readers_.push_back(std::move(format));
  return Status::Ok();
}

Status FormatRegistry::AddWriter(WriterFormat format) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const WriterFormat& f : writers_)
    if (f.name == format.name)
      return Conflict("export format \"" + f.name + "\" is already registered");
  writers_.push_back(std::move(format));
  return Status::Ok();
}

Result<ReaderFormat> FormatRegistry::FindReader(const std::string& name) const {
  std::vector<std::string> names;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const ReaderFormat& f : readers_) {
      if (f.name == name) return f;
      names.push_back(f.name);
    }
  }
  return InvalidArgument("unknown import format \"" + name + "\" (known: " + KnownNames(names) +
                         ")");
}

Result<WriterFormat> FormatRegistry::FindWriter(const std::string& name) const {
  std::vector<std::string> names;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const WriterFormat& f : writers_) {
      if (f.name == name) return f;
      names.push_back(f.name);
    }
  }
  return InvalidArgument("unknown export format \"" + name + "\" (known: " + KnownNames(names) +
                         ")");
}

std::vector<std::string> FormatRegistry::ReaderNames() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> names;
  for (const ReaderFormat& f : readers_) names.push_back(f.name);
  return names;
}

std::vector<std::string> FormatRegistry::WriterNames() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> names;
  for (const WriterFormat& f : writers_) names.push_back(f.name);
  return names;
}

std::string BaseName(const std::string& path) {
  std::string trimmed = path;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  size_t slash = trimmed.find_last_of('/');
  return slash == std::string::npos ? trimmed : trimmed.substr(slash + 1);
}

}  // namespace entente::ingest
