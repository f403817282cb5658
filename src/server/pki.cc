#include "server/pki.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace entente::server {
namespace {

struct Deleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
  void operator()(X509* cert) const { X509_free(cert); }
  void operator()(FILE* file) const { std::fclose(file); }
  void operator()(BIGNUM* number) const { BN_free(number); }
};
template <typename T>
using Owned = std::unique_ptr<T, Deleter>;

std::string OpenSslError(const std::string& what) {
  unsigned long code = ERR_get_error();
  char buffer[256] = "unknown error";
  if (code != 0) ERR_error_string_n(code, buffer, sizeof buffer);
  return what + ": " + buffer;
}

Result<Owned<EVP_PKEY>> NewKey() {
  Owned<EVP_PKEY> key(EVP_EC_gen("P-256"));
  if (!key) return Internal(OpenSslError("key generation"));
  return key;
}

bool IsSafeName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name.front() == '.' || name.front() == '-') return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!extension) return Internal(OpenSslError("certificate extension " + value));
  int added = X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
  if (added != 1) return Internal(OpenSslError("certificate extension " + value));
  return Status::Ok();
}

Status WriteKey(const std::string& path, EVP_PKEY* key) {
  mode_t old_mask = umask(077);
  Owned<FILE> file(std::fopen(path.c_str(), "wx"));
  umask(old_mask);
  if (!file) return IOError(path + ": cannot create (exists, or folder not writable)");
  if (PEM_write_PrivateKey(file.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return IOError(OpenSslError(path));
  }
  return Status::Ok();
}

Status WriteCert(const std::string& path, X509* cert) {
  Owned<FILE> file(std::fopen(path.c_str(), "wx"));
  if (!file) return IOError(path + ": cannot create (exists, or folder not writable)");
  if (PEM_write_X509(file.get(), cert) != 1) return IOError(OpenSslError(path));
  return Status::Ok();
}

Result<Owned<X509>> NewCertificate(const std::string& common_name, EVP_PKEY* key, int days) {
  Owned<X509> cert(X509_new());
  if (!cert) return Internal(OpenSslError("X509_new"));
  X509_set_version(cert.get(), 2);
  unsigned char serial_bytes[16];
  RAND_bytes(serial_bytes, sizeof serial_bytes);
  serial_bytes[0] &= 0x7f;  // positive
  Owned<BIGNUM> serial(BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr));
  BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(days) * 86400);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("entente"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  return cert;
}

}  // namespace

Status CreateCa(const std::string& dir, const std::string& common_name, int days) {
  if (common_name.empty() || common_name.size() > 64) {
    return InvalidArgument("field name: 1 to 64 characters");
  }
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return IOError(dir + ": " + error.message());
  if (std::filesystem::exists(dir + "/ca.key")) {
    return Conflict(dir + "/ca.key exists: a CA is never overwritten");
  }
  ENTENTE_ASSIGN_OR_RETURN(auto key, NewKey());
  ENTENTE_ASSIGN_OR_RETURN(auto cert, NewCertificate(common_name, key.get(), days));
  X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
  ENTENTE_RETURN_IF_ERROR(
      AddExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
  ENTENTE_RETURN_IF_ERROR(
      AddExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign"));
  ENTENTE_RETURN_IF_ERROR(AddExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash"));
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
    return Internal(OpenSslError("CA signature"));
  ENTENTE_RETURN_IF_ERROR(WriteKey(dir + "/ca.key", key.get()));
  return WriteCert(dir + "/ca.crt", cert.get());
}

Status IssueCertificate(const std::string& dir, const std::string& file_stem,
                        const CertificateRequest& request) {
  if (!IsSafeName(file_stem) || file_stem == "ca") {
    return InvalidArgument("field name: letters, digits, . _ - only (and not 'ca')");
  }
  if (request.common_name.empty() || request.common_name.size() > 64) {
    return InvalidArgument("field name: 1 to 64 characters");
  }
  std::string crt_path = dir + "/" + file_stem + ".crt";
  std::string key_path = dir + "/" + file_stem + ".key";
  if (std::filesystem::exists(crt_path) || std::filesystem::exists(key_path)) {
    return Conflict(crt_path + " or its key exists");
  }
  Owned<FILE> ca_cert_file(std::fopen((dir + "/ca.crt").c_str(), "r"));
  Owned<FILE> ca_key_file(std::fopen((dir + "/ca.key").c_str(), "r"));
  if (!ca_cert_file || !ca_key_file) {
    return NotFound(dir + "/ca.crt or ca.key missing: run `entente pki init` first");
  }
  Owned<X509> ca_cert(PEM_read_X509(ca_cert_file.get(), nullptr, nullptr, nullptr));
  Owned<EVP_PKEY> ca_key(PEM_read_PrivateKey(ca_key_file.get(), nullptr, nullptr, nullptr));
  if (!ca_cert || !ca_key) return Corruption(OpenSslError(dir + "/ca.crt or ca.key"));
  ENTENTE_ASSIGN_OR_RETURN(auto key, NewKey());
  ENTENTE_ASSIGN_OR_RETURN(auto cert, NewCertificate(request.common_name, key.get(), request.days));
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get()));
  ENTENTE_RETURN_IF_ERROR(
      AddExtension(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
  ENTENTE_RETURN_IF_ERROR(AddExtension(cert.get(), ca_cert.get(), NID_key_usage,
                                       "critical,digitalSignature,keyAgreement"));
  ENTENTE_RETURN_IF_ERROR(
      AddExtension(cert.get(), ca_cert.get(), NID_ext_key_usage,
                   request.kind == CertificateKind::kServer ? "serverAuth" : "clientAuth"));
  ENTENTE_RETURN_IF_ERROR(
      AddExtension(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always"));
  std::string alt_names;
  for (const std::string& dns : request.dns_names)
    alt_names += (alt_names.empty() ? "" : ",") + ("DNS:" + dns);
  for (const std::string& ip : request.ip_addresses)
    alt_names += (alt_names.empty() ? "" : ",") + ("IP:" + ip);
  if (!alt_names.empty()) {
    ENTENTE_RETURN_IF_ERROR(
        AddExtension(cert.get(), ca_cert.get(), NID_subject_alt_name, alt_names));
  }
  if (X509_sign(cert.get(), ca_key.get(), EVP_sha256()) == 0) {
    return Internal(OpenSslError("certificate signature"));
  }
  ENTENTE_RETURN_IF_ERROR(WriteKey(key_path, key.get()));
  return WriteCert(crt_path, cert.get());
}

Result<std::string> CertificateFingerprint(const std::string& path) {
  Owned<FILE> file(std::fopen(path.c_str(), "r"));
  if (!file) return NotFound(path + ": cannot open");
  Owned<X509> cert(PEM_read_X509(file.get(), nullptr, nullptr, nullptr));
  if (!cert) return InvalidArgument(path + ": not a PEM certificate");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  X509_digest(cert.get(), EVP_sha256(), digest, &length);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int byte_idx = 0; byte_idx < length; ++byte_idx) {
    hex.push_back(kHex[digest[byte_idx] >> 4]);
    hex.push_back(kHex[digest[byte_idx] & 15]);
  }
  return hex;
}

}  // namespace entente::server
