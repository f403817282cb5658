#include "api/route_util.h"

#include <sodium.h>

#include <string_view>

namespace entente::server {

Result<nlohmann::json> ParseJsonObject(const std::string& body) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& error) {
    return InvalidArgument("malformed JSON at byte " + std::to_string(error.byte));
  }
  if (!json.is_object()) return InvalidArgument("body: expected a JSON object");
  return json;
}

Result<std::string> StringField(const nlohmann::json& object, const std::string& field,
                                bool required) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) {
    if (required) return InvalidArgument("field " + field + ": required");
    return std::string();
  }
  if (!it->is_string()) return InvalidArgument("field " + field + ": expected a string");
  return it->get<std::string>();
}

Result<int64_t> IntQuery(const HttpRequest& request, const std::string& name, int64_t fallback,
                         int64_t min, int64_t max) {
  if (!request.HasQuery(name)) return fallback;
  std::string text = request.Query(name);
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgument("field " + name + ": expected a non-negative integer");
  }
  int64_t value = std::stoll(text);
  if (value < min || value > max) {
    return InvalidArgument("field " + name + ": must be between " + std::to_string(min) + " and " +
                           std::to_string(max));
  }
  return value;
}

std::string EncodeOpaque(std::string_view text) {
  std::string out(sodium_base64_encoded_len(text.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()),
                    text.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> DecodeOpaque(const std::string& cursor, size_t max_size) {
  std::string out(cursor.size(), '\0');
  size_t length = 0;
  if (cursor.size() > max_size ||
      sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), cursor.data(),
                        cursor.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

std::string EncodeCursor(int64_t position) { return EncodeOpaque("p" + std::to_string(position)); }

Result<int64_t> DecodeCursor(const std::string& cursor) {
  if (cursor.empty()) return int64_t{0};
  std::optional<std::string> decoded = DecodeOpaque(cursor, 40);
  if (!decoded) return InvalidArgument("field cursor: not a cursor this server issued");
  const std::string& out = *decoded;
  if (out.size() < 2 || out[0] != 'p' ||
      out.find_first_not_of("0123456789", 1) != std::string::npos || out.size() > 18) {
    return InvalidArgument("field cursor: not a cursor this server issued");
  }
  return std::stoll(out.substr(1));
}

std::string Dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {
const char* Describe(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No content";
    case 400:
      return "Bad input: malformed JSON, wrong type, missing or invalid field";
    case 401:
      return "Missing, invalid, expired or revoked credentials";
    case 403:
      return "The role may not do this, or the record is above the caller's clearance";
    case 404:
      return "Not found (or not visible to the caller)";
    case 405:
      return "Method not allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Request body too large";
    case 429:
      return "Rate limit exceeded; see Retry-After";
    case 503:
      return "Temporarily unavailable";
    default:
      return "Response";
  }
}
}  // namespace

namespace {

Result<std::string> FormDecode(std::string_view text) {
  std::string out;
  for (size_t at = 0; at < text.size(); ++at) {
    char c = text[at];
    if (c == '+') {
      out.push_back(' ');
    } else if (c != '%') {
      out.push_back(c);
    } else {
      auto hex = [](char h) {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
      };
      if (at + 2 >= text.size())
        return InvalidArgument("body: malformed percent escape at byte " + std::to_string(at));
      int high = hex(text[at + 1]);
      int low = hex(text[at + 2]);
      if (high < 0 || low < 0)
        return InvalidArgument("body: malformed percent escape at byte " + std::to_string(at));
      out.push_back(static_cast<char>(high * 16 + low));
      at += 2;
    }
  }
  return out;
}

}  // namespace

Result<std::multimap<std::string, std::string>> ParseFormBody(const std::string& body) {
  std::multimap<std::string, std::string> fields;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    std::string_view pair(body.data() + start, end - start);
    if (!pair.empty()) {
      size_t equals = pair.find('=');
      ENTENTE_ASSIGN_OR_RETURN(std::string name, FormDecode(pair.substr(0, equals)));
      ENTENTE_ASSIGN_OR_RETURN(
          std::string value,
          FormDecode(equals == std::string_view::npos ? "" : pair.substr(equals + 1)));
      fields.emplace(std::move(name), std::move(value));
    }
    start = end + 1;
  }
  return fields;
}

std::string OpenApiOp::ToJson() const {
  nlohmann::json op = {{"summary", summary}, {"tags", {tag}}};
  nlohmann::json parameters = nlohmann::json::array();
  for (const std::string& spec : query) {
    size_t first = spec.find(':');
    size_t second = spec.find(':', first + 1);
    parameters.push_back({{"name", spec.substr(0, first)},
                          {"in", "query"},
                          {"required", false},
                          {"schema", {{"type", spec.substr(first + 1, second - first - 1)}}},
                          {"description", spec.substr(second + 1)}});
  }
  if (!parameters.empty()) op["parameters"] = parameters;
  if (!body_schema.empty()) {
    op["requestBody"] = {
        {"required", true},
        {"content", {{body_media_type, {{"schema", nlohmann::json::parse(body_schema)}}}}}};
  }
  nlohmann::json responses = nlohmann::json::object();
  nlohmann::json error_content = {
      {"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}};
  for (int status : statuses) {
    nlohmann::json response = {{"description", Describe(status)}};
    if (status >= 400) {
      response["content"] = error_content;
    } else if (!response_schema.empty()) {
      response["content"] = {
          {"application/json", {{"schema", nlohmann::json::parse(response_schema)}}}};
    }
    responses[std::to_string(status)] = response;
  }
  op["responses"] = responses;
  return op.dump();
}

}  // namespace entente::server
