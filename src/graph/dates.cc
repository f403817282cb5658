#include "graph/dates.h"

#include <chrono>

namespace entente::graph {
namespace {

bool Digits(std::string_view text, size_t pos, size_t count, int* value) {
  if (pos + count > text.size()) return false;
  int result = 0;
  for (size_t idx = pos; idx < pos + count; ++idx) {
    if (text[idx] < '0' || text[idx] > '9') return false;
    result = result * 10 + (text[idx] - '0');
  }
  *value = result;
  return true;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

int32_t DaysFromCivil(int year, int month, int day) {
  year -= month <= 2;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

int32_t ParseDay(std::string_view text, bool round_up) {
  int year = 0, month = 0, day = 0;
  if (!Digits(text, 0, 4, &year)) return kUnknownDay;
  if (text.size() >= 7 && text[4] == '-' && Digits(text, 5, 2, &month)) {
    if (month < 1 || month > 12) return kUnknownDay;
    if (text.size() >= 10 && text[7] == '-' && Digits(text, 8, 2, &day)) {
      if (day < 1 || day > DaysInMonth(year, month)) return kUnknownDay;
      return DaysFromCivil(year, month, day);
    }
    return DaysFromCivil(year, month, round_up ? DaysInMonth(year, month) : 1);
  }
  if (text.size() != 4) return kUnknownDay;
  return round_up ? DaysFromCivil(year, 12, 31) : DaysFromCivil(year, 1, 1);
}

int32_t Today() {
  using namespace std::chrono;
  return static_cast<int32_t>(duration_cast<hours>(system_clock::now().time_since_epoch()).count() /
                              24);
}

}  // namespace entente::graph
