// The nesting guard for JSON from TAXII peers: deep arrays and objects refused with the byte,
// brackets inside strings (escaped quotes included) not counted, ordinary STIX let through.
#include "exchange/taxii_json.h"

#include <gtest/gtest.h>

#include <string>

namespace entente::exchange {
namespace {

TEST(TaxiiJsonDepth, RefusesNestingBeyondTheBoundNamingTheByte) {
  std::string deep = "{\"objects\":" + std::string(200, '[') + std::string(200, ']') + "}";
  Status s = CheckJsonDepth(deep, 100);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("deeper than 100 levels (at byte 110)"), std::string::npos)
      << s.message();
  EXPECT_TRUE(CheckJsonDepth(std::string(100, '[') + std::string(100, ']'), 100).ok());
  EXPECT_FALSE(CheckJsonDepth(std::string(101, '{'), 100).ok());  // unclosed: still counted
}

TEST(TaxiiJsonDepth, BracketsInStringsDoNotCount) {
  std::string text = R"({"objects":[{"name":"[[[[{{{{ \"[[[[\" \\"}]})";
  EXPECT_TRUE(CheckJsonDepth(text, 3).ok());
  EXPECT_FALSE(CheckJsonDepth(text, 2).ok());
  EXPECT_TRUE(CheckJsonDepth(R"({"objects":[{"type":"indicator","pattern":"[a:b = 'x']"}]})").ok());
  EXPECT_TRUE(CheckJsonDepth("").ok());
}

}  // namespace
}  // namespace entente::exchange
