// Reader for the OFAC SDN list in its CSV form (format "sdn"): a folder holding sdn.csv and,
// when present, alt.csv (strong aliases), add.csv (addresses) and sdn_comments.csv (remarks
// continued). PATH may be the folder or its sdn.csv. Field order per OFAC's data specification
// (dat_spec.txt); no header row, though a header row in alt.csv/add.csv is skipped; "-0-"
// (with or without trailing space) is null; CRLF or LF; the trailing 0x1A (DOS EOF) record is
// the end.
//
// Each sdn.csv row becomes one entity: individual -> person, vessel and aircraft -> vehicle
// (attribute vehicle_kind), "-0-" -> organization. source_record_id "SDN-<ent_num>" (the form
// the screening evaluation set uses). Programs ("SDGT] [IRGC") go to attribute "programs"
// ("SDGT|IRGC") and decide the category (ingest/programs.h). Remarks are parsed by
// ingest/sdn_remarks.h; weak aliases become weak-alias names; "Linked To: NAME" becomes an
// associate-of relationship when NAME is another entry of the same file (attribute
// "linked_to" either way). alt/add rows whose ent_num is not in sdn.csv are skipped (they
// belong to later list versions).
//
// Fatal: no sdn.csv, an empty sdn.csv, a first row that is not an SDN row (12 fields, numeric
// ent_num). Rejected rows: wrong field count, non-numeric ent_num, a malformed CSV row, an
// empty name, invalid UTF-8 (the list is ASCII). Thread-safety: one reader per thread.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "ingest/record_reader.h"

namespace entente::ingest {

Result<std::unique_ptr<RecordReader>> OpenSdnReader(const std::string& path,
                                                    const ImportDefaults& defaults);

// What the side files held, for tests and the benchmark.
struct SdnFileStats {
  int64_t sdn_rows = 0;  // data rows of sdn.csv (without the EOF record)
  int64_t alt_rows = 0;
  int64_t alt_attached = 0;  // alt rows whose ent_num is in sdn.csv
  int64_t add_rows = 0;
  int64_t add_attached = 0;  // add rows whose ent_num is in sdn.csv (some hold only -0-)
  int64_t linked = 0;        // "Linked To" names resolved to an entry of the file
  int64_t linked_unresolved = 0;
};

// The in-memory form: the four files' contents (alt, add, comments may be empty) and the
// folder name used in messages. Open() reads them from disk.
struct SdnFiles {
  std::string folder;
  std::string sdn_path;  // the name sdn.csv is reported under; default <folder>/sdn.csv
  std::string sdn, alt, add, comments;
};

class SdnReader : public RecordReader {
 public:
  // NotFound when there is no sdn.csv; InvalidArgument when it is empty or not SDN data.
  static Result<std::unique_ptr<SdnReader>> Open(const std::string& path,
                                                 const ImportDefaults& defaults);
  static Result<std::unique_ptr<SdnReader>> FromFiles(SdnFiles files,
                                                      const ImportDefaults& defaults);
  ~SdnReader() override;
  Result<bool> Next(ReadItem* item) override;
  uint64_t progress_done() const override;
  uint64_t progress_total() const override;
  const SdnFileStats& stats() const;

  struct State;

 private:
  explicit SdnReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace entente::ingest
