// Wall-clock timestamps as RFC 3339 UTC strings with millisecond precision, the form STIX uses
// ("2026-11-29T19:19:28.123Z"). Strings of this form sort in time order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace entente {

std::string NowTimestamp();
// Milliseconds since the Unix epoch.
int64_t NowMillis();
std::string FormatTimestamp(int64_t millis_since_epoch);
// Parses "YYYY-MM-DDTHH:MM:SS[.fff...]Z"; returns false when malformed.
bool ParseTimestamp(std::string_view text, int64_t* millis_since_epoch);

}  // namespace entente
