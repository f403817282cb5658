// The stable codes of the server's English texts (http/message_codes.h): a whole text matches
// its template and gives the placeholders' values; a text with more around it, or another
// text, has no code; characters special to regular expressions in a template are literal.
#include "http/message_codes.h"

#include <gtest/gtest.h>

namespace entente::server {
namespace {

TEST(MessageCodesTest, AWholeTextGivesItsCodeAndValues) {
  auto code = CodeOf("field birth_date: no day 31 in February 2023");
  ASSERT_TRUE(code);
  EXPECT_EQ(code->code, "date.no_day");
  EXPECT_EQ(code->params, (std::map<std::string, std::string>{
                              {"field", "birth_date"}, {"day", "31"}, {"month", "February"},
                              {"year", "2023"}}));
  auto signed_with = CodeOf(
      "signature: identity--1: signed with key 00000000deadbeef, expected 0123456789abcdef");
  ASSERT_TRUE(signed_with);
  EXPECT_EQ(signed_with->code, "refused.wrong_key");
  EXPECT_EQ(signed_with->params.at("key"), "00000000deadbeef");
  // Brackets and parentheses of the template are literal.
  EXPECT_EQ(CodeOf("field threshold: must be a number in [0, 1]")->code, "field.threshold");
  EXPECT_EQ(CodeOf("the record is revoked (a partner that had it receives the revocation)")->code,
            "share.revoked");
}

TEST(MessageCodesTest, OtherTextsHaveNoCode) {
  EXPECT_FALSE(CodeOf("people.csv line 4, field partner: required"));  // context before it
  EXPECT_FALSE(CodeOf("field threshold: must be a number in 0, 1"));
  EXPECT_FALSE(CodeOf(""));
  EXPECT_FALSE(CodeOf(std::string(3000, 'x')));
  nlohmann::json object = nlohmann::json::object();
  AddCode(object, "reason", "something nobody wrote a template for");
  EXPECT_TRUE(object.empty());
  AddCode(object, "reason", "not a STIX object");
  EXPECT_EQ(object["reason_code"], "refused.not_stix");
  EXPECT_EQ(CodesOf(nlohmann::json::array({"dropped names", "?"})),
            nlohmann::json::parse(R"([{"code": "share.dropped", "params": {"name": "names"}}, null])"));
}

}  // namespace
}  // namespace entente::server
