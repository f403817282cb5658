// Fuzz target: sharing agreement TOML (exchange/agreement.h, ParseAgreement).
//
// Seeds: config/agreements/*.example.toml and fuzz/seeds/agreement/.
// Invariants: an error has a message; an agreement parsed keeps its text and a hash, parses
// again from that text to the same hash, and Evaluate() on a sample person and relationship
// gives a decision that is either shared (with the outgoing record) or held back with reasons.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "exchange/agreement.h"
#include "model/codec.h"

namespace {

void Fail(const char* what, const std::string& detail = "") {
  std::fprintf(stderr, "agreement_fuzz invariant broken: %s %s\n", what, detail.c_str());
  std::abort();
}

entente::Record SamplePerson() {
  auto person = entente::EntityFromJson(R"({
    "id": "person--6ba7b810-9dad-41d1-80b4-00c04fd430c8", "type": "person",
    "names": [{"full": "Mohamed EL IDRISSI", "kind": "primary"},
              {"full": "Mohammed Idrissi", "kind": "alias"}],
    "birth_dates": ["1987-03-04"], "nationalities": ["MA"], "category": "terrorism",
    "provenance": {"service": "DGSN", "source": "fuzz", "source_record_id": "F-1"},
    "reliability": "B", "credibility": 2,
    "marking": {"tlp": "GREEN", "releasable_to": ["DGSI"]}})");
  if (!person.ok()) Fail("sample person does not decode:", person.status().message());
  return *person;
}

void CheckDecision(const entente::exchange::ShareDecision& decision) {
  if (decision.shared && !decision.outgoing) Fail("shared without an outgoing record");
  if (!decision.shared && decision.reasons.empty()) Fail("held back without a reason");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto agreement = entente::exchange::ParseAgreement(text, "fuzz.toml");
  if (!agreement.ok()) {
    if (agreement.status().message().empty()) Fail("error without a message");
    return 0;
  }
  if (agreement->hash.empty()) Fail("agreement without a hash");
  auto again = entente::exchange::ParseAgreement(agreement->toml, "again.toml");
  if (!again.ok()) Fail("the agreement's own text does not parse:", again.status().message());
  if (again->hash != agreement->hash) Fail("the same text hashes differently");
  static const entente::Record person = SamplePerson();
  CheckDecision(entente::exchange::Evaluate(*agreement, "DGSN", person));
  entente::exchange::ActsFor(*agreement, "dgsi", "dgsi", "DGSI");
  return 0;
}
