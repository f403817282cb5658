#include "ingest/uk_list_reader.h"

#include <unordered_map>

#include "common/csv.h"
#include "common/text.h"
#include "ingest/country_names.h"
#include "ingest/list_support.h"
#include "ingest/programs.h"
#include "ingest/reader_support.h"

namespace entente::ingest {
namespace {

struct Row {
  int64_t line = 0;
  std::vector<std::string> cells;
  Status error;
};

using Pending = PendingEntity;

// "  AFG0001 \n" -> "AFG0001"; runs of white space become one space.
std::string Collapse(std::string_view text) {
  std::string out;
  for (char c : Trim(text)) {
    bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
  }
  return out;
}

// "29-06-2012" or "01/04/2016" -> day, month, year parts; false when not three parts.
bool SplitDate(std::string_view text, std::string* day, std::string* month, std::string* year) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : Trim(text)) {
    if (c == '/' || c == '-' || c == '.') {
      parts.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  parts.push_back(current);
  if (parts.size() != 3) return false;
  *day = parts[0];
  *month = parts[1];
  *year = parts[2];
  return true;
}

// A listing date as YYYY-MM-DD, or the text as published when it is not a d/m/y date.
std::string IsoDate(std::string_view text) {
  std::string day, month, year, why;
  if (!SplitDate(text, &day, &month, &year)) return std::string(Trim(text));
  auto date = DateFromParts(day, month, year, &why);
  return date ? date->ToString() : std::string(Trim(text));
}

// "1) Saudi Arabia 2) Qatar" -> {"Saudi Arabia", "Qatar"}; also ',' and ';' separated.
std::vector<std::string> SplitNumbered(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    std::string value = Collapse(current);
    while (!value.empty() && (value.back() == ',' || value.back() == '.')) value.pop_back();
    if (!value.empty()) out.push_back(value);
    current.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t j = i;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
      if (j < text.size() && text[j] == ')') {
        flush();
        i = j;
        continue;
      }
    }
    if (c == ';') {
      flush();
      continue;
    }
    current.push_back(c);
  }
  flush();
  return out;
}

// The first word holding a digit ("Passport No: 592667 (Qatari ...)" -> "592667").
std::string DocumentNumber(std::string_view text) {
  std::string word;
  auto done = [&] {
    while (!word.empty() && std::ispunct(static_cast<unsigned char>(word.back()))) word.pop_back();
    while (!word.empty() && std::ispunct(static_cast<unsigned char>(word.front())))
      word.erase(word.begin());
    for (char c : word)
      if (std::isdigit(static_cast<unsigned char>(c))) return true;
    word.clear();
    return false;
  };
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (done()) return word;
      continue;
    }
    word.push_back(c);
  }
  return done() ? word : std::string();
}

class UkAssembler {
 public:
  UkAssembler(UkList list, std::string name, const ImportDefaults& defaults)
      : list_(list), name_(std::move(name)), defaults_(defaults) {}

  Status Read(const std::string& data);
  std::vector<ReadItem> Finish();

 private:
  std::string_view Cell(const Row& row, std::initializer_list<const char*> names) const {
    for (const char* n : names) {
      int column = index_->Find(n);
      if (column < 0) continue;
      size_t at = static_cast<size_t>(column) - shift_;
      if (column >= static_cast<int>(shift_) && at < row.cells.size()) return Trim(row.cells[at]);
    }
    return {};
  }
  void ReadRow(const Row& row);
  void ReadName(const Row& row, Pending* p);
  Status ReadPerson(const Row& row, Pending* p);
  ReadItem Build(Pending& p);

  UkList list_;
  std::string name_;
  const ImportDefaults& defaults_;
  std::unique_ptr<HeaderIndex> index_;
  size_t shift_ = 0;  // 1 when the header has a leading index cell the rows lack
  std::vector<std::unique_ptr<Pending>> order_;
  std::unordered_map<std::string, Pending*> by_key_;
  std::vector<ReadItem> orphans_;
};

bool IsTitleLine(const std::vector<std::string>& cells) {
  size_t filled = 0;
  for (const std::string& c : cells)
    if (!Trim(c).empty()) ++filled;
  if (filled == 0) return true;
  std::string first = ToLowerAscii(Trim(cells[0]));
  return filled <= 2 && (first.starts_with("last updated") || first.starts_with("report date"));
}

Status UkAssembler::Read(const std::string& data) {
  const char* key = list_ == UkList::kFcdo ? "Unique ID" : "Group ID";
  const char* what = list_ == UkList::kFcdo ? "a UK FCDO sanctions list CSV"
                                            : "an HM Treasury consolidated list (ConList) CSV";
  auto csv = CsvReader::FromString(data, name_);
  std::vector<Row> rows;
  Row row;
  while (csv->Next(&row.cells, &row.error)) {
    row.line = csv->line();
    rows.push_back(row);
  }
  size_t header_at = 0;
  while (header_at < rows.size() && IsTitleLine(rows[header_at].cells)) ++header_at;
  if (header_at >= rows.size()) return InvalidArgument(name_ + ": not " + what + ": no header");
  const Row& header = rows[header_at];
  index_ = std::make_unique<HeaderIndex>(header.cells);
  if (!index_->Has(key))
    return InvalidArgument(name_ + " line " + std::to_string(header.line) + ": not " + what +
                           ": no \"" + key + "\" column in the header");
  if (header_at + 1 < rows.size() && Trim(header.cells[0]).empty() &&
      rows[header_at + 1].cells.size() + 1 == header.cells.size())
    shift_ = 1;
  for (size_t i = header_at + 1; i < rows.size(); ++i) ReadRow(rows[i]);
  return Status::Ok();
}

void UkAssembler::ReadRow(const Row& row) {
  std::string raw = CsvLine(row.cells);
  auto reject = [&](Status error) {
    ReadItem item;
    item.file = name_;
    item.line = row.line;
    item.raw = raw;
    item.error = std::move(error);
    orphans_.push_back(std::move(item));
  };
  if (!row.error.ok()) return reject(RowError(name_, row.line, "", row.error.message()));
  if (Status utf8 = CheckUtf8(name_, row.line, "", raw); !utf8.ok()) return reject(utf8);
  const char* key_name = list_ == UkList::kFcdo ? "Unique ID" : "Group ID";
  std::string key = Collapse(Cell(row, {key_name}));
  if (key.empty()) return reject(RowError(name_, row.line, key_name, "missing"));
  auto [it, inserted] = by_key_.try_emplace(key, nullptr);
  if (inserted) {
    order_.push_back(std::make_unique<Pending>());
    it->second = order_.back().get();
    it->second->key = key;
    it->second->file = name_;
    it->second->line = row.line;
    it->second->raw = raw;
  }
  Pending* p = it->second;
  std::string type = ToLowerAscii(Collapse(Cell(row, {"Group Type", "Type", "Designation Type"})));
  if (type == "individual") p->type = EntityType::kPerson;
  if (type == "entity") p->type = EntityType::kOrganization;
  if (type == "ship") p->type = EntityType::kVehicle;
  if (!type.empty() && !p->type)
    p->Fail(
        RowError(name_, row.line, "Type", "\"" + type + "\" is not Individual, Entity or Ship"));
  ReadName(row, p);
  p->Fail(ReadPerson(row, p));
  Entity& e = p->entity;
  for (const std::string& regime :
       SplitNonEmpty(Collapse(Cell(row, {"Regime", "Regime Name"})), '|'))
    AddText(&p->programs, regime);
  std::string_view listed = Cell(row, {"Listed On", "Date Designated"});
  if (!listed.empty()) e.attributes["listed_on"] = IsoDate(listed);
  std::string_view updated = Cell(row, {"Last Updated"});
  if (!updated.empty()) e.attributes["last_updated"] = IsoDate(updated);
  AddAttribute(&e, "designation_source", Collapse(Cell(row, {"Designation source"})));
  AddAttribute(&e, "sanctions_imposed", Collapse(Cell(row, {"Sanctions Imposed"})));
  AddAttribute(&e, "ofsi_group_id",
               list_ == UkList::kFcdo ? Collapse(Cell(row, {"OFSI Group ID"})) : "");
  AddAttribute(&e, "un_reference", Collapse(Cell(row, {"UN Reference Number"})));
  AddAttribute(&e, "title", Collapse(Cell(row, {"Title"})));
  AddAttribute(&e, "position", Collapse(Cell(row, {"Position"})));
  AddAttribute(&e, "remarks", Collapse(Cell(row, {"Other Information"})));
  std::vector<std::string> address;
  for (const char* column : {"Address 1", "Address 2", "Address 3", "Address 4", "Address 5",
                             "Address 6", "Post/Zip Code", "Country"})
    AddText(&address, Collapse(Cell(row, {column})));
  AddText(&e.addresses, Join(address, ", "));
}

void UkAssembler::ReadName(const Row& row, Pending* p) {
  std::string full = Collapse(Cell(row, {"Name"}));
  if (full.empty()) {
    std::vector<std::string> parts;
    for (const char* column : {"Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6"})
      if (std::string part = Collapse(Cell(row, {column})); !part.empty()) parts.push_back(part);
    full = Join(parts, " ");
  }
  std::string alias_type = ToLowerAscii(Cell(row, {"Alias Type", "Name type"}));
  std::string strength = ToLowerAscii(Cell(row, {"Alias strength", "Alias Quality"}));
  NameKind kind = NameKind::kAlias;
  if (alias_type.empty() || alias_type.find("prim") != std::string::npos) kind = NameKind::kPrimary;
  if (alias_type.find("fka") != std::string::npos || alias_type.find("former") != std::string::npos)
    kind = NameKind::kFormerName;
  if (kind == NameKind::kAlias && strength.find("low") != std::string::npos)
    kind = NameKind::kWeakAlias;
  Entity& e = p->entity;
  for (Name& n : e.names) {
    if (n.full != full) continue;
    if (kind == NameKind::kPrimary) n.kind = kind;  // an AKA row came first
    full.clear();
  }
  bool has_primary = false;
  for (const Name& n : e.names) has_primary |= n.kind == NameKind::kPrimary;
  if (kind == NameKind::kPrimary && has_primary) kind = NameKind::kAlias;
  AddName(&e, full, kind);
  AddName(&e, Collapse(Cell(row, {"Name non-latin script"})), NameKind::kAlias);
}

Status UkAssembler::ReadPerson(const Row& row, Pending* p) {
  Entity& e = p->entity;
  std::string_view dob = Cell(row, {"DOB", "D.O.B", "Date of birth"});
  if (!dob.empty()) {
    std::string day, month, year, why;
    std::optional<PartialDate> date;
    if (SplitDate(dob, &day, &month, &year)) {
      date = DateFromParts(day, month, year, &why);
    } else {
      date = PartialDate::ParseLoose(dob, &why);
    }
    if (!date && !why.empty())
      return RowError(name_, row.line, "DOB", "\"" + std::string(dob) + "\": " + why);
    if (date) AddDate(&e, *date);
  }
  std::vector<std::string> place;
  AddText(&place, Collapse(Cell(row, {"Town of Birth"})));
  AddText(&place, Collapse(Cell(row, {"Country of Birth"})));
  AddText(&e.birth_places, Join(place, ", "));
  for (const std::string& country :
       SplitNumbered(Cell(row, {"Nationality", "Nationality(/ies)"}))) {
    std::string code = CountryCodeForName(country);
    if (code.empty())
      AddText(&p->unknown_countries, country);
    else
      AddText(&e.nationalities, code);
  }
  auto document = [&](std::initializer_list<const char*> columns, const char* type,
                      const char* attribute) {
    std::string text = Collapse(Cell(row, columns));
    if (text.empty()) return;
    AddAttribute(&e, attribute, text);
    std::string number = DocumentNumber(text);
    if (number.empty()) return;
    for (const IdentityDocumentInfo& d : e.documents)
      if (d.number == number) return;
    e.documents.push_back({type, number, "", "", ""});
  };
  document({"Passport Details", "Passport number"}, "passport", "passport_details");
  document({"NI Number", "National Identifier number"}, "national-id", "national_id_details");
  std::string gender = ToLowerAscii(Cell(row, {"Gender"}));
  if (auto g = ParseGender(gender)) e.gender = *g;
  return Status::Ok();
}

ReadItem UkAssembler::Build(Pending& p) {
  if (!p.type) p.Fail(RowError(p.file, p.line, "Type", "no row of " + p.key + " gives its type"));
  if (p.entity.names.empty()) p.Fail(RowError(p.file, p.line, "Name", p.key + " has no name"));
  ReadItem item = p.StartItem();
  if (!item.error.ok()) return item;
  Entity& e = p.entity;
  e.type = *p.type;
  bool has_primary = false;
  for (const Name& n : e.names) has_primary |= n.kind == NameKind::kPrimary;
  if (!has_primary) e.names.front().kind = NameKind::kPrimary;
  ThreatCategory category = CategoryForPrograms(p.programs, FallbackCategory(defaults_));
  StampMeta(&e.meta, IdPrefixFor(e.type), defaults_, p.key, category);
  if (!p.programs.empty()) e.attributes["programs"] = Join(p.programs, "|");
  if (!p.unknown_countries.empty())
    e.attributes["nationality_text"] = Join(p.unknown_countries, "|");
  if (e.type != EntityType::kPerson) {
    e.birth_dates.clear();
    e.nationalities.clear();
    e.gender = Gender::kUnknown;
  }
  item.records.emplace_back(std::move(e));
  return item;
}

std::vector<ReadItem> UkAssembler::Finish() {
  std::vector<ReadItem> items = std::move(orphans_);
  for (auto& p : order_) items.push_back(Build(*p));
  return items;
}

Result<std::unique_ptr<RecordReader>> Open(UkList list, const std::string& path,
                                           const ImportDefaults& defaults) {
  ENTENTE_ASSIGN_OR_RETURN(std::string data, ReadInputFile(path));
  return UkListReaderFromString(list, std::move(data), path, defaults);
}

}  // namespace

Result<std::unique_ptr<RecordReader>> UkListReaderFromString(UkList list, std::string data,
                                                             const std::string& name,
                                                             const ImportDefaults& defaults) {
  if (Trim(data).empty()) return InvalidArgument(name + ": the file is empty");
  data = StripBom(std::move(data));
  if (!IsValidUtf8(data)) data = Cp1252ToUtf8(data);
  UkAssembler assembler(list, name, defaults);
  ENTENTE_RETURN_IF_ERROR(assembler.Read(data));
  return std::unique_ptr<RecordReader>(std::make_unique<PreparedReader>(assembler.Finish()));
}

Result<std::unique_ptr<RecordReader>> OpenUkFcdoReader(const std::string& path,
                                                       const ImportDefaults& defaults) {
  return Open(UkList::kFcdo, path, defaults);
}

Result<std::unique_ptr<RecordReader>> OpenUkHmtReader(const std::string& path,
                                                      const ImportDefaults& defaults) {
  return Open(UkList::kHmt, path, defaults);
}

}  // namespace entente::ingest
