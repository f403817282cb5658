#include "match/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "common/text.h"
#include "match/cross_script.h"
#include "match/name_affixes.h"
#include "match/name_variants.h"
#include "match/org_words.h"

namespace entente::match {

namespace {

// ---------------------------------------------------------------------------------------------
// Script folding.

// Latin letters with diacritics (U+0080..U+024F, U+1E00..U+1EFF) -> ASCII, computed once with
// ICU's Latin-ASCII transform so the per-name work is a table lookup.
struct LatinTable {
  std::unordered_map<UChar32, std::string> map;
};

const LatinTable& GetLatinTable() {
  static const LatinTable* const kTable = [] {
    auto* table = new LatinTable;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> tr(icu::Transliterator::createInstance(
        "NFD; [:Nonspacing Mark:] Remove; Latin-ASCII; Lower", UTRANS_FORWARD, status));
    auto add_range = [&](UChar32 from, UChar32 to) {
      for (UChar32 cp = from; cp <= to; ++cp) {
        std::string out;
        if (U_SUCCESS(status) && tr) {
          icu::UnicodeString u(cp);
          tr->transliterate(u);
          u.toUTF8String(out);
        }
        std::string clean;
        for (char ch : out) {
          if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) clean += ch;
        }
        if (!clean.empty()) table->map[cp] = clean;
      }
    };
    add_range(0x00C0, 0x024F);
    add_range(0x1E00, 0x1EFF);
    return table;
  }();
  return *kTable;
}

bool IsArabicCp(UChar32 cp) {
  return (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
         (cp >= 0x08A0 && cp <= 0x08FF) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
         (cp >= 0xFE70 && cp <= 0xFEFF);
}

// Arabic (and Persian/Urdu) letters -> Latin, through their ArabicCode. Short vowels are not
// written in Arabic, so this gives a consonant-heavy form that Skeleton() compares with the
// Latin spellings (the scorer compares the code itself: match/cross_script.h).
const char* ArabicLetter(UChar32 cp) {
  static const std::unordered_map<char, const char*> kLatin = {
      {'A', "a"},  {'Q', ""},  {'W', ""},   {'J', ""},   {'b', "b"},  {'p', "p"}, {'t', "t"},
      {'T', "th"}, {'j', "j"}, {'c', "ch"}, {'H', "h"},  {'x', "kh"}, {'d', "d"}, {'D', "dh"},
      {'r', "r"},  {'z', "z"}, {'Z', "zh"}, {'s', "s"},  {'S', "sh"}, {'C', "s"}, {'V', "d"},
      {'U', "t"},  {'Y', "z"}, {'E', "a"},  {'G', "gh"}, {'f', "f"},  {'q', "q"}, {'k', "k"},
      {'g', "g"},  {'l', "l"}, {'m', "m"},  {'n', "n"},  {'h', "h"},  {'O', "a"}, {'w', "ou"},
      {'y', "i"},  {'I', "a"}, {'F', "z"},  {'K', "ts"}, {'M', "sh"}};
  const char code = ArabicCode(static_cast<uint32_t>(cp));
  if (code == 0) return nullptr;  // diacritics, tatweel, digits handled by the caller
  auto it = kLatin.find(code);
  return it == kLatin.end() ? nullptr : it->second;
}

bool IsArabicDiacritic(UChar32 cp) {
  return (cp >= 0x064B && cp <= 0x0652) || cp == 0x0670 || cp == 0x0640;
}

// The Persian and Urdu letters that write an Arabic one, as the variant data spells them.
UChar32 ArabicLetterOf(UChar32 cp) {
  switch (cp) {
    case 0x0623:
    case 0x0625:
    case 0x0622:
    case 0x0671:
      return 0x0627;
    case 0x06CC:
    case 0x06D2:
      return 0x064A;  // Persian ye, Urdu bari ye
    case 0x06A9:
      return 0x0643;  // keheh
    case 0x06C1:
    case 0x06BE:
    case 0x06C0:
      return 0x0647;  // Urdu heh goal, do-chashmi, ۀ
    case 0x06C3:
      return 0x0629;  // Urdu ta marbuta goal
    case 0x06BA:
      return 0x0646;  // noon ghunna
    case 0x0679:
    case 0x067C:  // Pashto ټ
      return 0x062A;
    case 0x0688:
    case 0x0689:  // Pashto ډ
      return 0x062F;
    case 0x0691:
    case 0x0693:  // Pashto ړ
      return 0x0631;
    case 0x06AB:  // Pashto ګ
      return 0x06AF;
    case 0x06BC:  // Pashto ڼ
      return 0x0646;
    case 0x06D3:  // Urdu ۓ
    case 0x06D0:  // Pashto ې
    case 0x06CD:  // Pashto ۍ
      return 0x064A;
    default:
      return cp;
  }
}

std::string ArabicCodes(const icu::UnicodeString& word, int32_t from, bool final_maqsura) {
  std::string code;
  for (int32_t i = from; i < word.length();) {
    UChar32 cp = word.char32At(i);
    i += U16_LENGTH(cp);
    if (char c = ArabicCode(static_cast<uint32_t>(cp)); c != 0) code += c;
  }
  if (final_maqsura && !code.empty() && code.back() == 'y') code.back() = 'I';
  return code;
}

// The word with its final letter in the other form writers use for it (ى / ي, ة / ه: Egyptian
// "على" is "علي", Ali), as UTF-8; empty when the last letter has no other form.
std::string FinalLetterSwapped(const icu::UnicodeString& word) {
  if (word.length() < 2) return "";
  static const std::pair<UChar32, UChar32> kSwaps[] = {
      {0x0649, 0x064A}, {0x064A, 0x0649}, {0x0629, 0x0647}, {0x0647, 0x0629}};
  const UChar32 last = word.char32At(word.length() - 1);
  for (const auto& [from, to] : kSwaps) {
    if (last != from) continue;
    icu::UnicodeString swapped = word;
    swapped.replace(word.length() - 1, 1, to);
    std::string utf8;
    swapped.toUTF8String(utf8);
    return utf8;
  }
  return "";
}

// "and the" and "for the" written joined to a word of an organization's name: "والجهاد"
// (wa-l-jihad) and "للدعوة" (li-l-da'wa) read as "الجهاد" and "الدعوة", as the lists' "wal-Jihad"
// or "and Jihad" do. Only before three letters or more ("والي", Wali, stays a name); بال is
// left alone ("بالقاسم" is Belkacem).
void DropJoinedConjunction(icu::UnicodeString& word) {
  static const icu::UnicodeString kWaAl(u"\u0648\u0627\u0644");
  static const icu::UnicodeString kLiAl(u"\u0644\u0644");
  if (word.length() >= 6 && word.startsWith(kWaAl)) {
    word.remove(0, 1);
  } else if (word.length() >= 5 && word.startsWith(kLiAl)) {
    word.replace(0, 1, static_cast<UChar>(0x0627));
  }
}

// One Arabic-script word -> Latin: whole-word lookup in the variant data (with and without the
// article), else letter by letter. `code` receives the ArabicCode letters of the part kept
// (without the article when the article is split off); `with_article` whether the word starts
// with the article ("القادر").
std::string ArabicWordToLatin(const icu::UnicodeString& word, std::string* code,
                              bool* with_article) {
  icu::UnicodeString clean;
  for (int32_t i = 0; i < word.length();) {
    UChar32 cp = word.char32At(i);
    i += U16_LENGTH(cp);
    if (IsArabicDiacritic(cp)) continue;
    clean.append(ArabicLetterOf(cp));
  }
  DropJoinedConjunction(clean);
  code->clear();
  *with_article = false;
  if (clean.isEmpty()) return "";
  // A word-final Persian ye writes both ي and ى ("عیسی" is Isa): its code is the looser one.
  const bool persian_final_ye = word.char32At(word.length() - 1) == 0x06CC;
  std::string utf8;
  clean.toUTF8String(utf8);
  const NameVariants& variants = NameVariants::Default();
  icu::UnicodeString article(u"\u0627\u0644");
  const bool has_article = clean.startsWith(article) && clean.length() > 3;
  *with_article = has_article;
  *code = ArabicCodes(clean, has_article ? 2 : 0, persian_final_ye);
  std::string_view known = variants.LatinForArabic(utf8);
  if (known.empty()) known = variants.LatinForArabic(FinalLetterSwapped(clean));
  if (!known.empty()) {
    // One known part: its code keeps the article when the Latin does ("الله" -> "allah").
    if (has_article && known.substr(0, 2) == "al") *code = ArabicCodes(clean, 0, persian_final_ye);
    return std::string(known);
  }
  if (has_article) {
    std::string rest;
    clean.tempSubString(2).toUTF8String(rest);
    known = variants.LatinForArabic(rest);
    if (!known.empty()) return "al " + std::string(known);
  }
  std::string out;
  for (int32_t i = 0; i < clean.length();) {
    UChar32 cp = clean.char32At(i);
    i += U16_LENGTH(cp);
    const char* latin = ArabicLetter(cp);
    if (latin != nullptr) {
      out += latin;
    } else if (cp >= 0x0660 && cp <= 0x0669) {
      out += static_cast<char>('0' + (cp - 0x0660));
    }
  }
  // "al" + rest: split the article off so the article rule drops it.
  if (out.size() > 4 && out.compare(0, 2, "al") == 0) {
    out.insert(2, " ");
  } else if (has_article) {
    *code = ArabicCodes(clean, 0, persian_final_ye);
  }
  return out;
}

// "عبداللطيف", "نورالدين" written as one word: the code drops the article after عبد and before
// دين, as the article is dropped when the parts are written apart ("عبد اللطيف", "نور الدين") and
// as the Latin forms drop it ("abdlatif", "nurdin"), so all read as one part (عبدالله keeps its
// article: "الله" keeps it written apart too).
void DropJoinedArticle(std::string* code) {
  if (code->size() > 6 && code->compare(0, 5, "EbdAl") == 0 && code->compare(5, 2, "lh") != 0) {
    code->erase(3, 2);
  }
  const size_t size = code->size();
  if (size > 6 && code->compare(size - 5, 5, "Aldyn") == 0) code->erase(size - 5, 2);
}

// Where an عبد written joined to the name before it starts ("محمدعبد البصیر" is "محمد عبد
// البصیر"): after three letters at least, not after an article; 0 when it does not.
int32_t JoinedAbd(const icu::UnicodeString& word) {
  static const icu::UnicodeString kAbd(u"\u0639\u0628\u062F");
  static const icu::UnicodeString kArticle(u"\u0627\u0644");
  const int32_t at = word.indexOf(kAbd, 3);
  if (at < 3 || word.startsWith(kArticle)) return 0;
  return at;
}

icu::Transliterator* OtherScriptTransliterator() {
  thread_local std::unique_ptr<icu::Transliterator> tr = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
        "Russian-Latin/BGN; Any-Latin; NFD; [:Nonspacing Mark:] Remove; Latin-ASCII; Lower",
        UTRANS_FORWARD, status));
    if (U_FAILURE(status)) t.reset();
    return t;
  }();
  return tr.get();
}

// Marks, in the folded text FoldMarked makes, the start and the end of a part of the name
// written in parentheses (an acronym, "(AQAP)", or a comment, "(BRANCH LOCATED IN ALBU KAMAL)").
constexpr char kOpenMark = '\x03';
constexpr char kCloseMark = '\x04';

// `marks`: write kOpenMark / kCloseMark for parentheses (else they separate parts).
void AppendAsciiFolded(std::string_view in, std::string* out, bool marks = false) {
  for (char ch : in) {
    if (marks && (ch == '(' || ch == ')')) {
      *out += ' ';
      *out += ch == '(' ? kOpenMark : kCloseMark;
      *out += ' ';
      continue;
    }
    if (ch >= 'A' && ch <= 'Z') {
      *out += static_cast<char>(ch - 'A' + 'a');
    } else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
      *out += ch;
    } else if (ch == '\'' || ch == '`') {
      // Apostrophes join: "Yo'n" -> "yon", "D'Souza" -> "dsouza".
    } else if (ch == '-') {
      *out += '-';
    } else {
      *out += ' ';
    }
  }
}

bool IsApostrophe(UChar32 cp) {
  return cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == 0x02BB || cp == 0x02BF ||
         cp == 0x02BE || cp == 0x00B4 || cp == 0x2032;
}

// ---------------------------------------------------------------------------------------------
// Name-part rules.

const std::unordered_set<std::string_view>& Articles() {
  static const std::unordered_set<std::string_view> kSet = {"al", "el", "ul", "il", "l"};
  return kSet;
}
// Sun-letter articles: only when written with a hyphen ("ad-Din", "as-Sayed"; "A-Din" where the
// l is dropped), since "an", "as", "at", "a" are words or surnames elsewhere.
const std::unordered_set<std::string_view>& HyphenArticles() {
  static const std::unordered_set<std::string_view> kSet = {
      "ad", "ar", "as", "at", "az", "an", "ash", "ath", "ed",  "er", "es", "et",
      "ez", "en", "ud", "ur", "us", "un", "ut",  "ad",  "adh", "al", "el", "a"};
  return kSet;
}
const std::unordered_set<std::string_view>& SonOf() {
  static const std::unordered_set<std::string_view> kSet = {"ben",  "bin",  "ibn",  "bent",
                                                            "bint", "ould", "wuld", "ibnu"};
  return kSet;
}
const std::unordered_set<std::string_view>& StopWords() {
  static const std::unordered_set<std::string_view> kSet = {
      "de",  "del", "della", "di",  "da",  "dos", "das", "do", "du", "des", "la",    "le",  "les",
      "los", "las", "van",   "von", "der", "den", "y",   "e",  "et", "and", "of",    "the", "for",
      "und", "i",   "a",     "o",   "ou",  "wa",  "wal", "fi", "li", "dei", "degli", "ait", "aitt"};
  return kSet;
}
const std::unordered_set<std::string_view>& LegalForms() {
  static const std::unordered_set<std::string_view> kSet = {
      "sarl",      "sa",          "sas",      "sasu",
      "eurl",      "sci",         "snc",      "llc",
      "ltd",       "limited",     "inc",      "incorporated",
      "corp",      "corporation", "co",       "company",
      "companies", "cie",         "gmbh",     "ag",
      "kg",        "ohg",         "ug",       "plc",
      "llp",       "lp",          "jsc",      "ojsc",
      "pjsc",      "cjsc",        "ooo",      "zao",
      "oao",       "pao",         "ao",       "fze",
      "fzco",      "fzc",         "fzllc",    "dmcc",
      "bv",        "nv",          "srl",      "spa",
      "sl",        "sal",         "sae",      "pvt",
      "pte",       "bhd",         "sdn",      "kft",
      "zrt",       "doo",         "dd",       "ad",
      "as",        "ab",          "oy",       "tov",
      "pp",        "ip",          "est",      "establishment",
      "wll",       "spc",         "saog",     "saoc",
      "ste",       "societe",     "sociedad", "anonima",
      "anonyme",   "limitada",    "ltda",     "cia",
      "sp",        "zoo",         "sro",      "as",
      "ek",        "gbr",         "mbh",      "tic",
      "san",       "ve",          "as",       "sti",
      "lda",       "llc",         "pty",      "proprietary",
      "holding",   "holdings"};
  return kSet;
}
const std::unordered_set<std::string_view>& CommonOrgWords() {
  static const std::unordered_set<std::string_view> kSet = {
      "trading",      "trade",        "group",      "international", "intl",
      "general",      "global",       "industries", "industry",      "industrial",
      "enterprise",   "enterprises",  "services",   "service",       "bank",
      "commercial",   "import",       "export",     "shipping",      "investment",
      "investments",  "development",  "management", "consulting",    "solutions",
      "technology",   "technologies", "trust",      "foundation",    "association",
      "organization", "organisation", "center",     "centre",        "national",
      "co",           "partners",     "ventures",   "capital",       "finance",
      "financial",    "marine",       "logistics",  "construction",  "engineering",
      "petroleum",    "oil",          "gas",        "energy",        "agency",
      "office",       "front",        "brigade",    "battalion",     "movement",
      "army",         "party",        "network",    "institute",     "ministry",
      "department",   "factory",      "plant",      "airlines",      "air",
      "airways",      "import",       "exchange",   "money",         "jewelry",
      "pharmacy",     "medical",      "hospital",   "travel",        "tourism",
      "media",        "studio",       "school",     "university",    "company",
      "corporation",  "ltd",          "societe",    "compania",      "empresa",
      "firma",        "grupo",        "comercial",  "internacional", "sociedad"};
  return kSet;
}

// "abd", "abdel", "abdul", ... + next part: "servant of X".
bool IsAbdPrefix(std::string_view t) {
  return t == "abd" || t == "abdel" || t == "abdul" || t == "abdal" || t == "abdoul" ||
         t == "abdil" || t == "abdol" || t == "abdu" || t == "abdur" || t == "abder" ||
         t == "abdul" || t == "abdoull" || t == "abdelal";
}
// "abu X" (father of X) and "umm X" (mother of X): kunyas, joined into one part.
bool IsAbuPrefix(std::string_view t) {
  return t == "abu" || t == "abou" || t == "abo" || t == "umm";
}

bool IsVowel(char ch) {
  return ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u' || ch == 'y';
}

// "abdelkader", "abdulqadir", "abd al qadir" (already joined) -> "abdkader"/"abdqadir";
// "abdallah", "abdullah" -> "abdlah"; "abderrahmane", "abdurrahman" -> "abdrahman(e)".
std::string CanonicalAbd(const std::string& token) {
  if (token.size() < 6 || std::string_view(token).substr(0, 3) != "abd") return token;
  std::string rest = token.substr(3);
  size_t i = 0;
  while (i < rest.size() && IsVowel(rest[i])) ++i;
  rest = rest.substr(i);
  if (rest.size() > 3 && rest[0] == 'l') rest = rest.substr(1);
  if (rest.size() > 3 && rest[0] == rest[1]) rest = rest.substr(1);
  if (rest.size() < 3) return token;
  return "abd" + rest;
}

std::string CanonicalAbu(const std::string& token) {
  if (token.size() > 6 && std::string_view(token).substr(0, 4) == "abou") {
    return "abu" + token.substr(4);
  }
  return token;
}

// "...eddine", "...uddin", "...aldin" -> "...din".
std::string CanonicalDin(std::string token) {
  static const char* const kSuffixes[] = {"eddine", "uddine", "eddin", "uddin", "addin",
                                          "aldin",  "eldin",  "ddine", "edine", "eddyn"};
  for (const char* suffix : kSuffixes) {
    size_t n = std::char_traits<char>::length(suffix);
    if (token.size() >= n + 3 && token.compare(token.size() - n, n, suffix) == 0) {
      std::string root = token.substr(0, token.size() - n);
      while (root.size() > 2 && root[root.size() - 1] == root[root.size() - 2]) root.pop_back();
      return root + "din";
    }
  }
  return token;
}

// "allah" (and its spellings, or الله) as the second half of a compound.
bool IsAllahPart(std::string_view t, std::string_view arabic) {
  return t == "allah" || t == "ullah" || t == "ollah" || t == "illah" || t == "ulla" ||
         arabic == "Allh" || arabic == "llh";
}

// The Persian "-zadeh" (son of) written apart ("Akhund Zada", "آخوند زاده"), as most lists join
// it ("Akhundzada", "Hosseinzadeh").
bool IsZadehPart(std::string_view t, std::string_view arabic) {
  return t == "zadeh" || t == "zada" || t == "zade" || t == "zadah" || arabic == "zAdh" ||
         arabic == "zAdO";
}

bool IsDinPart(std::string_view t) {
  return t == "din" || t == "dine" || t == "eddine" || t == "eddin" || t == "uddin" ||
         t == "uddine" || t == "ddine" || t == "edine" || t == "aldin" || t == "eldin" ||
         t == "addin" || t == "deen" || t == "ddin";
}

// The variant classes keyed by canonical token (the data file holds spellings as written).
const std::unordered_map<std::string, std::string>& CanonicalClasses();

std::string CanonicalToken(std::string token) {
  const std::string_view prefix = std::string_view(token).substr(0, 3);
  if (prefix == "abd") return CanonicalAbd(token);
  if (prefix == "abo") return CanonicalAbu(token);
  return CanonicalDin(std::move(token));
}

const std::unordered_map<std::string, std::string>& CanonicalClasses() {
  static const std::unordered_map<std::string, std::string>* const kMap = [] {
    auto* map = new std::unordered_map<std::string, std::string>;
    // Walk the embedded text: keys and values go through the same canonicalization as names.
    std::string text = EmbeddedNameVariantData();
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      std::string_view line(text.data() + pos, end - pos);
      pos = end + 1;
      if (line.size() < 3 || line[0] != 'v' || line[1] != '\t') continue;
      size_t tab = line.find('\t', 2);
      if (tab == std::string_view::npos) continue;
      std::string key = CanonicalToken(std::string(line.substr(2, tab - 2)));
      std::string value = CanonicalToken(std::string(line.substr(tab + 1)));
      if (!key.empty() && !value.empty()) (*map)[key] = value;
    }
    return map;
  }();
  return *kMap;
}

// Marks, in the folded text FoldMarked makes, the start of a part's Arabic code (up to the next
// space or hyphen). FoldToLatin leaves the marks out.
constexpr char kArabicMark = '\x01';
// Marks, likewise, a part written in Arabic script with its article ("القادر"): a bare عبد
// before it makes a compound ("عبد القادر"), not one before a part without ("عبد صكر").
constexpr char kArticleMark = '\x02';

struct RawPart {
  std::string text;
  bool hyphen_after = false;
  std::string arabic;           // ArabicCode letters when the part was written in Arabic script
  bool article_before = false;  // the article was written before it ("al-Qadir", "القادر")
  bool in_parentheses = false;  // "(AQAP)", "(BRANCH LOCATED IN ...)"
};

std::vector<RawPart> SplitFolded(const std::string& folded) {
  std::vector<RawPart> parts;
  std::string current;
  std::string arabic;
  bool in_code = false;
  bool article = false;
  bool parentheses = false;
  auto push = [&](bool hyphen) {
    parts.push_back({std::move(current), hyphen, std::move(arabic), article, parentheses});
    current.clear();
    arabic.clear();
    article = false;
  };
  for (char ch : folded) {
    if (ch == ' ' || ch == '-') {
      if (!current.empty()) {
        push(ch == '-');
      } else if (ch == '-' && !parts.empty()) {
        parts.back().hyphen_after = true;
      }
      in_code = false;
    } else if (ch == kArticleMark) {
      article = true;
    } else if (ch == kOpenMark || ch == kCloseMark) {
      parentheses = ch == kOpenMark;
    } else if (ch == kArabicMark) {
      in_code = true;
    } else if (in_code) {
      arabic += ch;
    } else {
      current += ch;
    }
  }
  if (!current.empty()) push(false);
  return parts;
}

// True when the part at `idx`, written in parentheses, has another part in the same parentheses.
bool InParenthesesGroup(const std::vector<RawPart>& parts, size_t idx) {
  return (idx > 0 && parts[idx - 1].in_parentheses) ||
         (idx + 1 < parts.size() && parts[idx + 1].in_parentheses);
}

// "ULLAH, Haji Khair" (a list's "SURNAME, Given" with the surname a suffix): the suffix goes
// back after the given names, where it joins the name it ends ("Haji Khair Ullah", Khairullah).
void MoveListedSuffixToTheEnd(std::string_view text, std::vector<RawPart>& parts) {
  const size_t comma = text.find(',');
  if (comma == std::string_view::npos || parts.size() < 2) return;
  // The part before the comma is one word (the comma is lost in the folded parts).
  const std::string_view before = Trim(text.substr(0, comma));
  if (before.find_first_of(" -") != std::string_view::npos) return;
  const RawPart& first = parts.front();
  if (!IsAllahPart(first.text, first.arabic) && !IsZadehPart(first.text, first.arabic) &&
      !IsDinPart(first.text)) {
    return;
  }
  std::rotate(parts.begin(), parts.begin() + 1, parts.end());
}

// The code of two parts joined into one: kept only when both were written in Arabic script.
std::string JoinedArabic(const std::string& a, const std::string& b) {
  return a.empty() || b.empty() ? std::string() : a + b;
}

// A bare "abd" (or عبد, whatever the variant data spells it) joins the next part only when the
// article was written before it ("Abd al-Qadir", "عبد القادر") or it is a name that makes a
// compound without one ("Abd Rabbuh", "Abd Rahman": match/name_affixes.tsv); otherwise "Abd" is
// a name of its own ("عكلة عبد صكر", Ugla Abid Sakr). The longer forms carry the article
// ("Abdul", "Abdel", "Abdur").
bool MakesAbdCompound(const RawPart& abd, const RawPart& next) {
  const bool bare = abd.text == "abd" || abd.text == "abdu" || abd.arabic == "Ebd";
  return !bare || next.article_before || IsAllahPart(next.text, next.arabic) ||
         IsAbdCompoundHalf(next.text);
}

}  // namespace

namespace {

Result<std::string> FoldMarked(std::string_view text, bool mark_arabic) {
  size_t bad = 0;
  if (!IsValidUtf8(text, &bad)) {
    return InvalidArgument("name: invalid UTF-8 at byte " + std::to_string(bad));
  }
  std::string out;
  out.reserve(text.size() + 8);
  bool ascii = std::all_of(text.begin(), text.end(),
                           [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
  if (ascii) {
    AppendAsciiFolded(text, &out, mark_arabic);
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) return Internal("ICU NFKC_Casefold unavailable");
  icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString normalized = nfkc_cf->normalize(source, status);
  if (U_FAILURE(status)) return InvalidArgument("name: cannot be normalized");

  const LatinTable& latin = GetLatinTable();
  icu::UnicodeString run;  // a run of Arabic or of other-script letters
  enum class RunKind { kNone, kArabic, kOther } run_kind = RunKind::kNone;
  auto arabic_word = [&](const icu::UnicodeString& word) {
    std::string code;
    bool article = false;
    std::string latin_word = ArabicWordToLatin(word, &code, &article);
    out += ' ';
    if (mark_arabic && article) out += kArticleMark;
    out += latin_word;
    DropJoinedArticle(&code);
    if (mark_arabic && !code.empty()) {
      out += kArabicMark;
      out += code;
    }
    out += ' ';
  };
  auto flush = [&]() {
    if (run.isEmpty()) return;
    if (run_kind == RunKind::kArabic) {
      const int32_t abd = JoinedAbd(run);
      if (abd > 0) {
        arabic_word(run.tempSubString(0, abd));
        arabic_word(run.tempSubString(abd));
      } else {
        arabic_word(run);
      }
    } else {
      icu::Transliterator* tr = OtherScriptTransliterator();
      icu::UnicodeString copy = run;
      if (tr != nullptr) tr->transliterate(copy);
      std::string utf8;
      copy.toUTF8String(utf8);
      std::string ascii_part;
      for (char ch : utf8) {
        if (static_cast<unsigned char>(ch) < 0x80) ascii_part += ch;
      }
      AppendAsciiFolded(ascii_part, &out);
    }
    run.remove();
    run_kind = RunKind::kNone;
  };
  for (int32_t i = 0; i < normalized.length();) {
    UChar32 cp = normalized.char32At(i);
    i += U16_LENGTH(cp);
    if (cp < 0x80) {
      flush();
      char ch = static_cast<char>(cp);
      AppendAsciiFolded(std::string_view(&ch, 1), &out, mark_arabic);
      continue;
    }
    if (IsApostrophe(cp)) {
      if (run_kind != RunKind::kNone) run.append(cp);
      continue;
    }
    auto it = latin.map.find(cp);
    if (it != latin.map.end()) {
      flush();
      out += it->second;
      continue;
    }
    if (u_getCombiningClass(cp) != 0 || u_charType(cp) == U_NON_SPACING_MARK) {
      if (run_kind != RunKind::kNone) run.append(cp);
      continue;  // a stray combining mark on a Latin letter
    }
    if (IsArabicCp(cp) && (u_isalpha(cp) || IsArabicDiacritic(cp) || u_isdigit(cp))) {
      if (run_kind != RunKind::kArabic) flush();
      run_kind = RunKind::kArabic;
      run.append(cp);
      continue;
    }
    if (u_isalnum(cp)) {
      if (run_kind != RunKind::kOther) flush();
      run_kind = RunKind::kOther;
      run.append(cp);
      continue;
    }
    flush();
    out += (cp == 0x2010 || cp == 0x2011 || cp == 0x2012 || cp == 0x2013) ? '-' : ' ';
  }
  flush();
  return out;
}

// The role a canonical part takes by itself.
TokenRole RoleOf(std::string_view token) {
  if (IsTitle(token) || StopWords().count(token) || Articles().count(token)) {
    return TokenRole::kParticle;
  }
  if (LegalForms().count(token)) return TokenRole::kLegalForm;
  if (CommonOrgWords().count(token)) return TokenRole::kCommon;
  return TokenRole::kWord;
}

// Organization words lists translate (match/org_words.h) take their English form: "جماعة" and
// "groupe" become "group". A part joined with another (حزب الله) is not a table word.
void TranslateOrgWords(NormalizedName& name) {
  for (NameToken& token : name.tokens) {
    const std::string_view english =
        token.arabic.empty() ? OrgWordForLatin(token.text) : OrgWordForArabic(token.arabic);
    if (english.empty()) continue;
    token.text = std::string(english);
    token.role = RoleOf(token.text);
  }
}

}  // namespace

Result<std::string> FoldToLatin(std::string_view text) { return FoldMarked(text, false); }

Result<NormalizedName> NormalizeName(std::string_view text) {
  if (Trim(text).empty()) return InvalidArgument("name: empty");
  if (text.size() > kMaxNameBytes) {
    return InvalidArgument("name: longer than " + std::to_string(kMaxNameBytes) + " bytes (" +
                           std::to_string(text.size()) + ")");
  }
  ENTENTE_ASSIGN_OR_RETURN(std::string folded, FoldMarked(text, true));
  std::vector<RawPart> parts = SplitFolded(folded);
  MoveListedSuffixToTheEnd(text, parts);
  // A name written wholly in parentheses ("(Sheikh)") is the name, not a comment on one.
  if (std::all_of(parts.begin(), parts.end(),
                  [](const RawPart& part) { return part.in_parentheses; })) {
    for (RawPart& part : parts) part.in_parentheses = false;
  }

  // 1. Drop articles ("al", "el"; "ad-", "as-" only when hyphenated).
  std::vector<RawPart> kept;
  kept.reserve(parts.size());
  bool article = false;
  for (size_t part_idx = 0; part_idx < parts.size(); ++part_idx) {
    const RawPart& part = parts[part_idx];
    bool has_next = part_idx + 1 < parts.size();
    if (has_next &&
        (Articles().count(part.text) || (part.hyphen_after && HyphenArticles().count(part.text)))) {
      article = true;
      continue;
    }
    kept.push_back(part);
    kept.back().article_before = kept.back().article_before || article;
    article = false;
  }

  // Dotted abbreviations: "S.A.", "L.L.C." -> "sa", "llc" when that is a legal form.
  for (size_t part_idx = 0; part_idx + 1 < kept.size(); ++part_idx) {
    if (kept[part_idx].text.size() != 1) continue;
    size_t end = part_idx;
    std::string joined;
    while (end < kept.size() && kept[end].text.size() == 1) joined += kept[end++].text;
    if (end - part_idx >= 2 && LegalForms().count(joined)) {
      kept[part_idx].text = joined;
      kept.erase(kept.begin() + part_idx + 1, kept.begin() + end);
    }
  }

  // 2. Join compounds and tag roles.
  const auto& classes = CanonicalClasses();
  NormalizedName name;
  for (size_t part_idx = 0; part_idx < kept.size(); ++part_idx) {
    std::string token = kept[part_idx].text;
    std::string arabic = kept[part_idx].arabic;
    bool has_next = part_idx + 1 < kept.size();
    if (has_next && IsAbdPrefix(token) && MakesAbdCompound(kept[part_idx], kept[part_idx + 1])) {
      ++part_idx;
      token = CanonicalAbd(token + kept[part_idx].text);
      arabic = JoinedArabic(arabic, kept[part_idx].arabic);
    } else if (has_next && IsAbuPrefix(token)) {
      ++part_idx;
      token = (token == "umm" ? "umm" : "abu") + kept[part_idx].text;
      arabic = JoinedArabic(arabic, kept[part_idx].arabic);
    } else if ((IsAllahPart(token, arabic) || IsZadehPart(token, arabic)) && !name.tokens.empty() &&
               name.tokens.back().role == TokenRole::kWord) {
      // "Nasr Allah" / "هدايت الله" -> one part, as "Nasrallah" / "Hidayatullah" are written;
      // "Akhund Zada" / "آخوند زاده" likewise, as "Akhundzada".
      NameToken& previous = name.tokens.back();
      previous.text += token;
      previous.arabic = JoinedArabic(previous.arabic, arabic);
      continue;
    } else if (IsDinPart(token) && !name.tokens.empty() &&
               name.tokens.back().role == TokenRole::kWord) {
      NameToken& previous = name.tokens.back();
      std::string root = previous.text;
      while (root.size() > 2 && root[root.size() - 1] == root[root.size() - 2]) root.pop_back();
      previous.text = root + "din";
      previous.arabic = JoinedArabic(previous.arabic, arabic);
      continue;
    } else {
      token = CanonicalToken(std::move(token));
    }

    if (SonOf().count(token)) {
      name.tokens.push_back({"bin", TokenRole::kParticle});
      continue;
    }
    // Joined "Benali" / "Binladen": split when the rest is a known name.
    if (token.size() >= 6 && (token.compare(0, 3, "ben") == 0 || token.compare(0, 3, "bin") == 0)) {
      std::string rest = token.substr(3);
      if (classes.count(rest)) {
        name.tokens.push_back({"bin", TokenRole::kParticle});
        name.tokens.push_back({rest, TokenRole::kWord});
        continue;
      }
    }
    // Joined article "Elidrissi" / "Alqaida": strip when the rest is long enough and the
    // token itself is not a known name ("Elias").
    if (token.size() >= 7 && (token.compare(0, 2, "al") == 0 || token.compare(0, 2, "el") == 0) &&
        !classes.count(token) && !IsVowel(token[2])) {
      token = token.substr(2);
    }
    TokenRole role = RoleOf(token);
    // A part in parentheses is an acronym, which the other spellings rarely repeat, or a word of
    // a comment ("(BRANCH LOCATED IN ALBU KAMAL)", "(previously listed as)"): the acronym weighs
    // what a frequent organization word weighs, the comment what a particle does.
    if (role == TokenRole::kWord && kept[part_idx].in_parentheses) {
      role = InParenthesesGroup(kept, part_idx) ? TokenRole::kParticle : TokenRole::kCommon;
    }
    name.tokens.push_back({std::move(token), role, std::move(arabic)});
  }
  TranslateOrgWords(name);
  // A name that is only particles keeps its particles as words ("Ben Ali" stays matchable
  // through "ali"; "Al" alone is an error).
  bool any_word = false;
  bool any_token = false;
  for (const NameToken& token : name.tokens) {
    any_token = true;
    if (token.role == TokenRole::kWord || token.role == TokenRole::kCommon) any_word = true;
  }
  if (!any_token) return InvalidArgument("name: nothing to match (only punctuation or articles)");
  if (!any_word) {
    bool only_particles = true;
    for (const NameToken& token : name.tokens) {
      if (token.role != TokenRole::kParticle) only_particles = false;
    }
    if (only_particles) return InvalidArgument("name: nothing to match (only particles)");
    for (NameToken& token : name.tokens) {
      if (token.role == TokenRole::kLegalForm) token.role = TokenRole::kWord;
    }
  }
  if (name.tokens.size() > kMaxNameTokens) name.tokens.resize(kMaxNameTokens);
  return name;
}

std::string_view ClassKey(std::string_view token) {
  const auto& classes = CanonicalClasses();
  auto it = classes.find(std::string(token));
  return it == classes.end() ? token : std::string_view(it->second);
}

bool IsKnownName(std::string_view token) {
  return CanonicalClasses().count(std::string(token)) > 0;
}

std::string Skeleton(std::string_view token) {
  std::string mapped;
  mapped.reserve(token.size());
  for (size_t i = 0; i < token.size(); ++i) {
    char ch = token[i];
    char next = i + 1 < token.size() ? token[i + 1] : '\0';
    if (ch == 's' && next == 'c' && i + 2 < token.size() && token[i + 2] == 'h') {
      mapped += 's';
      i += 2;
      continue;
    }
    if (next == 'h' && (ch == 'c' || ch == 's' || ch == 'k' || ch == 'g' || ch == 'd' ||
                        ch == 't' || ch == 'p' || ch == 'z')) {
      mapped += ch == 'c' ? 's' : ch == 'p' ? 'f' : ch == 'z' ? 'j' : ch;
      ++i;
      continue;
    }
    if (ch == 'd' && next == 'j') {
      mapped += 'j';
      ++i;
      continue;
    }
    if (ch == 'c' && next == 'k') {
      mapped += 'k';
      ++i;
      continue;
    }
    switch (ch) {
      case 'q':
      case 'c':
        mapped += 'k';
        break;
      case 'z':
        mapped += 's';
        break;
      case 'x':
        mapped += "ks";
        break;
      case 'w':
      case 'y':
      case 'a':
      case 'e':
      case 'i':
      case 'o':
      case 'u':
        break;
      default:
        mapped += ch;
    }
  }
  std::string skeleton;
  skeleton.reserve(mapped.size());
  for (char ch : mapped) {
    if (skeleton.empty() || skeleton.back() != ch) skeleton += ch;
  }
  return skeleton;
}

std::string NormalizeIdNumber(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch >= 'a' && ch <= 'z') {
      out += static_cast<char>(ch - 'a' + 'A');
    } else if ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) {
      out += ch;
    }
  }
  return out;
}

}  // namespace entente::match
