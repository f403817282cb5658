// Stable codes for the texts the server sends in English: error messages, and the reasons the
// exchange gives (why a record is held back, why an object was refused). The web UI shows each
// coded text in the user's language from its own catalogue (web/src/i18n/*.json, key
// "server.<code>" with the same {placeholders}); scripts and partners read the same codes. The
// English text stays in the answer, unchanged, for logs, the CLI and any text without a code.
//
//   {"error": {"code": "invalid_argument", "message": "field partner: required",
//              "field": "partner", "message_code": "field.required",
//              "message_params": {"field": "partner"}}}
//
// A code is given when the whole text matches one of the templates of message_codes.cc; the
// placeholders' values are taken from the text. Why codes rather than translating on the
// server: the English texts stay one stable contract for every client, the language switch in
// the UI needs no new request, and every word a user reads is in one reviewed catalogue
// (tests/ui/locales.mjs checks that each code here has its three translations).
//
// Thread-safety: pure functions over a constant table.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace entente::server {

struct MessageCode {
  std::string code;                           // "field.required"
  std::map<std::string, std::string> params;  // {"field": "partner"}
};

// The code of `text` when a template matches it whole; nullopt otherwise.
std::optional<MessageCode> CodeOf(std::string_view text);

// Adds `<prefix>_code` and `<prefix>_params` to `object` when `text` has a code ("message" for
// errors: message_code, message_params; "reason" for a reason: reason_code, reason_params).
void AddCode(nlohmann::json& object, std::string_view prefix, std::string_view text);

// The same for a list of texts: `<name>_coded`, one {code, params} (or null) per text.
nlohmann::json CodesOf(const nlohmann::json& texts);

}  // namespace entente::server
