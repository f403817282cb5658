#include "auth/policy.h"

#include <algorithm>

namespace entente::server {

bool Policy::CanRead(const RecordMeta& meta) const {
  return principal_.authenticated && entente::MayRead(meta.marking, meta.provenance.service,
                                                      principal_.clearance, principal_.service);
}

Status Policy::NoSuchRecord(const std::string& id) { return NotFound("no record " + id); }

bool Policy::LowersMarking(const Marking& current, const Marking& proposed) {
  if (proposed.tlp < current.tlp) return true;
  if (current.releasable_to.empty()) return !proposed.releasable_to.empty();
  if (proposed.releasable_to.empty()) return true;  // from named recipients to the TLP default
  for (const std::string& recipient : proposed.releasable_to) {
    if (std::find(current.releasable_to.begin(), current.releasable_to.end(), recipient) ==
        current.releasable_to.end()) {
      return true;
    }
  }
  return false;
}

Status Policy::CanWrite(const RecordMeta* current, const RecordMeta& proposed) const {
  if (!principal_.authenticated) return Unauthenticated("no credentials");
  if (current != nullptr && !CanRead(*current)) return NoSuchRecord(proposed.id);
  if (proposed.marking.tlp > principal_.clearance) {
    return PermissionDenied("field marking: TLP " + std::string(TlpName(proposed.marking.tlp)) +
                            " is above your clearance (" +
                            std::string(TlpName(principal_.clearance)) + ")");
  }
  if (proposed.provenance.service != principal_.service) {
    return PermissionDenied("field provenance.service: '" + proposed.provenance.service +
                            "' is not your service (" + principal_.service +
                            "); you may write only your own service's records");
  }
  if (current != nullptr && current->provenance.service != principal_.service) {
    return PermissionDenied("record " + proposed.id + " belongs to " + current->provenance.service +
                            "; only that service may change it");
  }
  if (current != nullptr && LowersMarking(current->marking, proposed.marking) &&
      !RoleHasPermission(principal_.role, Permission::kDeclassify)) {
    return PermissionDenied("field marking: lowering the marking of " + proposed.id +
                            " (a lower TLP or a wider releasability) needs the declassify "
                            "permission");
  }
  return Status::Ok();
}

Status Policy::CanGrant(Role role, Tlp clearance, const std::string& service) const {
  if (clearance > principal_.clearance) {
    return PermissionDenied("field clearance: " + std::string(TlpName(clearance)) +
                            " is above your own clearance (" +
                            std::string(TlpName(principal_.clearance)) + ")");
  }
  if (role == Role::kAdmin && service != principal_.service) {
    return PermissionDenied("field service: you may make administrators of your own service (" +
                            principal_.service + ") only");
  }
  return Status::Ok();
}

Status Policy::CanMintTokenFor(const std::string& user) const {
  if (user == principal_.user) return Status::Ok();
  return PermissionDenied("a token for " + user +
                          " is theirs to make (signed in as themselves) or the node operator's "
                          "(entente users token " +
                          user + "); one administrator alone may not act as another user");
}

Status Policy::CanApproveTokenRequest(const std::string& requested_by) const {
  if (requested_by != principal_.user) return Status::Ok();
  return PermissionDenied(
      "you asked for this token yourself: a second administrator must approve it (four eyes)");
}

Status Policy::CanManageUser(const std::string& name, Tlp clearance, const std::string& service,
                             const std::string& node_service) const {
  if (principal_.service != node_service && service != principal_.service)
    return NotFound("user " + name + " not found");
  if (clearance > principal_.clearance) {
    return PermissionDenied("user " + name + " has clearance " + std::string(TlpName(clearance)) +
                            ", above your own (" + std::string(TlpName(principal_.clearance)) +
                            "): an administrator of that clearance must do it");
  }
  return Status::Ok();
}

Status Policy::CanReadExchangeSetup(const std::string& node_service) const {
  if (principal_.service == node_service) return Status::Ok();
  return PermissionDenied("the exchange set-up is " + node_service +
                          "'s own: an administrator of " + principal_.service + " may not read it");
}

Status Policy::CanReadAuditTrail(const std::string& node_service) const {
  if (principal_.service != node_service) {
    return PermissionDenied("the audit trail is " + node_service + "'s own: an auditor of " +
                            principal_.service + " may not read it");
  }
  if (principal_.clearance == Tlp::kRed) return Status::Ok();
  return PermissionDenied(
      "the audit trail is RED (it names records of every marking): reading "
      "it needs RED clearance, yours is " +
      std::string(TlpName(principal_.clearance)));
}

bool Policy::CanSee(std::initializer_list<const RecordMeta*> sources) const {
  for (const RecordMeta* source : sources) {
    if (source == nullptr || !CanRead(*source)) return false;
  }
  return true;
}

}  // namespace entente::server
