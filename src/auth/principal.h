// Who is making a request, once authenticated: the user (or partner node), their role,
// clearance and service. What it may read and write is decided by auth/policy.h.
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
};

}  // namespace entente::server
