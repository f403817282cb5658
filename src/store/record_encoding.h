// The stored body of a record, written in one pass, and its content hash.
//
// The body is the model codec's JSON schema (model/codec.h; RecordFromJson reads it back to an
// equal record) with its keys in a fixed order chosen for the store: every content field first,
// and the volatile bookkeeping last (provenance.first_seen and last_seen, version, created,
// modified, change_seq). The content hash is the BLAKE2b of the body's first `content_size`
// bytes, so one encoding serves both the hash (did the content change?) and the stored body,
// and re-importing the same data hashes the same whatever its timestamps.
//
// Text that is not valid UTF-8 is written with U+FFFD in place of the bad bytes, as the codec
// does. Thread-safety: plain functions over caller-owned buffers.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "model/codec.h"

namespace entente {

// The hash the store keeps in records.content_hash for a content encoding: a version tag and
// the hex BLAKE2b-256 (the tag tells it from the hashes of earlier store versions).
inline constexpr std::string_view kContentHashTag = "c2:";

// The bookkeeping the store fills in for a version; Finish() writes it after the content.
struct VolatileFields {
  std::string_view first_seen;
  std::string_view last_seen;
  int version = 0;
  std::string_view created;
  std::string_view modified;
  int64_t change_seq = 0;  // written only when non-zero
};

class RecordEncoder {
 public:
  // Writes the content part of `record` (everything except the volatile fields named above)
  // into the internal buffer, replacing what was there, and computes its hash.
  void EncodeContent(const Record& record);
  // Appends the volatile fields and closes the object. REQUIRES: EncodeContent(). May be
  // called again to re-finish the same content with other values.
  void Finish(const VolatileFields& fields);

  // The content hash of the last EncodeContent() ("c2:" + 64 hex digits).
  const std::string& content_hash() const { return hash_; }
  // The full body after Finish().
  std::string_view body() const { return buffer_; }
  // The content part (valid after EncodeContent()).
  std::string_view content() const { return std::string_view(buffer_).substr(0, content_size_); }

 private:
  std::string buffer_;
  size_t content_size_ = 0;
  std::string hash_;
};

// Appends `text` as a JSON string literal (quotes included) to `out`; invalid UTF-8 becomes
// U+FFFD. Exposed for tests.
void AppendJsonString(std::string_view text, std::string* out);

}  // namespace entente
