#include "demo/demo_steps.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "ingest/importer.h"
#include "model/codec.h"
#include "store/record_store.h"

namespace entente::demo {
namespace {

void Heading(int number, const char* title) {
  std::printf("\n== %d. %s ==\n", number, title);
}

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

}  // namespace

Status RunDemo(const DemoOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(options.workdir, ec);
  if (ec) return IOError(options.workdir + ": cannot create folder: " + ec.message());

  Heading(1, "Sample intelligence of two services");
  SampleData data = GenerateSampleData(options.sample);
  std::string ma_path = options.workdir + "/ma_intel.jsonl";
  std::string fr_path = options.workdir + "/fr_intel.jsonl";
  std::string applicants_path = options.workdir + "/applicants.csv";
  ENTENTE_RETURN_IF_ERROR(WriteJsonl(ma_path, data.moroccan));
  ENTENTE_RETURN_IF_ERROR(WriteJsonl(fr_path, data.french));
  ENTENTE_RETURN_IF_ERROR(WriteText(applicants_path, ApplicantsCsv(data.applicants)));
  for (auto [service, records, path] :
       {std::tuple{kMoroccanService, &data.moroccan, ma_path},
        std::tuple{kFrenchService, &data.french, fr_path}}) {
    std::printf("%-10s %5d persons, %3d organizations, %4d phones, %5d relationships  -> %s\n",
                service, CountType(*records, EntityType::kPerson),
                CountType(*records, EntityType::kOrganization),
                CountType(*records, EntityType::kPhone), CountRelationships(*records),
                path.c_str());
  }
  std::printf("applicants %5zu (accreditation requests for a major event)      -> %s\n",
              data.applicants.size(), applicants_path.c_str());

  Heading(2, "Import into the store");
  auto db = Database::Open(options.db_target);
  if (!db.ok()) return db.status();
  ENTENTE_RETURN_IF_ERROR(RecordStore::Migrate(**db));
  RecordStore store(db->get());
  for (auto [service, path] : {std::pair{kMoroccanService, ma_path}, std::pair{kFrenchService, fr_path}}) {
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

  std::printf("\nDemo finished. Files are in %s; explore with `entente --db %s stats`.\n",
              options.workdir.c_str(), options.db_target.c_str());
  return Status::Ok();
}

}  // namespace entente::demo
