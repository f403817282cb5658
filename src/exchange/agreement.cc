#include "exchange/agreement.h"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/ids.h"
#include "common/text.h"

namespace entente::exchange {
namespace {

constexpr char kRedacted[] = "[redacted]";

Status Bad(std::string_view origin, const toml::node* node, const std::string& key,
           const std::string& why) {
  std::string where(origin);
  if (node && node->source().begin.line)
    where += " line " + std::to_string(node->source().begin.line);
  return InvalidArgument(where + ", key " + key + ": " + why);
}

Status CheckKeys(std::string_view origin, const toml::table& table, const std::string& section,
                 const std::vector<std::string>& allowed) {
  for (const auto& [key, node] : table) {
    std::string k(key.str());
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
      return Bad(origin, &node, section + "." + k, "unknown key");
  }
  return Status::Ok();
}

Status GetString(std::string_view origin, const toml::table& t, const std::string& section,
                 const std::string& key, std::string* out, bool required = false) {
  const toml::node* node = t.get(key);
  if (!node) {
    if (required)
      return InvalidArgument(std::string(origin) + ", key " + section + "." + key + ": required");
    return Status::Ok();
  }
  auto value = node->value<std::string>();
  if (!value) return Bad(origin, node, section + "." + key, "expected a string");
  *out = *value;
  return Status::Ok();
}

Status GetStrings(std::string_view origin, const toml::table& t, const std::string& section,
                  const std::string& key, std::vector<std::string>* out, bool* present = nullptr) {
  const toml::node* node = t.get(key);
  if (present) *present = node != nullptr;
  if (!node) return Status::Ok();
  const toml::array* array = node->as_array();
  if (!array) return Bad(origin, node, section + "." + key, "expected a list of strings");
  for (const toml::node& item : *array) {
    auto value = item.value<std::string>();
    if (!value) return Bad(origin, &item, section + "." + key, "expected a list of strings");
    out->push_back(*value);
  }
  return Status::Ok();
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Drops or masks one field of an entity / relationship.
void ApplyField(const std::string& field, bool redact, Record* record) {
  if (Relationship* r = std::get_if<Relationship>(record)) {
    if (field == "description") r->description = redact && !r->description.empty() ? kRedacted : "";
    if (field == "provenance.source") r->meta.provenance.source = redact ? kRedacted : "";
    if (field == "provenance.source_record_id")
      r->meta.provenance.source_record_id = redact ? kRedacted : "";
    return;
  }
  Entity& e = std::get<Entity>(*record);
  auto mask_list = [&](std::vector<std::string>* list) {
    if (!redact) {
      list->clear();
      return;
    }
    for (std::string& item : *list) item = kRedacted;
  };
  if (field == "names.alias") {
    std::vector<Name> kept;
    for (Name& n : e.names) {
      if (n.kind == NameKind::kPrimary) {
        kept.push_back(n);
      } else if (redact) {
        n.full = kRedacted;
        kept.push_back(n);
      }
    }
    e.names = kept;
  } else if (field == "names") {
    // A person needs a name to be a valid record: the display name becomes the mask.
    e.names = {{kRedacted, NameKind::kPrimary, ""}};
  } else if (field == "birth_dates") {
    if (!redact) {
      e.birth_dates.clear();
    } else {
      for (PartialDate& d : e.birth_dates) d.month = d.day = 0;  // year only
    }
  } else if (field == "birth_places") {
    mask_list(&e.birth_places);
  } else if (field == "nationalities") {
    e.nationalities.clear();  // country codes cannot carry a mask
  } else if (field == "gender") {
    e.gender = Gender::kUnknown;
  } else if (field == "documents") {
    if (!redact) {
      e.documents.clear();
    } else {
      for (IdentityDocumentInfo& d : e.documents) d.number = kRedacted;
    }
  } else if (field == "documents.number") {
    for (IdentityDocumentInfo& d : e.documents) d.number = kRedacted;
  } else if (field == "addresses") {
    mask_list(&e.addresses);
  } else if (field == "attributes") {
    if (!redact) {
      e.attributes.clear();
    } else {
      for (auto& [key, value] : e.attributes) value = kRedacted;
    }
  } else if (field.rfind("attributes.", 0) == 0) {
    std::string key = field.substr(11);
    auto it = e.attributes.find(key);
    if (it != e.attributes.end()) {
      if (redact) {
        it->second = kRedacted;
      } else {
        e.attributes.erase(it);
      }
    }
  } else if (field == "provenance.source") {
    e.meta.provenance.source = redact ? kRedacted : "";
  } else if (field == "provenance.source_record_id") {
    e.meta.provenance.source_record_id = redact ? kRedacted : "";
  } else if (field == "description") {
    auto it = e.attributes.find("description");
    if (it != e.attributes.end()) {
      if (redact) {
        it->second = kRedacted;
      } else {
        e.attributes.erase(it);
      }
    }
  }
}

std::string TypeOf(const Record& record) {
  if (const Entity* e = std::get_if<Entity>(&record)) return std::string(EntityTypeName(e->type));
  return "relationship";
}

std::string MarkingText(const Marking& m) {
  std::string text = "TLP:" + std::string(TlpName(m.tlp));
  if (!m.releasable_to.empty()) text += ", releasable to " + Join(m.releasable_to, ", ");
  return text;
}

}  // namespace

const std::vector<std::string>& ShareableFields() {
  static const std::vector<std::string> kFields = {
      "names",         "names.alias", "birth_dates",       "birth_places",
      "nationalities", "gender",      "documents",         "documents.number",
      "addresses",     "attributes",  "provenance.source", "provenance.source_record_id",
      "description"};
  return kFields;
}

Result<Agreement> ParseAgreement(std::string_view text, std::string_view origin) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    return InvalidArgument(std::string(origin) + " line " + std::to_string(e.source().begin.line) +
                           ": " + std::string(e.description()));
  }
  Agreement a;
  a.toml = std::string(text);
  a.hash = Blake2bHex(text);
  // [hitnohit] belongs to exchange/hitnohit/settings.h, which parses it from the same text.
  ENTENTE_RETURN_IF_ERROR(CheckKeys(origin, root, "", {"partner", "share", "receive", "hitnohit"}));
  const toml::table* partner = root["partner"].as_table();
  if (!partner) return InvalidArgument(std::string(origin) + ": section [partner] is required");
  ENTENTE_RETURN_IF_ERROR(
      CheckKeys(origin, *partner, "partner",
                {"name", "service", "principals", "url", "public_key", "user", "token_env",
                 "token_file", "ca_cert", "client_cert", "client_key", "collection"}));
  PartnerInfo& p = a.partner;
  ENTENTE_RETURN_IF_ERROR(GetString(origin, *partner, "partner", "name", &p.name, true));
  ENTENTE_RETURN_IF_ERROR(GetString(origin, *partner, "partner", "service", &p.service, true));
  ENTENTE_RETURN_IF_ERROR(GetStrings(origin, *partner, "partner", "principals", &p.principals));
  for (const char* key : {"url", "public_key", "user", "token_env", "token_file", "ca_cert",
                          "client_cert", "client_key", "collection"}) {
    std::string* out = key == std::string("url")           ? &p.url
                       : key == std::string("public_key")  ? &p.public_key
                       : key == std::string("user")        ? &p.user
                       : key == std::string("token_env")   ? &p.token_env
                       : key == std::string("token_file")  ? &p.token_file
                       : key == std::string("ca_cert")     ? &p.ca_cert
                       : key == std::string("client_cert") ? &p.client_cert
                       : key == std::string("collection")  ? &p.collection
                                                           : &p.client_key;
    ENTENTE_RETURN_IF_ERROR(GetString(origin, *partner, "partner", key, out));
  }
  if (p.name.empty() || p.service.empty())
    return InvalidArgument(std::string(origin) +
                           ": partner.name and partner.service must not be empty");

  const toml::table* share = root["share"].as_table();
  if (!share) return InvalidArgument(std::string(origin) + ": section [share] is required");
  ENTENTE_RETURN_IF_ERROR(CheckKeys(origin, *share, "share",
                                    {"categories", "types", "max_tlp", "min_reliability",
                                     "min_credibility", "require_releasable", "drop", "redact"}));
  SharePolicy& s = a.share;
  std::vector<std::string> categories;
  bool has_categories = false;
  ENTENTE_RETURN_IF_ERROR(
      GetStrings(origin, *share, "share", "categories", &categories, &has_categories));
  if (!has_categories)
    return InvalidArgument(std::string(origin) +
                           ", key share.categories: required (use [\"*\"] for all)");
  for (const std::string& c : categories) {
    if (c == "*") {
      s.all_categories = true;
      continue;
    }
    auto parsed = ParseThreatCategory(c);
    if (!parsed)
      return Bad(origin, share->get("categories"), "share.categories",
                 "unknown threat category \"" + c + "\"");
    s.categories.insert(*parsed);
  }
  std::vector<std::string> types;
  ENTENTE_RETURN_IF_ERROR(GetStrings(origin, *share, "share", "types", &types));
  for (const std::string& t : types) {
    if (t != "relationship" && !ParseEntityType(t))
      return Bad(origin, share->get("types"), "share.types", "unknown record type \"" + t + "\"");
    s.types.insert(t);
  }
  std::string tlp;
  ENTENTE_RETURN_IF_ERROR(GetString(origin, *share, "share", "max_tlp", &tlp));
  if (!tlp.empty()) {
    auto parsed = ParseTlp(tlp);
    if (!parsed)
      return Bad(origin, share->get("max_tlp"), "share.max_tlp", "unknown TLP \"" + tlp + "\"");
    s.max_tlp = *parsed;
  }
  std::string reliability;
  ENTENTE_RETURN_IF_ERROR(GetString(origin, *share, "share", "min_reliability", &reliability));
  if (!reliability.empty()) {
    if (reliability.size() != 1 || !IsValidReliability(reliability[0]))
      return Bad(origin, share->get("min_reliability"), "share.min_reliability",
                 "\"" + reliability + "\" is not an Admiralty grade A-F");
    s.min_reliability = reliability[0];
  }
  if (const toml::node* n = share->get("min_credibility")) {
    auto v = n->value<int64_t>();
    if (!v || !IsValidCredibility(static_cast<int>(*v)))
      return Bad(origin, n, "share.min_credibility", "expected an Admiralty grade 1-6");
    s.min_credibility = static_cast<int>(*v);
  }
  if (const toml::node* n = share->get("require_releasable")) {
    auto v = n->value<bool>();
    if (!v) return Bad(origin, n, "share.require_releasable", "expected true or false");
    s.require_releasable = *v;
  }
  ENTENTE_RETURN_IF_ERROR(GetStrings(origin, *share, "share", "drop", &s.drop));
  ENTENTE_RETURN_IF_ERROR(GetStrings(origin, *share, "share", "redact", &s.redact));
  for (const auto* list : {&s.drop, &s.redact})
    for (const std::string& f : *list)
      if (!Contains(ShareableFields(), f) && f.rfind("attributes.", 0) != 0)
        return Bad(origin, share->get(list == &s.drop ? "drop" : "redact"),
                   list == &s.drop ? "share.drop" : "share.redact",
                   "unknown field \"" + f + "\"; known: " + Join(ShareableFields(), ", ") +
                       ", attributes.<key>");

  if (const toml::node* node = root.get("receive")) {
    const toml::table* receive = node->as_table();
    if (!receive) return Bad(origin, node, "receive", "expected a section");
    ENTENTE_RETURN_IF_ERROR(
        CheckKeys(origin, *receive, "receive", {"may_write", "accept_unsigned"}));
    for (const char* key : {"may_write", "accept_unsigned"}) {
      const toml::node* n = receive->get(key);
      if (!n) continue;
      auto v = n->value<bool>();
      if (!v) return Bad(origin, n, std::string("receive.") + key, "expected true or false");
      (key == std::string("may_write") ? a.may_write : a.accept_unsigned) = *v;
    }
  }
  return a;
}

Result<Agreement> LoadAgreementFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path + ": cannot open agreement file");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseAgreement(text.str(), path);
}

bool ActsFor(const Agreement& a, const std::string& user, const std::string& partner,
             const std::string& service) {
  if (!partner.empty() && (partner == a.partner.name || Contains(a.partner.principals, partner)))
    return true;
  if (!user.empty() && Contains(a.partner.principals, user)) return true;
  return false;
}

ShareDecision Evaluate(const Agreement& a, const std::string& own_service, const Record& record,
                       const EndpointCheck& endpoint_shared) {
  ShareDecision d;
  const RecordMeta& m = MetaOf(record);
  const SharePolicy& s = a.share;
  const std::string& partner = a.partner.service;
  std::string type = TypeOf(record);
  if (!s.types.empty() && !s.types.count(type))
    d.reasons.push_back("type " + type + " is not among the shared types");
  if (!s.all_categories && !s.categories.count(m.category))
    d.reasons.push_back("threat category " + std::string(ThreatCategoryName(m.category)) +
                        " is not covered by the agreement");
  if (m.marking.tlp > s.max_tlp)
    d.reasons.push_back("TLP:" + std::string(TlpName(m.marking.tlp)) +
                        " is above the agreement's maximum TLP:" + std::string(TlpName(s.max_tlp)));
  if (m.grades.reliability > s.min_reliability)
    d.reasons.push_back(std::string("source reliability ") + m.grades.reliability +
                        " is below the minimum " + s.min_reliability);
  if (m.grades.credibility > s.min_credibility)
    d.reasons.push_back("information credibility " + std::to_string(m.grades.credibility) +
                        " is below the minimum " + std::to_string(s.min_credibility));
  bool listed = Contains(m.marking.releasable_to, partner);
  if (!m.marking.releasable_to.empty() && !listed)
    d.reasons.push_back("releasable only to " + Join(m.marking.releasable_to, ", ") + ", not " +
                        partner);
  if (s.require_releasable && !listed)
    d.reasons.push_back("the agreement requires records releasable to " + partner +
                        " and this one does not name it");
  const std::string& owner = m.provenance.service;
  if (!owner.empty() && owner != own_service) {
    if (owner == partner) {
      d.reasons.push_back("the record came from " + partner + " itself");
    } else {
      bool allowed = m.marking.tlp == Tlp::kClear || listed ||
                     (m.marking.tlp == Tlp::kGreen && m.marking.releasable_to.empty());
      if (!allowed)
        d.reasons.push_back("received from " + owner + "; its markings (" + MarkingText(m.marking) +
                            ") do not allow re-sharing to " + partner);
    }
  }
  if (const Relationship* r = std::get_if<Relationship>(&record); r && endpoint_shared) {
    for (const std::string* end : {&r->source_id, &r->target_id}) {
      auto shared = endpoint_shared(*end);
      if (!shared.ok()) {
        d.reasons.push_back("end " + *end + " is not in the store");
      } else if (!*shared) {
        d.reasons.push_back("end " + *end + " is not shared with " + a.partner.name);
      }
    }
  }
  if (!d.reasons.empty()) return d;
  d.shared = true;
  Record out = record;
  for (const std::string& f : s.drop) {
    ApplyField(f, false, &out);
    d.applied.push_back("dropped " + f);
  }
  for (const std::string& f : s.redact) {
    if (Contains(s.drop, f)) continue;
    ApplyField(f, true, &out);
    d.applied.push_back("redacted " + f);
  }
  d.outgoing = std::move(out);
  return d;
}

}  // namespace entente::exchange
