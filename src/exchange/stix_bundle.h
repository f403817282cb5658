// STIX 2.1 bundles in and out: the "stix" format of `entente import` / `entente export`, and
// the bundle helpers the TAXII client and tests use.
//
// Reading: the whole bundle is parsed (bundles are JSON documents, not streams), its envelope
// validated (a bad envelope is fatal), then each object is validated against the MUST rules
// (stix_validate.h; a broken rule rejects that object as a bad row naming the rule) and mapped
// (stix_mapping.h). Objects entente has no equivalent for (indicators, malware, ...) produce a
// row with no records, named by STIX type in ReadItem::not_stored (so the import's summary
// counts them by type), and are counted in the reader's stats with the reason.
// Writing: records are buffered, then written as one bundle with the entente identity, the
// extension-definition and the marking-definitions the objects reference, so that the bundle
// is self-contained and valid.
//
// Thread-safety: readers and writers are used from one thread; the functions are pure.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "exchange/stix_mapping.h"
#include "ingest/record_reader.h"
#include "ingest/record_writer.h"
#include "model/codec.h"

namespace entente::exchange {

// Bundles larger than this are refused (ResourceExhausted) before parsing.
inline constexpr uint64_t kMaxBundleBytes = 1ull << 30;
inline constexpr size_t kMaxBundleObjects = 2000000;

struct StixReadStats {
  int64_t objects = 0;                       // objects in the bundle
  int64_t mapped = 0;                        // objects that became records
  int64_t skipped = 0;                       // valid objects with no entente equivalent
  int64_t rejected = 0;                      // objects breaking a MUST rule
  std::vector<std::string> skipped_reasons;  // the first 20, "indicator--…: type indicator …"
};

// The StixImportContext for import defaults (service, source, grades, category, TLP).
StixImportContext ContextFromDefaults(const ingest::ImportDefaults& defaults);

// Parses and maps a whole bundle in memory. `strict`: the first invalid object fails the call
// (InvalidArgument naming the object and the rule); otherwise invalid objects are counted and
// skipped. Relationship ends resolve against the bundle's own objects, then `context.resolve`.
Result<std::vector<Record>> ParseStixBundle(std::string_view bundle_json,
                                            const StixImportContext& context, bool strict,
                                            StixReadStats* stats = nullptr);

class StixBundleReader : public ingest::RecordReader {
 public:
  // NotFound for a missing file; ResourceExhausted past kMaxBundleBytes; InvalidArgument when
  // the file is not a STIX 2.1 bundle (or a single STIX object), naming the rule.
  static Result<std::unique_ptr<StixBundleReader>> Open(const std::string& path,
                                                        const ingest::ImportDefaults& defaults);
  Result<bool> Next(ingest::ReadItem* item) override;
  uint64_t progress_done() const override { return next_; }
  uint64_t progress_total() const override { return objects_.size(); }
  const StixReadStats& stats() const { return stats_; }

 private:
  StixBundleReader() = default;
  std::string path_;
  std::vector<nlohmann::json> objects_;
  size_t next_ = 0;
  StixImportContext context_;
  std::shared_ptr<std::map<std::string, std::string>> ids_;  // stix id -> model id
  std::shared_ptr<std::map<std::string, std::vector<std::string>>> releasability_;
  StixReadStats stats_;
};

// Builds a self-contained bundle from records: adds the entente identity, the extension
// definition and every marking-definition referenced. Relationship ends resolve against the
// records given, then `resolve`.
nlohmann::json BuildStixBundle(const std::vector<Record>& records,
                               const ExportRefResolver& resolve = GuessStixId);
// Adds to `objects` the marking-definitions and extension objects they reference.
void AddSupportingObjects(std::vector<nlohmann::json>* objects);

class StixBundleWriter : public ingest::RecordWriter {
 public:
  // IOError when `path` cannot be created.
  static Result<std::unique_ptr<StixBundleWriter>> Open(const std::string& path);
  Status Write(const Record& record, bool* written) override;
  Status Close() override;

 private:
  std::string path_;
  std::vector<Record> records_;
  bool closed_ = false;
};

// Adds the "stix" reader and writer to ingest::FormatRegistry::Global(). Idempotent.
Status RegisterStixFormats();

}  // namespace entente::exchange
