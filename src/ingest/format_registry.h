// The formats `entente import` and `entente export` know, by name. Built-in formats (csv,
// jsonl, sdn, un, ftm, eu-fsf, uk-fcdo, uk-hmt, fr-gels, misp readers; csv, jsonl, misp-feed
// writers) are registered on first use; other
// subsystems add theirs at start-up without touching src/ingest, for example the exchange's
// STIX 2.1 bundle reader and writer:
//
//   ingest::FormatRegistry::Global().AddReader({
//       .name = "stix", .description = "STIX 2.1 bundle (JSON)",
//       .default_source = [](const std::string& path) { return "stix:" + BaseName(path); },
//       .open = [](const std::string& path, const ingest::ImportDefaults& d)
//           -> Result<std::unique_ptr<ingest::RecordReader>> { ... }});
//
// A good place for that call is the subsystem's Register<Sub>Commands() in src/cli (it runs
// before any command line is parsed) or an explicit Register*Formats() the server calls.
//
// Thread-safety: all methods lock; registering while an import runs is safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "ingest/record_reader.h"
#include "ingest/record_writer.h"

namespace entente::ingest {

struct ReaderFormat {
  std::string name;         // "csv": what --format takes
  std::string description;  // one line for --help
  // The provenance source when --source is not given ("csv:people.csv", "ofac-sdn").
  std::function<std::string(const std::string& path)> default_source;
  // Grades and TLP when the command line does not set them.
  Grades default_grades;
  Tlp default_tlp = Tlp::kAmber;
  // Opens `path` for reading. `defaults` is complete: source, grades and TLP are filled in.
  // Errors: NotFound for a missing file, InvalidArgument for an empty file or one that is not
  // of this format (naming the file and what was expected).
  std::function<Result<std::unique_ptr<RecordReader>>(const std::string& path,
                                                      const ImportDefaults& defaults)>
      open;
};

struct WriterFormat {
  std::string name;
  std::string description;
  // Creates (truncates) `path`; IOError when it cannot.
  std::function<Result<std::unique_ptr<RecordWriter>>(const std::string& path)> open;
};

class FormatRegistry {
 public:
  // The process-wide registry, with the built-in formats already in it.
  static FormatRegistry& Global();

  // Conflict when a format of that name is already registered.
  Status AddReader(ReaderFormat format);
  Status AddWriter(WriterFormat format);
  // InvalidArgument listing the known names when `name` is not registered.
  Result<ReaderFormat> FindReader(const std::string& name) const;
  Result<WriterFormat> FindWriter(const std::string& name) const;
  std::vector<std::string> ReaderNames() const;
  std::vector<std::string> WriterNames() const;

 private:
  FormatRegistry() = default;
  mutable std::mutex mutex_;
  std::vector<ReaderFormat> readers_;
  std::vector<WriterFormat> writers_;
};

// "people.csv" for "/data/in/people.csv"; the folder's own name for "/data/ofac_sdn/".
std::string BaseName(const std::string& path);

}  // namespace entente::ingest
