// Helpers shared by the built-in routes: JSON bodies, typed fields, cursors, OpenAPI
// operation text. Internal to src/server.
#pragma once

#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "http/route.h"

namespace entente::server {

// Parses the request body as a JSON object. InvalidArgument "malformed JSON: ..." or
// "body: expected a JSON object".
Result<nlohmann::json> ParseJsonObject(const std::string& body);
// A string field: InvalidArgument naming the field when absent (if required) or not a string.
Result<std::string> StringField(const nlohmann::json& object, const std::string& field,
                                bool required);
// An integer query parameter in [min, max], or `fallback` when absent.
Result<int64_t> IntQuery(const HttpRequest& request, const std::string& name, int64_t fallback,
                         int64_t min, int64_t max);

// Base64url without padding of any text, and back: nullopt when `cursor` is longer than
// `max_size` or not base64url. The bytes of other opaque cursors (api/exchange_receipts.h).
std::string EncodeOpaque(std::string_view text);
std::optional<std::string> DecodeOpaque(const std::string& cursor, size_t max_size);

// Opaque cursors: base64url of a decimal position. InvalidArgument "field cursor: ..." when bad.
std::string EncodeCursor(int64_t position);
Result<int64_t> DecodeCursor(const std::string& cursor);

// An application/x-www-form-urlencoded body ("a=1&b=x+y%21"): name -> value, '+' as a space.
// InvalidArgument "body: malformed percent escape ..." on a bad escape.
Result<std::multimap<std::string, std::string>> ParseFormBody(const std::string& body);

// JSON text dump that never throws on bad UTF-8.
std::string Dump(const nlohmann::json& json);

// An OpenAPI operation: summary, tag, the statuses it answers with, optional query parameters
// ("name:type:description"), optional request body schema (JSON text) and 2xx response schema.
struct OpenApiOp {
  std::string summary;
  std::string tag;
  std::vector<int> statuses;
  std::vector<std::string> query;
  std::string body_schema;
  std::string response_schema;
  std::string body_media_type = "application/json";
  std::string ToJson() const;
};

}  // namespace entente::server
