#include "match/name_affixes.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace entente::match {

// The bytes of src/match/name_affixes.tsv, compiled in (see CMakeLists.txt).
std::string EmbeddedNameAffixData();

namespace {

struct AffixTables {
  std::string text;                                       // owns the bytes the views point into
  std::unordered_map<std::string_view, AffixKind> parts;  // titles and nisbas
  std::vector<std::string_view> kunya_prefixes;
  std::vector<std::string_view> patronymic_endings;
  std::unordered_set<std::string_view> abd_halves;
};

AffixKind KindNamed(std::string_view name) {
  if (name == "title") return AffixKind::kTitle;
  if (name == "kunya") return AffixKind::kKunya;
  if (name == "nisba") return AffixKind::kNisba;
  if (name == "patronymic") return AffixKind::kPatronymic;
  return AffixKind::kNone;
}

// The embedded table, read once: "kind<TAB>part" lines; '#' comments and blank lines skipped.
const AffixTables& Tables() {
  static const AffixTables* const kTables = [] {
    auto* tables = new AffixTables;
    tables->text = EmbeddedNameAffixData();
    std::string_view text = tables->text;
    while (!text.empty()) {
      const size_t end = std::min(text.find('\n'), text.size());
      const std::string_view line = text.substr(0, end);
      text.remove_prefix(std::min(end + 1, text.size()));
      const size_t tab = line.find('\t');
      if (line.empty() || line[0] == '#' || tab == std::string_view::npos) continue;
      const AffixKind kind = KindNamed(line.substr(0, tab));
      const std::string_view part = line.substr(tab + 1);
      if (line.substr(0, tab) == "abd") {
        tables->abd_halves.insert(part);
      } else if (kind == AffixKind::kKunya) {
        tables->kunya_prefixes.push_back(part);
      } else if (kind == AffixKind::kPatronymic) {
        tables->patronymic_endings.push_back(part);
      } else if (kind != AffixKind::kNone) {
        tables->parts.emplace(part, kind);
      }
    }
    return tables;
  }();
  return *kTables;
}

AffixKind PartKind(std::string_view folded) {
  const auto& parts = Tables().parts;
  auto it = parts.find(folded);
  return it == parts.end() ? AffixKind::kNone : it->second;
}

}  // namespace

bool IsTitle(std::string_view folded) { return PartKind(folded) == AffixKind::kTitle; }

bool IsNisba(std::string_view folded) { return PartKind(folded) == AffixKind::kNisba; }

bool IsAbdCompoundHalf(std::string_view folded) { return Tables().abd_halves.count(folded) > 0; }

AffixKind AffixKindOf(std::string_view folded) {
  const AffixKind kind = PartKind(folded);
  if (kind != AffixKind::kNone) return kind;
  for (std::string_view prefix : Tables().kunya_prefixes) {
    if (folded.size() > prefix.size() + 1 && folded.substr(0, prefix.size()) == prefix) {
      return AffixKind::kKunya;
    }
  }
  // A patronymic ending needs a name before it: at least three letters.
  for (std::string_view ending : Tables().patronymic_endings) {
    if (folded.size() >= ending.size() + 3 &&
        folded.substr(folded.size() - ending.size()) == ending) {
      return AffixKind::kPatronymic;
    }
  }
  return AffixKind::kNone;
}

const char* AffixKindName(AffixKind kind) {
  // In the order of AffixKind.
  static const char* const kNames[] = {"", "title", "kunya", "nasab", "nisba", "patronymic"};
  return kNames[static_cast<size_t>(kind)];
}

}  // namespace entente::match
