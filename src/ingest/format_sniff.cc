#include "ingest/format_sniff.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <vector>

namespace entente::ingest {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr size_t kHeadBytes = 256 * 1024;

std::string ReadHead(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(kHeadBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

std::string_view SkipBomAndSpace(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  return text;
}

std::string Shown(std::string_view text, size_t max = 60) {
  std::string out;
  for (char c : text.substr(0, max)) out.push_back(c == '\r' || c == '\t' ? ' ' : c);
  return out + (text.size() > max ? "..." : "");
}

// --- XML --------------------------------------------------------------------------------

// The root element's local name, past the declaration, comments and a DOCTYPE.
std::string XmlRoot(std::string_view text) {
  while (!text.empty()) {
    text = SkipBomAndSpace(text);
    if (text.substr(0, 2) == "<?" || text.substr(0, 2) == "<!") {
      std::string_view end = text.substr(0, 4) == "<!--" ? "-->" : ">";
      size_t at = text.find(end);
      if (at == std::string_view::npos) return "";
      text.remove_prefix(at + end.size());
      continue;
    }
    if (text.empty() || text.front() != '<') return "";
    size_t stop = text.find_first_of(" \t\r\n/>", 1);
    std::string name(text.substr(1, stop == std::string_view::npos ? text.size() - 1 : stop - 1));
    if (size_t colon = name.find(':'); colon != std::string::npos) name.erase(0, colon + 1);
    return name;
  }
  return "";
}

Result<SniffedFormat> SniffXml(const std::string& path, std::string_view text) {
  std::string root = XmlRoot(text);
  if (root == "CONSOLIDATED_LIST")
    return SniffedFormat{"un", "XML whose root is <CONSOLIDATED_LIST> (UN Security Council)"};
  if (root == "export") return SniffedFormat{"eu-fsf", "XML whose root is <export> (EU FSF)"};
  if (root == "sdnList")
    return InvalidArgument(path +
                           ": XML whose root is <sdnList> (OFAC's XML list), which is not read; "
                           "import OFAC's CSV folder (sdn.csv, alt.csv, add.csv) with --format "
                           "sdn");
  return InvalidArgument(path + ": XML whose root is <" + root +
                         ">, which is no format entente reads (UN <CONSOLIDATED_LIST>, EU FSF "
                         "<export>)");
}

// --- JSON -------------------------------------------------------------------------------

// What the head of a JSON document shows: its top-level keys (or, for a top-level list, the
// first element's), and the top-level "type" string. Stops at the end of the head.
class KeyScan : public nlohmann::json_sax<json> {
 public:
  std::vector<std::string> keys;
  std::string type, id, spec_version;  // top-level string values
  bool top_array = false;
  bool saw_value = false;

  bool null() override { return Value(); }
  bool boolean(bool) override { return Value(); }
  bool number_integer(number_integer_t) override { return Value(); }
  bool number_unsigned(number_unsigned_t) override { return Value(); }
  bool number_float(number_float_t, const string_t&) override { return Value(); }
  bool string(string_t& s) override {
    if (depth_ == KeyDepth() && last_key_ == "type") type = s;
    if (depth_ == KeyDepth() && last_key_ == "id") id = s;
    if (depth_ == KeyDepth() && last_key_ == "spec_version") spec_version = s;
    return Value();
  }
  bool binary(binary_t&) override { return Value(); }
  bool start_object(std::size_t) override {
    ++depth_;
    saw_value = true;
    return true;
  }
  bool end_object() override {
    --depth_;
    last_key_.clear();
    return top_array ? depth_ > 1 : depth_ > 0;  // stop after the first object
  }
  bool start_array(std::size_t) override {
    if (depth_ == 0 && !saw_value) top_array = true;
    ++depth_;
    saw_value = true;
    return true;
  }
  bool end_array() override {
    --depth_;
    last_key_.clear();
    return depth_ > 0;
  }
  bool key(string_t& k) override {
    if (depth_ == KeyDepth()) {
      keys.push_back(k);
      last_key_ = k;
    }
    return keys.size() < 200;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

  bool Has(std::string_view k) const {
    return std::find(keys.begin(), keys.end(), k) != keys.end();
  }

 private:
  int KeyDepth() const { return top_array ? 2 : 1; }
  bool Value() {
    saw_value = true;
    if (depth_ == KeyDepth()) last_key_.clear();
    return true;
  }
  int depth_ = 0;
  std::string last_key_;
};

bool LooksLikeUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

std::string KeyList(const KeyScan& scan) {
  std::string out;
  for (size_t i = 0; i < scan.keys.size() && i < 6; ++i)
    out += (i ? ", " : "") + std::string("\"") + scan.keys[i] + "\"";
  if (scan.keys.size() > 6) out += ", ...";
  return out.empty() ? "none" : out;
}

Result<SniffedFormat> SniffJson(const std::string& path, std::string_view text) {
  KeyScan scan;
  json::sax_parse(text.begin(), text.end(), &scan, nlohmann::detail::input_format_t::json, false);
  if (!scan.top_array) {
    if (scan.type == "bundle")
      return SniffedFormat{"stix", "a JSON object with \"type\": \"bundle\" (STIX 2.1 bundle)"};
    if (!scan.spec_version.empty() && !scan.type.empty() && scan.id.rfind(scan.type + "--", 0) == 0)
      return SniffedFormat{"stix",
                           "a single STIX " + scan.spec_version + " object (" + scan.type + ")"};
    if (scan.Has("Event"))
      return SniffedFormat{"misp", "a JSON object with an \"Event\" (MISP core format)"};
    if (scan.Has("response"))
      return SniffedFormat{"misp", "a JSON object with a \"response\" (MISP search result)"};
    if (scan.Has("Publications"))
      return SniffedFormat{"fr-gels",
                           "a JSON object with \"Publications\" (French asset-freeze register)"};
    if (scan.Has("schema") && scan.Has("properties"))
      return SniffedFormat{"ftm", "JSON lines of {\"schema\", \"properties\"} (FollowTheMoney)"};
    if (scan.Has("op") && scan.Has("entity"))
      return SniffedFormat{"ftm", "JSON lines of {\"op\", \"entity\"} (FollowTheMoney delta)"};
    if (scan.Has("names") || scan.Has("provenance") || scan.Has("relationship_type"))
      return SniffedFormat{"jsonl", "JSON lines of entente records"};
    if (scan.Has("id") && scan.Has("name"))
      return SniffedFormat{"jsonl", "JSON lines of watchlist rows {\"id\", \"name\"}"};
    if (!scan.keys.empty() && std::all_of(scan.keys.begin(), scan.keys.end(), LooksLikeUuid))
      return InvalidArgument(path +
                             ": a MISP feed manifest (event uuid -> summary); import its folder, "
                             "which holds the event files");
  } else if (scan.Has("Event")) {
    return SniffedFormat{"misp", "a JSON list of {\"Event\"} (MISP core format)"};
  }
  return InvalidArgument(
      path + ": JSON " +
      (scan.top_array ? "list whose first item has" : "whose top-level keys are") + " " +
      KeyList(scan) +
      ": not a STIX bundle, MISP event, FtM entity, French register or "
      "entente record");
}

// --- CSV --------------------------------------------------------------------------------

std::string_view FirstLine(std::string_view text) {
  size_t end = text.find('\n');
  std::string_view line = text.substr(0, end);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::set<std::string> HeaderCells(std::string_view line) {
  char sep = std::count(line.begin(), line.end(), ';') > std::count(line.begin(), line.end(), ',')
                 ? ';'
                 : ',';
  std::set<std::string> cells;
  std::string cell;
  auto flush = [&] {
    std::string t;
    for (char c : cell)
      if (c != '"') t.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    while (!t.empty() && t.back() == ' ') t.pop_back();
    while (!t.empty() && t.front() == ' ') t.erase(0, 1);
    if (!t.empty()) cells.insert(t);
    cell.clear();
  };
  for (char c : line) {
    if (c == sep) {
      flush();
    } else {
      cell.push_back(c);
    }
  }
  flush();
  return cells;
}

// An OFAC SDN row: ent_num, then a quoted name ("36,\"AEROCARIBBEAN AIRLINES\",-0- ,...").
bool LooksLikeSdnRow(std::string_view line) {
  size_t comma = line.find(',');
  if (comma == 0 || comma == std::string_view::npos || comma > 10) return false;
  for (char c : line.substr(0, comma))
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return line.size() > comma + 1 && line[comma + 1] == '"' && line.find("-0-") != line.npos;
}

Result<SniffedFormat> SniffCsv(const std::string& path, std::string_view text) {
  std::string_view line = FirstLine(text);
  std::set<std::string> h = HeaderCells(line);
  if (h.count("entity_logicalid"))
    return SniffedFormat{"eu-fsf", "CSV with an Entity_LogicalId column (EU FSF)"};
  if (h.count("unique id") && h.count("ofsi group id"))
    return SniffedFormat{"uk-fcdo", "CSV with Unique ID and OFSI Group ID (UK FCDO list)"};
  std::set<std::string> next = h;
  if (h.count("last updated") && h.size() <= 2) {  // ConList's title line, then its header
    size_t nl = text.find('\n');
    if (nl != std::string_view::npos) next = HeaderCells(FirstLine(text.substr(nl + 1)));
  }
  if (next.count("group id") && next.count("name 6"))
    return SniffedFormat{"uk-hmt", "CSV with Group ID and Name 1..6 (HM Treasury ConList)"};
  if (LooksLikeSdnRow(line))
    return SniffedFormat{"sdn", "CSV rows of ent_num, \"NAME\", -0- fields (OFAC SDN sdn.csv)"};
  if (h.count("ent_num"))
    return InvalidArgument(path +
                           ": an OFAC SDN part (alt.csv or add.csv); import its folder or sdn.csv");
  if (h.count("id") && h.count("name"))
    return SniffedFormat{"csv", "CSV with id and name columns (generic watchlist)"};
  return InvalidArgument(path + ": a text file whose first line is \"" + Shown(line) +
                         "\": not a header entente knows (a generic CSV needs id and name "
                         "columns); give --format");
}

// --- folders ----------------------------------------------------------------------------

Result<SniffedFormat> SniffFolder(const std::string& path) {
  if (fs::exists(fs::path(path) / "sdn.csv"))
    return SniffedFormat{"sdn", "a folder with sdn.csv (OFAC SDN)"};
  if (fs::exists(fs::path(path) / "manifest.json"))
    return SniffedFormat{"misp", "a folder with manifest.json (MISP feed)"};
  std::error_code error;
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(path, error)) {
    if (!entry.is_regular_file()) continue;
    std::string name = entry.path().filename().string();
    names.push_back(name);
    std::string ext = entry.path().extension().string();
    if (ext != ".csv" && ext != ".xml") continue;
    auto inner = SniffFormat(entry.path().string());
    if (inner.ok() && inner->format == "eu-fsf")
      return SniffedFormat{"eu-fsf",
                           "a folder of EU FSF parts (" + name + ": " + inner->evidence + ")"};
  }
  if (error) return InvalidArgument(path + ": cannot list the folder: " + error.message());
  return InvalidArgument(path +
                         ": a folder with neither sdn.csv (OFAC), manifest.json (MISP "
                         "feed) nor EU FSF CSV/XML parts (" +
                         std::to_string(names.size()) + " files); give --format");
}

}  // namespace

Result<SniffedFormat> SniffFormat(const std::string& path) {
  std::error_code error;
  fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) return NotFound(path + ": no such file or folder");
  if (fs::is_directory(status)) return SniffFolder(path);
  std::string head = ReadHead(path);
  std::string_view text = SkipBomAndSpace(head);
  if (text.empty()) return InvalidArgument(path + ": empty file, nothing to tell its format by");
  if (text.front() == '<') return SniffXml(path, text);
  if (text.front() == '{' || text.front() == '[') return SniffJson(path, text);
  if (head.find('\0') != std::string::npos)
    return InvalidArgument(path + ": a binary file (spreadsheets are read as CSV exports)");
  return SniffCsv(path, text);
}

}  // namespace entente::ingest
