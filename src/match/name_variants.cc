#include "match/name_variants.h"

namespace entente::match {

const NameVariants& NameVariants::Default() {
  static const NameVariants* const kDefault = new NameVariants(Parse(EmbeddedNameVariantData()));
  return *kDefault;
}

NameVariants NameVariants::Parse(std::string_view text) {
  NameVariants variants;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty() || line[0] == '#') continue;
    size_t tab1 = line.find('\t');
    if (tab1 == std::string_view::npos) continue;
    size_t tab2 = line.find('\t', tab1 + 1);
    if (tab2 == std::string_view::npos) continue;
    std::string_view kind = line.substr(0, tab1);
    std::string key(line.substr(tab1 + 1, tab2 - tab1 - 1));
    std::string value(line.substr(tab2 + 1));
    if (key.empty() || value.empty()) continue;
    if (kind == "v") {
      variants.latin_[std::move(key)] = std::move(value);
    } else if (kind == "a") {
      variants.arabic_[std::move(key)] = std::move(value);
    }
  }
  return variants;
}

std::string_view NameVariants::ClassOf(std::string_view latin) const {
  auto it = latin_.find(std::string(latin));
  return it == latin_.end() ? std::string_view() : std::string_view(it->second);
}

std::string_view NameVariants::LatinForArabic(std::string_view arabic) const {
  auto it = arabic_.find(std::string(arabic));
  return it == arabic_.end() ? std::string_view() : std::string_view(it->second);
}

}  // namespace entente::match
