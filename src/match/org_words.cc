#include "match/org_words.h"

#include <unicode/unistr.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "match/cross_script.h"

namespace entente::match {

// The bytes of src/match/org_words.tsv, compiled in (see CMakeLists.txt).
std::string EmbeddedOrgWordData();

namespace {

struct ArabicForm {
  std::string key;  // ArabicSpellingKey of its ArabicCode letters
  std::string_view english;
  std::string_view romanization;
};

struct OrgWordTables {
  std::string text;  // owns the bytes the views point into
  std::vector<ArabicForm> arabic;
  std::unordered_map<std::string_view, std::string_view> latin;  // other form -> English
};

std::vector<std::string_view> Fields(std::string_view line, char separator) {
  std::vector<std::string_view> fields;
  while (true) {
    const size_t end = line.find(separator);
    if (!line.substr(0, end).empty()) fields.push_back(line.substr(0, end));
    if (end == std::string_view::npos) return fields;
    line.remove_prefix(end + 1);
  }
}

std::string CodeOf(std::string_view utf8) {
  const icu::UnicodeString word = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  std::string code;
  for (int32_t i = 0; i < word.length(); i = word.moveIndex32(i, 1)) {
    if (char c = ArabicCode(static_cast<uint32_t>(word.char32At(i))); c != 0) code += c;
  }
  return code;
}

// The embedded table, read once: "english<TAB>arabic forms<TAB>romanization<TAB>latin forms".
const OrgWordTables& Tables() {
  static const OrgWordTables* const kTables = [] {
    auto* tables = new OrgWordTables;
    tables->text = EmbeddedOrgWordData();
    for (std::string_view line : Fields(tables->text, '\n')) {
      if (line[0] == '#') continue;
      const std::vector<std::string_view> fields = Fields(line, '\t');
      if (fields.size() != 4) continue;
      for (std::string_view form : Fields(fields[1], ' ')) {
        tables->arabic.push_back({ArabicSpellingKey(CodeOf(form)), fields[0], fields[2]});
      }
      for (std::string_view form : Fields(fields[3], ' ')) {
        if (form != "-") tables->latin.emplace(form, fields[0]);
      }
    }
    return tables;
  }();
  return *kTables;
}

const ArabicForm* FindArabic(std::string_view arabic_code) {
  if (arabic_code.empty()) return nullptr;
  const std::string key = ArabicSpellingKey(arabic_code);
  for (const ArabicForm& form : Tables().arabic) {
    if (!form.key.empty() && form.key == key) return &form;
  }
  return nullptr;
}

}  // namespace

std::string_view OrgWordForArabic(std::string_view arabic_code) {
  const ArabicForm* form = FindArabic(arabic_code);
  return form == nullptr ? std::string_view() : form->english;
}

std::string_view OrgWordForLatin(std::string_view folded) {
  const auto& latin = Tables().latin;
  auto it = latin.find(folded);
  return it == latin.end() ? std::string_view() : it->second;
}

std::string_view OrgWordRomanization(std::string_view arabic_code) {
  const ArabicForm* form = FindArabic(arabic_code);
  return form == nullptr ? std::string_view() : form->romanization;
}

}  // namespace entente::match
