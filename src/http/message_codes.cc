#include "http/message_codes.h"

#include <regex>
#include <vector>

namespace entente::server {
namespace {

// code, English template. A {name} stands for any text (the shortest that lets the whole
// match). Each entry starts a line with {"code", "text... (tests/ui/locales.mjs reads them to
// check that web/src/i18n/{fr,en,ar}.json translate every code, with no placeholder the
// template does not give).
struct Template {
  const char* code;
  const char* text;
};
const Template kTemplates[] = {
    // sign-in, sessions, passwords
    {"session.csrf", "missing or wrong CSRF token"},
    {"session.signin_throttled", "too many failed sign-ins; retry later"},
    {"session.password_throttled", "too many wrong passwords; retry later"},
    {"session.wrong_credentials", "wrong user name or password"},
    {"session.wrong_password", "field old_password: wrong current password"},
    {"session.none", "not signed in (or the session ended)"},
    {"session.no_open", "no open session {id}"},
    {"password.short", "password: at least {n} characters"},
    {"password.long", "password: at most {n} bytes"},
    // fields of any form
    {"field.required", "field {field}: required"},
    {"field.integer", "field {field}: expected a non-negative integer"},
    {"field.between", "field {field}: must be between {min} and {max}"},
    {"field.control", "field {field}: contains a control character"},
    {"field.length", "field {field}: {min} to {max} characters required"},
    {"field.too_long", "field {field}: longer than {max} characters"},
    {"field.cursor", "field cursor: not a cursor this server issued"},
    {"field.json_object", "field body: not a JSON object"},
    {"field.not_stix_id", "field id: not a STIX id like person--<uuid>"},
    {"field.unknown_type", "field type: unknown entity type"},
    {"field.unknown_category", "field category: unknown threat category"},
    {"field.unknown_role", "field role: unknown role"},
    {"field.tlp_unknown", "field tlp: not a TLP level"},
    {"field.tlp_above", "field tlp: above your clearance"},
    {"field.reason_required", "field reason: required, why this decision"},
    {"field.threshold", "field threshold: must be a number in [0, 1]"},
    {"date.format", "field {field}: expected YYYY, YYYY-MM or YYYY-MM-DD (\"{text}\")"},
    {"date.month00", "field {field}: month 00 is not a month; write the year alone (\"{text}\")"},
    {"date.day00", "field {field}: day 00 is not a day; write YYYY-MM (\"{text}\")"},
    {"date.year_range", "field {field}: year {year} is out of range"},
    {"date.month_range", "field {field}: month {month} is out of range"},
    {"date.no_day", "field {field}: no day {day} in {month} {year}"},
    // records, partners, exchange filters
    {"record.none", "no record {id}"},
    {"user.none", "no user {name}"},
    {"partner.no_agreement", "field partner: no agreement with '{partner}'"},
    {"exchange.signature_filter",
     "field signature: expected verified, unsigned or failed, not '{value}'"},
    {"exchange.via_filter", "field via: expected pull, post or refused, not '{value}'"},
    {"exchange.type_filter",
     "field type: expected an entity type (person, organization, ...) or relationship, not "
     "'{value}'"},
    {"review.already_decided",
     "hit {hit} was already decided '{decision}' by {user} at {at}; use --force to overwrite "
     "another officer's decision"},
    {"hnh.no_agreement", "no sharing agreement covers {user}"},
    {"hnh.not_enabled", "hit/no-hit queries are not enabled for {partner}"},
    {"hnh.private_not_set_up", "privacy-preserving queries are not set up with {partner}"},
    {"hnh.private_required", "the agreement with {partner} requires privacy-preserving queries"},
    // why a row of a screening list was rejected or partly ignored (screen/list_file.h)
    {"screen.empty_id", "empty id"},
    {"screen.empty_name", "empty name"},
    {"screen.name_long", "name is {n} bytes, more than {max}"},
    {"screen.fields", "expected {want} fields, found {got}"},
    {"screen.utf8", "invalid UTF-8 in column {column} at byte {byte}"},
    {"screen.malformed", "malformed CSV: {why}"},
    {"screen.duplicate", "duplicate id '{id}' (first seen at line {line})"},
    {"screen.nationality_ignored",
     "nationality '{value}' ignored: not an ISO 3166 alpha-2 country code"},
    // why a record is held back from a partner (exchange/agreement.h, Evaluate)
    {"share.type", "type {type} is not among the shared types"},
    {"share.category", "threat category {category} is not covered by the agreement"},
    {"share.tlp", "TLP:{tlp} is above the agreement's maximum TLP:{max}"},
    {"share.reliability", "source reliability {grade} is below the minimum {min}"},
    {"share.credibility", "information credibility {grade} is below the minimum {min}"},
    {"share.releasable", "releasable only to {services}, not {partner}"},
    {"share.requires_releasable",
     "the agreement requires records releasable to {partner} and this one does not name it"},
    {"share.own", "the record came from {partner} itself"},
    {"share.reshare",
     "received from {owner}; its markings ({marking}) do not allow re-sharing to {partner}"},
    {"share.end_missing", "end {id} is not in the store"},
    {"share.end_not_shared", "end {id} is not shared with {partner}"},
    {"share.revoked", "the record is revoked (a partner that had it receives the revocation)"},
    {"share.dropped", "dropped {name}"},
    {"share.redacted", "redacted {name}"},
    // keys and certificates (Administration)
    {"cert.unreadable", "cannot open the file"},
    {"cert.not_pem", "not a PEM certificate"},
    {"key.malformed", "not a base64 Ed25519 public key"},
    // why an object from a partner was refused (exchange/receive.h)
    {"refused.not_stix", "not a STIX object"},
    {"refused.no_key", "the agreement with {partner} has no public_key to verify against"},
    {"refused.wrong_key", "signature: {id}: signed with key {key}, expected {expected}"},
    {"refused.bad_signature", "signature: {id}: signature does not verify"},
    {"refused.bad_encoding", "signature: {id}: signature: not a base64 Ed25519 signature"},
    {"refused.algorithm", "signature: {id}: unsupported signature algorithm or canonicalization"},
    {"refused.unsigned", "signature: {id}: not signed"},
    {"refused.overwrite", "would overwrite {id}, a record {service} owns"},
};

// "{name}" -> "(.+?)", everything else literal.
struct Compiled {
  const char* code;
  std::regex pattern;
  std::vector<std::string> names;
};

std::vector<Compiled> Compile() {
  static const std::regex kSpecial(R"([.^$|()\[\]{}*+?\\])");
  std::vector<Compiled> out;
  for (const Template& t : kTemplates) {
    std::string text = t.text, pattern = "^";
    std::vector<std::string> names;
    size_t at = 0;
    while (at < text.size()) {
      size_t open = text.find('{', at);
      size_t close = open == std::string::npos ? open : text.find('}', open);
      std::string literal = text.substr(at, close == std::string::npos ? close : open - at);
      pattern += std::regex_replace(literal, kSpecial, R"(\$&)");
      if (close == std::string::npos) break;
      names.push_back(text.substr(open + 1, close - open - 1));
      pattern += "(.+?)";
      at = close + 1;
    }
    out.push_back({t.code, std::regex(pattern + "$"), std::move(names)});
  }
  return out;
}

}  // namespace

std::optional<MessageCode> CodeOf(std::string_view text) {
  static const std::vector<Compiled> compiled = Compile();
  if (text.size() > 2000) return std::nullopt;
  const std::string subject(text);
  std::smatch match;
  for (const Compiled& c : compiled) {
    if (!std::regex_match(subject, match, c.pattern)) continue;
    MessageCode out{c.code, {}};
    for (size_t i = 0; i < c.names.size(); ++i) out.params[c.names[i]] = match[i + 1].str();
    return out;
  }
  return std::nullopt;
}

void AddCode(nlohmann::json& object, std::string_view prefix, std::string_view text) {
  auto code = CodeOf(text);
  if (!code) return;
  object[std::string(prefix) + "_code"] = code->code;
  object[std::string(prefix) + "_params"] = code->params;
}

nlohmann::json CodesOf(const nlohmann::json& texts) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& text : texts) {
    auto code = text.is_string() ? CodeOf(text.get<std::string>()) : std::nullopt;
    out.push_back(code ? nlohmann::json{{"code", code->code}, {"params", code->params}}
                       : nlohmann::json(nullptr));
  }
  return out;
}

}  // namespace entente::server
