#include "match/normalize.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace entente::match {
namespace {

std::string Joined(std::string_view name) {
  Result<NormalizedName> normalized = NormalizeName(name);
  if (!normalized.ok()) return "ERROR: " + normalized.status().message();
  std::string out;
  for (const NameToken& token : normalized->tokens) {
    if (!out.empty()) out += ' ';
    out += token.text;
  }
  return out;
}

TEST(FoldToLatin, LowercasesAndStripsPunctuation) {
  EXPECT_EQ(*FoldToLatin("EL IDRISSI, Mohammed"), "el idrissi  mohammed");
  EXPECT_EQ(*FoldToLatin("Yo'n"), "yon");
}

TEST(FoldToLatin, RemovesDiacritics) {
  EXPECT_EQ(Joined("Zümrüt GUTIÉRREZ Qoussaï"), "zumrut gutierrez qoussai");
  EXPECT_EQ(Joined("Łukasz Øresund"), "lukasz oresund");
}

TEST(FoldToLatin, RejectsInvalidUtf8) {
  Result<std::string> folded = FoldToLatin("abc\xff\xfe");
  ASSERT_FALSE(folded.ok());
  EXPECT_NE(folded.status().message().find("invalid UTF-8"), std::string::npos);
}

TEST(NormalizeName, FoldsArticleVariants) {
  EXPECT_EQ(Joined("al-Idrisi"), Joined("El Idrisi"));
  EXPECT_EQ(Joined("Nasr ad-Din"), Joined("Nasreddine"));
}

TEST(NormalizeName, JoinsAbdCompoundsBothWays) {
  EXPECT_EQ(Joined("Abd al-Qadir"), "abdqadir");
  EXPECT_EQ(Joined("Abdelkader"), "abdkader");
  EXPECT_EQ(Joined("Abdel Kader"), "abdkader");
  EXPECT_EQ(Joined("Abdullah"), Joined("Abd Allah"));
  EXPECT_EQ(Joined("Abderrahmane"), Joined("Abdul Rahmane"));
}

TEST(NormalizeName, SonOfParticles) {
  EXPECT_EQ(Joined("Ben Ali"), "bin ali");
  EXPECT_EQ(Joined("Benali"), "bin ali");
  EXPECT_EQ(Joined("ibn Ali"), "bin ali");
  EXPECT_EQ(Joined("Benjamin"), "benjamin");  // "jamin" is no known name
}

TEST(NormalizeName, AbuJoined) { EXPECT_EQ(Joined("Abou Bakr"), Joined("Abu Bakr")); }

TEST(NormalizeName, ArabicScriptMeetsLatin) {
  // محمد is in the variant data as the Mohamed class.
  EXPECT_EQ(ClassKey(Joined("محمد")), ClassKey(Joined("Muhammad")));
  // Unknown words still become Latin letters whose skeleton meets the Latin spelling.
  Result<NormalizedName> idrisi = NormalizeName("الإدريسي");
  ASSERT_TRUE(idrisi.ok());
  ASSERT_FALSE(idrisi->tokens.empty());
  EXPECT_EQ(Skeleton(idrisi->tokens.back().text), Skeleton("idrissi"));
}

TEST(NormalizeName, CyrillicTransliterated) {
  EXPECT_EQ(Joined("Дмитрий Щербаков"), "dmitriy shcherbakov");
}

TEST(NormalizeName, LegalFormsTagged) {
  Result<NormalizedName> name = NormalizeName("ANGLO-CARIBBEAN CO., LTD.");
  ASSERT_TRUE(name.ok());
  ASSERT_EQ(name->tokens.size(), 4u);
  EXPECT_EQ(name->tokens[2].role, TokenRole::kLegalForm);
  EXPECT_EQ(name->tokens[3].role, TokenRole::kLegalForm);
  Result<NormalizedName> sa = NormalizeName("COCHAN S.A.");
  ASSERT_TRUE(sa.ok());
  ASSERT_EQ(sa->tokens.size(), 2u);
  EXPECT_EQ(sa->tokens[1].text, "sa");
}

TEST(NormalizeName, BadInputIsAClearError) {
  for (const char* bad : {"", "   ", "Al", "---", "...", "ben", "Mr"}) {
    Result<NormalizedName> name = NormalizeName(bad);
    EXPECT_FALSE(name.ok()) << "'" << bad << "'";
    if (!name.ok()) {
      EXPECT_EQ(name.status().code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(name.status().message().rfind("name:", 0), 0u) << name.status().message();
    }
  }
  std::string huge(10 * 1024, 'a');
  Result<NormalizedName> long_name = NormalizeName(huge);
  ASSERT_FALSE(long_name.ok());
  EXPECT_NE(long_name.status().message().find("longer than"), std::string::npos);
}

TEST(NormalizeName, ManyPartsAreCapped) {
  std::string name;
  for (int i = 0; i < 40; ++i)
    name += "part" + std::string(1, static_cast<char>('a' + i % 26)) + " ";
  Result<NormalizedName> normalized = NormalizeName(name);
  ASSERT_TRUE(normalized.ok());
  EXPECT_EQ(normalized->tokens.size(), kMaxNameTokens);
}

TEST(NormalizeName, MixedScripts) {
  Result<NormalizedName> name = NormalizeName("Mohamed محمد Дмитрий 金");
  ASSERT_TRUE(name.ok());
  EXPECT_GE(name->tokens.size(), 3u);
}

TEST(Skeleton, MeetsTransliterations) {
  EXPECT_EQ(Skeleton("mohammed"), Skeleton("muhammad"));
  EXPECT_EQ(Skeleton("mhamed"), Skeleton("mohamed"));
  EXPECT_EQ(Skeleton("pankrashkin"), Skeleton("pankrachkin"));
  EXPECT_EQ(Skeleton("djamel"), Skeleton("jamel"));
  EXPECT_EQ(Skeleton("qadir"), Skeleton("kader"));
  EXPECT_EQ(Skeleton(""), "");
}

TEST(NormalizeIdNumber, KeepsLettersAndDigits) {
  EXPECT_EQ(NormalizeIdNumber("ab-123 456"), "AB123456");
  EXPECT_EQ(NormalizeIdNumber("--"), "");
}

// Random input (bytes, valid UTF-8 from many scripts, long runs): never a crash, always either a
// value or an InvalidArgument.
TEST(NormalizeNameFuzz, RandomInputNeverCrashes) {
  std::mt19937 rng(12345);
  const char32_t kPool[] = {
      U'a',      U'Z',      U' ',      U'-',          U'\'', U'.', U',',  U'é', U'ß', U'ø',
      U'ı',      U'م',      U'ح',      U'د',          U'ل',  U'ً',  U'Д',  U'щ', U'Ω', U'金',
      U'\u0301', U'\u200d', U'\uFEFF', U'\U0001F600', U'0',  U'9', U'\t', U'ـ', U'ﻻ'};
  auto append_utf8 = [](std::string* out, char32_t cp) {
    if (cp < 0x80) {
      *out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      *out += static_cast<char>(0xC0 | (cp >> 6));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      *out += static_cast<char>(0xE0 | (cp >> 12));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      *out += static_cast<char>(0xF0 | (cp >> 18));
      *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  };
  for (int iteration = 0; iteration < 20000; ++iteration) {
    std::string input;
    const int length = static_cast<int>(rng() % 40);
    const bool raw_bytes = iteration % 4 == 0;
    for (int i = 0; i < length; ++i) {
      if (raw_bytes) {
        input += static_cast<char>(rng() % 256);
      } else {
        append_utf8(&input, kPool[rng() % (sizeof(kPool) / sizeof(kPool[0]))]);
      }
    }
    Result<NormalizedName> name = NormalizeName(input);
    if (name.ok()) {
      EXPECT_FALSE(name->tokens.empty());
      EXPECT_LE(name->tokens.size(), kMaxNameTokens);
      for (const NameToken& token : name->tokens) {
        for (char ch : token.text) {
          ASSERT_TRUE((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) << input;
        }
        (void)Skeleton(token.text);
      }
    } else {
      EXPECT_EQ(name.status().code(), StatusCode::kInvalidArgument) << input;
    }
  }
}

TEST(ClassKey, EastSlavicSpellingsOfOneNameShareAClass) {
  EXPECT_EQ(ClassKey("volodymyr"), ClassKey("vladimir"));
  EXPECT_EQ(ClassKey("uladzimir"), ClassKey("vladimir"));
  EXPECT_EQ(ClassKey("oleksiy"), ClassKey("alexei"));
  EXPECT_EQ(ClassKey("ihar"), ClassKey("igor"));
  EXPECT_NE(ClassKey("igor"), ClassKey("oleg"));
  // Patronymics follow the given name they are made from, by sex.
  EXPECT_EQ(ClassKey("uladzimiravich"), ClassKey("vladimirovich"));
  EXPECT_EQ(ClassKey("oleksiyovych"), ClassKey("alekseevich"));
  EXPECT_EQ(ClassKey("kanstantsinauna"), ClassKey("konstantinovna"));
  EXPECT_NE(ClassKey("vladimirovna"), ClassKey("vladimirovich"));
}

TEST(ClassKey, ASpellingAttachedToATakenOverClassFollowsIt) {
  // "aleksandar" was attached to the class "alexander", which a curated class took over.
  EXPECT_EQ(ClassKey("aleksandar"), ClassKey("alexander"));
  EXPECT_EQ(ClassKey("aleksandar"), ClassKey("oleksandr"));
}

TEST(IsKnownName, KnowsGivenNamesNotSurnames) {
  EXPECT_TRUE(IsKnownName("karim"));
  EXPECT_TRUE(IsKnownName("hakim"));
  EXPECT_TRUE(IsKnownName("vladimirovich"));
  EXPECT_FALSE(IsKnownName("zzyzxq"));
  EXPECT_FALSE(IsKnownName(""));
}

TEST(NormalizeName, SayyidSpellingsAreTitles) {
  Result<NormalizedName> name = NormalizeName("Seyed Mehdi Najafi");
  ASSERT_TRUE(name.ok()) << name.status().message();
  ASSERT_EQ(name->tokens.size(), 3u);
  EXPECT_EQ(name->tokens[0].role, TokenRole::kParticle);
  EXPECT_EQ(name->tokens[1].role, TokenRole::kWord);
}

// UN TAi.100 writes "نظر محمدعبد البصیر" (NAZIR MOHAMMAD ABDUL BASIR): the عبد joined to the
// name before it starts its own part, which then joins the next as "abd" compounds do.
TEST(NormalizeName, AnAbdWrittenJoinedToTheNameBeforeItStartsAPart) {
  Result<NormalizedName> name = NormalizeName("نظر محمدعبد البصیر");
  ASSERT_TRUE(name.ok());
  ASSERT_EQ(name->tokens.size(), 3u);
  EXPECT_EQ(name->tokens[1].text, "mohamed");
  EXPECT_EQ(name->tokens[2].text.substr(0, 3), "abd");
  // After an article it is part of the word ("العبدلي", al-Abdali), and so at the start.
  Result<NormalizedName> abdali = NormalizeName("العبدلي");
  ASSERT_TRUE(abdali.ok());
  EXPECT_EQ(abdali->tokens.size(), 1u);
  Result<NormalizedName> abdallah = NormalizeName("عبدالله");
  ASSERT_TRUE(abdallah.ok());
  EXPECT_EQ(abdallah->tokens.size(), 1u);
}

}  // namespace
}  // namespace entente::match
