#include "screen/list_file.h"

#include <gtest/gtest.h>

namespace entente::screen {
namespace {

struct Read {
  std::vector<ListRow> rows;
  std::vector<RowError> errors;
};

Read ReadAll(const std::string& text) {
  auto reader = ListFileReader::FromString(text, "list.csv");
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  Read out;
  ListRow row;
  RowError error;
  while (true) {
    auto outcome = (*reader)->Next(&row, &error);
    if (outcome == ListFileReader::Outcome::kEnd) break;
    if (outcome == ListFileReader::Outcome::kRow) out.rows.push_back(row);
    if (outcome == ListFileReader::Outcome::kRejected) out.errors.push_back(error);
  }
  return out;
}

TEST(ListFileReader, ReadsColumnsByHeaderName) {
  auto read = ReadAll(
      "extra,name,id,nationality,birth_date,id_number\n"
      "x, Mohamed El Idrissi ,A-1,ma,1987-03-04, AB123 \n"
      "y,Claire Dubois,A-2,,1991,\n");
  ASSERT_EQ(read.rows.size(), 2u);
  EXPECT_TRUE(read.errors.empty());
  EXPECT_EQ(read.rows[0].row_id, "A-1");
  EXPECT_EQ(read.rows[0].name, "Mohamed El Idrissi");
  EXPECT_EQ(read.rows[0].nationality, "MA");
  EXPECT_EQ(read.rows[0].birth_date, "1987-03-04");
  EXPECT_EQ(read.rows[0].id_number, "AB123");
  EXPECT_EQ(read.rows[0].line, 2);
  EXPECT_EQ(read.rows[0].source_file, "list.csv");
  EXPECT_EQ(read.rows[1].birth_date, "1991");
}

TEST(ListFileReader, RejectsBadRowsWithLineAndReason) {
  auto read = ReadAll(
      "id,name\n"
      "A-1,Good Name\n"
      ",No Id\n"
      "A-3,\n"
      "A-4\n"
      "A-5,\"unterminated\n");
  ASSERT_EQ(read.rows.size(), 1u);
  ASSERT_EQ(read.errors.size(), 4u);
  EXPECT_EQ(read.errors[0].line, 3);
  EXPECT_EQ(read.errors[0].reason, "empty id");
  EXPECT_EQ(read.errors[1].line, 4);
  EXPECT_EQ(read.errors[1].reason, "empty name");
  EXPECT_EQ(read.errors[1].row_id, "A-3");
  EXPECT_EQ(read.errors[2].line, 5);
  EXPECT_NE(read.errors[2].reason.find("expected 2 fields"), std::string::npos);
  EXPECT_EQ(read.errors[3].line, 6);
  EXPECT_NE(read.errors[3].reason.find("malformed CSV"), std::string::npos);
  EXPECT_EQ(read.errors[1].ToString(), "list.csv line 4 (id A-3): rejected: empty name");
}

TEST(ListFileReader, RejectsInvalidUtf8AndHugeNames) {
  auto read = ReadAll("id,name\nA-1,Bad \xC3\x28 name\nA-2," + std::string(1001, 'x') + "\n");
  ASSERT_EQ(read.errors.size(), 2u);
  EXPECT_NE(read.errors[0].reason.find("invalid UTF-8"), std::string::npos);
  EXPECT_NE(read.errors[1].reason.find("1001 bytes"), std::string::npos);
}

TEST(ListFileReader, DropsBadDateAndCountryWithWarningButKeepsRow) {
  auto read = ReadAll(
      "id,name,birth_date,nationality\n"
      "A-1,Leila Haddad,31/02/1990,TN\n"
      "A-2,Sami Haddad,04/03/1987,XX\n");
  ASSERT_EQ(read.rows.size(), 2u);
  EXPECT_TRUE(read.rows[0].birth_date.empty());
  ASSERT_EQ(read.rows[0].warnings.size(), 1u);
  EXPECT_NE(read.rows[0].warnings[0].find("birth_date '31/02/1990' ignored"), std::string::npos);
  EXPECT_EQ(read.rows[1].birth_date, "1987-03-04");
  EXPECT_TRUE(read.rows[1].nationality.empty());
  ASSERT_EQ(read.rows[1].warnings.size(), 1u);
}

TEST(ListFileReader, HeaderErrors) {
  EXPECT_EQ(ListFileReader::FromString("", "empty.csv").status().code(),
            StatusCode::kInvalidArgument);
  auto missing = ListFileReader::FromString("id,full_name\nA,B\n", "x.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("missing column 'name'"), std::string::npos);
  EXPECT_FALSE(ListFileReader::FromString("id,name,name\n", "x.csv").ok());
  EXPECT_EQ(ListFileReader::Open("/nonexistent/list.csv").status().code(), StatusCode::kIOError);
  // A byte order mark before the header.
  EXPECT_TRUE(ListFileReader::FromString("\xEF\xBB\xBFid,name\nA,B\n", "bom.csv").ok());
}

TEST(ListFileReader, SkipsBlankLines) {
  auto read = ReadAll("id,name\n\nA-1,X Y\n\n");
  EXPECT_EQ(read.rows.size(), 1u);
  EXPECT_TRUE(read.errors.empty());
}

}  // namespace
}  // namespace entente::screen
