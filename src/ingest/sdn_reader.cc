#include "ingest/sdn_reader.h"

#include <sys/stat.h>

#include <algorithm>
#include <deque>
#include <unordered_map>

#include "common/csv.h"
#include "common/ids.h"
#include "common/text.h"
#include "ingest/country_names.h"
#include "ingest/programs.h"
#include "ingest/reader_support.h"
#include "ingest/sdn_remarks.h"

namespace entente::ingest {

namespace {

constexpr size_t kSdnFields = 12;  // ent_num .. Remarks
enum SdnField {
  kEntNum,
  kName,
  kType,
  kProgram,
  kTitle,
  kCallSign,
  kVessType,
  kTonnage,
  kGrt,
  kVessFlag,
  kVessOwner,
  kRemarks
};

// "-0-" and "-0- " are null.
std::string_view Value(const std::string& field) {
  std::string_view v = Trim(field);
  return v == "-0-" ? std::string_view() : v;
}

bool ParseEntNum(std::string_view text, int64_t* out) {
  text = Trim(text);
  if (text.empty() || text.size() > 12) return false;
  int64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  *out = n;
  return true;
}

bool IsEof(const std::vector<std::string>& fields) {
  return !fields.empty() && !fields[0].empty() && fields[0][0] == '\x1a';
}

// Names compare upper-case, trimmed, without a trailing full stop.
std::string NameKey(std::string_view name) {
  std::string key = ToUpperAscii(Trim(name));
  while (!key.empty() && (key.back() == '.' || key.back() == ' ')) key.pop_back();
  return key;
}

std::string JoinFields(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out.push_back(',');
    if (fields[i].find_first_of(",\"\r\n") != std::string::npos) {
      out.push_back('"');
      for (char c : fields[i]) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
      }
      out.push_back('"');
    } else {
      out += fields[i];
    }
  }
  return out;
}

std::string Folder(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

bool IsDirectory(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

bool Exists(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0;
}

struct SdnRow {
  int64_t line = 0;
  std::vector<std::string> fields;
  Status error;
};

struct AltName {
  std::string type;  // aka, fka, nka
  std::string name;
};

struct LinkTarget {
  int64_t ent_num;
  std::string id_type;
};

std::string_view IdTypeForSdnType(std::string_view sdn_type) {
  if (sdn_type == "individual") return "person";
  if (sdn_type == "vessel" || sdn_type == "aircraft") return "vehicle";
  return "organization";
}

}  // namespace

struct SdnReader::State {
  SdnFiles files;
  std::string sdn_name, alt_name, add_name, comments_name;
  ImportDefaults defaults;
  std::vector<SdnRow> rows;
  size_t next_row = 0;
  std::deque<ReadItem> side_rejects;  // bad rows of alt/add/comments, reported first
  std::unordered_map<int64_t, std::vector<AltName>> alts;
  std::unordered_map<int64_t, std::vector<std::string>> addresses;
  std::unordered_map<int64_t, std::string> comments;
  std::unordered_map<std::string, LinkTarget> by_name;
  SdnFileStats stats;
};

namespace {

Status CheckFieldsUtf8(const std::string& name, int64_t line,
                       const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i)
    if (!IsValidUtf8(fields[i])) return CheckUtf8(name, line, std::to_string(i + 1), fields[i]);
  return Status::Ok();
}

// Reads a side file of at least `min_fields` fields whose first field is an ent_num; calls
// `take(ent_num, fields)` for each good row, queues bad ones.
template <typename Take>
void ReadSideFile(const std::string& data, const std::string& name, size_t min_fields,
                  std::string_view header_first_field, SdnReader::State* state, int64_t* count,
                  Take take) {
  if (data.empty()) return;
  auto csv = CsvReader::FromString(data, name);
  std::vector<std::string> fields;
  Status error;
  bool first = true;
  while (csv->Next(&fields, &error)) {
    if (IsEof(fields)) break;
    bool was_first = first;
    first = false;
    ReadItem bad;
    bad.file = name;
    bad.line = csv->line();
    if (!error.ok()) {
      bad.error = error;
    } else if (was_first && !fields.empty() &&
               ToLowerAscii(Trim(fields[0])) == header_first_field) {
      continue;  // a header row, as in the re-saved alt.csv
    } else if (fields.size() < min_fields) {
      bad.error = RowError(name, bad.line, "",
                           std::to_string(fields.size()) + " fields where at least " +
                               std::to_string(min_fields) + " are expected");
    } else if (int64_t ent_num = 0; !ParseEntNum(fields[0], &ent_num)) {
      bad.error = RowError(name, bad.line, "ent_num",
                           "\"" + std::string(Trim(fields[0])) + "\" is not a number");
    } else if (Status utf8 = CheckFieldsUtf8(name, bad.line, fields); !utf8.ok()) {
      bad.error = utf8;
    } else {
      ++*count;
      take(ent_num, fields);
      continue;
    }
    bad.raw = JoinFields(fields);
    state->side_rejects.push_back(std::move(bad));
  }
}

}  // namespace

SdnReader::SdnReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
SdnReader::~SdnReader() = default;

Result<std::unique_ptr<SdnReader>> SdnReader::Open(const std::string& path,
                                                   const ImportDefaults& defaults) {
  SdnFiles files;
  std::string sdn_path;
  if (IsDirectory(path)) {
    files.folder = path;
    sdn_path = path + "/sdn.csv";
    if (!Exists(sdn_path))
      return NotFound(path +
                      ": no sdn.csv in this folder (expected the OFAC SDN CSV files "
                      "sdn.csv, alt.csv, add.csv)");
  } else {
    files.folder = Folder(path);
    sdn_path = path;
  }
  ENTENTE_ASSIGN_OR_RETURN(files.sdn, ReadInputFile(sdn_path));
  auto side = [&](const char* name, std::string* out) -> Status {
    std::string side_path = files.folder + "/" + name;
    if (!Exists(side_path)) return Status::Ok();
    auto data = ReadFile(side_path);
    if (!data.ok()) return data.status();
    *out = std::move(data).value();
    return Status::Ok();
  };
  ENTENTE_RETURN_IF_ERROR(side("alt.csv", &files.alt));
  ENTENTE_RETURN_IF_ERROR(side("add.csv", &files.add));
  ENTENTE_RETURN_IF_ERROR(side("sdn_comments.csv", &files.comments));
  files.sdn_path = sdn_path;
  return FromFiles(std::move(files), defaults);
}

Result<std::unique_ptr<SdnReader>> SdnReader::FromFiles(SdnFiles files,
                                                        const ImportDefaults& defaults) {
  auto state = std::make_unique<State>();
  state->defaults = defaults;
  state->files = std::move(files);
  const std::string& folder = state->files.folder;
  state->sdn_name = state->files.sdn_path.empty() ? folder + "/sdn.csv" : state->files.sdn_path;
  state->alt_name = folder + "/alt.csv";
  state->add_name = folder + "/add.csv";
  state->comments_name = folder + "/sdn_comments.csv";
  if (Trim(state->files.sdn).empty())
    return InvalidArgument(state->sdn_name + ": the file is empty");

  // sdn.csv: all rows first, so that "Linked To" names can be resolved to entries.
  {
    auto csv = CsvReader::FromString(state->files.sdn, state->sdn_name);
    SdnRow row;
    bool first = true;
    while (csv->Next(&row.fields, &row.error)) {
      if (IsEof(row.fields)) break;
      row.line = csv->line();
      if (first) {
        first = false;
        int64_t ent_num = 0;
        if (!row.error.ok() || row.fields.size() != kSdnFields ||
            !ParseEntNum(row.fields[0], &ent_num)) {
          std::string start = row.fields.empty() ? "" : row.fields[0].substr(0, 30);
          return InvalidArgument(state->sdn_name +
                                 " line 1: not an OFAC SDN CSV file (expected 12 fields starting "
                                 "with a numeric ent_num, found " +
                                 std::to_string(row.fields.size()) + " fields starting \"" + start +
                                 "\")");
        }
      }
      int64_t ent_num = 0;
      if (row.error.ok() && row.fields.size() == kSdnFields &&
          ParseEntNum(row.fields[kEntNum], &ent_num) && !Value(row.fields[kName]).empty()) {
        state->by_name.try_emplace(
            NameKey(row.fields[kName]),
            LinkTarget{ent_num, std::string(IdTypeForSdnType(Value(row.fields[kType])))});
      }
      state->rows.push_back(std::move(row));
      row = SdnRow();
    }
    state->stats.sdn_rows = static_cast<int64_t>(state->rows.size());
  }
  std::unordered_map<int64_t, bool> known;
  known.reserve(state->rows.size());
  for (const SdnRow& row : state->rows) {
    int64_t ent_num = 0;
    if (row.fields.size() == kSdnFields && ParseEntNum(row.fields[kEntNum], &ent_num))
      known[ent_num] = true;
  }
  State* s = state.get();
  ReadSideFile(s->files.alt, s->alt_name, 4, "ent_num", s, &s->stats.alt_rows,
               [&](int64_t ent_num, const std::vector<std::string>& f) {
                 if (!known.count(ent_num)) return;
                 std::string_view name = Value(f[3]);
                 if (name.empty()) return;
                 ++s->stats.alt_attached;
                 s->alts[ent_num].push_back({ToLowerAscii(Value(f[2])), std::string(name)});
               });
  ReadSideFile(s->files.add, s->add_name, 5, "ent_num", s, &s->stats.add_rows,
               [&](int64_t ent_num, const std::vector<std::string>& f) {
                 if (!known.count(ent_num)) return;
                 ++s->stats.add_attached;
                 std::vector<std::string> parts;
                 for (size_t i = 2; i <= 4 && i < f.size(); ++i)
                   if (!Value(f[i]).empty()) parts.emplace_back(Value(f[i]));
                 if (parts.empty()) return;
                 s->addresses[ent_num].push_back(Join(parts, ", "));
               });
  int64_t comment_rows = 0;
  ReadSideFile(s->files.comments, s->comments_name, 2, "ent_num", s, &comment_rows,
               [&](int64_t ent_num, const std::vector<std::string>& f) {
                 std::string_view text = Value(f[1]);
                 if (!text.empty() && known.count(ent_num))
                   s->comments[ent_num] += std::string(text);
               });
  // The raw texts are no longer needed.
  s->files.sdn.clear();
  s->files.alt.clear();
  s->files.add.clear();
  s->files.comments.clear();
  return std::unique_ptr<SdnReader>(new SdnReader(std::move(state)));
}

Result<bool> SdnReader::Next(ReadItem* item) {
  item->Clear();
  State& s = *state_;
  if (!s.side_rejects.empty()) {
    *item = std::move(s.side_rejects.front());
    s.side_rejects.pop_front();
    return true;
  }
  if (s.next_row >= s.rows.size()) return false;
  SdnRow& row = s.rows[s.next_row++];
  item->file = s.sdn_name;
  item->line = row.line;
  auto reject = [&](Status error) {
    item->error = std::move(error);
    item->raw = JoinFields(row.fields);
    item->records.clear();
    return true;
  };
  if (!row.error.ok()) return reject(row.error);
  if (row.fields.size() != kSdnFields)
    return reject(
        RowError(s.sdn_name, row.line, "",
                 std::to_string(row.fields.size()) + " fields where OFAC's sdn.csv has 12"));
  int64_t ent_num = 0;
  if (!ParseEntNum(row.fields[kEntNum], &ent_num))
    return reject(RowError(s.sdn_name, row.line, "ent_num",
                           "\"" + std::string(Trim(row.fields[kEntNum])) + "\" is not a number"));
  static constexpr const char* kFieldNames[] = {"ent_num", "SDN_Name",  "SDN_Type",   "Program",
                                                "Title",   "Call_Sign", "Vess_type",  "Tonnage",
                                                "GRT",     "Vess_flag", "Vess_owner", "Remarks"};
  for (size_t i = 0; i < kSdnFields; ++i) {
    Status utf8 = CheckUtf8(s.sdn_name, row.line, kFieldNames[i], row.fields[i]);
    if (!utf8.ok()) return reject(utf8);
  }
  std::string_view name = Value(row.fields[kName]);
  if (name.empty()) return reject(RowError(s.sdn_name, row.line, "SDN_Name", "empty"));

  Entity entity;
  std::string_view sdn_type = Value(row.fields[kType]);
  if (sdn_type == "individual") {
    entity.type = EntityType::kPerson;
  } else if (sdn_type == "vessel" || sdn_type == "aircraft") {
    entity.type = EntityType::kVehicle;
    entity.attributes["vehicle_kind"] = std::string(sdn_type);
  } else if (sdn_type.empty()) {
    entity.type = EntityType::kOrganization;
  } else {
    return reject(RowError(
        s.sdn_name, row.line, "SDN_Type",
        "unknown type \"" + std::string(sdn_type) + "\" (individual, vessel, aircraft or -0-)"));
  }
  // "SDGT] [IRGC" -> SDGT, IRGC
  std::vector<std::string> programs;
  {
    std::string text(Value(row.fields[kProgram]));
    for (char& c : text)
      if (c == '[' || c == ']') c = '|';
    programs = SplitNonEmpty(text, '|');
  }
  std::string source_record_id = "SDN-" + std::to_string(ent_num);
  ThreatCategory category = CategoryForPrograms(programs, FallbackCategory(s.defaults));
  StampMeta(&entity.meta, IdPrefixFor(entity.type), s.defaults, source_record_id, category);
  if (!programs.empty()) entity.attributes["programs"] = Join(programs, "|");

  entity.names.push_back({std::string(name), NameKind::kPrimary, "Latn"});
  if (auto it = s.alts.find(ent_num); it != s.alts.end()) {
    for (const AltName& alt : it->second) {
      NameKind kind = alt.type == "fka" ? NameKind::kFormerName : NameKind::kAlias;
      entity.names.push_back({alt.name, kind, "Latn"});
    }
  }
  if (auto it = s.addresses.find(ent_num); it != s.addresses.end()) entity.addresses = it->second;

  std::string remarks(Value(row.fields[kRemarks]));
  if (auto it = s.comments.find(ent_num); it != s.comments.end()) remarks += it->second;
  SdnRemarks parsed = ParseSdnRemarks(remarks);
  entity.birth_dates = std::move(parsed.birth_dates);
  entity.birth_places = std::move(parsed.birth_places);
  entity.nationalities = std::move(parsed.nationalities);
  entity.gender = parsed.gender;
  entity.documents = std::move(parsed.documents);
  for (std::string& weak : parsed.weak_aliases)
    entity.names.push_back({std::move(weak), NameKind::kWeakAlias, "Latn"});
  for (auto& [key, value] : parsed.attributes) entity.attributes[key] = std::move(value);
  if (!parsed.unparsed_birth_dates.empty())
    entity.attributes["birth_date_text"] = Join(parsed.unparsed_birth_dates, "|");
  if (!parsed.unknown_countries.empty())
    entity.attributes["nationality_text"] = Join(parsed.unknown_countries, "|");
  if (!remarks.empty()) entity.attributes["remarks"] = remarks;

  auto set_attribute = [&](const char* key, SdnField field) {
    std::string_view v = Value(row.fields[field]);
    if (!v.empty()) entity.attributes[key] = std::string(v);
  };
  set_attribute("title", kTitle);
  set_attribute("call_sign", kCallSign);
  set_attribute("vessel_type", kVessType);
  set_attribute("tonnage", kTonnage);
  set_attribute("gross_registered_tonnage", kGrt);
  set_attribute("vessel_owner", kVessOwner);
  if (std::string_view flag = Value(row.fields[kVessFlag]); !flag.empty()) {
    entity.attributes["flag"] = std::string(flag);
    std::string code = CountryCodeForName(flag);
    if (!code.empty()) entity.attributes["flag_country"] = code;
  }

  std::vector<Relationship> links;
  if (!parsed.linked_to.empty()) {
    entity.attributes["linked_to"] = Join(parsed.linked_to, "|");
    for (const std::string& target_name : parsed.linked_to) {
      auto it = s.by_name.find(NameKey(target_name));
      if (it == s.by_name.end() || it->second.ent_num == ent_num) {
        ++s.stats.linked_unresolved;
        continue;
      }
      ++s.stats.linked;
      std::string target_record_id = "SDN-" + std::to_string(it->second.ent_num);
      Relationship link;
      link.type = RelationshipType::kAssociateOf;
      StampMeta(&link.meta, "relationship", s.defaults,
                source_record_id + "/linked-to/" + target_record_id, category);
      link.source_id = entity.meta.id;
      link.target_id = RecordIdFor(s.defaults, it->second.id_type, target_record_id);
      link.description = "OFAC SDN remarks: Linked To " + target_name;
      bool duplicate = std::any_of(links.begin(), links.end(), [&](const Relationship& r) {
        return r.meta.id == link.meta.id;
      });
      if (!duplicate) links.push_back(std::move(link));
    }
  }
  item->records.emplace_back(std::move(entity));
  for (Relationship& link : links) item->records.emplace_back(std::move(link));
  return true;
}

uint64_t SdnReader::progress_done() const { return state_->next_row; }
uint64_t SdnReader::progress_total() const { return state_->rows.size(); }
const SdnFileStats& SdnReader::stats() const { return state_->stats; }

Result<std::unique_ptr<RecordReader>> OpenSdnReader(const std::string& path,
                                                    const ImportDefaults& defaults) {
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<SdnReader> reader, SdnReader::Open(path, defaults));
  return std::unique_ptr<RecordReader>(std::move(reader));
}

}  // namespace entente::ingest
