// API roots: the default one always there, more added by name, bad names and titles refused
// with the rule, and configured collections belonging to exactly one existing root.
#include "exchange/taxii_roots.h"

#include <gtest/gtest.h>

#include "exchange/taxii_collections.h"
#include "test_util.h"

namespace entente::exchange {
namespace {

using testing::TempStore;

std::vector<std::string> Names(Database& db) {
  std::vector<std::string> out;
  auto roots = ListApiRoots(db);
  EXPECT_TRUE(roots.ok()) << roots.status().ToString();
  if (!roots.ok()) return out;
  for (const ApiRoot& r : *roots) out.push_back(r.name);
  return out;
}

TEST(ApiRoots, TheDefaultRootAlwaysExistsAndComesFirst) {
  TempStore node;
  EXPECT_EQ(Names(*node.db), std::vector<std::string>{"entente"});
  auto root = GetApiRoot(*node.db, "entente");
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_FALSE(root->title.empty());
  EXPECT_EQ(ApiRootPath(root->name), "/taxii2/entente/");
  auto missing = GetApiRoot(*node.db, "community");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("no API root community"), std::string::npos);
}

TEST(ApiRoots, AddedRootsAreListedInOrderAndNamesAreUnique) {
  TempStore node;
  ASSERT_TRUE(AddApiRoot(*node.db, {"community", "Community", "shared widely"}).ok());
  ASSERT_TRUE(AddApiRoot(*node.db, {"ops-2", "Operations", ""}).ok());
  EXPECT_EQ(Names(*node.db), (std::vector<std::string>{"entente", "community", "ops-2"}));
  auto got = GetApiRoot(*node.db, "community");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->title, "Community");
  EXPECT_EQ(got->description, "shared widely");
  EXPECT_EQ(AddApiRoot(*node.db, {"community", "Again", ""}).code(), StatusCode::kConflict);
  EXPECT_EQ(AddApiRoot(*node.db, {"entente", "Default", ""}).code(), StatusCode::kConflict);
}

TEST(ApiRoots, BadNamesAndTitlesAreRefusedWithTheRule) {
  TempStore node;
  const std::vector<std::string> bad_names = {
      "", "Big", "-x", ".x", "_x", "a/b", "a b", "a%2fb", "caf\xc3\xa9", std::string(65, 'r')};
  for (const std::string& bad : bad_names) {
    Status s = AddApiRoot(*node.db, {bad, "T", ""});
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("a-z 0-9"), std::string::npos) << s.message();
  }
  EXPECT_TRUE(CheckApiRootName(std::string(64, 'r')).ok());
  EXPECT_TRUE(CheckApiRootName("a.b_c-1").ok());
  Status untitled = AddApiRoot(*node.db, {"fresh", "  ", ""});
  EXPECT_EQ(untitled.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(untitled.message().find("title"), std::string::npos);
  EXPECT_EQ(Names(*node.db), std::vector<std::string>{"entente"});  // nothing partial
}

TEST(ApiRoots, ACollectionBelongsToOneExistingRoot) {
  TempStore node;
  ASSERT_TRUE(AddApiRoot(*node.db, {"community", "Community", ""}).ok());
  ConfiguredCollection plain;
  plain.title = "Default root desk";
  ASSERT_TRUE(AddConfiguredCollection(*node.db, &plain).ok());
  ConfiguredCollection rooted;
  rooted.title = "Community feed";
  rooted.api_root = "community";
  ASSERT_TRUE(AddConfiguredCollection(*node.db, &rooted).ok());
  EXPECT_EQ(GetConfiguredCollection(*node.db, plain.id)->api_root, "entente");
  EXPECT_EQ(GetConfiguredCollection(*node.db, rooted.id)->api_root, "community");
  ConfiguredCollection lost;
  lost.title = "Nowhere";
  lost.api_root = "nope";
  Status s = AddConfiguredCollection(*node.db, &lost);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("no API root nope"), std::string::npos) << s.message();
  EXPECT_EQ(GetConfiguredCollection(*node.db, lost.id).status().code(), StatusCode::kNotFound);
  // An id is unique on the node, whatever the root.
  ConfiguredCollection twin;
  twin.id = rooted.id;
  twin.title = "Same id, other root";
  EXPECT_EQ(AddConfiguredCollection(*node.db, &twin).code(), StatusCode::kConflict);
}

}  // namespace
}  // namespace entente::exchange
