#include "common/secret_file.h"

#include <sodium.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "common/ids.h"

namespace entente {
namespace {

// Creates `path` holding `hex` and a newline, with mode 0600, failing if it exists. False when
// another process made it first (or it cannot be made); IOError when it was made but not written.
Result<bool> CreateExclusive(const std::string& path, const std::string& hex,
                             std::string_view what) {
  mode_t old_mask = umask(077);
  FILE* file = std::fopen(path.c_str(), "wx");
  umask(old_mask);
  if (!file) return false;
  bool written = std::fputs((hex + "\n").c_str(), file) >= 0;
  written = (std::fclose(file) == 0) && written;
  if (!written) return IOError(std::string(what) + " " + path + ": cannot write");
  return true;
}

}  // namespace

Result<SecretBytes> LoadOrCreateSecretFile(const std::string& path, std::string_view what) {
  if (sodium_init() < 0) return Internal("libsodium failed to initialise");
  std::ifstream in(path);
  if (!in) {
    ENTENTE_ASSIGN_OR_RETURN(bool created, CreateExclusive(path, RandomHex(kSecretSize), what));
    in.open(path);
    if (!in) {
      return IOError(std::string(what) + " " + path +
                     (created ? ": cannot read it back" : ": cannot create"));
    }
  }
  std::string hex;
  in >> hex;
  SecretBytes bytes{};
  size_t length = 0;
  if (hex.size() != kSecretSize * 2 ||
      sodium_hex2bin(bytes.data(), bytes.size(), hex.data(), hex.size(), nullptr, &length,
                     nullptr) != 0 ||
      length != kSecretSize) {
    return Corruption(std::string(what) + " " + path + ": expected 64 hex characters");
  }
  return bytes;
}

}  // namespace entente
