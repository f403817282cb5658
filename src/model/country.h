// ISO 3166-1 alpha-2 country codes.
#pragma once

#include <string>
#include <string_view>

namespace entente {

// True for an assigned ISO 3166-1 alpha-2 code (upper case), plus "XK" (Kosovo, user-assigned
// but used by every watchlist).
bool IsValidCountryCode(std::string_view code);
// Upper-cases and checks; returns empty when not a valid code.
std::string NormalizeCountryCode(std::string_view code);

}  // namespace entente
