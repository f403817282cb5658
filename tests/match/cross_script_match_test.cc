// Names in Arabic script against lists in Latin script, and the reverse, through the whole
// index: the same full name in both scripts is a hit that scores as exact (the UN consolidated
// list's NAME_ORIGINAL_SCRIPT against its Latin fields, 2025-11-20), and what the script tells
// apart stays apart (a given name alone, another given name, drawn real Arabic name parts).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "match/matcher.h"
#include "match/normalize.h"
#include "match/org_words.h"
#include "test_entities.h"

namespace entente {
namespace {

using match_test::Person;
using match_test::Search;

// Real UN entries: reference, Latin name as listed, NAME_ORIGINAL_SCRIPT.
struct UnEntry {
  const char* reference;
  const char* latin;
  const char* arabic;
};
const UnEntry kUnEntries[] = {
    {"IQi.001", "SADDAM HUSSEIN AL-TIKRITI", "صدام حسين التكريتي"},
    {"IQi.004", "ABID HAMID MAHMUD AL-TIKRITI", "عابد حامد محمود التكريتي"},
    {"IQi.007", "IZZAT IBRAHIM AL-DURI", "عزت ابراهيم الدوري"},
    {"IQi.008", "HANI ABD-AL-LATIF TILFAH AL-TIKRITI", "هاني عبد اللطيف طلفاح التكريتي"},
    {"IQi.009", "MUHAMMAD HAMZA ZUBAIDI", "محمد حمزة زبيدي"},
    {"IQi.071", "INTISSAR AL-UBAYDI", "انتصار العبيدي"},
    {"QDi.431", "SANAULLAH GHAFARI", "ثناء اللہ غفاری"},
    {"TAi.014", "HIDAYATULLAH", "هدايت الله"},
    {"TAi.060", "MOHAMMAD ESSA AKHUND", "محمد عیسی آخوند"},
    {"TAi.147", "GUL AGHA ISHAKZAI", "كُل آغا اسحاقزی"},  // ك for گ
};

// A crowd of real UN Latin names sharing common parts, so a hit has to win against them.
const char* const kCrowd[] = {"ALI HASSAN AL-MAJID AL-TIKRITI",
                              "BARZAN IBRAHIM HASSAN AL-TIKRITI",
                              "SAB'AWI IBRAHIM HASSAN AL-TIKRITI",
                              "MUHAMMAD MAHMUD AL-QADIR",
                              "FADIL MAHMUD GHARIB",
                              "HAMID RAJA SHALAH AL-TIKRITI"};

std::unique_ptr<MatchIndex> LatinIndex() {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  for (const UnEntry& entry : kUnEntries) index->Add(Person(entry.reference, {entry.latin}));
  int i = 0;
  for (const char* name : kCrowd) index->Add(Person("crowd" + std::to_string(i++), {name}));
  return index;
}

std::unique_ptr<MatchIndex> ArabicIndex() {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  for (const UnEntry& entry : kUnEntries) index->Add(Person(entry.reference, {entry.arabic}));
  return index;
}

// The best result for `name` is `reference`, scored as an exact name (every part agrees as far
// as the script can tell).
void ExpectExactHit(const MatchIndex& index, const std::string& name,
                    const std::string& reference) {
  std::vector<MatchResult> results = Search(index, name);
  ASSERT_FALSE(results.empty()) << name;
  EXPECT_EQ(results.front().source_record_id, reference) << name;
  EXPECT_GE(results.front().score, 0.95) << name << ": " << results.front().Explanation();
}

// `name` (a son of a listed person) is no hit on anything in `index`, and its best result says
// why ("a son?").
void ExpectSonNotHit(const MatchIndex& index, const std::string& name) {
  std::vector<MatchResult> results = Search(index, name);
  ASSERT_FALSE(results.empty()) << name;
  for (const MatchResult& result : results) {
    EXPECT_LT(result.score, MatchIndex::DefaultThreshold())
        << name << " -> " << result.matched_name << ": " << result.Explanation();
  }
  EXPECT_NE(results.front().Explanation().find("a son?"), std::string::npos)
      << results.front().Explanation();
}

// The folded parts NormalizeName makes of `name`.
std::vector<std::string> Texts(const std::string& name) {
  Result<match::NormalizedName> normalized = match::NormalizeName(name);
  EXPECT_TRUE(normalized.ok()) << name;
  std::vector<std::string> texts;
  if (normalized.ok()) {
    for (const match::NameToken& token : normalized->tokens) texts.push_back(token.text);
  }
  return texts;
}

TEST(CrossScriptMatch, AnArabicScriptNameFindsItsLatinListingAsExact) {
  std::unique_ptr<MatchIndex> index = LatinIndex();
  for (const UnEntry& entry : kUnEntries) {
    std::vector<MatchResult> results = Search(*index, entry.arabic);
    ASSERT_FALSE(results.empty()) << entry.arabic;
    EXPECT_EQ(results.front().source_record_id, entry.reference) << entry.arabic;
    // Every part agrees as far as the script can tell: scored as an exact name.
    EXPECT_GE(results.front().score, 0.95) << entry.arabic << ": " << results.front().Explanation();
  }
}

TEST(CrossScriptMatch, ALatinNameFindsItsArabicScriptListing) {
  std::unique_ptr<MatchIndex> index = ArabicIndex();
  for (const UnEntry& entry : kUnEntries) {
    std::vector<MatchResult> results = Search(*index, entry.latin);
    ASSERT_FALSE(results.empty()) << entry.latin;
    EXPECT_EQ(results.front().source_record_id, entry.reference) << entry.latin;
    EXPECT_GE(results.front().score, MatchIndex::DefaultThreshold())
        << entry.latin << ": " << results.front().Explanation();
  }
}

TEST(CrossScriptMatch, WhatTheScriptTellsApartStaysBelowTheThreshold) {
  std::unique_ptr<MatchIndex> index = LatinIndex();
  const char* const namesakes[] = {
      "صدام",                // a given name alone
      "حسني مبارك",          // Hosni is not Hussein: the final ya is written
      "قاسم الله الله نور",  // real name parts drawn from the Wikidata pairs
      "علي الدين جلال الدين حقانى",
      "سيف عبد الله",
  };
  for (const char* name : namesakes) {
    for (const MatchResult& result : Search(*index, name)) {
      EXPECT_LT(result.score, MatchIndex::DefaultThreshold())
          << name << " -> " << result.matched_name << ": " << result.Explanation();
    }
  }
}

TEST(CrossScriptMatch, PersianLettersAndTaMarbutaFormsFindTheSameListing) {
  std::unique_ptr<MatchIndex> index = LatinIndex();
  // Persian ye (ی) for the Arabic ya; ه for ة.
  const std::pair<const char*, const char*> spellings[] = {
      {"محمد حمزه زبیدی", "IQi.009"},
      {"عزت ابراهیم الدوری", "IQi.007"},
  };
  for (const auto& [name, reference] : spellings) ExpectExactHit(*index, name, reference);
}

// Names in Arabic script are in their written order: a son or a brother shares every part but
// the first given name (real UN entries: Barzan Ibrahim Hassan al-Tikriti, IQi.038, his son
// Mohammad, IQi.062, and his brother Sab'awi, IQi.036; Saddam Hussein, IQi.001, and his son
// Qusay, IQi.002). Neither is a hit on the other without a birth date.
TEST(CrossScriptMatch, ASonOrABrotherSharingTheOtherPartsIsNotAHit) {
  std::unique_ptr<MatchIndex> latin = LatinIndex();
  const char* const relatives[] = {"محمد برزان إبراهيم حسن التكريتي", "قصي صدام حسين التكريتي"};
  for (const char* name : relatives) ExpectSonNotHit(*latin, name);
  // The brother finds himself, not Barzan.
  std::vector<MatchResult> results = Search(*latin, "سبعاوي إبراهيم حسن التكريتي");
  ASSERT_FALSE(results.empty());
  EXPECT_EQ(results.front().matched_name, "SAB'AWI IBRAHIM HASSAN AL-TIKRITI");
  for (const MatchResult& result : results) {
    if (result.matched_name != "BARZAN IBRAHIM HASSAN AL-TIKRITI") continue;
    EXPECT_LT(result.score, MatchIndex::DefaultThreshold()) << result.Explanation();
  }
  // The reverse: Latin queries against the list in Arabic script.
  std::unique_ptr<MatchIndex> arabic = MatchIndex::Create();
  arabic->Add(Person("IQi.038", {"برزان إبراهيم حسن التكريتي"}));
  for (const char* name :
       {"MOHAMMAD BARZAN IBRAHIM HASAN AL-TIKRITI", "SAB'AWI IBRAHIM HASSAN AL-TIKRITI"}) {
    for (const MatchResult& result : Search(*arabic, name)) {
      EXPECT_LT(result.score, MatchIndex::DefaultThreshold())
          << name << ": " << result.Explanation();
    }
  }
  results = Search(*arabic, "BARZAN IBRAHIM HASSAN AL-TIKRITI");
  ASSERT_FALSE(results.empty());
  EXPECT_GE(results.front().score, 0.95) << results.front().Explanation();
}

// Egyptian writers end Ali with ى ("على"): read as علي, it is the listed ALI (UN QDi.196).
TEST(CrossScriptMatch, AFinalAlifMaqsuraReadsAsYaWhereTheNameIsKnown) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  index->Add(Person("QDi.196", {"ALI SAYYID MUHAMED MUSTAFA BAKRI"}));
  std::vector<MatchResult> results = Search(*index, "على السيد محمد مصطفى بكري");
  ASSERT_FALSE(results.empty());
  EXPECT_GE(results.front().score, 0.95) << results.front().Explanation();
}

// What the letters tell apart stays apart even where a variant class or a one-letter spelling
// joins the Latin names: سعيد is Said, not Sa'd / Saad (UN IQi.086, SA'D SABAWI IBRAHIM HASAN
// AL-TIKRITI, also listed as Sa'ad); the same name with سعد is a hit.
TEST(CrossScriptMatch, TheLettersTellSaidFromSaad) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  index->Add(Person("IQi.086", {"SA'D SABAWI IBRAHIM HASAN AL-TIKRITI",
                                "Sa'ad Sabawi Ibrahim Hasan Al-Tikriti"}));
  for (const MatchResult& result : Search(*index, "سعید سبعاوي إبراهيم حسن التكريتي")) {
    EXPECT_LT(result.score, MatchIndex::DefaultThreshold()) << result.Explanation();
  }
  std::vector<MatchResult> results = Search(*index, "سعد سبعاوي إبراهيم حسن التكريتي");
  ASSERT_FALSE(results.empty());
  EXPECT_GE(results.front().score, 0.95) << results.front().Explanation();
}

// Abd al-Latif and Nur al-Din written as one word (عبداللطیف, UN QDi.380; نورالدین, TAi.058) or
// apart read as the same part;
// Amir is a given name, not a title (UN TAi.145, AMIR ABDULLAH).
TEST(CrossScriptMatch, JoinedAbdAlAndTheGivenNameAmir) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  index->Add(Person("QDi.380", {"ABD AL-LATIF BIN ABDALLAH SALIH MUHAMMAD AL-KAWARI"}));
  index->Add(Person("TAi.145", {"AMIR ABDULLAH"}));
  index->Add(Person("TAi.058", {"NOORUDDIN TURABI MUHAMMAD QASIM"}));
  const std::pair<const char*, const char*> names[] = {
      {"عبداللطیف بن عبدلله صالح محمد الكواري", "QDi.380"},
      {"عبد اللطيف بن عبد الله صالح محمد الكواري", "QDi.380"},
      {"امیر عبد الله", "TAi.145"},
      {"نورالدین ترابی محمد قاسم", "TAi.058"},  // Nur al-Din as one word
  };
  for (const auto& [name, reference] : names) ExpectExactHit(*index, name, reference);
}

// A bare Abd is a name of its own unless a compound follows: "عكلة عبد صكر القبيسي" is Ugla, son
// of Abd, son of Saqr (UN IQi.050, also listed as "Saqr al-Kabisi Abd Aqala"), while "عبد القادر"
// and "Abd Rabbuh" are one name.
TEST(CrossScriptMatch, ABareAbdIsANameOfItsOwn) {
  EXPECT_EQ(Texts("عكلة عبد صكر القبيسي").size(), 4u);
  EXPECT_EQ(Texts("Saqr al-Kabisi Abd Aqala").size(), 4u);
  EXPECT_EQ(Texts("عبد القادر").size(), 1u);
  EXPECT_EQ(Texts("Abd al-Qadir").size(), 1u);
  EXPECT_EQ(Texts("Abd Rabbuh").size(), 1u);
  EXPECT_EQ(Texts("Abd Allah").size(), 1u);
  std::unique_ptr<MatchIndex> index = LatinIndex();
  index->Add(Person("IQi.050", {"UGLA ABID SAKR AL-ZUBAISI", "Saqr al-Kabisi Abd Aqala"}));
  ExpectExactHit(*index, "عكلة عبد صكر القبيسي", "IQi.050");
}

// "-zadeh" written apart is one part, as most lists join it: "آخوند زاده" / "Akhund Zada" /
// AKHUNZADA, the d assimilated (UN TAi.101 MOHAMMAD ESHAQ AKHUNZADA; TAi.109 "Ahmad Jan Akhund
// Zada").
TEST(CrossScriptMatch, ZadehWrittenApartIsOnePart) {
  EXPECT_EQ(Texts("Ahmad Jan Akhund Zada"),
            (std::vector<std::string>{"ahmad", "jan", "akhundzada"}));
  EXPECT_EQ(Texts("آخوند زاده").size(), 1u);
  std::unique_ptr<MatchIndex> latin = LatinIndex();
  latin->Add(Person("TAi.101", {"MOHAMMAD ESHAQ AKHUNZADA", "Mohammad Ishaq Akhund"}));
  latin->Add(Person("TAi.109", {"Ahmad Jan Akhund Zada"}));
  ExpectExactHit(*latin, "محمد اسحاق آخوند زاده", "TAi.101");
  ExpectExactHit(*latin, "احمد جان آخوندزاده", "TAi.109");
  std::unique_ptr<MatchIndex> arabic = MatchIndex::Create();
  arabic->Add(Person("TAi.101", {"محمد اسحاق آخوند زاده"}));
  ExpectExactHit(*arabic, "MOHAMMAD ESHAQ AKHUNZADA", "TAi.101");
}

// A repeated given name, and a title taken for the first given name, do not hide another member
// of the family: "محمد محمد دوست محمد" is a son against DOST MOHAMMAD (UN TAi.092), "محمد محمد
// حقانی" against SAYYED MOHAMMED HAQQANI (TAi.006), "SAYYED IBRAHIM HASSAN AL-TIKRITI" against
// سعد سبعاوي إبراهيم حسن التكريتي (IQi.086, whose own name is a hit).
TEST(CrossScriptMatch, ARepeatedGivenNameOrATitleIsNotTheListedGivenName) {
  std::unique_ptr<MatchIndex> latin = LatinIndex();
  latin->Add(Person("TAi.092", {"DOST MOHAMMAD", "Doost Mohammad"}));
  latin->Add(Person("TAi.006", {"SAYYED MOHAMMED HAQQANI"}));
  for (const char* name : {"محمد محمد دوست محمد", "محمد محمد حقانی"}) ExpectSonNotHit(*latin, name);
  ExpectExactHit(*latin, "دوست محمد", "TAi.092");
  ExpectExactHit(*latin, "سید محمد حقانی", "TAi.006");

  std::unique_ptr<MatchIndex> arabic = MatchIndex::Create();
  arabic->Add(Person("IQi.086", {"سعد سبعاوي إبراهيم حسن التكريتي"}));
  for (const char* name :
       {"SAYYED IBRAHIM HASSAN AL-TIKRITI", "SAID SABAWI IBRAHIM HASAN AL-TIKRITI"}) {
    for (const MatchResult& result : Search(*arabic, name)) {
      EXPECT_LT(result.score, MatchIndex::DefaultThreshold())
          << name << ": " << result.Explanation();
    }
  }
  ExpectExactHit(*arabic, "SA'D SABAWI IBRAHIM HASAN AL-TIKRITI", "IQi.086");
}

// Organization words that lists translate (match/org_words.h): an organization named in Arabic
// script meets its English or French listing, word order aside, and the explanation says which
// word was translated. Real UN entries: QDe.006 ARMED ISLAMIC GROUP (also Groupe Islamique Armé),
// QDe.089 MOROCCAN ISLAMIC COMBATANT GROUP, QDe.162 THE ARMY OF EMIGRANTS AND SUPPORTERS, with
// their Arabic NAME_ORIGINAL_SCRIPT.

using match_test::Organization;

TEST(OrgWords, ArabicAndFrenchWordsTakeTheirEnglishForm) {
  EXPECT_EQ(Texts("الجماعة الاسلامية المسلحة"),
            (std::vector<std::string>{"group", "islamic", "armed"}));
  EXPECT_EQ(Texts("Groupe Islamique Armé"),
            (std::vector<std::string>{"group", "islamic", "armed"}));
  EXPECT_EQ(Texts("جيش المهاجرين والأنصار").front(), "army");
  EXPECT_EQ(match::OrgWordForLatin("mouvement"), "movement");
  EXPECT_EQ(match::OrgWordForLatin("armee"), "army");
}

TEST(OrgWords, NamesAreNotTranslated) {
  // A person's name parts are not in the table, and a word joined with Allah is one name part:
  // حزب الله is Hizballah, not "party".
  EXPECT_EQ(Texts("صدام حسين التكريتي"), (std::vector<std::string>{"saddam", "hussein", "tkriti"}));
  EXPECT_EQ(Texts("حزب الله").size(), 1u);
  EXPECT_NE(Texts("حزب الله").front(), "party");
  EXPECT_EQ(match::OrgWordForLatin("group"), "");  // English is the form, not a translation
  EXPECT_EQ(match::OrgWordForArabic(""), "");
}

std::unique_ptr<MatchIndex> LatinOrganizations() {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  index->Add(Organization("QDe.006", "ARMED ISLAMIC GROUP"));
  index->Add(Organization("QDe.089", "MOROCCAN ISLAMIC COMBATANT GROUP"));
  index->Add(Organization("QDe.162", "THE ARMY OF EMIGRANTS AND SUPPORTERS"));
  // Real neighbours sharing words, so a hit has to win against them.
  index->Add(Organization("QDe.011", "LIBYAN ISLAMIC FIGHTING GROUP"));
  index->Add(Organization("QDe.004", "ISLAMIC ARMY OF ADEN"));
  index->Add(Organization("QDe.129", "AL-QAIDA IN THE ARABIAN PENINSULA (AQAP)"));
  Entity hanifa = Person("QDe.153", {"HANIFA MONEY EXCHANGE OFFICE (BRANCH LOCATED IN ALBU KAMAL, "
                                     "SYRIAN ARAB REPUBLIC)",
                                     "Hanifa Exchange"});
  hanifa.type = EntityType::kOrganization;
  index->Add(hanifa);
  return index;
}

TEST(OrgWords, AnArabicOrganizationNameFindsItsTranslatedListing) {
  std::unique_ptr<MatchIndex> index = LatinOrganizations();
  const struct {
    const char* arabic;
    const char* reference;
  } names[] = {
      {"الجماعة الاسلامية المسلحة", "QDe.006"},
      {"تنظیم جیش المھاجرین و الأنصار", "QDe.162"},
      {"القاعدة في جزيرة العرب", "QDe.129"},  // Arabian Peninsula, adjective after the noun
      {"مكتب حنيفة للصرافة", "QDe.153"},      // the exchange office, "لل" written joined
  };
  for (const auto& [arabic, reference] : names) {
    std::vector<MatchResult> results = Search(*index, arabic);
    ASSERT_FALSE(results.empty()) << arabic;
    EXPECT_EQ(results.front().source_record_id, reference) << arabic;
    EXPECT_GE(results.front().score, MatchIndex::DefaultThreshold())
        << arabic << ": " << results.front().Explanation();
  }
  std::vector<MatchResult> results = Search(*index, "الجماعة الاسلامية المسلحة");
  ASSERT_FALSE(results.empty());
  EXPECT_NE(results.front().Explanation().find("translated: jamaa = group"), std::string::npos)
      << results.front().Explanation();
}

TEST(OrgWords, ALatinNameFindsItsArabicListingAndTheFrenchOneMeetsTheEnglish) {
  std::unique_ptr<MatchIndex> arabic = MatchIndex::Create();
  arabic->Add(Organization("QDe.006", "الجماعة الاسلامية المسلحة"));
  std::vector<MatchResult> results = Search(*arabic, "ARMED ISLAMIC GROUP");
  ASSERT_FALSE(results.empty());
  EXPECT_GE(results.front().score, 0.95) << results.front().Explanation();
  EXPECT_NE(results.front().Explanation().find("translated: musallah = armed"), std::string::npos)
      << results.front().Explanation();

  results = Search(*LatinOrganizations(), "Groupe Islamique Combattant Marocain");
  ASSERT_FALSE(results.empty());
  // "Marocain" is not Moroccan to the table: the name still finds its listing first.
  EXPECT_EQ(results.front().source_record_id, "QDe.089") << results.front().Explanation();
}

TEST(OrgWords, SharedOrganizationWordsAloneAreNotAHit) {
  std::unique_ptr<MatchIndex> index = LatinOrganizations();
  // Two of three words ("Islamic Group" for ARMED ISLAMIC GROUP), or one word alone, stay below
  // the threshold. (Two words of a listed name of three with one rare word, "Islamic Army" for
  // ISLAMIC ARMY OF ADEN, is a hit in either script: the missing part costs what it costs.)
  for (const char* name : {"الجماعة الاسلامية", "جماعة", "جيش", "الجبهة الاسلامية"}) {
    for (const MatchResult& result : Search(*index, name)) {
      EXPECT_LT(result.score, MatchIndex::DefaultThreshold())
          << name << " -> " << result.matched_name << ": " << result.Explanation();
    }
  }
  // A person is never matched through a translated word.
  std::unique_ptr<MatchIndex> people = MatchIndex::Create();
  people->Add(Person("IQi.001", {"SADDAM HUSSEIN AL-TIKRITI"}));
  for (const MatchResult& result : Search(*people, "جماعة صدام")) {
    EXPECT_LT(result.score, MatchIndex::DefaultThreshold()) << result.Explanation();
  }
}

// The lists' transliterations of the table words meet the translation and the Arabic: UN
// QDe.012 MAKHTAB AL-KHIDAMAT (مكتب الخدمات), QDe.162's alias "Jaysh al-Muhajirin wal-Ansar"
// (THE ARMY OF EMIGRANTS AND SUPPORTERS). A table word alone is still no hit.
TEST(OrgWords, TransliterationsMeetTheTranslationAndTheArabic) {
  // "wal" (and the) is a particle, like "wa".
  EXPECT_EQ(Texts("Jaysh al-Muhajirin wal-Ansar"),
            (std::vector<std::string>{"army", "emigrants", "wal", "supporters"}));
  EXPECT_EQ(Texts("MAKHTAB AL-KHIDAMAT"), Texts("مكتب الخدمات"));
  std::unique_ptr<MatchIndex> arabic = MatchIndex::Create();
  arabic->Add(Organization("QDe.012", "مكتب الخدمات"));
  std::vector<MatchResult> results = Search(*arabic, "MAKHTAB AL-KHIDAMAT");
  ASSERT_FALSE(results.empty());
  EXPECT_GE(results.front().score, 0.95) << results.front().Explanation();

  std::unique_ptr<MatchIndex> index = LatinOrganizations();
  index->Add(Organization("QDe.012", "MAKHTAB AL-KHIDAMAT"));
  results = Search(*index, "مكتب الخدمات");
  ASSERT_FALSE(results.empty());
  EXPECT_EQ(results.front().source_record_id, "QDe.012");
  EXPECT_GE(results.front().score, 0.95) << results.front().Explanation();
  results = Search(*index, "Jaysh al-Muhajirin wal-Ansar");
  ASSERT_FALSE(results.empty());
  EXPECT_EQ(results.front().source_record_id, "QDe.162") << results.front().Explanation();
  EXPECT_GE(results.front().score, MatchIndex::DefaultThreshold()) << results.front().Explanation();
  for (const char* name : {"Maktab", "Jaysh", "مكتب"}) {
    for (const MatchResult& result : Search(*index, name)) {
      EXPECT_LT(result.score, MatchIndex::DefaultThreshold())
          << name << " -> " << result.matched_name << ": " << result.Explanation();
    }
  }
}

// "and the" / "for the" written joined ("والشام", "للصرافة") is read off the word, as the Latin
// "and the Levant" writes it apart: UN QDe.165, الدولة الإسلامية في العراق والشام - ليبيا / ISLAMIC
// STATE IN IRAQ AND THE LEVANT - LIBYA. "والي" (Wali) is too short to hold one and stays a name.
TEST(OrgWords, AJoinedAndTheIsReadOffTheWord) {
  EXPECT_EQ(Texts("والشام"), (std::vector<std::string>{"levant"}));
  EXPECT_NE(Texts("والي"), Texts("الي"));
  std::unique_ptr<MatchIndex> index = LatinOrganizations();
  index->Add(Organization("QDe.165", "ISLAMIC STATE IN IRAQ AND THE LEVANT - LIBYA"));
  std::vector<MatchResult> results = Search(*index, "الدولة الإسلامية في العراق والشام - ليبيا");
  ASSERT_FALSE(results.empty());
  EXPECT_EQ(results.front().source_record_id, "QDe.165");
  EXPECT_GE(results.front().score, 0.95) << results.front().Explanation();
}

// A part in parentheses is an acronym or a comment: "(AQAP)" weighs what a frequent organization
// word weighs, "(BRANCH LOCATED IN ALBU KAMAL, SYRIAN ARAB REPUBLIC)" what particles weigh, so the
// Arabic name of UN QDe.153 meets the Latin one that carries the comment.
TEST(OrgWords, PartsInParenthesesAreAnAcronymOrAComment) {
  Result<match::NormalizedName> acronym =
      match::NormalizeName("AL-QAIDA IN THE ARABIAN PENINSULA (AQAP)");
  ASSERT_TRUE(acronym.ok());
  EXPECT_EQ(acronym->tokens.back().text, "aqap");
  EXPECT_EQ(acronym->tokens.back().role, match::TokenRole::kCommon);
  Result<match::NormalizedName> comment = match::NormalizeName(
      "HANIFA MONEY EXCHANGE OFFICE (BRANCH LOCATED IN ALBU KAMAL, SYRIAN ARAB REPUBLIC)");
  ASSERT_TRUE(comment.ok());
  EXPECT_EQ(comment->tokens.front().role, match::TokenRole::kWord);  // hanifa
  EXPECT_EQ(comment->tokens.back().text, "republic");
  EXPECT_EQ(comment->tokens.back().role, match::TokenRole::kParticle);

  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  index->Add(Organization("QDe.153",
                          "HANIFA MONEY EXCHANGE OFFICE (BRANCH LOCATED IN ALBU KAMAL, "
                          "SYRIAN ARAB REPUBLIC)"));
  index->Add(Organization("QDe.129", "AL-QAIDA IN THE ARABIAN PENINSULA (AQAP)"));
  std::vector<MatchResult> results = Search(*index, "مكتب حنيفة للصرافة");
  ASSERT_FALSE(results.empty());
  EXPECT_EQ(results.front().source_record_id, "QDe.153");
  EXPECT_GE(results.front().score, MatchIndex::DefaultThreshold()) << results.front().Explanation();
  // A name wholly in parentheses is a name, not a comment (nor an error).
  Result<match::NormalizedName> whole = match::NormalizeName("(Hanifa Exchange)");
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->tokens.front().role, match::TokenRole::kWord);
  // A comment's words alone are no hit.
  for (const MatchResult& result : Search(*index, "Syrian Arab Republic")) {
    EXPECT_LT(result.score, MatchIndex::DefaultThreshold()) << result.Explanation();
  }
}

}  // namespace
}  // namespace entente
