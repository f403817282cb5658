// Fuzz target: the name normalizer of the matching engine (match/normalize.h).
//
// Seeds: names from ../shared/data (OFAC SDN names, UN names in original script, the
// nomenklatura name benchmark, Putin's names in many scripts), one name per seed.
// Invariants: FoldToLatin gives only [a-z0-9], spaces and '-'; NormalizeName gives 1 to
// kMaxNameTokens tokens of [a-z0-9]+, or an error with a message; ClassKey, Skeleton and
// IsKnownName take every token; NormalizeIdNumber gives only [A-Z0-9].
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "match/normalize.h"

namespace {

void Fail(const char* what, const std::string& detail = "") {
  std::fprintf(stderr, "normalize_fuzz invariant broken: %s [%s]\n", what, detail.c_str());
  std::abort();
}

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto folded = entente::match::FoldToLatin(text);
  if (folded.ok()) {
    for (char c : *folded)
      if (!IsLowerAlnum(c) && c != ' ' && c != '-') Fail("FoldToLatin output character", *folded);
  } else if (folded.status().message().empty()) {
    Fail("FoldToLatin error without a message");
  }
  auto name = entente::match::NormalizeName(text);
  if (!name.ok()) {
    if (name.status().message().empty()) Fail("NormalizeName error without a message");
  } else {
    if (name->tokens.empty()) Fail("NormalizeName succeeded with no tokens");
    if (name->tokens.size() > entente::match::kMaxNameTokens) Fail("more tokens than the limit");
    for (const entente::match::NameToken& token : name->tokens) {
      if (token.text.empty()) Fail("an empty token");
      for (char c : token.text)
        if (!IsLowerAlnum(c)) Fail("token character", token.text);
      entente::match::ClassKey(token.text);
      entente::match::IsKnownName(token.text);
      entente::match::Skeleton(token.text);
    }
  }
  for (char c : entente::match::NormalizeIdNumber(text))
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
      Fail("NormalizeIdNumber output character");
  return 0;
}
