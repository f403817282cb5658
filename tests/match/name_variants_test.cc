// The name-variant classes compiled into the binary are exactly data/names/name_variants.tsv:
// the build embeds the file (cmake/embed_text.cmake), and the engine loads every row of it.
#include "match/name_variants.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace entente::match {
namespace {

std::string ReadTsv() {
  std::ifstream in(std::string(ENTENTE_SOURCE_DIR) + "/data/names/name_variants.tsv",
                   std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(NameVariants, TheEmbeddedTextIsTheCommittedTsvByteForByte) {
  std::string tsv = ReadTsv();
  ASSERT_GT(tsv.size(), 100000u) << "data/names/name_variants.tsv is missing or truncated";
  EXPECT_EQ(EmbeddedNameVariantData(), tsv);
}

TEST(NameVariants, TheEngineLoadsEveryRowOfTheTsv) {
  std::map<std::string, std::string> latin, arabic;
  std::istringstream lines(ReadTsv());
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t tab1 = line.find('\t');
    size_t tab2 = line.find('\t', tab1 + 1);
    ASSERT_NE(tab2, std::string::npos) << line;
    std::string key = line.substr(tab1 + 1, tab2 - tab1 - 1);
    std::string value = line.substr(tab2 + 1);
    (line[0] == 'v' ? latin : arabic)[key] = value;
  }
  const NameVariants& loaded = NameVariants::Default();
  EXPECT_EQ(loaded.latin_size(), latin.size());
  EXPECT_EQ(loaded.arabic_size(), arabic.size());
  for (const auto& [spelling, class_name] : latin) {
    ASSERT_EQ(loaded.ClassOf(spelling), class_name) << spelling;
  }
  for (const auto& [spelling, class_name] : arabic) {
    ASSERT_EQ(loaded.LatinForArabic(spelling), class_name) << spelling;
  }
}

}  // namespace
}  // namespace entente::match
