// Sharing agreements: what one partner may receive from this node, field by field, and how to
// reach that partner's node. One TOML file per partner (config/agreements/*.example.toml):
//
//   [partner]
//   name = "dgsi"                     # the name used in commands (`entente sync dgsi`)
//   service = "DGSI"                  # its service, as written in markings and provenance
//   principals = ["dgsi"]             # users / certificate partner names acting for it here
//   url = "https://fr.example:8443/taxii2/"   # its TAXII discovery URL (for sync)
//   public_key = "base64..."          # its Ed25519 key: what we pull must verify against it
//   user = "dgsn-dgst"                # our account on its node (HTTP Basic with token)
//   token_env = "ENTENTE_TOKEN_DGSI"  # environment variable holding that token, or
//   token_file = "dgsi.token"         # a file holding it
//   ca_cert = "ca.crt"                # CA that signed its server certificate
//   client_cert = "ma.crt"            # our client certificate and key for mutual TLS
//   client_key = "ma.key"
//
//   [share]                           # what the partner may receive from us
//   categories = ["terrorism", "organized-crime"]   # required; ["*"] for all
//   types = ["person", "organization", "relationship"]  # optional; default all
//   max_tlp = "AMBER"                 # default GREEN
//   min_reliability = "B"             # Admiralty: A best; default F (any)
//   min_credibility = 3               # 1 best; default 6 (any)
//   require_releasable = false        # true: only records whose releasable_to names it
//   drop = ["addresses", "documents"]              # fields removed
//   redact = ["provenance.source", "birth_dates"]  # fields kept but masked (dates: year only)
//
//   [receive]
//   may_write = true                  # it may POST into its inbound collection here
//   accept_unsigned = true            # a pull (sync) stores objects without entente's
//                                     # signature too, marked unsigned and graded F6
//                                     # (a collection a standard STIX client filled)
//
// [partner] may also name `collection = "<id>"`: the partner's collection a pull reads
// (default: the first one it lists as readable).
//
// Fields for drop/redact: names, names.alias (non-primary names), birth_dates, birth_places,
// nationalities, gender, documents, documents.number, addresses, attributes,
// attributes.<key>, provenance.source, provenance.source_record_id, description.
//
// Evaluation (Evaluate) is per record and gives every reason a record is held back, so
// `entente share explain` can say why. Records received from another service are re-shared
// only when that service's markings allow it (TLP:CLEAR; TLP:GREEN with no releasability list;
// or a releasability list naming this partner), and never back to the service they came from.
//
// Thread-safety: values and pure functions.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/codec.h"
#include "model/entity.h"

namespace entente::exchange {

struct PartnerInfo {
  std::string name;
  std::string service;
  std::vector<std::string> principals;
  std::string url;
  std::string public_key;
  std::string user;
  std::string token_env;
  std::string token_file;
  std::string ca_cert;
  std::string client_cert;
  std::string client_key;
  std::string collection;  // the partner's collection to pull; empty: the first readable one
};

struct SharePolicy {
  std::set<ThreatCategory> categories;  // empty with all_categories: every category
  bool all_categories = false;
  std::set<std::string> types;  // empty: every type ("person", ..., "relationship")
  Tlp max_tlp = Tlp::kGreen;
  char min_reliability = 'F';
  int min_credibility = 6;
  bool require_releasable = false;
  std::vector<std::string> drop;
  std::vector<std::string> redact;
};

struct Agreement {
  PartnerInfo partner;
  SharePolicy share;
  bool may_write = false;
  bool accept_unsigned = false;  // [receive] accept_unsigned: a pull keeps unsigned objects
  std::string toml;              // the text it was parsed from
  std::string hash;              // BLAKE2b of the text: a change re-evaluates what was shared
};

// Parses an agreement. InvalidArgument naming the file (`origin`), line and key on a TOML
// syntax error, an unknown key, a bad value (unknown category, TLP, grade, field name) or a
// missing required key (partner.name, partner.service, share.categories).
Result<Agreement> ParseAgreement(std::string_view toml_text, std::string_view origin = "agreement");
Result<Agreement> LoadAgreementFile(const std::string& path);

// The decision for one record.
struct ShareDecision {
  bool shared = false;
  std::vector<std::string> reasons;  // why it is held back (empty when shared)
  std::vector<std::string> applied;  // fields dropped or redacted when shared
  std::optional<Record> outgoing;    // the record as the partner receives it
};

// Looks up whether a relationship's end is shared too (NotFound: not in the store).
using EndpointCheck = std::function<Result<bool>(const std::string& record_id)>;

// Evaluates `record` for the partner. `own_service` is this node's service. `endpoint_shared`
// is consulted for relationships (a relationship to a record the partner does not receive
// would leak that record's existence); empty: relationship ends are not checked.
ShareDecision Evaluate(const Agreement& agreement, const std::string& own_service,
                       const Record& record, const EndpointCheck& endpoint_shared = {});

// Whether a principal (user name / certificate partner name / service) acts for this partner.
bool ActsFor(const Agreement& agreement, const std::string& user, const std::string& partner,
             const std::string& service);

// The list of valid field names for drop/redact.
const std::vector<std::string>& ShareableFields();

}  // namespace entente::exchange
