#include "match/cross_script.h"

#include <array>
#include <bitset>
#include <string>

namespace entente::match {
namespace {

// Latin renderings of each code's consonant value, from the spellings in the Wikidata and
// Google Arabic-English name pairs and the published lists (French and English usage).
// A weak letter (alef, hamza, ʿayn, waw, ya, ta marbuta, alef maqsura, final ha) may also be
// written as a run of vowels or, except at the end, not at all: see IsWeak below.
std::string_view Renderings(char code) {
  switch (code) {
    case 'b':
      return "b|p";
    case 'p':
      return "p|b";
    case 't':
      return "t";
    case 'T':
      return "th|t|s";
    case 'j':
      return "j|dj|g|dzh|zh";
    case 'c':
      return "ch|tch|tsh|c|j";
    case 'H':
      return "h";
    case 'x':
      return "kh|x|h|ch|j";
    case 'd':
      return "d";
    case 'D':
      return "dh|z|d|th";
    case 'r':
      return "r";
    case 'z':
      return "z";
    case 'Z':
      return "zh|j|z|g";  // ژ, and Pashto ږ (zh or g by dialect)
    case 'F':
      return "z|dz|j";  // Pashto ځ ("Zadran" / ځدران)
    case 'K':
      return "ts|s|ch|c";  // Pashto څ
    case 'M':
      return "sh|kh|x|s";  // Pashto ښ ("Pashtun" / "Pakhtun")
    case 's':
      return "s|c";
    case 'S':
      return "sh|ch|sch|s";
    case 'C':
      return "s|c";
    case 'V':
      return "d|dh|z";
    case 'U':
      return "t";
    case 'Y':
      return "z|dh|th|d";
    case 'G':
      return "gh|g|rh";
    case 'f':
      return "f|ph|v";
    case 'q':
      return "q|k|g|c|ck|gh";  // gh: the Persian reading ("Sadeghi" / صادقي, "Bagheri" / باقري)
    case 'k':
      return "k|c|ck|q|g";  // ك for گ where the keyboard has no gaf ("كل" / "Gul")
    case 'g':
      return "g|k";
    case 'l':
      return "l";
    case 'm':
      return "m";
    case 'n':
      return "n|m";
    case 'w':
      return "w|v";
    case 'y':
      return "y";
    case 'W':
      return "w";
    case 'J':
      return "y";
    case 'I':
      return "y";
    case 'O':
      return "h|t";
    case 'h':
      return "h";
    default:
      return "";  // A, Q, E: vowels or nothing
  }
}

// Weak letters: written as a run of vowels (waw as one with o or u, ya as one with i or e).
bool IsWeak(char code) {
  return code == 'A' || code == 'Q' || code == 'E' || code == 'W' || code == 'J' || code == 'w' ||
         code == 'y' || code == 'I' || code == 'O' || code == 'h';
}
// `after_vowel`: the Latin letter before the run is a vowel.
bool VowelRunFits(char code, std::string_view run, bool after_vowel) {
  if (code == 'w') return run.find_first_of("ou") != std::string_view::npos;
  if (code == 'y') return run.find_first_of("ie") != std::string_view::npos;
  // ʿayn read as the "i" of "ai" / "ei" would make سعد (Sa'd) the "Said" that سعيد writes: a
  // long i is written with ya. (This loses the rare "Mutaib" for متعب.)
  if (code == 'E' && (run.back() == 'i' || run.back() == 'e')) {
    return run.size() == 1 && !after_vowel;
  }
  return true;
}
// Letters that Latin may leave out: alef, hamza and ʿayn (not heard as a consonant), except a
// word-final alef, which is a long vowel; waw and ya are always written.
bool CanBeSilent(char code, bool final) {
  if (code == 'A') return !final;
  return code == 'Q' || code == 'E' || code == 'W' || code == 'J';
}

bool IsLatinVowel(char ch) { return ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u'; }

// A short vowel Latin may add: one vowel letter, or the French "ou". Longer runs ("ee", "ei",
// "ai", "oo") write a long vowel or a diphthong, which Arabic writes with a letter.
bool FreeVowelAt(std::string_view latin, size_t pos, size_t tail) {
  if (pos >= tail || !IsLatinVowel(latin[pos])) return false;
  if (pos == 0 || !IsLatinVowel(latin[pos - 1])) return true;
  return latin[pos - 1] == 'o' && latin[pos] == 'u' && (pos < 2 || !IsLatinVowel(latin[pos - 2]));
}

// Where the word-final vowel run starts: that run is not free (it must render a final letter),
// except a single silent French "e" after a consonant ("Abderrahmane", "Yassine").
size_t FinalVowelRun(std::string_view latin) {
  size_t tail = latin.size();
  while (tail > 0 && IsLatinVowel(latin[tail - 1])) --tail;
  if (latin.size() - tail == 1 && latin.back() == 'e' && tail > 0) tail = latin.size();
  return tail;
}

constexpr size_t kMaxArabic = 32;
constexpr size_t kMaxLatin = 48;
using Reach = std::array<std::bitset<kMaxLatin + 1>, kMaxArabic + 1>;

// Readings of two Arabic letters together, from the Google and Wikidata Arabic-English name
// pairs: تش writes the Latin "ch" ("Chang" / تشانج, "Richard" / ريتشارد) and كس the "x"
// ("Maxime" / ماكسيم); a word-final ه after a vowel is not written in Latin ("Zade" / زاده,
// "Andre" / أندريه); and the d of "-nd" before "z" is assimilated ("Akhunzada" / آخوندزاده).
void TwoLetterReadings(std::string_view arabic, std::string_view latin, size_t i, size_t j,
                       Reach& reach) {
  const size_t n = arabic.size();
  const size_t m = latin.size();
  const std::string_view rest = latin.substr(j);
  if (i + 1 < n && arabic[i] == 't' && arabic[i + 1] == 'S') {
    if (rest.substr(0, 2) == "ch") reach[i + 2][j + 2] = true;
    if (rest.substr(0, 3) == "tch") reach[i + 2][j + 3] = true;
  }
  if (i + 1 < n && arabic[i] == 'k' && arabic[i + 1] == 's' && !rest.empty() && rest[0] == 'x') {
    reach[i + 2][j + 1] = true;
  }
  if (i + 1 == n && j == m && j > 0 && (arabic[i] == 'h' || arabic[i] == 'O') &&
      IsLatinVowel(latin[m - 1])) {
    reach[i + 1][j] = true;
  }
  if (arabic[i] == 'd' && i > 0 && i + 1 < n && arabic[i - 1] == 'n' && arabic[i + 1] == 'z') {
    reach[i + 1][j] = true;
  }
}

}  // namespace

char ArabicCode(uint32_t cp) {
  switch (cp) {
    case 0x0627:
    case 0x0623:
    case 0x0625:
    case 0x0622:
    case 0x0671:
      return 'A';
    case 0x0621:
      return 'Q';
    case 0x0624:
      return 'W';
    case 0x0626:
      return 'J';
    case 0x0628:
      return 'b';
    case 0x067E:
      return 'p';
    case 0x062A:
    case 0x0679:
    case 0x067C:  // Pashto ټ
      return 't';
    case 0x062B:
      return 'T';
    case 0x062C:
      return 'j';
    case 0x0686:
      return 'c';
    case 0x062D:
      return 'H';
    case 0x062E:
      return 'x';
    case 0x062F:
    case 0x0688:
    case 0x0689:  // Pashto ډ
      return 'd';
    case 0x0630:
      return 'D';
    case 0x0631:
    case 0x0691:
    case 0x0693:  // Pashto ړ
      return 'r';
    case 0x0632:
      return 'z';
    case 0x0698:
    case 0x0696:  // Pashto ږ
      return 'Z';
    case 0x0681:  // Pashto ځ
      return 'F';
    case 0x0685:  // Pashto څ
      return 'K';
    case 0x069A:  // Pashto ښ
      return 'M';
    case 0x0633:
      return 's';
    case 0x0634:
      return 'S';
    case 0x0635:
      return 'C';
    case 0x0636:
      return 'V';
    case 0x0637:
      return 'U';
    case 0x0638:
      return 'Y';
    case 0x0639:
      return 'E';
    case 0x063A:
      return 'G';
    case 0x0641:
    case 0x06A4:
      return 'f';
    case 0x0642:
      return 'q';
    case 0x0643:
    case 0x06A9:
      return 'k';
    case 0x06AF:
    case 0x06AB:  // Pashto ګ
      return 'g';
    case 0x0644:
      return 'l';
    case 0x0645:
      return 'm';
    case 0x0646:
    case 0x06BA:
    case 0x06BC:  // Pashto ڼ
      return 'n';
    case 0x0647:
    case 0x06C1:
    case 0x06BE:
    case 0x06C0:
      return 'h';
    case 0x0629:
    case 0x06C3:
      return 'O';
    case 0x0648:
      return 'w';
    case 0x064A:
    case 0x06CC:
    case 0x06D2:
    case 0x06D3:  // Urdu ۓ
    case 0x06D0:  // Pashto ې
    case 0x06CD:  // Pashto ۍ
      return 'y';
    case 0x0649:
      return 'I';
    default:
      return 0;
  }
}

bool CrossScriptConsistent(std::string_view arabic, std::string_view latin) {
  const size_t n = arabic.size();
  const size_t m = latin.size();
  if (n == 0 || m == 0 || n > kMaxArabic || m > kMaxLatin) return false;
  const size_t tail = FinalVowelRun(latin);
  // "abdelkader" is canonicalized to "abdkader" on the Latin side (the article's l dropped).
  // ("عبد الله" keeps the alef too: "EbdAllh" / "abdlah").
  const size_t abd_l = n > 4 && arabic.substr(0, 4) == "Ebdl"    ? 3
                       : n > 5 && arabic.substr(0, 5) == "EbdAl" ? 4
                                                                 : 0;

  Reach reach{};
  reach[0][0] = true;
  for (size_t i = 0; i <= n; ++i) {
    for (size_t j = 0; j <= m; ++j) {
      if (!reach[i][j]) continue;
      if (j < m) {
        if (FreeVowelAt(latin, j, tail)) reach[i][j + 1] = true;
        if (j > 0 && latin[j] == latin[j - 1] && !IsLatinVowel(latin[j])) reach[i][j + 1] = true;
      }
      if (i == n) continue;
      const char code = arabic[i];
      if (CanBeSilent(code, i + 1 == n)) reach[i + 1][j] = true;
      if (IsWeak(code)) {
        for (size_t k = j; k < m && IsLatinVowel(latin[k]); ++k) {
          const bool after_vowel = j > 0 && IsLatinVowel(latin[j - 1]);
          if (VowelRunFits(code, latin.substr(j, k + 1 - j), after_vowel)) {
            reach[i + 1][k + 1] = true;
          }
        }
      }
      if (abd_l != 0 && i == abd_l) reach[i + 1][j] = true;
      TwoLetterReadings(arabic, latin, i, j, reach);
      std::string_view options = Renderings(code);
      while (!options.empty()) {
        size_t bar = options.find('|');
        std::string_view option = options.substr(0, bar);
        options = bar == std::string_view::npos ? std::string_view() : options.substr(bar + 1);
        if (latin.substr(j, option.size()) == option) reach[i + 1][j + option.size()] = true;
      }
    }
  }
  return reach[n][m];
}

std::string ArabicSpellingKey(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  for (char ch : code) {
    switch (ch) {
      case 'O':
        out += 'h';
        break;
      case 'I':
      case 'J':
        out += 'y';
        break;
      case 'W':
        out += 'w';
        break;
      case 'Q':
        break;
      default:
        out += ch;
    }
  }
  return out;
}

bool SameArabicSpelling(std::string_view a, std::string_view b) {
  return !a.empty() && !b.empty() && ArabicSpellingKey(a) == ArabicSpellingKey(b);
}

}  // namespace entente::match
