// A node secret kept in a file of its own, outside the database and the repository: 32 random
// bytes written once as 64 hex characters with mode 0600 (the token-hash key, the record-id key).
// Made the first time it is asked for (`entente init`, the first start, the first import); read
// back on every later run. The bytes are never logged or printed.
// The file is written to a temporary name, synced, then linked into place, so a reader never
// sees it half-written. Thread-safety: pure functions; two processes racing to create the file
// read the same key.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "common/status.h"

namespace entente {

constexpr size_t kSecretSize = 32;
using SecretBytes = std::array<unsigned char, kSecretSize>;

// Reads the secret at `path`, or creates it (mode 0600, fresh random bytes) when missing.
// `what` names it in errors ("token key /x/y: cannot create"). IOError when it cannot be made
// or read; Corruption when it is not 64 hex characters; PermissionDenied when its group or
// others may read it (the message says to chmod 600 it).
Result<SecretBytes> LoadOrCreateSecretFile(const std::string& path, std::string_view what);

}  // namespace entente
