// Users and tokens: made once, stored hashed, refused when malformed, unknown, wrong, expired
// or revoked; every change audited.
#include "auth/user_store.h"

#include <gtest/gtest.h>

#include <fstream>

#include "../temp_dir.h"
#include "../test_store_target.h"

namespace entente::server {
namespace {

class UserStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = entente::testing::MakeTempDir("entente-users-test");
    auto db = Database::Open(::entente::testing::StoreTarget(dir_ + "/users.db"));
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    ASSERT_TRUE(UserStore::Migrate(*db_).ok());
    auto key = TokenKey::LoadOrCreate(dir_ + "/token.key");
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    users_ = std::make_unique<UserStore>(db_.get(), *key);
  }
  void TearDown() override {
    users_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  AuditActor admin_{"root", "admin", "DGSN-DGST"};
  std::string dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<UserStore> users_;
};

TEST_F(UserStoreTest, AddedUserAuthenticatesWithTheirToken) {
  auto made = users_->AddUser(admin_, {"ana", Role::kAnalyst, Tlp::kAmber, "DGSN-DGST", ""});
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->token.rfind("ent_", 0), 0u);
  auto principal = users_->Authenticate(made->token);
  ASSERT_TRUE(principal.ok()) << principal.status().ToString();
  EXPECT_EQ(principal->user, "ana");
  EXPECT_EQ(principal->role, Role::kAnalyst);
  EXPECT_EQ(principal->clearance, Tlp::kAmber);
  EXPECT_EQ(principal->service, "DGSN-DGST");
  EXPECT_EQ(principal->token_id, made->info.token_id);
}

TEST_F(UserStoreTest, TokenIsStoredOnlyAsAKeyedHash) {
  auto made = users_->AddUser(admin_, {"ana", Role::kAnalyst, Tlp::kAmber, "DGSN-DGST", ""});
  ASSERT_TRUE(made.ok());
  auto rows = db_->Query("SELECT secret_hash FROM server_tokens");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  std::string stored = (*rows)[0].Text(0);
  EXPECT_EQ(stored.find(made->token.substr(21)), std::string::npos);
  EXPECT_NE(stored, Blake2bHex(made->token));  // keyed, not a plain hash
  // A different key does not verify it.
  std::array<unsigned char, TokenKey::kSize> other{};
  UserStore wrong_key(db_.get(), TokenKey::FromBytes(other));
  EXPECT_FALSE(wrong_key.Authenticate(made->token).ok());
}

TEST_F(UserStoreTest, RefusesBadTokens) {
  auto made = users_->AddUser(admin_, {"ana", Role::kAnalyst, Tlp::kAmber, "DGSN-DGST", ""});
  ASSERT_TRUE(made.ok());
  std::string wrong_secret = made->token;
  wrong_secret.back() = wrong_secret.back() == '0' ? '1' : '0';
  for (const std::string& token :
       {std::string(""), std::string("garbage"), wrong_secret,
        std::string("ent_0000000000000000_") + std::string(64, 'a'),
        std::string("ent_' OR '1'='1'--_") + std::string(64, 'a'), made->token + "x"}) {
    auto principal = users_->Authenticate(token);
    ASSERT_FALSE(principal.ok()) << token;
    EXPECT_EQ(principal.status().code(), StatusCode::kUnauthenticated);
  }
}

TEST_F(UserStoreTest, RevokedUserAndTokenAreRefused) {
  auto made = users_->AddUser(admin_, {"ana", Role::kAnalyst, Tlp::kAmber, "DGSN-DGST", ""});
  ASSERT_TRUE(made.ok());
  auto second = users_->IssueToken(admin_, "ana", "");
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(users_->RevokeToken(admin_, made->info.token_id).ok());
  EXPECT_FALSE(users_->Authenticate(made->token).ok());
  EXPECT_TRUE(users_->Authenticate(second->token).ok());
  ASSERT_TRUE(users_->RevokeUser(admin_, "ana").ok());
  auto refused = users_->Authenticate(second->token);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("revoked"), std::string::npos);
  EXPECT_EQ(users_->IssueToken(admin_, "ana", "").status().code(), StatusCode::kPermissionDenied);
}

TEST_F(UserStoreTest, ExpiredTokenIsRefused) {
  auto made = users_->AddUser(
      admin_, {"ana", Role::kAnalyst, Tlp::kAmber, "DGSN-DGST", "2020-01-01T00:00:00Z"});
  ASSERT_TRUE(made.ok());
  auto refused = users_->Authenticate(made->token);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("expired"), std::string::npos);
  auto later = users_->IssueToken(admin_, "ana", "30d");
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(users_->Authenticate(later->token).ok());
}

TEST_F(UserStoreTest, ValidatesInput) {
  EXPECT_EQ(users_->AddUser(admin_, {"", Role::kAnalyst, Tlp::kAmber, "S", ""}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(users_
                ->AddUser(admin_,
                          {"x'; DROP TABLE server_users;--", Role::kAnalyst, Tlp::kAmber, "S", ""})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(users_->AddUser(admin_, {"ana", Role::kAnalyst, Tlp::kAmber, "", ""}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(users_->AddUser(admin_, {"ana", Role::kAnalyst, Tlp::kAmber, "S", "tomorrow"})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(users_->AddUser(admin_, {"ana", Role::kAnalyst, Tlp::kAmber, "S", ""}).ok());
  EXPECT_EQ(users_->AddUser(admin_, {"ana", Role::kAuditor, Tlp::kAmber, "S", ""}).status().code(),
            StatusCode::kConflict);
  EXPECT_EQ(users_->RevokeUser(admin_, "nobody").code(), StatusCode::kNotFound);
}

TEST_F(UserStoreTest, ChangesAreAudited) {
  ASSERT_TRUE(users_->AddUser(admin_, {"ana", Role::kAnalyst, Tlp::kAmber, "S", ""}).ok());
  ASSERT_TRUE(users_->RevokeUser(admin_, "ana").ok());
  auto entries = AuditLog::Read(*db_, {});
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].action, "user.add");
  EXPECT_EQ((*entries)[0].actor, "root");
  EXPECT_EQ((*entries)[1].action, "user.revoke");
  // The token never reaches the audit trail.
  EXPECT_EQ((*entries)[0].detail_json.find("ent_"), std::string::npos);
}

TEST(TokenKey, KeyFileIsCreatedPrivateAndReused) {
  std::string dir = entente::testing::MakeTempDir("entente-key-test");
  auto first = TokenKey::LoadOrCreate(dir + "/k");
  auto second = TokenKey::LoadOrCreate(dir + "/k");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->Hash("x"), second->Hash("x"));
  auto perms = std::filesystem::status(dir + "/k").permissions();
  EXPECT_EQ(perms & std::filesystem::perms::group_all, std::filesystem::perms::none);
  EXPECT_EQ(perms & std::filesystem::perms::others_all, std::filesystem::perms::none);
  {
    std::ofstream bad(dir + "/bad");
    bad << "not hex\n";
  }
  EXPECT_EQ(TokenKey::LoadOrCreate(dir + "/bad").status().code(), StatusCode::kCorruption);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace entente::server
