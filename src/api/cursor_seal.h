// Cursors that tell the caller nothing: a position is sealed (libsodium secretbox,
// XSalsa20-Poly1305, a fresh random nonce each time) under a key of the server, so a cursor
// that points past records the caller may not see (a received-records page cut short after
// thousands of hidden receipts) shows neither their time nor their row, and a cursor edited by
// hand fails to open.
//
// The server's key is derived from its token-hash key (every server over one store shares
// that key, so a cursor from one opens on another and after a restart). Routes without the
// server's seal (a router in a test) use a random key of the process.
//
// Thread-safety: immutable; Seal and Open may be called concurrently.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/secret_file.h"
#include "http/route.h"

namespace entente::server {

class CursorSeal {
 public:
  explicit CursorSeal(const SecretBytes& key) : key_(key) {}

  // The seal registered in `services`, else the process's own.
  static const CursorSeal& For(const Services& services);

  // Base64url of nonce and sealed `text`.
  std::string Seal(std::string_view text) const;
  // `text` again; nullopt when `cursor` is longer than `max_size`, not base64url, or was not
  // sealed with this key (or was changed).
  std::optional<std::string> Open(const std::string& cursor, size_t max_size) const;

 private:
  SecretBytes key_;
};

}  // namespace entente::server
