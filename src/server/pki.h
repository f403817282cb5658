// A small PKI for a deployment and for tests: a CA, server certificates (for `entente serve`)
// and client certificates (for partner nodes, mutual TLS). OpenSSL C API; keys are ECDSA P-256,
// certificates X.509 v3 with SHA-256 signatures. Keys are written with mode 0600.
//
//   <dir>/ca.crt, ca.key                     CreateCa
//   <dir>/<name>.crt, <name>.key             IssueCertificate
//
// Thread-safety: functions are independent; do not write the same files concurrently.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace entente::server {

enum class CertificateKind { kServer, kClient };

struct CertificateRequest {
  std::string common_name;  // the partner name for a client certificate
  CertificateKind kind = CertificateKind::kServer;
  std::vector<std::string> dns_names;     // server: subjectAltName DNS entries
  std::vector<std::string> ip_addresses;  // server: subjectAltName IP entries
  int days = 825;
};

// Creates <dir>/ca.crt and <dir>/ca.key (creating <dir>). Conflict when ca.key exists (a CA
// is never overwritten); IOError on write failures.
Status CreateCa(const std::string& dir, const std::string& common_name, int days = 3650);
// Issues <dir>/<file_stem>.crt and .key signed by <dir>/ca.crt and ca.key. InvalidArgument for
// a bad name; NotFound when the CA is missing; Conflict when the files exist.
Status IssueCertificate(const std::string& dir, const std::string& file_stem,
                        const CertificateRequest& request);
// SHA-256 fingerprint (lowercase hex) of the PEM certificate at `path`, for [[partners]].
Result<std::string> CertificateFingerprint(const std::string& path);

}  // namespace entente::server
