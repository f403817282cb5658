// What the readers of published sanctions lists (EU FSF, UK FCDO / HMT, French register, MISP)
// share: a reader over entries prepared in advance, a header index for CSV columns named by
// the publisher, and small "add once" helpers that keep an entity's names, dates and texts
// free of the repeats these lists are full of (one CSV row per alias, per date, per address).
//
// Thread-safety: pure helpers; a PreparedReader is used from one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "ingest/record_reader.h"
#include "model/entity.h"

namespace entente::ingest {

// A RecordReader over items built in full when the input was opened. The list formats must
// see a whole file before they can build one entity (rows of one entity are spread over the
// file, or over several files), so they parse in Open and hand the items out here.
class PreparedReader : public RecordReader {
 public:
  explicit PreparedReader(std::vector<ReadItem> items) : items_(std::move(items)) {}
  Result<bool> Next(ReadItem* item) override;
  uint64_t progress_done() const override { return next_; }
  uint64_t progress_total() const override { return items_.size(); }

 private:
  std::vector<ReadItem> items_;
  size_t next_ = 0;
};

// One listed subject while the rows (or XML children) that describe it are read: where it
// was first seen (for messages), the first error any of its rows had, and what is known so far.
struct PendingEntity {
  std::string key;  // the list's own id for it
  std::string file;
  int64_t line = 0;
  std::string raw;
  Status error;
  std::optional<EntityType> type;
  Entity entity;
  std::vector<std::string> programs;
  std::vector<std::string> unknown_countries;  // nationalities no ISO code was found for

  // Keeps the first error of the subject's rows.
  void Fail(Status status) {
    if (error.ok() && !status.ok()) error = std::move(status);
  }
  // A ReadItem at the subject's first row, holding its error if it has one.
  ReadItem StartItem() const {
    ReadItem item;
    item.file = file;
    item.line = line;
    item.raw = raw;
    item.error = error;
    return item;
  }
};

// The columns of a CSV header, by name. Names are compared without case, after trimming white
// space and a UTF-8 byte-order mark.
class HeaderIndex {
 public:
  explicit HeaderIndex(const std::vector<std::string>& header);
  // The column's position, or -1.
  int Find(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name) >= 0; }
  // The trimmed value of column `name` in `row`; empty when the column or the cell is absent.
  std::string_view Get(const std::vector<std::string>& row, std::string_view name) const;
  size_t size() const { return size_; }

 private:
  std::unordered_map<std::string, int> columns_;
  size_t size_ = 0;
};

// The delimiter of a CSV file from its first line: ';' when it has more semicolons than
// commas (the EU FSF files), else ','.
char DetectDelimiter(std::string_view data);

// `data` without a leading UTF-8 byte-order mark.
std::string StripBom(std::string data);

// Windows-1252 text (what the HM Treasury ConList.csv is written in) as UTF-8. Bytes without
// a character in Windows-1252 (0x81, 0x8D, 0x8F, 0x90, 0x9D) become U+FFFD.
std::string Cp1252ToUtf8(std::string_view text);

// Adds a name unless the entity already has one with the same text (the first kind wins);
// the script is detected. Empty (after trimming) names are ignored.
void AddName(Entity* entity, std::string_view full, NameKind kind);
// Appends `value` (trimmed) unless empty or already there.
void AddText(std::vector<std::string>* list, std::string_view value);
void AddDate(Entity* entity, const PartialDate& date);
// Appends `value` to attribute `key`, '|'-separated, unless empty or already there.
void AddAttribute(Entity* entity, const std::string& key, std::string_view value);

// "1987" from "1987.0" (numbers a spreadsheet tool re-saved as floats), else `text`.
std::string_view IntegerText(std::string_view text);

// A date from day, month and year parts as lists write them ("28", "4", "1937"; empty or "0"
// or "00" when unknown): a partial date, or nullopt with the reason in *why. All parts empty:
// nullopt with an empty *why.
std::optional<PartialDate> DateFromParts(std::string_view day, std::string_view month,
                                         std::string_view year, std::string* why);

}  // namespace entente::ingest

namespace entente::ingest {

// Line numbers of byte offsets in a text (for XML readers, whose parser gives offsets).
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  // The 1-based line of `offset`; 0 for a negative offset.
  int64_t LineOf(ptrdiff_t offset) const;

 private:
  std::vector<size_t> starts_;
};

}  // namespace entente::ingest
