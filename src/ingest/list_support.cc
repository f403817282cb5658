#include "ingest/list_support.h"

#include <algorithm>
#include <charconv>

#include "common/text.h"
#include "ingest/un_reader.h"

namespace entente::ingest {

Result<bool> PreparedReader::Next(ReadItem* item) {
  item->Clear();
  if (next_ >= items_.size()) return false;
  *item = std::move(items_[next_++]);
  return true;
}

namespace {

std::string_view WithoutBom(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return Trim(text);
}

}  // namespace

HeaderIndex::HeaderIndex(const std::vector<std::string>& header) : size_(header.size()) {
  for (size_t i = 0; i < header.size(); ++i)
    columns_.try_emplace(ToLowerAscii(WithoutBom(header[i])), static_cast<int>(i));
}

int HeaderIndex::Find(std::string_view name) const {
  auto it = columns_.find(ToLowerAscii(name));
  return it == columns_.end() ? -1 : it->second;
}

std::string_view HeaderIndex::Get(const std::vector<std::string>& row,
                                  std::string_view name) const {
  int column = Find(name);
  if (column < 0 || static_cast<size_t>(column) >= row.size()) return {};
  return Trim(row[column]);
}

char DetectDelimiter(std::string_view data) {
  std::string_view first = data.substr(0, data.find('\n'));
  auto semicolons = std::count(first.begin(), first.end(), ';');
  auto commas = std::count(first.begin(), first.end(), ',');
  return semicolons > commas ? ';' : ',';
}

std::string StripBom(std::string data) {
  if (data.compare(0, 3, "\xEF\xBB\xBF") == 0) data.erase(0, 3);
  return data;
}

std::string Cp1252ToUtf8(std::string_view text) {
  // Code points of 0x80..0x9F in Windows-1252; 0 where the byte has none.
  static constexpr uint16_t kHigh[32] = {
      0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    uint32_t cp = byte;
    if (byte >= 0x80 && byte < 0xA0) cp = kHigh[byte - 0x80] ? kHigh[byte - 0x80] : 0xFFFD;
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

void AddName(Entity* entity, std::string_view full, NameKind kind) {
  // Collapse the runs of spaces and line breaks published names carry.
  std::string name;
  bool space = false;
  for (char c : Trim(full)) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !name.empty()) name.push_back(' ');
    space = false;
    name.push_back(c);
  }
  if (name.empty()) return;
  for (const Name& n : entity->names)
    if (n.full == name) return;
  std::string script = DetectScript(name);
  entity->names.push_back({std::move(name), kind, std::move(script)});
}

void AddText(std::vector<std::string>* list, std::string_view value) {
  value = Trim(value);
  if (value.empty()) return;
  if (std::find(list->begin(), list->end(), value) == list->end()) list->emplace_back(value);
}

void AddDate(Entity* entity, const PartialDate& date) {
  if (std::find(entity->birth_dates.begin(), entity->birth_dates.end(), date) ==
      entity->birth_dates.end())
    entity->birth_dates.push_back(date);
}

void AddAttribute(Entity* entity, const std::string& key, std::string_view value) {
  value = Trim(value);
  if (value.empty()) return;
  std::string& current = entity->attributes[key];
  if (current.empty()) {
    current = value;
    return;
  }
  for (const std::string& part : SplitNonEmpty(current, '|'))
    if (part == value) return;
  current += "|";
  current += value;
}

std::string_view IntegerText(std::string_view text) {
  text = Trim(text);
  size_t dot = text.find('.');
  if (dot == std::string_view::npos) return text;
  std::string_view rest = text.substr(dot + 1);
  if (!rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) { return c == '0'; }))
    return text.substr(0, dot);
  return text;
}

std::optional<PartialDate> DateFromParts(std::string_view day, std::string_view month,
                                         std::string_view year, std::string* why) {
  why->clear();
  auto number = [](std::string_view text, int* out) {
    text = IntegerText(text);
    if (text.empty()) {
      *out = 0;
      return true;
    }
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
    return error == std::errc() && end == text.data() + text.size();
  };
  int d = 0, m = 0, y = 0;
  if (!number(day, &d) || !number(month, &m) || !number(year, &y)) {
    *why = "not a number";
    return std::nullopt;
  }
  if (y == 0) {
    if (d != 0 || m != 0) *why = "a day or month without a year";
    return std::nullopt;
  }
  std::string text = std::to_string(y);
  while (text.size() < 4) text.insert(text.begin(), '0');
  char buffer[8];
  if (m != 0) {
    std::snprintf(buffer, sizeof buffer, "-%02d", m);
    text += buffer;
    if (d != 0) {
      std::snprintf(buffer, sizeof buffer, "-%02d", d);
      text += buffer;
    }
  }
  return PartialDate::Parse(text, why);
}

}  // namespace entente::ingest

namespace entente::ingest {

LineIndex::LineIndex(std::string_view text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(i + 1);
}

int64_t LineIndex::LineOf(ptrdiff_t offset) const {
  if (offset < 0) return 0;
  auto it = std::upper_bound(starts_.begin(), starts_.end(), static_cast<size_t>(offset));
  return static_cast<int64_t>(it - starts_.begin());
}

}  // namespace entente::ingest
