// RFC 8785 JCS: member order by UTF-16 code units, string escaping, ECMAScript numbers.
#include "exchange/canonical_json.h"

#include <gtest/gtest.h>

namespace entente::exchange {
namespace {

using nlohmann::json;

TEST(CanonicalJson, SortsMembersAndDropsWhitespace) {
  json v = json::parse(R"({ "b": [1, 2, {"z": null, "a": true}], "a": "x" })");
  EXPECT_EQ(*CanonicalJson(v), R"({"a":"x","b":[1,2,{"a":true,"z":null}]})");
}

TEST(CanonicalJson, SortsByUtf16CodeUnits) {
  // U+1F600 (surrogates D83D..) sorts before U+FB33 in UTF-16, after it in UTF-8.
  json v = json::object();
  v["\xef\xac\xb3"] = 1;      // U+FB33
  v["\xf0\x9f\x98\x80"] = 2;  // U+1F600
  v["\xc3\xa9"] = 3;          // U+00E9
  EXPECT_EQ(*CanonicalJson(v), "{\"\xc3\xa9\":3,\"\xf0\x9f\x98\x80\":2,\"\xef\xac\xb3\":1}");
}

TEST(CanonicalJson, EscapesOnlyWhatItMust) {
  json v = "a\"b\\c\n\x01/\xc3\xa9\x7f";
  EXPECT_EQ(*CanonicalJson(v), "\"a\\\"b\\\\c\\n\\u0001/\xc3\xa9\x7f\"");
}

TEST(CanonicalJson, NumbersFollowEcmaScript) {
  EXPECT_EQ(EcmaNumberToString(0.0), "0");
  EXPECT_EQ(EcmaNumberToString(-0.0), "0");
  EXPECT_EQ(EcmaNumberToString(1.0), "1");
  EXPECT_EQ(EcmaNumberToString(-1.5), "-1.5");
  EXPECT_EQ(EcmaNumberToString(1e21), "1e+21");
  EXPECT_EQ(EcmaNumberToString(1e20), "100000000000000000000");
  EXPECT_EQ(EcmaNumberToString(0.000001), "0.000001");
  EXPECT_EQ(EcmaNumberToString(1e-7), "1e-7");
  EXPECT_EQ(EcmaNumberToString(0.1), "0.1");
  EXPECT_EQ(EcmaNumberToString(123456789012345680000.0), "123456789012345680000");
  EXPECT_EQ(EcmaNumberToString(4.35), "4.35");
  EXPECT_EQ(EcmaNumberToString(5e-324), "5e-324");
  EXPECT_EQ(EcmaNumberToString(1.7976931348623157e308), "1.7976931348623157e+308");
  // RFC 8785 appendix B examples.
  EXPECT_EQ(EcmaNumberToString(333333333.33333329), "333333333.3333333");
  EXPECT_EQ(EcmaNumberToString(-1e-7), "-1e-7");
  EXPECT_EQ(*CanonicalJson(json(9007199254740993ULL)), "9007199254740992");
}

TEST(CanonicalJson, RejectsInvalidUtf8) {
  json v = std::string("\xff");
  EXPECT_FALSE(CanonicalJson(v).ok());
}

}  // namespace
}  // namespace entente::exchange
