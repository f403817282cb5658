#include "exchange/canonical_json.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "common/text.h"

namespace entente::exchange {
namespace {

using nlohmann::json;

// UTF-8 to UTF-16 code units, for RFC 8785 §3.2.3 member ordering. REQUIRES: valid UTF-8.
std::u16string ToUtf16(const std::string& s) {
  std::u16string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    int len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c >> 5) == 0x6) {
      cp = c & 0x1f;
      len = 2;
    } else if ((c >> 4) == 0xe) {
      cp = c & 0x0f;
      len = 3;
    } else {
      cp = c & 0x07;
      len = 4;
    }
    for (int k = 1; k < len && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xd800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xdc00 + (cp & 0x3ff)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

Status AppendString(const std::string& s, std::string* out) {
  if (!IsValidUtf8(s)) return InvalidArgument("canonical JSON: string is not valid UTF-8");
  out->push_back('"');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == '"' || c == '\\') {
      AppendJsonEscape(c, out);
    } else {
      out->push_back(ch);
    }
  }
  out->push_back('"');
  return Status::Ok();
}

Status Append(const json& v, std::string* out) {
  switch (v.type()) {
    case json::value_t::null:
      out->append("null");
      return Status::Ok();
    case json::value_t::boolean:
      out->append(v.get<bool>() ? "true" : "false");
      return Status::Ok();
    case json::value_t::number_integer:
      out->append(EcmaNumberToString(static_cast<double>(v.get<int64_t>())));
      return Status::Ok();
    case json::value_t::number_unsigned:
      out->append(EcmaNumberToString(static_cast<double>(v.get<uint64_t>())));
      return Status::Ok();
    case json::value_t::number_float: {
      double d = v.get<double>();
      if (!std::isfinite(d)) return InvalidArgument("canonical JSON: NaN or infinity");
      out->append(EcmaNumberToString(d));
      return Status::Ok();
    }
    case json::value_t::string:
      return AppendString(v.get_ref<const std::string&>(), out);
    case json::value_t::array: {
      out->push_back('[');
      bool first = true;
      for (const json& item : v) {
        if (!first) out->push_back(',');
        first = false;
        ENTENTE_RETURN_IF_ERROR(Append(item, out));
      }
      out->push_back(']');
      return Status::Ok();
    }
    case json::value_t::object: {
      std::vector<std::pair<std::u16string, const std::string*>> keys;
      keys.reserve(v.size());
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!IsValidUtf8(it.key()))
          return InvalidArgument("canonical JSON: key is not valid UTF-8");
        keys.emplace_back(ToUtf16(it.key()), &it.key());
      }
      std::sort(keys.begin(), keys.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      out->push_back('{');
      bool first = true;
      for (const auto& [utf16, key] : keys) {
        if (!first) out->push_back(',');
        first = false;
        ENTENTE_RETURN_IF_ERROR(AppendString(*key, out));
        out->push_back(':');
        ENTENTE_RETURN_IF_ERROR(Append(v.at(*key), out));
      }
      out->push_back('}');
      return Status::Ok();
    }
    case json::value_t::binary:
    case json::value_t::discarded:
      return InvalidArgument("canonical JSON: value has no JSON form");
  }
  return Internal("canonical JSON: unknown value type");
}

}  // namespace

std::string EcmaNumberToString(double value) {
  if (value == 0) return "0";  // also -0
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value < 0 ? "-Infinity" : "Infinity";
  std::string sign = value < 0 ? "-" : "";
  double x = std::fabs(value);
  // The shortest %e form that reads back to the same double.
  char buf[40];
  for (int precision = 0; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  // buf: d[.ddd]e[+-]XX
  std::string text(buf);
  size_t e_pos = text.find('e');
  std::string mantissa = text.substr(0, e_pos);
  int exponent = std::atoi(text.c_str() + e_pos + 1);
  std::string digits;
  for (char c : mantissa)
    if (c != '.') digits.push_back(c);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int k = static_cast<int>(digits.size());
  int n = exponent + 1;  // position of the decimal point relative to the digits
  std::string out;
  if (k <= n && n <= 21) {
    out = digits + std::string(n - k, '0');
  } else if (0 < n && n <= 21) {
    out = digits.substr(0, n) + "." + digits.substr(n);
  } else if (-6 < n && n <= 0) {
    out = "0." + std::string(-n, '0') + digits;
  } else {
    int e = n - 1;
    std::string exp_text = (e < 0 ? "-" : "+") + std::to_string(std::abs(e));
    out = digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    out += "e" + exp_text;
  }
  return sign + out;
}

Result<std::string> CanonicalJson(const json& value) {
  std::string out;
  ENTENTE_RETURN_IF_ERROR(Append(value, &out));
  return out;
}

}  // namespace entente::exchange
