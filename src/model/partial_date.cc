#include "model/partial_date.h"

#include <cctype>
#include <cstdio>

#include "common/text.h"

namespace entente {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

const char* kMonthNames[] = {"january", "february", "march",     "april",   "may",      "june",
                             "july",    "august",   "september", "october", "november", "december"};

int MonthFromName(std::string_view word) {
  std::string w = ToLowerAscii(word);
  if (w.size() < 3) return 0;
  for (int m = 0; m < 12; ++m) {
    std::string_view full = kMonthNames[m];
    if (full.substr(0, w.size()) == w ||
        (w.size() >= 3 && full.substr(0, 3) == w.substr(0, 3) && full.substr(0, w.size()) == w))
      return m + 1;
  }
  return 0;
}

std::optional<PartialDate> Build(int year, int month, int day, std::string* why) {
  if (year < 1 || year > 9999) {
    if (why) *why = "year " + std::to_string(year) + " is out of range";
    return std::nullopt;
  }
  if (month < 0 || month > 12) {
    if (why) *why = "month " + std::to_string(month) + " is out of range";
    return std::nullopt;
  }
  if (day != 0) {
    if (month == 0) {
      if (why) *why = "a day without a month";
      return std::nullopt;
    }
    if (day < 1 || day > DaysInMonth(year, month)) {
      if (why)
        *why = "no day " + std::to_string(day) + " in " + kMonthNames[month - 1] + " " +
               std::to_string(year);
      return std::nullopt;
    }
  }
  return PartialDate{year, month, day};
}

}  // namespace

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

std::optional<PartialDate> PartialDate::Parse(std::string_view text, std::string* why) {
  text = Trim(text);
  auto fail = [&](const char* reason) -> std::optional<PartialDate> {
    if (why) *why = std::string(reason) + " (\"" + std::string(text) + "\")";
    return std::nullopt;
  };
  if (text.size() == 4 && AllDigits(text)) return Build(ToInt(text), 0, 0, why);
  if (text.size() == 7 && text[4] == '-' && AllDigits(text.substr(0, 4)) &&
      AllDigits(text.substr(5, 2)))
    return Build(ToInt(text.substr(0, 4)), ToInt(text.substr(5, 2)), 0, why);
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && AllDigits(text.substr(0, 4)) &&
      AllDigits(text.substr(5, 2)) && AllDigits(text.substr(8, 2))) {
    int month = ToInt(text.substr(5, 2));
    if (month == 0) return fail("month 00 is not a month; write the year alone");
    int day = ToInt(text.substr(8, 2));
    if (day == 0) return fail("day 00 is not a day; write YYYY-MM");
    return Build(ToInt(text.substr(0, 4)), month, day, why);
  }
  return fail("expected YYYY, YYYY-MM or YYYY-MM-DD");
}

std::optional<PartialDate> PartialDate::ParseLoose(std::string_view text, std::string* why) {
  text = Trim(text);
  std::string lowered = ToLowerAscii(text);
  for (const char* prefix : {"circa ", "ca. ", "approximately ", "approx. ", "about "}) {
    if (lowered.rfind(prefix, 0) == 0)
      return ParseLoose(text.substr(std::string(prefix).size()), why);
  }
  std::string probe;
  if (auto d = Parse(text, &probe)) return d;
  // dd/mm/yyyy or dd.mm.yyyy (day first, European and UN style); 00 means unknown.
  if (text.size() == 10 && (text[2] == '/' || text[2] == '.') && text[5] == text[2] &&
      AllDigits(text.substr(0, 2)) && AllDigits(text.substr(3, 2)) &&
      AllDigits(text.substr(6, 4))) {
    int day = ToInt(text.substr(0, 2)), month = ToInt(text.substr(3, 2));
    if (month == 0) day = 0;
    return Build(ToInt(text.substr(6, 4)), month, day, why);
  }
  // "04 Mar 1987", "Mar 1987", "4 March 1987"
  std::vector<std::string> words = SplitNonEmpty(text, ' ');
  if (words.size() == 3 && AllDigits(words[0]) && words[0].size() <= 2 && AllDigits(words[2]) &&
      words[2].size() == 4) {
    int month = MonthFromName(words[1]);
    if (month) return Build(ToInt(words[2]), month, ToInt(words[0]), why);
  }
  if (words.size() == 2 && AllDigits(words[1]) && words[1].size() == 4) {
    int month = MonthFromName(words[0]);
    if (month) return Build(ToInt(words[1]), month, 0, why);
  }
  if (why) *why = probe;
  return std::nullopt;
}

std::string PartialDate::ToString() const {
  char out[16];
  if (month == 0) {
    std::snprintf(out, sizeof out, "%04d", year);
  } else if (day == 0) {
    std::snprintf(out, sizeof out, "%04d-%02d", year, month);
  } else {
    std::snprintf(out, sizeof out, "%04d-%02d-%02d", year, month, day);
  }
  return out;
}

}  // namespace entente
