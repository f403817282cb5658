// Fuzz target: plaintext hit/no-hit requests (exchange/hitnohit/protocol.h), the answering
// side's ParseRequest, plus the other bodies of the protocol that arrive from a partner: the
// response the asking side parses (ParseResponse) and a follow-up request (ParseFollowupRequest).
//
// Seeds: fuzz/seeds/hitnohit_plain/ (requests, responses, follow-ups).
// Invariants: errors have messages; a parsed plain request has 1..kMaxQueriesPerRequest
// queries, each with a name the match engine's normalizer takes (or refuses with a message);
// rebuilt with BuildPlainRequest it parses again to as many queries as were sent; a parsed
// response rebuilt with BuildResponse parses to as many answers; a parsed follow-up rebuilt
// parses to the same fields.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "exchange/hitnohit/protocol.h"
#include "match/normalize.h"

namespace {

namespace hnh = entente::exchange::hitnohit;

void Fail(const char* what, const std::string& detail = "") {
  std::fprintf(stderr, "hitnohit_plain_fuzz invariant broken: %s %s\n", what, detail.c_str());
  std::abort();
}

void CheckRequest(std::string_view body) {
  auto parsed = hnh::ParseRequest(body, hnh::kMaxQueriesPerRequest);
  if (!parsed.ok()) {
    if (parsed.status().message().empty()) Fail("request error without a message");
    return;
  }
  if (parsed->size() == 0 || parsed->size() > hnh::kMaxQueriesPerRequest)
    Fail("query count out of range");
  if (parsed->private_mode) return;  // hitnohit_private_fuzz drives those
  std::vector<hnh::AskQuery> ask;
  for (const auto& [id, query] : parsed->plain) {
    if (id.empty() || query.name.empty()) Fail("a query without an id or a name");
    auto normalized = entente::match::NormalizeName(query.name);
    if (!normalized.ok() && normalized.status().message().empty())
      Fail("NormalizeName error without a message");
    ask.push_back({.label = id,
                   .name = query.name,
                   .birth_date = query.birth_date,
                   .nationality = query.nationality,
                   .id_number = query.id_number});
  }
  hnh::PreparedRequest rebuilt = hnh::BuildPlainRequest(ask);
  if (rebuilt.sent.size() + rebuilt.unsent.size() != ask.size()) Fail("queries lost on rebuild");
  if (rebuilt.sent.empty()) return;
  auto again = hnh::ParseRequest(rebuilt.body, hnh::kMaxQueriesPerRequest);
  if (!again.ok()) Fail("a rebuilt request does not parse:", again.status().message());
  if (again->private_mode || again->size() != rebuilt.sent.size())
    Fail("a rebuilt request parses to other queries");
}

void CheckResponse(std::string_view body) {
  auto answers = hnh::ParseResponse(body);
  if (!answers.ok()) {
    if (answers.status().message().empty()) Fail("response error without a message");
    return;
  }
  auto again = hnh::ParseResponse(hnh::BuildResponse(false, *answers));
  if (!again.ok() || again->size() != answers->size()) Fail("a rebuilt response differs");
}

void CheckFollowup(std::string_view body) {
  auto followup = hnh::ParseFollowupRequest(body);
  if (!followup.ok()) {
    if (followup.status().message().empty()) Fail("follow-up error without a message");
    return;
  }
  if (!hnh::IsReference(followup->reference)) Fail("a follow-up without a valid reference");
  auto again = hnh::ParseFollowupRequest(hnh::BuildFollowupRequest(*followup));
  if (!again.ok() || again->reference != followup->reference || again->reason != followup->reason ||
      again->requested_by != followup->requested_by)
    Fail("a rebuilt follow-up differs");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  CheckRequest(body);
  CheckResponse(body);
  CheckFollowup(body);
  return 0;
}
