// Who is making a request, once authenticated: the user (or partner node), their role,
// clearance and service. Markings are checked against `clearance` and `service` on every read.
#pragma once

#include <string>

#include "auth/roles.h"
#include "model/entity.h"
#include "model/types.h"

namespace entente::server {

struct Principal {
  bool authenticated = false;
  std::string user;  // user name; the partner name for a client certificate
  Role role = Role::kAnalyst;
  Tlp clearance = Tlp::kClear;  // highest TLP the principal may read
  std::string service;          // the principal's service ("DGSN-DGST", "DGSI")
  std::string token_id;         // public id of the token used; empty otherwise
  std::string partner;          // partner name when a client certificate identified one

  // Whether this principal may read a record with `meta` (TLP and releasability).
  bool MayRead(const RecordMeta& meta) const {
    return authenticated && MayReadMarking(meta.marking, meta.provenance.service);
  }
  bool MayReadMarking(const Marking& marking, const std::string& owner_service) const {
    return entente::MayRead(marking, owner_service, clearance, service);
  }
};

}  // namespace entente::server
