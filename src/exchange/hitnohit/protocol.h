// The wire format of hit/no-hit (POST /partner/v1/hitnohit) and of follow-up requests, both
// ways: what the asking side builds and the answering side parses, and back.
//
// Request, plaintext:
//   {"mode": "plain", "queries": [{"id": "1", "name": "Mohamed Ali", "birth_date": "1980-02-03",
//                                  "nationality": "MA", "id_number": "AB123"}]}
// Request, privacy-preserving (no name, date, nationality or number in the clear):
//   {"mode": "private", "key_id": "<16 hex>", "queries": [{"id": "1",
//     "bloom": "<base64, 128 bytes>", "blocks": [305419896, ...],
//     "birth_year": "<16 hex>", "birth_date": "<16 hex>", "birth_date_swapped": "<16 hex>",
//     "nationality": "<16 hex>", "id_number": "<16 hex>"}]}
// Query ids on the wire are "1".."n" (the asking side's own row ids stay home). Only name (or
// bloom + blocks) is required per query.
//
// Response:
//   {"mode": "plain", "answers": [
//     {"id": "1", "result": "hit", "reference": "hnh-<32 hex>", "band": "high",
//      "expires": "2025-01-31T10:00:00Z"},
//     {"id": "2", "result": "no-hit"},
//     {"id": "3", "result": "invalid", "error": "field name: nothing matchable in the name"}]}
// Nothing else about a record leaves: no id, name, score or count.
//
// Bands: where the score falls between the hit threshold t and 1: "high" in the top third,
// "medium" in the middle third, "low" in the bottom third.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "exchange/hitnohit/answer_engine.h"
#include "exchange/hitnohit/encoding.h"
#include "match/matcher.h"
#include "model/partial_date.h"

namespace entente::exchange::hitnohit {

inline constexpr size_t kMaxQueriesPerRequest = 1000;
inline constexpr size_t kMaxRequestBytes = 4u << 20;
inline constexpr size_t kMaxReasonBytes = 2000;

// What the asking officer knows about one person or organization.
struct AskQuery {
  std::string label;  // the local row id (never sent)
  std::string name;
  std::optional<PartialDate> birth_date;
  std::string nationality;
  std::string id_number;
};

// A request ready to send: the body, which local query each wire id stands for, and the queries
// that could not be encoded (with why) and are not sent.
struct PreparedRequest {
  std::string body;
  std::vector<size_t> sent;                            // wire id i+1 -> index in the input
  std::vector<std::pair<size_t, std::string>> unsent;  // index in the input, reason
};

PreparedRequest BuildPlainRequest(const std::vector<AskQuery>& queries);
PreparedRequest BuildPrivateRequest(const PrivacyKeys& keys, const std::vector<AskQuery>& queries);

struct ParsedRequest {
  bool private_mode = false;
  std::string key_id;
  std::vector<std::pair<std::string, MatchQuery>> plain;
  std::vector<PrivateQuery> encoded;
  size_t size() const { return private_mode ? encoded.size() : plain.size(); }
};

// InvalidArgument naming the field ("queries[3].birth_date") on malformed JSON, an unknown
// mode, a missing or empty queries list, more than `max_batch` queries, duplicate ids or a
// malformed value.
Result<ParsedRequest> ParseRequest(std::string_view body, size_t max_batch);

struct WireAnswer {
  std::string id;
  std::string result;  // "hit", "no-hit", "invalid"
  std::string reference;
  std::string band;
  std::string expires;
  std::string error;
};

std::string BandFor(double score, double threshold);
std::string BuildResponse(bool private_mode, const std::vector<WireAnswer>& answers);
// InvalidArgument when the body is not a response of this form.
Result<std::vector<WireAnswer>> ParseResponse(std::string_view body);

// Follow-up request body: {"reference": "...", "reason": "...", "requested_by": "..."}.
struct FollowupRequestBody {
  std::string reference;
  std::string reason;
  std::string requested_by;
};
std::string BuildFollowupRequest(const FollowupRequestBody& body);
// InvalidArgument naming the field: reference not of the hnh- form, reason empty or longer
// than kMaxReasonBytes, invalid UTF-8.
Result<FollowupRequestBody> ParseFollowupRequest(std::string_view body);

// True for "hnh-" followed by 32 lowercase hex digits.
bool IsReference(std::string_view text);

}  // namespace entente::exchange::hitnohit
