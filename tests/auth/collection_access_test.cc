// The collection access decision (auth/collection_access.h): grants by user and by role, their
// union, and the grant syntax with its errors.
#include "auth/collection_access.h"

#include <gtest/gtest.h>

namespace entente::server {
namespace {

Principal Who(const std::string& user, Role role, const std::string& partner = "") {
  Principal p;
  p.authenticated = true;
  p.user = user;
  p.role = role;
  p.partner = partner;
  return p;
}

CollectionGrant Grant(const std::string& grantee, const std::string& access) {
  auto g = ParseCollectionGrant(grantee, access);
  EXPECT_TRUE(g.ok()) << g.status().ToString();
  return *g;
}

TEST(CollectionAccess, UnionOfTheGrantsNamingThePrincipal) {
  std::vector<CollectionGrant> grants = {Grant("user:octi", "write"),
                                         Grant("role:partner", "read")};
  CollectionRights octi = DecideCollectionAccess(Who("octi", Role::kPartner), grants);
  EXPECT_TRUE(octi.can_read);
  EXPECT_TRUE(octi.can_write);
  CollectionRights other = DecideCollectionAccess(Who("cni", Role::kPartner), grants);
  EXPECT_TRUE(other.can_read);
  EXPECT_FALSE(other.can_write);
  CollectionRights analyst = DecideCollectionAccess(Who("ana", Role::kAnalyst), grants);
  EXPECT_FALSE(analyst.visible());
}

TEST(CollectionAccess, CertificatePartnerNameIsAUserGrantee) {
  std::vector<CollectionGrant> grants = {Grant("user:dgsi", "read")};
  EXPECT_TRUE(DecideCollectionAccess(Who("dgsi-node", Role::kPartner, "dgsi"), grants).can_read);
}

TEST(CollectionAccess, NobodyWithoutAGrantOrAuthentication) {
  EXPECT_FALSE(DecideCollectionAccess(Who("octi", Role::kPartner), {}).visible());
  Principal anonymous = Who("octi", Role::kPartner);
  anonymous.authenticated = false;
  EXPECT_FALSE(DecideCollectionAccess(anonymous, {Grant("user:octi", "read-write")}).visible());
  EXPECT_FALSE(
      DecideCollectionAccess(Who("octi", Role::kPartner), {Grant("user:octi", "none")}).visible());
}

TEST(CollectionAccess, GrantSyntaxErrorsNameTheTextAndTheExpectation) {
  struct Case {
    std::string grantee, access, needle;
  };
  for (const Case& c : std::vector<Case>{{"octi", "read", "user:NAME or role:ROLE"},
                                         {"user:", "read", "a user name"},
                                         {"user:Octi", "read", "a user name"},
                                         {"role:boss", "read", "unknown role"},
                                         {"group:x", "read", "user:NAME or role:ROLE"},
                                         {"user:octi", "rw", "read, write, read-write or none"}}) {
    auto g = ParseCollectionGrant(c.grantee, c.access);
    ASSERT_FALSE(g.ok()) << c.grantee << " " << c.access;
    EXPECT_EQ(g.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(g.status().message().find(c.needle), std::string::npos) << g.status().message();
  }
}

TEST(CollectionAccess, TextFormsRoundTrip) {
  CollectionGrant g = Grant("role:partner", "read-write");
  EXPECT_EQ(GranteeText(g), "role:partner");
  EXPECT_EQ(AccessText(g), "read-write");
  EXPECT_EQ(AccessText(Grant("user:a", "write")), "write");
  EXPECT_EQ(AccessText(Grant("user:a", "read")), "read");
}

}  // namespace
}  // namespace entente::server
