#include "exchange/hitnohit/protocol.h"

#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "common/text.h"

namespace entente::exchange::hitnohit {
namespace {

using nlohmann::json;

Status Field(const std::string& field, const std::string& why) {
  return InvalidArgument("field " + field + ": " + why);
}

Result<std::string> OptionalString(const json& q, const char* key, const std::string& where,
                                   size_t max_bytes) {
  auto it = q.find(key);
  if (it == q.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Field(where + "." + key, "expected a string");
  std::string value = it->get<std::string>();
  if (value.size() > max_bytes)
    return Field(where + "." + key, "longer than " + std::to_string(max_bytes) + " bytes");
  if (!IsValidUtf8(value)) return Field(where + "." + key, "not valid UTF-8");
  return value;
}

Result<uint64_t> OptionalCode(const json& q, const char* key, const std::string& where) {
  ENTENTE_ASSIGN_OR_RETURN(std::string text, OptionalString(q, key, where, 16));
  if (text.empty()) return uint64_t{0};
  return CodeFromHex(text, where + "." + key);
}

}  // namespace

PreparedRequest BuildPlainRequest(const std::vector<AskQuery>& queries) {
  PreparedRequest prepared;
  json list = json::array();
  for (size_t query_idx = 0; query_idx < queries.size(); ++query_idx) {
    const AskQuery& q = queries[query_idx];
    if (Trim(q.name).empty()) {
      prepared.unsent.emplace_back(query_idx, "name: empty");
      continue;
    }
    prepared.sent.push_back(query_idx);
    json item = {{"id", std::to_string(prepared.sent.size())}, {"name", q.name}};
    if (q.birth_date) item["birth_date"] = q.birth_date->ToString();
    if (!q.nationality.empty()) item["nationality"] = q.nationality;
    if (!q.id_number.empty()) item["id_number"] = q.id_number;
    list.push_back(std::move(item));
  }
  prepared.body = json({{"mode", "plain"}, {"queries", std::move(list)}}).dump();
  return prepared;
}

PreparedRequest BuildPrivateRequest(const PrivacyKeys& keys, const std::vector<AskQuery>& queries) {
  PreparedRequest prepared;
  json list = json::array();
  for (size_t query_idx = 0; query_idx < queries.size(); ++query_idx) {
    const AskQuery& q = queries[query_idx];
    auto parts = EncodableNameParts(q.name);
    if (!parts.ok()) {
      prepared.unsent.emplace_back(query_idx, parts.status().message());
      continue;
    }
    prepared.sent.push_back(query_idx);
    NameEncoding name = EncodeNameParts(keys, *parts);
    AttributeEncoding attributes = EncodeAttributes(keys, q.birth_date, q.nationality, q.id_number);
    json item = {{"id", std::to_string(prepared.sent.size())},
                 {"bloom", BloomToBase64(name.bits)},
                 {"blocks", name.blocks}};
    auto put = [&](const char* key, uint64_t code) {
      if (code != 0) item[key] = CodeToHex(code);
    };
    put("birth_year", attributes.birth_year);
    put("birth_date", attributes.birth_date);
    put("birth_date_swapped", attributes.birth_date_swapped);
    put("nationality", attributes.nationality);
    put("id_number", attributes.id_number);
    list.push_back(std::move(item));
  }
  prepared.body =
      json({{"mode", "private"}, {"key_id", keys.key_id()}, {"queries", std::move(list)}}).dump();
  return prepared;
}

Result<ParsedRequest> ParseRequest(std::string_view body, size_t max_batch) {
  if (body.size() > kMaxRequestBytes)
    return InvalidArgument("request body larger than " + std::to_string(kMaxRequestBytes) +
                           " bytes");
  json root = json::parse(body, nullptr, false);
  if (root.is_discarded() || !root.is_object()) return InvalidArgument("body: not a JSON object");
  for (const auto& [key, value] : root.items())
    if (key != "mode" && key != "key_id" && key != "queries") return Field(key, "unknown member");
  ParsedRequest parsed;
  auto mode = root.find("mode");
  if (mode == root.end() || !mode->is_string() || (*mode != "plain" && *mode != "private"))
    return Field("mode", "expected \"plain\" or \"private\"");
  parsed.private_mode = *mode == "private";
  auto queries = root.find("queries");
  if (queries == root.end() || !queries->is_array() || queries->empty())
    return Field("queries", "expected a non-empty list");
  if (queries->size() > max_batch)
    return Field("queries", std::to_string(queries->size()) + " queries; at most " +
                                std::to_string(max_batch) + " per request");
  if (parsed.private_mode) {
    auto key_id = root.find("key_id");
    if (key_id == root.end() || !key_id->is_string())
      return Field("key_id", "required in private mode");
    parsed.key_id = key_id->get<std::string>();
  }
  std::set<std::string> ids;
  for (size_t query_idx = 0; query_idx < queries->size(); ++query_idx) {
    const json& q = (*queries)[query_idx];
    const std::string where = "queries[" + std::to_string(query_idx) + "]";
    if (!q.is_object()) return Field(where, "expected an object");
    ENTENTE_ASSIGN_OR_RETURN(std::string id, OptionalString(q, "id", where, 64));
    if (id.empty()) return Field(where + ".id", "required");
    if (!ids.insert(id).second) return Field(where + ".id", "duplicate id \"" + id + "\"");
    if (!parsed.private_mode) {
      for (const auto& [key, value] : q.items())
        if (key != "id" && key != "name" && key != "birth_date" && key != "nationality" &&
            key != "id_number")
          return Field(where + "." + key, "unknown member");
      MatchQuery mq;
      ENTENTE_ASSIGN_OR_RETURN(mq.name, OptionalString(q, "name", where, 1024));
      if (mq.name.empty()) return Field(where + ".name", "required");
      ENTENTE_ASSIGN_OR_RETURN(std::string dob, OptionalString(q, "birth_date", where, 10));
      if (!dob.empty()) {
        std::string why;
        mq.birth_date = PartialDate::Parse(dob, &why);
        if (!mq.birth_date) return Field(where + ".birth_date", why);
      }
      ENTENTE_ASSIGN_OR_RETURN(std::string nationality, OptionalString(q, "nationality", where, 2));
      if (!nationality.empty()) {
        nationality = ToUpperAscii(nationality);
        if (nationality.size() != 2 || !std::isalpha(static_cast<unsigned char>(nationality[0])) ||
            !std::isalpha(static_cast<unsigned char>(nationality[1])))
          return Field(where + ".nationality", "expected an ISO 3166 alpha-2 code");
        mq.nationality = nationality;
      }
      ENTENTE_ASSIGN_OR_RETURN(mq.id_number, OptionalString(q, "id_number", where, 64));
      parsed.plain.emplace_back(id, std::move(mq));
    } else {
      for (const auto& [key, value] : q.items())
        if (key != "id" && key != "bloom" && key != "blocks" && key != "birth_year" &&
            key != "birth_date" && key != "birth_date_swapped" && key != "nationality" &&
            key != "id_number")
          return Field(where + "." + key, "unknown member");
      PrivateQuery pq;
      pq.id = id;
      ENTENTE_ASSIGN_OR_RETURN(std::string bloom, OptionalString(q, "bloom", where, 256));
      if (bloom.empty()) return Field(where + ".bloom", "required");
      ENTENTE_ASSIGN_OR_RETURN(pq.name.bits, BloomFromBase64(bloom, where + ".bloom"));
      pq.name.popcount = Popcount(pq.name.bits);
      auto blocks = q.find("blocks");
      if (blocks == q.end() || !blocks->is_array() || blocks->size() > 32)
        return Field(where + ".blocks", "expected a list of at most 32 integers");
      for (const json& block : *blocks) {
        if (!block.is_number_unsigned() || block.get<uint64_t>() > 0xffffffffull)
          return Field(where + ".blocks", "expected 32-bit unsigned integers");
        pq.name.blocks.push_back(static_cast<uint32_t>(block.get<uint64_t>()));
      }
      ENTENTE_ASSIGN_OR_RETURN(pq.attributes.birth_year, OptionalCode(q, "birth_year", where));
      ENTENTE_ASSIGN_OR_RETURN(pq.attributes.birth_date, OptionalCode(q, "birth_date", where));
      ENTENTE_ASSIGN_OR_RETURN(pq.attributes.birth_date_swapped,
                               OptionalCode(q, "birth_date_swapped", where));
      ENTENTE_ASSIGN_OR_RETURN(pq.attributes.nationality, OptionalCode(q, "nationality", where));
      ENTENTE_ASSIGN_OR_RETURN(pq.attributes.id_number, OptionalCode(q, "id_number", where));
      parsed.encoded.push_back(std::move(pq));
    }
  }
  return parsed;
}

std::string BandFor(double score, double threshold) {
  const double span = 1.0 - threshold;
  const double position = span <= 0.0 ? 1.0 : (score - threshold) / span;
  if (position >= 2.0 / 3.0) return "high";
  if (position >= 1.0 / 3.0) return "medium";
  return "low";
}

std::string BuildResponse(bool private_mode, const std::vector<WireAnswer>& answers) {
  json list = json::array();
  for (const WireAnswer& a : answers) {
    json item = {{"id", a.id}, {"result", a.result}};
    if (a.result == "hit") {
      item["reference"] = a.reference;
      item["band"] = a.band;
      item["expires"] = a.expires;
    }
    if (!a.error.empty()) item["error"] = a.error;
    list.push_back(std::move(item));
  }
  return json({{"mode", private_mode ? "private" : "plain"}, {"answers", std::move(list)}}).dump();
}

Result<std::vector<WireAnswer>> ParseResponse(std::string_view body) {
  json root = json::parse(body, nullptr, false);
  if (root.is_discarded() || !root.is_object() || !root.contains("answers") ||
      !root["answers"].is_array())
    return InvalidArgument("hit/no-hit response: not an object with an answers list");
  std::vector<WireAnswer> out;
  for (const json& item : root["answers"]) {
    if (!item.is_object())
      return InvalidArgument("hit/no-hit response: an answer is not an object");
    WireAnswer a;
    // json::value() throws on a member of another type: each member is checked instead.
    const std::pair<const char*, std::string*> members[] = {
        {"id", &a.id},     {"result", &a.result},   {"reference", &a.reference},
        {"band", &a.band}, {"expires", &a.expires}, {"error", &a.error}};
    for (const auto& [key, field] : members) {
      auto it = item.find(key);
      if (it == item.end() || it->is_null()) continue;
      if (!it->is_string())
        return InvalidArgument(std::string("hit/no-hit response: answer member ") + key +
                               " is not a string");
      *field = it->get<std::string>();
    }
    if (a.result != "hit" && a.result != "no-hit" && a.result != "invalid")
      return InvalidArgument("hit/no-hit response: unknown result \"" + a.result + "\"");
    out.push_back(std::move(a));
  }
  return out;
}

bool IsReference(std::string_view text) {
  return text.size() == 36 && text.substr(0, 4) == "hnh-" &&
         text.substr(4).find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

std::string BuildFollowupRequest(const FollowupRequestBody& body) {
  return json({{"reference", body.reference},
               {"reason", body.reason},
               {"requested_by", body.requested_by}})
      .dump();
}

Result<FollowupRequestBody> ParseFollowupRequest(std::string_view text) {
  json root = json::parse(text, nullptr, false);
  if (root.is_discarded() || !root.is_object()) return InvalidArgument("body: not a JSON object");
  FollowupRequestBody body;
  ENTENTE_ASSIGN_OR_RETURN(body.reference, OptionalString(root, "reference", "body", 64));
  if (!IsReference(body.reference))
    return Field("reference", "expected hnh- and 32 hex digits, as given in a hit");
  ENTENTE_ASSIGN_OR_RETURN(body.reason, OptionalString(root, "reason", "body", kMaxReasonBytes));
  if (Trim(body.reason).empty()) return Field("reason", "required: say why the details are needed");
  ENTENTE_ASSIGN_OR_RETURN(body.requested_by, OptionalString(root, "requested_by", "body", 200));
  return body;
}

}  // namespace entente::exchange::hitnohit
