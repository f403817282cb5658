#include "exchange/hitnohit/settings.h"

#include <toml++/toml.h>

#include <cstdlib>
#include <fstream>

#include "common/text.h"
#include "match/matcher.h"

namespace entente::exchange::hitnohit {
namespace {

Status Bad(std::string_view origin, const toml::node* node, std::string_view key,
           std::string_view why) {
  std::string where(origin);
  if (node && node->source().begin.line)
    where += " line " + std::to_string(node->source().begin.line);
  return InvalidArgument(where + ", key hitnohit." + std::string(key) + ": " + std::string(why));
}

Result<std::vector<std::string>> Strings(std::string_view origin, const toml::node& node,
                                         std::string_view key) {
  const toml::array* array = node.as_array();
  if (!array) return Bad(origin, &node, key, "expected a list of strings");
  std::vector<std::string> out;
  for (const toml::node& item : *array) {
    auto value = item.value<std::string>();
    if (!value) return Bad(origin, &item, key, "expected a list of strings");
    out.push_back(*value);
  }
  return out;
}

Result<int64_t> PositiveInt(std::string_view origin, const toml::node& node, std::string_view key,
                            int64_t max) {
  auto value = node.value<int64_t>();
  if (!value || *value < 1 || *value > max)
    return Bad(origin, &node, key, "expected an integer from 1 to " + std::to_string(max));
  return *value;
}

Result<double> Fraction(std::string_view origin, const toml::node& node, std::string_view key) {
  auto value = node.value<double>();
  if (!value || *value <= 0.0 || *value > 1.0)
    return Bad(origin, &node, key, "expected a number in (0, 1]");
  return *value;
}

Result<Tlp> TlpValue(std::string_view origin, const toml::node& node, std::string_view key) {
  auto value = node.value<std::string>();
  if (!value) return Bad(origin, &node, key, "expected a TLP name");
  auto tlp = ParseTlp(*value);
  if (!tlp) return Bad(origin, &node, key, "unknown TLP \"" + *value + "\"");
  return *tlp;
}

}  // namespace

std::string_view PrivacyModeName(PrivacyMode mode) {
  switch (mode) {
    case PrivacyMode::kOff:
      return "off";
    case PrivacyMode::kAllowed:
      return "allowed";
    case PrivacyMode::kRequired:
      return "required";
  }
  return "off";
}

Result<HitNoHitSettings> ParseSettings(const Agreement& agreement, std::string_view toml_text,
                                       std::string_view origin) {
  HitNoHitSettings s;
  s.categories = agreement.share.categories;
  s.all_categories = agreement.share.all_categories;
  s.max_tlp = agreement.share.max_tlp;
  s.release_max_tlp = agreement.share.max_tlp;
  s.threshold = MatchIndex::DefaultThreshold();
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    return InvalidArgument(std::string(origin) + " line " + std::to_string(e.source().begin.line) +
                           ": " + std::string(e.description()));
  }
  const toml::node* node = root.get("hitnohit");
  if (!node) {
    s.privacy = PrivacyMode::kOff;  // no secret configured
    return s;
  }
  const toml::table* table = node->as_table();
  if (!table) return Bad(origin, node, "", "[hitnohit] must be a table");
  bool privacy_given = false;
  for (const auto& [key_node, value] : *table) {
    std::string key(key_node.str());
    if (key == "enabled") {
      auto b = value.value<bool>();
      if (!b) return Bad(origin, &value, key, "expected true or false");
      s.enabled = *b;
    } else if (key == "categories") {
      ENTENTE_ASSIGN_OR_RETURN(std::vector<std::string> list, Strings(origin, value, key));
      s.categories.clear();
      s.all_categories = false;
      for (const std::string& c : list) {
        if (c == "*") {
          s.all_categories = true;
          continue;
        }
        auto category = ParseThreatCategory(c);
        if (!category) return Bad(origin, &value, key, "unknown threat category \"" + c + "\"");
        s.categories.insert(*category);
      }
      if (!s.all_categories && s.categories.empty())
        return Bad(origin, &value, key, "empty: nothing would be searchable");
    } else if (key == "types") {
      ENTENTE_ASSIGN_OR_RETURN(std::vector<std::string> list, Strings(origin, value, key));
      s.types.clear();
      for (const std::string& t : list) {
        if (t != "person" && t != "organization")
          return Bad(origin, &value, key, "\"" + t + "\": only person and organization");
        s.types.insert(t);
      }
      if (s.types.empty()) return Bad(origin, &value, key, "empty: nothing would be searchable");
    } else if (key == "max_tlp") {
      ENTENTE_ASSIGN_OR_RETURN(s.max_tlp, TlpValue(origin, value, key));
    } else if (key == "release_max_tlp") {
      ENTENTE_ASSIGN_OR_RETURN(s.release_max_tlp, TlpValue(origin, value, key));
    } else if (key == "quota_per_day") {
      ENTENTE_ASSIGN_OR_RETURN(s.quota_per_day, PositiveInt(origin, value, key, 100000000));
    } else if (key == "rate_per_minute") {
      ENTENTE_ASSIGN_OR_RETURN(s.rate_per_minute, PositiveInt(origin, value, key, 1000000));
    } else if (key == "max_batch") {
      ENTENTE_ASSIGN_OR_RETURN(int64_t batch, PositiveInt(origin, value, key, 1000));
      s.max_batch = static_cast<int>(batch);
    } else if (key == "reference_ttl_hours") {
      ENTENTE_ASSIGN_OR_RETURN(int64_t hours, PositiveInt(origin, value, key, 24 * 366));
      s.reference_ttl_seconds = hours * 3600;
    } else if (key == "threshold") {
      ENTENTE_ASSIGN_OR_RETURN(s.threshold, Fraction(origin, value, key));
    } else if (key == "privacy_threshold") {
      ENTENTE_ASSIGN_OR_RETURN(s.privacy_threshold, Fraction(origin, value, key));
    } else if (key == "privacy") {
      auto text = value.value<std::string>();
      if (!text || (*text != "off" && *text != "allowed" && *text != "required"))
        return Bad(origin, &value, key, "expected \"off\", \"allowed\" or \"required\"");
      s.privacy = *text == "off"        ? PrivacyMode::kOff
                  : *text == "required" ? PrivacyMode::kRequired
                                        : PrivacyMode::kAllowed;
      privacy_given = true;
    } else if (key == "secret_env" || key == "secret_file") {
      auto text = value.value<std::string>();
      if (!text || text->empty()) return Bad(origin, &value, key, "expected a non-empty string");
      (key == "secret_env" ? s.secret_env : s.secret_file) = *text;
    } else {
      return Bad(origin, &value, key, "unknown key");
    }
  }
  if (s.privacy == PrivacyMode::kRequired && s.secret_env.empty() && s.secret_file.empty())
    return InvalidArgument(std::string(origin) +
                           ", key hitnohit.privacy: \"required\" needs secret_env or secret_file");
  if (!privacy_given && s.secret_env.empty() && s.secret_file.empty())
    s.privacy = PrivacyMode::kOff;
  return s;
}

Result<HitNoHitSettings> SettingsFromAgreement(const Agreement& agreement) {
  return ParseSettings(agreement, agreement.toml, "agreement " + agreement.partner.name);
}

Result<std::string> LoadSecret(const HitNoHitSettings& settings) {
  if (!settings.secret_env.empty()) {
    const char* value = std::getenv(settings.secret_env.c_str());
    if (value != nullptr && *value != '\0') return std::string(value);
    if (settings.secret_file.empty())
      return NotFound("hit/no-hit secret: environment variable " + settings.secret_env +
                      " is not set");
  }
  if (settings.secret_file.empty())
    return NotFound("hit/no-hit secret: neither secret_env nor secret_file is set in [hitnohit]");
  std::ifstream in(settings.secret_file);
  if (!in) return IOError("hit/no-hit secret: cannot read " + settings.secret_file);
  std::string line;
  std::getline(in, line);
  std::string secret(Trim(line));
  if (secret.empty()) return NotFound("hit/no-hit secret: " + settings.secret_file + " is empty");
  return secret;
}

}  // namespace entente::exchange::hitnohit
