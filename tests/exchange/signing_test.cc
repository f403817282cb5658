// Ed25519 signatures over the JCS form of STIX objects.
#include "exchange/signing.h"

#include <gtest/gtest.h>

#include "exchange/stix_mapping.h"

namespace entente::exchange {
namespace {

using nlohmann::json;

json Object() {
  return json::parse(R"({"type":"identity","spec_version":"2.1",
    "id":"identity--023d105b-752e-4e3c-941c-7d3f3cb15e9e","created":"2016-04-06T20:03:00.000Z",
    "modified":"2016-04-06T20:03:00.000Z","name":"ACME","identity_class":"organization"})");
}

TEST(Signing, SignedObjectVerifiesWhateverTheMemberOrder) {
  SigningKey key = GenerateSigningKey();
  json o = Object();
  ASSERT_TRUE(SignStixObject(key, "DGSN-DGST", &o).ok());
  EXPECT_EQ(SignerOf(o), "DGSN-DGST");
  EXPECT_TRUE(VerifyStixObject(key.public_key, o).ok());
  // Re-serialised with another member order: same canonical form.
  json reordered = json::parse(o.dump(2));
  EXPECT_TRUE(VerifyStixObject(key.public_key, reordered).ok());
}

TEST(Signing, TamperedObjectIsRejected) {
  SigningKey key = GenerateSigningKey();
  json o = Object();
  ASSERT_TRUE(SignStixObject(key, "DGSN-DGST", &o).ok());
  json tampered = o;
  tampered["name"] = "ACME2";
  EXPECT_EQ(VerifyStixObject(key.public_key, tampered).code(), StatusCode::kCorruption);
  json bad_sig = o;
  std::string& value =
      bad_sig["extensions"][kEntenteExtensionId]["signature"]["value"].get_ref<std::string&>();
  value[3] = value[3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(VerifyStixObject(key.public_key, bad_sig).code(), StatusCode::kCorruption);
}

TEST(Signing, OtherKeyAndUnsignedAreRejected) {
  SigningKey key = GenerateSigningKey(), other = GenerateSigningKey();
  json o = Object();
  EXPECT_EQ(VerifyStixObject(key.public_key, o).code(), StatusCode::kUnauthenticated);
  ASSERT_TRUE(SignStixObject(key, "DGSN-DGST", &o).ok());
  EXPECT_EQ(VerifyStixObject(other.public_key, o).code(), StatusCode::kCorruption);
  EXPECT_EQ(VerifyStixObject("not base64!", o).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace entente::exchange
