// Privacy-preserving encodings (src/exchange/hitnohit/encoding.h) and the wire format
// (protocol.h): keyed, deterministic, comparable by Dice, and malformed input refused.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "exchange/hitnohit/encoding.h"
#include "exchange/hitnohit/protocol.h"

namespace entente::exchange::hitnohit {
namespace {

constexpr char kSecret[] = "a shared secret of the DGSI-DGSN agreement";

PrivacyKeys Keys(const std::string& secret = kSecret) {
  auto keys = PrivacyKeys::Derive(secret);
  EXPECT_TRUE(keys.ok()) << keys.status().ToString();
  return *keys;
}

NameEncoding Encode(const PrivacyKeys& keys, const std::string& name) {
  auto parts = EncodableNameParts(name);
  EXPECT_TRUE(parts.ok()) << name << ": " << parts.status().ToString();
  return EncodeNameParts(keys, parts.ok() ? *parts : std::vector<std::string>{});
}

TEST(PrivacyKeys, RefusesShortSecrets) {
  auto keys = PrivacyKeys::Derive("short");
  ASSERT_FALSE(keys.ok());
  EXPECT_EQ(keys.status().code(), StatusCode::kInvalidArgument);
}

TEST(PrivacyKeys, KeyIdDependsOnTheSecret) {
  EXPECT_EQ(Keys().key_id(), Keys().key_id());
  EXPECT_NE(Keys().key_id(), Keys("another secret, just as long").key_id());
  EXPECT_EQ(Keys().key_id().size(), 16u);
}

TEST(NameEncoding, SameNameSameBitsAndDifferentKeyDifferentBits) {
  PrivacyKeys keys = Keys();
  NameEncoding a = Encode(keys, "Mohamed Ali Benali");
  NameEncoding b = Encode(keys, "Mohamed Ali Benali");
  EXPECT_EQ(a.bits, b.bits);
  EXPECT_DOUBLE_EQ(Dice(a, b), 1.0);
  NameEncoding other_key = Encode(Keys("another secret, just as long"), "Mohamed Ali Benali");
  EXPECT_NE(a.bits, other_key.bits);
  EXPECT_LT(Dice(a, other_key), 0.6);
}

TEST(NameEncoding, TransliterationVariantsStayClose) {
  PrivacyKeys keys = Keys();
  NameEncoding a = Encode(keys, "Mohamed Abdelkader");
  NameEncoding b = Encode(keys, "Muhammad Abd al-Qadir");
  NameEncoding c = Encode(keys, "Jean-Pierre Martin");
  EXPECT_GT(Dice(a, b), 0.8);
  EXPECT_LT(Dice(a, c), 0.4);
  EXPECT_GT(Dice(a, b), Dice(a, c));
}

TEST(NameEncoding, WordOrderDoesNotMatter) {
  PrivacyKeys keys = Keys();
  EXPECT_DOUBLE_EQ(Dice(Encode(keys, "IDRISSI, Youssef"), Encode(keys, "Youssef Idrissi")), 1.0);
}

TEST(NameEncoding, NothingMatchableIsAnError) {
  auto parts = EncodableNameParts("  --- ");
  ASSERT_FALSE(parts.ok());
  EXPECT_EQ(parts.status().code(), StatusCode::kInvalidArgument);
}

TEST(AttributeEncoding, DatesAndSwapsAreKeyedCodes) {
  PrivacyKeys keys = Keys();
  AttributeEncoding full = EncodeAttributes(keys, PartialDate{1980, 2, 3}, "ma", "AB-123 456");
  AttributeEncoding swapped = EncodeAttributes(keys, PartialDate{1980, 3, 2}, "MA", "ab123456");
  AttributeEncoding year = EncodeAttributes(keys, PartialDate{1980, 0, 0}, "", "");
  EXPECT_NE(full.birth_date, 0u);
  EXPECT_EQ(full.birth_year, year.birth_year);
  EXPECT_EQ(year.birth_date, 0u);
  EXPECT_EQ(full.birth_date_swapped, swapped.birth_date);
  EXPECT_EQ(full.nationality, swapped.nationality);
  EXPECT_EQ(full.id_number, swapped.id_number);
  EXPECT_NE(full.birth_year, Keys("another secret, just as long").AttributeCode("y:1980"));
}

TEST(WireForms, BloomAndCodesRoundTrip) {
  PrivacyKeys keys = Keys();
  NameEncoding a = Encode(keys, "Youssef El Idrissi");
  auto bits = BloomFromBase64(BloomToBase64(a.bits), "bloom");
  ASSERT_TRUE(bits.ok());
  EXPECT_EQ(*bits, a.bits);
  auto code = CodeFromHex(CodeToHex(0x0123456789abcdefull), "code");
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 0x0123456789abcdefull);
  EXPECT_FALSE(BloomFromBase64("not base64!", "bloom").ok());
  EXPECT_FALSE(BloomFromBase64("AAAA", "bloom").ok());
  EXPECT_FALSE(CodeFromHex("0123", "code").ok());
  EXPECT_FALSE(CodeFromHex("0123456789ABCDEF", "code").ok());
}

TEST(Protocol, PrivateRequestCarriesNoNameOrDate) {
  PrivacyKeys keys = Keys();
  std::vector<AskQuery> queries = {
      {"row-17", "Youssef El Idrissi", PartialDate{1983, 11, 5}, "MA", "X1234567"},
      {"row-18", "---", std::nullopt, "", ""}};
  PreparedRequest prepared = BuildPrivateRequest(keys, queries);
  ASSERT_EQ(prepared.sent.size(), 1u);
  ASSERT_EQ(prepared.unsent.size(), 1u);
  EXPECT_EQ(prepared.unsent[0].first, 1u);
  for (const char* clear : {"Youssef", "youssef", "Idrissi", "idrissi", "1983", "11-05", "X1234567",
                            "\"MA\"", "row-17"})
    EXPECT_EQ(prepared.body.find(clear), std::string::npos) << clear << " in " << prepared.body;
  auto parsed = ParseRequest(prepared.body, 1000);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_TRUE(parsed->private_mode);
  ASSERT_EQ(parsed->encoded.size(), 1u);
  EXPECT_EQ(parsed->key_id, keys.key_id());
  NameEncoding direct = Encode(keys, "Youssef El Idrissi");
  EXPECT_EQ(parsed->encoded[0].name.bits, direct.bits);
  EXPECT_EQ(parsed->encoded[0].name.blocks, direct.blocks);
  EXPECT_NE(parsed->encoded[0].attributes.birth_date, 0u);
}

TEST(Protocol, PlainRequestRoundTrips) {
  std::vector<AskQuery> queries = {{"a", "Mohamed Ali", PartialDate{1980, 0, 0}, "MA", "Z9"},
                                   {"b", "", std::nullopt, "", ""}};
  PreparedRequest prepared = BuildPlainRequest(queries);
  EXPECT_EQ(prepared.body.find("\"a\""), std::string::npos);  // local ids stay home
  auto parsed = ParseRequest(prepared.body, 1000);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->plain.size(), 1u);
  EXPECT_EQ(parsed->plain[0].first, "1");
  EXPECT_EQ(parsed->plain[0].second.name, "Mohamed Ali");
  EXPECT_EQ(parsed->plain[0].second.birth_date->year, 1980);
  EXPECT_EQ(parsed->plain[0].second.nationality, "MA");
}

TEST(Protocol, BadRequestsNameTheField) {
  struct Case {
    std::string body;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"not json", "body"},
      {R"({"mode": "plain"})", "queries"},
      {R"({"mode": "plain", "queries": []})", "queries"},
      {R"({"mode": "loud", "queries": [{"id": "1", "name": "x"}]})", "mode"},
      {R"({"mode": "plain", "queries": [{"name": "x"}]})", "queries[0].id"},
      {R"({"mode": "plain", "queries": [{"id": "1"}]})", "queries[0].name"},
      {R"({"mode": "plain", "queries": [{"id": "1", "name": "x"}, {"id": "1", "name": "y"}]})",
       "queries[1].id"},
      {R"({"mode": "plain", "queries": [{"id": "1", "name": "x", "birth_date": "1980-02-30"}]})",
       "queries[0].birth_date"},
      {R"({"mode": "plain", "queries": [{"id": "1", "name": "x", "nationality": "M1"}]})",
       "queries[0].nationality"},
      {R"({"mode": "plain", "queries": [{"id": "1", "name": 7}]})", "queries[0].name"},
      {R"({"mode": "plain", "queries": [{"id": "1", "name": "x", "extra": 1}]})",
       "queries[0].extra"},
      {R"({"mode": "private", "queries": [{"id": "1", "bloom": "AAAA", "blocks": []}]})", "key_id"},
      {R"({"mode": "private", "key_id": "k", "queries": [{"id": "1", "bloom": "AAAA", "blocks": []}]})",
       "queries[0].bloom"},
      {R"({"mode": "plain", "extra": 1, "queries": [{"id": "1", "name": "x"}]})", "extra"},
  };
  for (const Case& c : cases) {
    auto parsed = ParseRequest(c.body, 1000);
    ASSERT_FALSE(parsed.ok()) << c.body;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << c.body;
    EXPECT_NE(parsed.status().message().find(c.field), std::string::npos)
        << c.body << " -> " << parsed.status().message();
  }
}

TEST(Protocol, BatchLimitIsEnforced) {
  nlohmann::json queries = nlohmann::json::array();
  for (int query_idx = 0; query_idx < 11; ++query_idx)
    queries.push_back({{"id", std::to_string(query_idx)}, {"name", "x"}});
  std::string body = nlohmann::json({{"mode", "plain"}, {"queries", queries}}).dump();
  EXPECT_TRUE(ParseRequest(body, 11).ok());
  auto parsed = ParseRequest(body, 10);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("at most 10"), std::string::npos);
}

TEST(Protocol, ResponsesRoundTripAndBands) {
  std::vector<WireAnswer> answers = {
      {"1", "hit", "hnh-0123456789abcdef0123456789abcdef", "high", "2030-01-01T00:00:00Z", ""},
      {"2", "no-hit", "", "", "", ""},
      {"3", "invalid", "", "", "", "field name: nothing"}};
  auto parsed = ParseResponse(BuildResponse(false, answers));
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->size(), 3u);
  EXPECT_EQ((*parsed)[0].reference, answers[0].reference);
  EXPECT_EQ((*parsed)[1].reference, "");
  EXPECT_EQ((*parsed)[2].error, "field name: nothing");
  EXPECT_FALSE(ParseResponse(R"({"answers": [{"id": "1", "result": "maybe"}]})").ok());
  EXPECT_FALSE(ParseResponse("[]").ok());
  EXPECT_EQ(BandFor(0.99, 0.8), "high");
  EXPECT_EQ(BandFor(0.90, 0.8), "medium");
  EXPECT_EQ(BandFor(0.81, 0.8), "low");
}

TEST(Protocol, FollowupRequestsAreChecked) {
  const std::string ref = "hnh-0123456789abcdef0123456789abcdef";
  EXPECT_TRUE(IsReference(ref));
  EXPECT_FALSE(IsReference("person--0123"));
  auto ok = ParseFollowupRequest(BuildFollowupRequest({ref, "border check at Tanger Med", "lia"}));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->reason, "border check at Tanger Med");
  EXPECT_FALSE(ParseFollowupRequest(BuildFollowupRequest({ref, "  ", "lia"})).ok());
  EXPECT_FALSE(ParseFollowupRequest(BuildFollowupRequest({"hnh-xyz", "why", "lia"})).ok());
  EXPECT_FALSE(ParseFollowupRequest("{").ok());
  EXPECT_FALSE(ParseFollowupRequest(
                   BuildFollowupRequest({ref, std::string(kMaxReasonBytes + 1, 'x'), "lia"}))
                   .ok());
}

}  // namespace
}  // namespace entente::exchange::hitnohit
