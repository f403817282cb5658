// Cross-script name parts: what an unvocalized Arabic-script spelling can tell about a Latin one.
//
// Arabic script writes consonants and long vowels, not short vowels or doubled consonants, and
// several Arabic letters have more than one Latin rendering (ذ as dh, z, d; ق as q, k, g; ج as
// j, dj, g; ش as sh, ch). A Latin spelling is *consistent* with an Arabic one when the Latin
// letters can be read as a rendering of the Arabic letters in order, with short vowels and
// doubled consonants added freely. A consistent pair is as exact as the script allows: the
// scorer treats it as an exact match, not as a string distance to one guessed romanization.
//
// The Arabic side is carried as a code string, one byte per Arabic letter (ArabicCode), so the
// comparison never touches UTF-8 or ICU on the hot path. Persian and Urdu letters (ی ک ہ ے ۀ ھ
// ں ۃ ٹ ڈ ڑ ۓ) and the Pashto ones that write an Arabic sound (ټ ډ ړ ګ ڼ ې ۍ) take the code of
// the Arabic letter they write; the Pashto ځ څ ښ ږ have codes of their own (dz, ts, sh/kh,
// zh/g); hamza seats (أ إ آ ؤ ئ ء) and the ة / ى / ه forms are kept apart in the code and folded
// where Latin cannot tell them apart.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace entente::match {

// The code byte of one Arabic-script letter, or 0 when `cp` is not a letter (diacritics,
// tatweel, digits, punctuation). Codes are printable ASCII and never a space.
char ArabicCode(uint32_t cp);

// True when the folded Latin part (`latin`, [a-z0-9]) can be read as a rendering of the Arabic
// code string `arabic` (see the header comment). Short vowels in Latin are free except a
// word-final vowel (other than a silent French "e"), which must render a final long vowel or
// ة / ه; doubled Latin consonants stand for one Arabic letter (shadda is not written).
bool CrossScriptConsistent(std::string_view arabic, std::string_view latin);

// True when two Arabic code strings spell the same name once the forms Arabic writers use
// interchangeably are folded: ة / ه, ى / ي, hamza seats, Persian and Urdu letters.
bool SameArabicSpelling(std::string_view a, std::string_view b);

// The code with those forms folded: SameArabicSpelling(a, b) is ArabicSpellingKey(a) ==
// ArabicSpellingKey(b) for non-empty codes. For comparing one code with many (a table).
std::string ArabicSpellingKey(std::string_view code);

}  // namespace entente::match
