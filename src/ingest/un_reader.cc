#include "ingest/un_reader.h"

#include <algorithm>
#include <pugixml.hpp>
#include <sstream>
#include <vector>

#include "common/text.h"
#include "ingest/country_names.h"
#include "ingest/programs.h"
#include "ingest/reader_support.h"

namespace entente::ingest {

namespace {

// Decodes one UTF-8 code point at text[*i], advancing *i; returns 0xFFFD on a bad sequence.
uint32_t DecodeUtf8(std::string_view text, size_t* i) {
  auto c = static_cast<unsigned char>(text[*i]);
  int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len; ++k) {
    if (*i + k >= text.size()) {
      *i = text.size();
      return 0xFFFD;
    }
    cp = (cp << 6) | (static_cast<unsigned char>(text[*i + k]) & 0x3F);
  }
  *i += len;
  return cp;
}

}  // namespace

std::string DetectScript(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    uint32_t cp = DecodeUtf8(text, &i);
    if (cp < 0x250) continue;                    // Latin, Latin-1, Latin Extended-A/B
    if (cp >= 0x1E00 && cp <= 0x1EFF) continue;  // Latin Extended Additional
    if (cp >= 0x2000 && cp <= 0x206F) continue;  // punctuation
    if (cp >= 0x0370 && cp <= 0x03FF) return "Grek";
    if (cp >= 0x0400 && cp <= 0x052F) return "Cyrl";
    if (cp >= 0x0530 && cp <= 0x058F) return "Armn";
    if (cp >= 0x0590 && cp <= 0x05FF) return "Hebr";
    if ((cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
        (cp >= 0x08A0 && cp <= 0x08FF) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
        (cp >= 0xFE70 && cp <= 0xFEFF))
      return "Arab";
    if (cp >= 0x0900 && cp <= 0x097F) return "Deva";
    if (cp >= 0x0E00 && cp <= 0x0E7F) return "Thai";
    if (cp >= 0x10A0 && cp <= 0x10FF) return "Geor";
    if ((cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F) ||
        (cp >= 0xAC00 && cp <= 0xD7AF))
      return "Hang";
    if (cp >= 0x3040 && cp <= 0x30FF) return "Jpan";
    if (cp >= 0x4E00 && cp <= 0x9FFF) return "Hani";
  }
  return "Latn";
}

namespace {

std::string Text(const pugi::xml_node& node) {
  // Collapse the line breaks and runs of spaces the list has inside values.
  std::string raw = node.child_value();
  std::string out;
  out.reserve(raw.size());
  bool space = false;
  for (char c : raw) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string ChildText(const pugi::xml_node& node, const char* name) {
  return Text(node.child(name));
}

void AddUnique(std::vector<std::string>* list, std::string value) {
  if (!value.empty() && std::find(list->begin(), list->end(), value) == list->end())
    list->push_back(std::move(value));
}

std::string JoinParts(const pugi::xml_node& node, std::initializer_list<const char*> names) {
  std::vector<std::string> parts;
  for (const char* name : names) {
    std::string value = ChildText(node, name);
    if (!value.empty()) parts.push_back(std::move(value));
  }
  return Join(parts, ", ");
}

std::string DocumentType(std::string_view text) {
  std::string lowered = ToLowerAscii(Trim(text));
  if (lowered.find("passport") != std::string::npos ||
      lowered.find("passeport") != std::string::npos ||
      lowered.find("pasaporte") != std::string::npos)
    return "passport";
  if (lowered.find("national identification") != std::string::npos ||
      lowered.find("national id") != std::string::npos)
    return "national-id";
  if (lowered.empty()) return "other";
  std::string out;
  for (char c : lowered) out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '-');
  return out;
}

// Checks every text below `node` for valid UTF-8 (pugixml does not).
Status CheckNodeUtf8(const pugi::xml_node& node, std::string_view file, int64_t line) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      ENTENTE_RETURN_IF_ERROR(CheckUtf8(file, line, node.name(), child.value()));
    } else if (child.type() == pugi::node_element) {
      ENTENTE_RETURN_IF_ERROR(CheckNodeUtf8(child, file, line));
    }
  }
  return Status::Ok();
}

class UnReader : public RecordReader {
 public:
  UnReader(std::string data, std::string name, ImportDefaults defaults)
      : data_(std::move(data)), name_(std::move(name)), defaults_(std::move(defaults)) {}

  Status Load() {
    pugi::xml_parse_result parsed =
        document_.load_buffer(data_.data(), data_.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed)
      return InvalidArgument(name_ + " line " + std::to_string(LineOf(parsed.offset)) +
                             ": not a UN consolidated list XML file: " + parsed.description());
    pugi::xml_node root = document_.document_element();
    if (!root)
      return InvalidArgument(name_ + ": not a UN consolidated list XML file: no root element");
    if (std::string_view(root.name()) != "CONSOLIDATED_LIST")
      return InvalidArgument(name_ + " line " + std::to_string(LineOf(root.offset_debug())) +
                             ": not a UN consolidated list: the root element is <" +
                             std::string(root.name()) + ">, expected <CONSOLIDATED_LIST>");
    for (pugi::xml_node n : root.child("INDIVIDUALS").children("INDIVIDUAL")) nodes_.push_back(n);
    for (pugi::xml_node n : root.child("ENTITIES").children("ENTITY")) nodes_.push_back(n);
    generated_ = root.attribute("dateGenerated").value();
    return Status::Ok();
  }

  Result<bool> Next(ReadItem* item) override {
    item->Clear();
    if (next_ >= nodes_.size()) return false;
    pugi::xml_node node = nodes_[next_++];
    item->file = name_;
    item->line = LineOf(node.offset_debug());
    Result<Entity> entity = Build(node, item->line);
    if (!entity.ok()) {
      item->error = entity.status();
      std::ostringstream raw;
      node.print(raw, "", pugi::format_raw);
      item->raw = raw.str();
      return true;
    }
    item->records.emplace_back(std::move(entity).value());
    return true;
  }

  uint64_t progress_done() const override { return next_; }
  uint64_t progress_total() const override { return nodes_.size(); }

 private:
  int64_t LineOf(ptrdiff_t offset) {
    if (line_starts_.empty()) {
      line_starts_.push_back(0);
      for (size_t i = 0; i < data_.size(); ++i)
        if (data_[i] == '\n') line_starts_.push_back(i + 1);
    }
    if (offset < 0) return 0;
    auto it =
        std::upper_bound(line_starts_.begin(), line_starts_.end(), static_cast<size_t>(offset));
    return static_cast<int64_t>(it - line_starts_.begin());
  }

  Result<Entity> Build(const pugi::xml_node& node, int64_t line) {
    ENTENTE_RETURN_IF_ERROR(CheckNodeUtf8(node, name_, line));
    bool individual = std::string_view(node.name()) == "INDIVIDUAL";
    Entity entity;
    entity.type = individual ? EntityType::kPerson : EntityType::kOrganization;

    std::vector<std::string> parts;
    for (const char* part : {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"}) {
      std::string value = ChildText(node, part);
      if (!value.empty()) parts.push_back(std::move(value));
    }
    std::string name = Join(parts, " ");
    if (name.empty()) return RowError(name_, line, "FIRST_NAME", "no name");
    std::string reference = ChildText(node, "REFERENCE_NUMBER");
    std::string dataid = ChildText(node, "DATAID");
    std::string source_record_id = !reference.empty() ? reference : "DATAID-" + dataid;
    if (reference.empty() && dataid.empty())
      return RowError(name_, line, "REFERENCE_NUMBER", "neither REFERENCE_NUMBER nor DATAID");

    std::string list_type = ChildText(node, "UN_LIST_TYPE");
    std::vector<std::string> programs;
    if (!list_type.empty()) programs.push_back(list_type);
    ThreatCategory category = CategoryForPrograms(programs, FallbackCategory(defaults_));
    StampMeta(&entity.meta, IdPrefixFor(entity.type), defaults_, source_record_id, category);
    if (!list_type.empty()) entity.attributes["programs"] = list_type;

    entity.names.push_back({name, NameKind::kPrimary, DetectScript(name)});
    std::string original = ChildText(node, "NAME_ORIGINAL_SCRIPT");
    if (!original.empty())
      entity.names.push_back({original, NameKind::kAlias, DetectScript(original)});
    for (pugi::xml_node alias : node.children(individual ? "INDIVIDUAL_ALIAS" : "ENTITY_ALIAS")) {
      std::string alias_name = ChildText(alias, "ALIAS_NAME");
      if (alias_name.empty()) continue;
      std::string quality = ToLowerAscii(ChildText(alias, "QUALITY"));
      NameKind kind = quality == "low"      ? NameKind::kWeakAlias
                      : quality == "f.k.a." ? NameKind::kFormerName
                                            : NameKind::kAlias;
      bool duplicate = std::any_of(entity.names.begin(), entity.names.end(),
                                   [&](const Name& n) { return n.full == alias_name; });
      if (!duplicate) entity.names.push_back({alias_name, kind, DetectScript(alias_name)});
    }

    for (pugi::xml_node dob : node.children("INDIVIDUAL_DATE_OF_BIRTH")) {
      std::string date = ChildText(dob, "DATE");
      std::string year = ChildText(dob, "YEAR");
      std::string from = ChildText(dob, "FROM_YEAR");
      std::string to = ChildText(dob, "TO_YEAR");
      auto add = [&](const std::string& text, const char* field) -> Status {
        std::string why;
        auto parsed = PartialDate::Parse(text, &why);
        if (!parsed)
          return RowError(name_, LineOf(dob.offset_debug()),
                          std::string("INDIVIDUAL_DATE_OF_BIRTH/") + field,
                          "\"" + text + "\": " + why);
        if (std::find(entity.birth_dates.begin(), entity.birth_dates.end(), *parsed) ==
            entity.birth_dates.end())
          entity.birth_dates.push_back(*parsed);
        return Status::Ok();
      };
      if (!date.empty()) ENTENTE_RETURN_IF_ERROR(add(date, "DATE"));
      if (!year.empty()) ENTENTE_RETURN_IF_ERROR(add(year, "YEAR"));
      if (!from.empty() && !to.empty()) {
        ENTENTE_RETURN_IF_ERROR(add(from, "FROM_YEAR"));
        ENTENTE_RETURN_IF_ERROR(add(to, "TO_YEAR"));
        int first = std::atoi(from.c_str()), last = std::atoi(to.c_str());
        if (last > first && last - first <= 10)
          for (int y = first + 1; y < last; ++y)
            ENTENTE_RETURN_IF_ERROR(add(std::to_string(y), "FROM_YEAR"));
      }
    }
    for (pugi::xml_node place : node.children("INDIVIDUAL_PLACE_OF_BIRTH"))
      AddUnique(&entity.birth_places, JoinParts(place, {"CITY", "STATE_PROVINCE", "COUNTRY"}));
    std::vector<std::string> unknown_countries;
    for (pugi::xml_node value : node.child("NATIONALITY").children("VALUE")) {
      std::string country = Text(value);
      if (country.empty()) continue;
      std::string code = CountryCodeForName(country);
      if (code.empty())
        unknown_countries.push_back(country);
      else
        AddUnique(&entity.nationalities, code);
    }
    if (!unknown_countries.empty())
      entity.attributes["nationality_text"] = Join(unknown_countries, "|");
    std::string gender = ChildText(node, "GENDER");
    if (auto parsed = ParseGender(gender); parsed) entity.gender = *parsed;

    for (pugi::xml_node doc : node.children("INDIVIDUAL_DOCUMENT")) {
      std::string number = ChildText(doc, "NUMBER");
      if (number.empty()) continue;
      IdentityDocumentInfo document;
      document.type = DocumentType(ChildText(doc, "TYPE_OF_DOCUMENT"));
      document.number = number;
      std::string issuer = ChildText(doc, "ISSUING_COUNTRY");
      if (issuer.empty()) issuer = ChildText(doc, "COUNTRY_OF_ISSUE");
      document.country = CountryCodeForName(issuer);
      std::string issued = ChildText(doc, "DATE_OF_ISSUE");
      if (auto d = PartialDate::Parse(issued); d && d->day) document.valid_from = d->ToString();
      entity.documents.push_back(std::move(document));
    }
    for (pugi::xml_node address :
         node.children(individual ? "INDIVIDUAL_ADDRESS" : "ENTITY_ADDRESS"))
      AddUnique(&entity.addresses, JoinParts(address, {"STREET", "CITY", "STATE_PROVINCE",
                                                       "ZIP_CODE", "COUNTRY", "NOTE"}));

    auto values = [&](const char* element) {
      std::vector<std::string> out;
      for (pugi::xml_node value : node.child(element).children("VALUE"))
        AddUnique(&out, Text(value));
      return Join(out, "|");
    };
    auto set = [&](const char* key, std::string value) {
      if (!value.empty()) entity.attributes[key] = std::move(value);
    };
    set("title", values("TITLE"));
    set("designation", values("DESIGNATION"));
    set("remarks", ChildText(node, "COMMENTS1"));
    set("listed_on", ChildText(node, "LISTED_ON"));
    set("un_dataid", dataid);
    set("list_generated", generated_);
    return entity;
  }

  std::string data_;
  std::string name_;
  ImportDefaults defaults_;
  pugi::xml_document document_;
  std::vector<pugi::xml_node> nodes_;
  std::vector<size_t> line_starts_;
  std::string generated_;
  size_t next_ = 0;
};

}  // namespace

Result<std::unique_ptr<RecordReader>> UnReaderFromString(std::string data, const std::string& name,
                                                         const ImportDefaults& defaults) {
  if (Trim(data).empty()) return InvalidArgument(name + ": the file is empty");
  auto reader = std::make_unique<UnReader>(std::move(data), name, defaults);
  ENTENTE_RETURN_IF_ERROR(reader->Load());
  return std::unique_ptr<RecordReader>(std::move(reader));
}

Result<std::unique_ptr<RecordReader>> OpenUnReader(const std::string& path,
                                                   const ImportDefaults& defaults) {
  ENTENTE_ASSIGN_OR_RETURN(std::string data, ReadInputFile(path));
  return UnReaderFromString(std::move(data), path, defaults);
}

}  // namespace entente::ingest
