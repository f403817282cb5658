// Fuzz target: privacy-preserving hit/no-hit requests (exchange/hitnohit/protocol.h and
// encoding.h): ParseRequest on "private" bodies (Bloom filter, blocking codes, keyed attribute
// codes), and the asking side's BuildPrivateRequest on the names of "plain" bodies.
//
// Seeds: fuzz/seeds/hitnohit_private/ (private requests built with the demo's key; plain ones).
// Invariants: errors have messages; every parsed Bloom filter re-encodes to base64 and back to
// the same bits with the popcount the parser gave; attribute codes survive hex and back; the
// Dice coefficient against a record's encoding lies in [0, 1]; a private request built from a
// plain request's queries parses again with the same key id and as many queries as were sent.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "exchange/hitnohit/encoding.h"
#include "exchange/hitnohit/protocol.h"

namespace {

namespace hnh = entente::exchange::hitnohit;

void Fail(const char* what, const std::string& detail = "") {
  std::fprintf(stderr, "hitnohit_private_fuzz invariant broken: %s %s\n", what, detail.c_str());
  std::abort();
}

const hnh::PrivacyKeys& Keys() {
  static const hnh::PrivacyKeys keys = [] {
    auto derived = hnh::PrivacyKeys::Derive("entente fuzz shared secret, 32 b");
    if (!derived.ok()) Fail("cannot derive keys:", derived.status().message());
    return *derived;
  }();
  return keys;
}

const hnh::NameEncoding& RecordEncoding() {
  static const hnh::NameEncoding encoding = [] {
    auto parts = hnh::EncodableNameParts("Mohamed Ben Ali EL IDRISSI");
    if (!parts.ok()) Fail("sample name:", parts.status().message());
    return hnh::EncodeNameParts(Keys(), *parts);
  }();
  return encoding;
}

void CheckCode(uint64_t code) {
  if (code == 0) return;
  auto back = hnh::CodeFromHex(hnh::CodeToHex(code), "code");
  if (!back.ok() || *back != code) Fail("an attribute code does not survive hex");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto parsed = hnh::ParseRequest(body, hnh::kMaxQueriesPerRequest);
  if (!parsed.ok()) {
    if (parsed.status().message().empty()) Fail("request error without a message");
    return 0;
  }
  if (parsed->private_mode) {
    for (const hnh::PrivateQuery& q : parsed->encoded) {
      if (q.id.empty()) Fail("a query without an id");
      if (q.name.popcount != hnh::Popcount(q.name.bits)) Fail("popcount differs from the bits");
      auto bits = hnh::BloomFromBase64(hnh::BloomToBase64(q.name.bits), "bloom");
      if (!bits.ok() || *bits != q.name.bits) Fail("a Bloom filter does not survive base64");
      double dice = hnh::Dice(q.name, RecordEncoding());
      if (!(dice >= 0.0 && dice <= 1.0)) Fail("Dice outside [0, 1]");
      CheckCode(q.attributes.birth_year);
      CheckCode(q.attributes.birth_date);
      CheckCode(q.attributes.birth_date_swapped);
      CheckCode(q.attributes.nationality);
      CheckCode(q.attributes.id_number);
    }
    return 0;
  }
  std::vector<hnh::AskQuery> ask;
  for (const auto& [id, query] : parsed->plain)
    ask.push_back({.label = id,
                   .name = query.name,
                   .birth_date = query.birth_date,
                   .nationality = query.nationality,
                   .id_number = query.id_number});
  hnh::PreparedRequest built = hnh::BuildPrivateRequest(Keys(), ask);
  if (built.sent.size() + built.unsent.size() != ask.size()) Fail("queries lost on encoding");
  for (const auto& [index, why] : built.unsent)
    if (why.empty()) Fail("a query left unsent without a reason");
  if (built.sent.empty()) return 0;
  auto again = hnh::ParseRequest(built.body, hnh::kMaxQueriesPerRequest);
  if (!again.ok()) Fail("a built private request does not parse:", again.status().message());
  if (!again->private_mode || again->key_id != Keys().key_id() ||
      again->size() != built.sent.size())
    Fail("a built private request parses to other queries");
  return 0;
}
