// Cross-script name parts: an Arabic-script part and the Latin spellings the published lists
// give for it are consistent (as exact as the script can tell); other names are not. The
// pairs are real: the UN consolidated list's NAME_ORIGINAL_SCRIPT against its Latin fields,
// and the Wikidata / Google Arabic-English name pairs in ../shared/data/names.
#include "match/cross_script.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "match/normalize.h"

namespace entente::match {
namespace {

// The Arabic code of the only (or last) part of an Arabic-script name.
std::string CodeOf(const std::string& arabic) {
  Result<NormalizedName> name = NormalizeName(arabic);
  EXPECT_TRUE(name.ok()) << arabic;
  if (!name.ok() || name->tokens.empty()) return "";
  return name->tokens.back().arabic;
}

TEST(CrossScript, ListedLatinSpellingsAreConsistentWithTheArabic) {
  struct Case {
    const char* arabic;
    std::vector<const char*> latin;
  };
  const Case cases[] = {
      {"صدام", {"saddam"}},
      {"حسين", {"hussein", "husayn", "hussain", "husain", "houcine", "hocine"}},
      {"التكريتي", {"tikriti"}},
      {"رمضان", {"ramadan", "ramazan", "ramdane", "ramadhan"}},
      {"ناظم", {"nazim", "nadhim", "nathem", "nadim"}},
      {"فضل", {"fadl", "fazl", "fadhl", "fadel"}},
      {"شعيب", {"shuayb", "shoaib", "chouaib", "shuaib"}},
      {"قاسم", {"qasim", "kassem", "gasim", "qassim"}},
      {"جمال", {"jamal", "djamel", "gamal", "jamel"}},
      {"زبيدي", {"zubaidi", "zubaydi", "zoubeidi"}},
      {"خسرو", {"khosrow", "khosro", "khusraw"}},
      {"فاطمة", {"fatima", "fatimah", "fatma"}},
      {"مصطفى", {"mustafa", "moustapha", "mostafa"}},
  };
  for (const Case& c : cases) {
    std::string code = CodeOf(c.arabic);
    ASSERT_FALSE(code.empty()) << c.arabic;
    for (const char* latin : c.latin) {
      EXPECT_TRUE(CrossScriptConsistent(code, latin)) << c.arabic << " / " << latin;
    }
  }
}

TEST(CrossScript, OtherNamesAreNotConsistent) {
  // A final long vowel is written in Arabic: Hosni is حسني, not حسن; Hassan is not حسني.
  EXPECT_FALSE(CrossScriptConsistent(CodeOf("حسن"), "hosni"));
  EXPECT_FALSE(CrossScriptConsistent(CodeOf("حسني"), "hassan"));
  EXPECT_FALSE(CrossScriptConsistent(CodeOf("محمد"), "ahmed"));
  EXPECT_FALSE(CrossScriptConsistent(CodeOf("محمود"), "mohamed"));
  EXPECT_FALSE(CrossScriptConsistent(CodeOf("سليمان"), "salman"));
  EXPECT_FALSE(CrossScriptConsistent(CodeOf("كريم"), "hakim"));
  EXPECT_FALSE(CrossScriptConsistent(CodeOf("التكريتي"), "takriz"));
  EXPECT_FALSE(CrossScriptConsistent("", "ali"));
}

TEST(CrossScript, PersianAndUrduLettersWriteTheArabicOnes) {
  // ی (Persian ye), ک (keheh), ہ (heh goal), ے (bari ye) against the Arabic letters.
  EXPECT_TRUE(SameArabicSpelling(CodeOf("علی"), CodeOf("علي")));
  EXPECT_TRUE(SameArabicSpelling(CodeOf("کریم"), CodeOf("كريم")));
  EXPECT_TRUE(SameArabicSpelling(CodeOf("اللہ"), CodeOf("الله")));
  EXPECT_TRUE(CrossScriptConsistent(CodeOf("علی"), "ali"));
  EXPECT_TRUE(CrossScriptConsistent(CodeOf("کریم"), "karim"));
  EXPECT_TRUE(CrossScriptConsistent(CodeOf("زادہ"), "zadeh"));
  EXPECT_TRUE(CrossScriptConsistent(CodeOf("زادہ"), "zada"));
}

TEST(CrossScript, TaMarbutaAlefMaqsuraAndHamzaFormsAreOneSpelling) {
  EXPECT_TRUE(SameArabicSpelling(CodeOf("حمزة"), CodeOf("حمزه")));
  EXPECT_TRUE(SameArabicSpelling(CodeOf("مصطفى"), CodeOf("مصطفي")));
  EXPECT_TRUE(SameArabicSpelling(CodeOf("أسامة"), CodeOf("اسامه")));
  EXPECT_TRUE(SameArabicSpelling(CodeOf("إبراهيم"), CodeOf("ابراهيم")));
  EXPECT_TRUE(CrossScriptConsistent(CodeOf("حمزة"), "hamza"));
  EXPECT_TRUE(CrossScriptConsistent(CodeOf("حمزة"), "hamzah"));
  EXPECT_TRUE(CrossScriptConsistent(CodeOf("مؤمن"), "mumin"));
  EXPECT_TRUE(CrossScriptConsistent(CodeOf("مؤمن"), "moamen"));
  EXPECT_FALSE(SameArabicSpelling(CodeOf("حمزة"), CodeOf("حمدي")));
}

TEST(CrossScript, CompoundsAreJoinedOnBothSides) {
  // "عبد اللطيف" is one part, consistent with the canonical Latin "Abd-al-Latif".
  Result<NormalizedName> arabic = NormalizeName("هاني عبد اللطيف طلفاح");
  Result<NormalizedName> latin = NormalizeName("HANI ABD-AL-LATIF TILFAH");
  ASSERT_TRUE(arabic.ok());
  ASSERT_TRUE(latin.ok());
  ASSERT_EQ(arabic->tokens.size(), 3u);
  ASSERT_EQ(latin->tokens.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(arabic->tokens[i].text == latin->tokens[i].text ||
                CrossScriptConsistent(arabic->tokens[i].arabic, latin->tokens[i].text))
        << arabic->tokens[i].text << " / " << latin->tokens[i].text;
  }
  EXPECT_TRUE(latin->tokens[1].arabic.empty());
}

// Readings the Google Arabic-English name pairs show (../shared/data/names/google_ar2en):
// Persian ق as gh, تش as ch, كس as x, a final ه after a vowel left unwritten; and the d of
// "Akhund" assimilated before -zada (UN TAi.101, MOHAMMAD ESHAQ AKHUNZADA).
TEST(CrossScript, PersianAndFrenchReadingsOfTheNamePairs) {
  const std::pair<const char*, const char*> pairs[] = {
      {"صادقي", "sadeghi"},       {"باقري", "bagheri"},       {"ريتشارد", "richard"},
      {"ماكسيم", "maxime"},       {"أندريه", "andre"},        {"شاهزاده", "sehzade"},
      {"آخوندزاده", "akhunzada"}, {"آخوندزاده", "akhundzada"}};
  for (const auto& [arabic, latin] : pairs) {
    EXPECT_TRUE(CrossScriptConsistent(CodeOf(arabic), latin)) << arabic << " / " << latin;
  }
  // What stays apart: ق is still not an h, and an unwritten final ه needs a vowel before it.
  EXPECT_FALSE(CrossScriptConsistent(CodeOf("صادقي"), "sadehi"));
  EXPECT_FALSE(CrossScriptConsistent(CodeOf("زاده"), "zad"));
}

// ʿayn is not the "i" of "ai": سعد is Sa'd (Saad), سعيد is Said (UN IQi.086, SA'D SABAWI).
TEST(CrossScript, AynIsNotTheIOfSaid) {
  EXPECT_FALSE(CrossScriptConsistent(CodeOf("سعد"), "said"));
  EXPECT_TRUE(CrossScriptConsistent(CodeOf("سعد"), "saad"));
  EXPECT_TRUE(CrossScriptConsistent(CodeOf("سعيد"), "said"));
  EXPECT_TRUE(CrossScriptConsistent(CodeOf("سعيد"), "saeed"));
  EXPECT_TRUE(CrossScriptConsistent(CodeOf("عماد"), "imad"));  // ʿayn alone as i, word-initial
}

// Pashto letters: ګ ټ ډ ړ ڼ ې ۍ write the Arabic letters, ځ is dz / z ("ځدران", UN TAi.171
// MUHAMMAD OMAR ZADRAN).
TEST(CrossScript, PashtoLettersWriteWhatTheyWrite) {
  EXPECT_TRUE(SameArabicSpelling(CodeOf("ګل"), CodeOf("گل")));  // Gul
  EXPECT_TRUE(CrossScriptConsistent(CodeOf("ګل"), "gul"));
  EXPECT_TRUE(CrossScriptConsistent(CodeOf("ځدران"), "zadran"));
  EXPECT_EQ(ArabicCode(0x067C), ArabicCode(0x062A));              // ټ / ت
  EXPECT_EQ(ArabicCode(0x0689), ArabicCode(0x062F));              // ډ / د
  EXPECT_EQ(ArabicCode(0x0693), ArabicCode(0x0631));              // ړ / ر
  EXPECT_EQ(ArabicCode(0x06BC), ArabicCode(0x0646));              // ڼ / ن
  EXPECT_EQ(ArabicCode(0x06D0), ArabicCode(0x064A));              // ې / ي
  EXPECT_EQ(ArabicCode(0x06CD), ArabicCode(0x064A));              // ۍ / ي
  for (uint32_t pashto : {0x0681u, 0x0685u, 0x069Au, 0x0696u}) {  // ځ څ ښ ږ
    EXPECT_NE(ArabicCode(pashto), 0) << pashto;
  }
}

}  // namespace
}  // namespace entente::match
