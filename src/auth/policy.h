// The policy decision point: the one place that decides who may read, write and see what.
//
// Every path that shows or changes records asks it: the API (through ScopedStore, the only
// store a route handler is given), imports, TAXII, risk, graph, screening hits, statistics and
// exports. Its rules (docs/SECURITY.md, "The policy decision point", prints the same table):
//
//   read    clearance >= the record's TLP, and the record is the reader's own service's, or
//           releasable to it (a listed recipient; without a list, TLP CLEAR/GREEN/AMBER only:
//           AMBER+STRICT and RED never leave their service unless named).
//   write   the caller may read the current version (else NotFound, the same answer as for a
//           missing record); the new marking is within the caller's clearance; the record
//           claims the caller's own service as its provenance; a marking is not lowered (a
//           lower TLP or a wider releasability) without the declassify permission.
//   see     a derived fact (a count, a risk factor, a graph neighbour, an explanation) may be
//           shown only when every record it is derived from may be read.
//
// Thread-safety: immutable after construction; may be shared.
#pragma once

#include <initializer_list>
#include <string>

#include "auth/principal.h"
#include "common/status.h"
#include "model/entity.h"

namespace entente::server {

class Policy {
 public:
  explicit Policy(const Principal& principal) : principal_(principal) {}

  // Whether the principal may read a record with `meta`.
  bool CanRead(const RecordMeta& meta) const;

  // Whether the principal may write `proposed` over `current` (nullptr: a new record).
  // NotFound("no record <id>") when `current` is not readable (the same answer as a missing
  // record, so that ids are no oracle); PermissionDenied naming the field otherwise.
  Status CanWrite(const RecordMeta* current, const RecordMeta& proposed) const;

  // Whether the principal may receive an object marked `tlp` whose releasability an agreement
  // has already decided (TAXII collections): the clearance check alone.
  bool CanReadMarking(Tlp tlp) const {
    return principal_.authenticated && tlp <= principal_.clearance;
  }

  // Whether a fact derived from `sources` may be shown: every source readable.
  bool CanSee(std::initializer_list<const RecordMeta*> sources) const;

  // Administration. Whether the principal may give a user `role`, `clearance` and `service`:
  // no clearance above its own, no administrator of another service. PermissionDenied naming
  // the field.
  Status CanGrant(Role role, Tlp clearance, const std::string& service) const;
  // Whether the principal may mint a token for `user` by itself: only its own. A token for
  // another user is asked for and needs a second administrator's approval (four eyes,
  // TokenRequest in user_store.h), or is the node operator's to make (CLI), so that no single
  // administrator can act as another user. PermissionDenied with the way to do it.
  Status CanMintTokenFor(const std::string& user) const;
  // Whether the principal may approve a token request made by `requested_by`: not its own.
  Status CanApproveTokenRequest(const std::string& requested_by) const;
  // Whether the principal may see and act on (revoke, end the sessions of) the user `name`, of
  // `clearance` and `service`, on the node of `node_service`. An administrator of the node's own
  // service manages every user (partners' accounts included); one of another service only the
  // users of that service: the others answer NotFound("user <name> not found"), as a missing user
  // does. Nobody acts on a user whose clearance is above their own (an administrator must not lock
  // out the auditor who reviews them): PermissionDenied.
  Status CanManageUser(const std::string& name, Tlp clearance, const std::string& service,
                       const std::string& node_service) const;

  // Whether the principal may read the audit trail of the node of `node_service`: the trail
  // names every record acted on (ids, never their content), of every marking and owner, so it
  // is RED and the node's own: its reader needs RED clearance and that service.
  // PermissionDenied.
  Status CanReadAuditTrail(const std::string& node_service) const;
  // Whether the principal may read the node's exchange set-up (its keys, certificates, the
  // partners' accounts and mappings): an administrator of the node's own service only; one of
  // a partner service would learn whom else the node exchanges with, and how.
  Status CanReadExchangeSetup(const std::string& node_service) const;

  // The answer for a record that is missing or not readable (one message for both).
  static Status NoSuchRecord(const std::string& id);

  const Principal& principal() const { return principal_; }

 private:
  // Whether `proposed` is marked less restrictively than `current`.
  static bool LowersMarking(const Marking& current, const Marking& proposed);

  Principal principal_;
};

}  // namespace entente::server
