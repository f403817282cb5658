#include "common/time.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace entente {

int64_t NowMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string FormatTimestamp(int64_t millis) {
  // Floor division, so that a time before 1970 keeps its milliseconds in [0, 999].
  int64_t whole_seconds = millis / 1000;
  int milliseconds = static_cast<int>(millis % 1000);
  if (milliseconds < 0) {
    milliseconds += 1000;
    whole_seconds -= 1;
  }
  std::time_t seconds = static_cast<std::time_t>(whole_seconds);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char out[64];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, milliseconds);
  return out;
}

std::string NowTimestamp() { return FormatTimestamp(NowMillis()); }

bool ParseTimestamp(std::string_view text, int64_t* millis) {
  if (text.size() < 20 || text.back() != 'Z') return false;
  std::tm tm{};
  int year, month, day, hour, minute, second;
  std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &year, &month, &day, &hour, &minute,
                  &second) != 6)
    return false;
  if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return false;
  int frac_ms = 0;
  size_t pos = 19;
  if (s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 3) frac_ms = frac_ms * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return false;
    for (int d = digits; d < 3; ++d) frac_ms *= 10;
  }
  if (pos != s.size() - 1) return false;
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  *millis = static_cast<int64_t>(timegm(&tm)) * 1000 + frac_ms;
  return true;
}

}  // namespace entente
