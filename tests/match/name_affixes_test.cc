// A query longer than the listed name: a title, kunya, nasab or nisba added to it is explained
// (a near-exact match of what is listed, with the extra part named in the explanation); a
// different person who shares only the title, kunya or nisba is not a hit. Real OFAC names
// (SDN list and its aliases; the queries are aliases published for the same entity).
#include "match/name_affixes.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "match/matcher.h"
#include "match/normalize.h"
#include "test_entities.h"

namespace entente {
namespace {

using match::AffixKind;
using match::AffixKindOf;
using match_test::Person;
using match_test::Search;

TEST(AffixKindOf, TitlesKunyasAndNisbasComeFromTheTables) {
  for (const char* title : {"sheikh", "shaykh", "qari", "hajj", "haji", "seyyed", "mullah", "dr",
                            "general", "ustad", "maulvi"}) {
    EXPECT_EQ(AffixKindOf(title), AffixKind::kTitle) << title;
  }
  EXPECT_EQ(AffixKindOf("abubakr"), AffixKind::kKunya);
  EXPECT_EQ(AffixKindOf("ummhani"), AffixKind::kKunya);
  EXPECT_EQ(AffixKindOf("masri"), AffixKind::kNisba);
  EXPECT_EQ(AffixKindOf("sudani"), AffixKind::kNisba);
  // Name parts proper, and a bare "abu".
  for (const char* part : {"hassan", "aweys", "abu", "abdrahman", "umar"}) {
    EXPECT_EQ(AffixKindOf(part), AffixKind::kNone) << part;
  }
}

TEST(NormalizeName, UmmJoinsTheNextPartAsAKunya) {
  Result<match::NormalizedName> name = match::NormalizeName("Umm Hani al-Masri");
  ASSERT_TRUE(name.ok());
  ASSERT_EQ(name->tokens.size(), 2u);
  EXPECT_EQ(name->tokens[0].text, "ummhani");
  EXPECT_EQ(name->tokens[1].text, "masri");
}

// Listed names of six SDN entries (names only: no dates in these tests).
std::unique_ptr<MatchIndex> SdnIndex() {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  index->Add(Person("SDN-11744", {"AWEYS, Hassan Dahir"}));
  index->Add(Person("SDN-12606", {"QADHAFI, Muammar"}));
  index->Add(Person("SDN-12598", {"ARDHAN, Muhamad Ricky"}));
  index->Add(Person("SDN-7863", {"AL-MAJID, Rukan abd al-Gafur"}));
  index->Add(Person("SDN-30219", {"AL-BAGHDADI, Hassan"}));
  index->Add(Person("SDN-7210", {"AL-MASRI, Abu Hamza"}));
  return index;
}

struct Extra {
  const char* query;      // a published alias of the entity
  const char* reference;  // the entity
  const char* because;    // what the explanation must say
};

// Each query's best result is its entity, scoring at least `score`, for the reason given.
template <size_t N>
void ExpectExplained(const MatchIndex& index, const Extra (&extras)[N], double score) {
  for (const Extra& extra : extras) {
    std::vector<MatchResult> results = Search(index, extra.query);
    ASSERT_FALSE(results.empty()) << extra.query;
    EXPECT_EQ(results.front().source_record_id, extra.reference) << extra.query;
    EXPECT_GE(results.front().score, score) << extra.query << ": " << results.front().Explanation();
    EXPECT_NE(results.front().Explanation().find(extra.because), std::string::npos)
        << extra.query << ": " << results.front().Explanation();
  }
}

TEST(LongerQuery, AnAddedTitleKunyaNasabOrNisbaIsExplained) {
  std::unique_ptr<MatchIndex> index = SdnIndex();
  const Extra extras[] = {
      {"AWEYS, Sheikh Hassan Dahir", "SDN-11744", "title sheikh ignored"},
      {"AL-QADHAFI, Muammar Abu Minyar", "SDN-12606", "kunya abu minyar not in the listed name"},
      {"ARDHAN BIN ABU JIBRIL, Muhammad Ricky", "SDN-12598",
       "nasab bin abujibril not in the listed name"},
      {"AL-TIKRITI, Rukan abd al-Ghaffur al-Majid", "SDN-7863",
       "nisba tikriti not in the listed name"},
  };
  ExpectExplained(*index, extras, 0.9);
}

TEST(LongerQuery, SharingOnlyATitleKunyaOrNisbaIsNotAHit) {
  std::unique_ptr<MatchIndex> index = SdnIndex();
  const char* const others[] = {
      "Sheikh Hassan Nasrallah",   // title and given name shared with Aweys
      "AL-BAGHDADI, Abu Bakr",     // nisba shared with Hassan al-Baghdadi
      "Sheikh Ahmed al-Baghdadi",  // title and nisba
      "Abu Minyar",                // a kunya alone
      "Mohamed al-Masri",          // given name and nisba of Abu Hamza al-Masri
      "AL-MUHAJIR, Abu Hamza",     // the same kunya, another nisba: another person
      "Hajji Muhammad",            // a title and a given name
  };
  for (const char* name : others) {
    for (const MatchResult& result : Search(*index, name)) {
      EXPECT_LT(result.score, MatchIndex::DefaultThreshold())
          << name << " -> " << result.matched_name << ": " << result.Explanation();
    }
  }
}

TEST(LongerQuery, GivenNamesAloneDoNotExplainANisba) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  index->Add(Person("SDN-12888", {"HASSAN, Mohamed"}));
  for (const MatchResult& result : Search(*index, "AL-LIBI, Muhammad Hasan")) {
    EXPECT_EQ(result.Explanation().find("nisba"), std::string::npos) << result.Explanation();
    EXPECT_LT(result.score, MatchIndex::DefaultThreshold()) << result.Explanation();
  }
}

TEST(AffixKindOf, PatronymicEndingsComeFromTheTable) {
  for (const char* part :
       {"fiodorovich", "grygorovych", "dmitriyevna", "ivanivna", "uladzimirauna", "aliogly"}) {
    EXPECT_EQ(AffixKindOf(part), AffixKind::kPatronymic) << part;
  }
  // Family names: Serbian -ovic, Turkish -oglu; and an ending with too little before it.
  for (const char* part : {"milosevic", "davutoglu", "ovich", "abich"}) {
    EXPECT_NE(AffixKindOf(part), AffixKind::kPatronymic) << part;
  }
}

// Many lists leave out the patronymic that a published alias (or an officer) writes: real SDN
// entries, queried by their published aliases, names only.
TEST(LongerQuery, AnAddedPatronymicIsExplained) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  index->Add(Person("SDN-36363", {"OKULOV, Aleksandr"}));
  index->Add(Person("SDN-30875", {"TELIZHENKO, Andrii", "TELIZHENKO, Andriy"}));
  index->Add(Person("SDN-29870", {"KHODOTOV, Yevgeny"}));
  const Extra extras[] = {
      {"OKULOV, Alexander Fiodorovich", "SDN-36363",
       "patronymic fiodorovich not in the listed name"},
      {"TELIZHENKO, Andrii Grygorovych", "SDN-30875",
       "patronymic grygorovych not in the listed name"},
      {"KHODOTOV, Yevgeniy Garryevich", "SDN-29870",
       "patronymic garryevich not in the listed name"},
  };
  ExpectExplained(*index, extras, MatchIndex::DefaultThreshold());
  // A patronymic shared with nobody does not make up for another given name.
  for (const MatchResult& result : Search(*index, "OKULOV, Dmitriy Fiodorovich")) {
    EXPECT_LT(result.score, MatchIndex::DefaultThreshold()) << result.Explanation();
  }
}

// A nasab chain (two generations or more) is a genealogy, not a family name: it is explained
// against a listed name of two parts too. Real SDN entries and their published aliases.
TEST(LongerQuery, ANasabChainIsExplainedAgainstATwoPartName) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  index->Add(Person("SDN-7255", {"KAMMOUN, Mehdi"}));
  index->Add(Person("SDN-8102", {"TRABELSI, Mourad"}));
  const Extra extras[] = {
      {"KAMMOUN, Mehdi Ben Mohamed Ben Mohamed", "SDN-7255",
       "nasab bin mohamed not in the listed name"},
      {"AL-TRABELSI, Mourad Ben Ali Ben Al-Basheer", "SDN-8102",
       "nasab bin ali not in the listed name"},
  };
  ExpectExplained(*index, extras, MatchIndex::DefaultThreshold());
  // One link is as often another family name ("Mehdi Ben Khalil Kammoun" is not explained), and
  // a chain does not make up for another given name.
  for (const char* name : {"KAMMOUN, Mehdi Ben Khalil", "KAMMOUN, Sami Ben Ali Ben Salah"}) {
    for (const MatchResult& result : Search(*index, name)) {
      EXPECT_LT(result.score, MatchIndex::DefaultThreshold())
          << name << ": " << result.Explanation();
    }
  }
}

// Compound and joined parts: the spellings of one compound meet as one part.
TEST(CompoundParts, AbdAlRahmanDinAndAllahSpellingsMeet) {
  const std::vector<std::vector<const char*>> groups = {
      {"Abd al-Rahman", "Abdulrahman", "Abdel Rahman", "Abderrahmane", "Abd ar-Rahman",
       "Abdurrahman", "Abdul Rahman", "Abd-al-Rahman"},
      {"Salah al-Din", "Salaheddine", "Salahuddin", "Salah ad-Din", "Salah Eddine"},
      {"Nasrallah", "Nasr Allah", "Nasr-Allah"},
      // SDN-22303, SAFIEDDINE, Hashem, also listed as "Safi A-Din, Hashem" (the l dropped).
      {"Safieddine", "Safi al-Din", "Safi A-Din", "Safi ad-Din"},
      {"Nur al-Din", "Nureddine", "Nuruddin", "Nur ad-Din"},
  };
  for (const auto& group : groups) {
    std::unique_ptr<MatchIndex> index = MatchIndex::Create();
    index->Add(Person("listed", {std::string("Hassan ") + group.front() + " Zubaydi"}));
    for (const char* spelling : group) {
      const std::string query = std::string("Hassan ") + spelling + " Zubaydi";
      std::vector<MatchResult> results = Search(*index, query);
      ASSERT_FALSE(results.empty()) << query;
      EXPECT_GE(results.front().score, 0.93) << query << ": " << results.front().Explanation();
    }
  }
}

TEST(CompoundParts, TheAssimilatedArticleIsAnArticle) {
  const std::pair<const char*, const char*> pairs[] = {
      {"Abu Muhammad ash-Shami", "Abu Muhammad al-Shami"},
      {"Abu Musab as-Suri", "Abu Musab al-Suri"},
      {"Nur an-Nur", "Nur al-Nur"},
      {"Ahmed as-Sayyid Ali", "Ahmed al-Sayyid Ali"},
  };
  for (const auto& [assimilated, plain] : pairs) {
    Result<match::NormalizedName> a = match::NormalizeName(assimilated);
    Result<match::NormalizedName> b = match::NormalizeName(plain);
    ASSERT_TRUE(a.ok() && b.ok()) << assimilated;
    ASSERT_EQ(a->tokens.size(), b->tokens.size()) << assimilated;
    for (size_t i = 0; i < a->tokens.size(); ++i) {
      EXPECT_EQ(a->tokens[i].text, b->tokens[i].text) << assimilated;
    }
  }
}

}  // namespace
}  // namespace entente
