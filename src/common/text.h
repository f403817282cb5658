// Small text helpers shared by the readers: UTF-8 validation, trimming, splitting.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace entente {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
// On failure sets *bad_offset to the byte offset of the first bad sequence.
bool IsValidUtf8(std::string_view text, size_t* bad_offset = nullptr);
std::string_view Trim(std::string_view text);
// Splits on `separator`, trims each part and drops empty parts.
std::vector<std::string> SplitNonEmpty(std::string_view text, char separator);
std::string ToLowerAscii(std::string_view text);
std::string ToUpperAscii(std::string_view text);
std::string Join(const std::vector<std::string>& parts, std::string_view separator);
// Appends the JSON (RFC 8259) escape of a quote, a backslash or a control character `c`
// (\" \\ \b \f \n \r \t, else \u00XX); REQUIRES: c is one of those (c < 0x20, '"', '\\').
void AppendJsonEscape(unsigned char c, std::string* out);

}  // namespace entente
