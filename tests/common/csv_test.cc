#include "common/csv.h"

#include <gtest/gtest.h>

#include "common/text.h"

namespace entente {
namespace {

TEST(CsvReader, QuotesNewlinesAndLineNumbers) {
  auto r =
      CsvReader::FromString("a,b\r\n\"x, y\",\"multi\nline\"\n3,\"say \"\"hi\"\"\"\n", "t.csv");
  std::vector<std::string> f;
  Status err;
  ASSERT_TRUE(r->Next(&f, &err));
  EXPECT_EQ(r->line(), 1);
  ASSERT_TRUE(r->Next(&f, &err));
  EXPECT_EQ(f[0], "x, y");
  EXPECT_EQ(f[1], "multi\nline");
  ASSERT_TRUE(r->Next(&f, &err));
  EXPECT_EQ(r->line(), 4);
  EXPECT_EQ(f[1], "say \"hi\"");
  EXPECT_FALSE(r->Next(&f, &err));
}

TEST(CsvReader, UnterminatedQuoteIsAnErrorWithLine) {
  auto r = CsvReader::FromString("a,b\n1,\"open\n", "bad.csv");
  std::vector<std::string> f;
  Status err;
  ASSERT_TRUE(r->Next(&f, &err));
  ASSERT_TRUE(r->Next(&f, &err));
  EXPECT_FALSE(err.ok());
  EXPECT_NE(err.message().find("bad.csv line 2"), std::string::npos) << err.message();
}

TEST(CsvReader, MissingFileIsIOError) {
  auto r = CsvReader::Open("/nonexistent/file.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIOError);
  EXPECT_NE(r.status().message().find("/nonexistent/file.csv"), std::string::npos);
}

TEST(Utf8, RejectsMalformedSequences) {
  EXPECT_TRUE(IsValidUtf8("Mohamed محمد Мухаммед"));
  size_t at = 0;
  EXPECT_FALSE(IsValidUtf8(std::string("ab\xc0\xaf"), &at));
  EXPECT_EQ(at, 2u);
  EXPECT_FALSE(IsValidUtf8(std::string("\xed\xa0\x80")));  // surrogate
  EXPECT_FALSE(IsValidUtf8(std::string("\xe2\x82")));      // truncated
}

TEST(CsvField, QuotesOnlyWhenNeededOrAsked) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("plain", true), "\"plain\"");
  EXPECT_EQ(CsvLine({"a", "b,c", ""}), "a,\"b,c\",");
}

}  // namespace
}  // namespace entente
