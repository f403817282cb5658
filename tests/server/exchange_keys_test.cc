// GET /api/v1/exchange/keys over real HTTPS: an administrator sees this node's signing key and
// certificates and, per partner, its signing key, the CA of its server, our client certificate,
// the token's source and the client certificates that act for it; never a private key or a
// token. Other roles are refused; a file that cannot be read is named with why, and coded.
#include <gtest/gtest.h>

#include <cstdlib>

#include "exchange/agreement.h"
#include "exchange/exchange_store.h"
#include "exchange/signing.h"
#include "server/pki.h"
#include "server_test_util.h"

namespace entente::server {
namespace {

using nlohmann::json;
using testing::ParseJson;
using testing::TestServer;

TEST(ExchangeKeysTest, AnAdministratorSeesKeysAndCertificatesButNoSecret) {
  TestServer server([](ServerConfig& config) {
    config.partners.push_back({"dgsi", "DGSI", "dgsi-node", "", Tlp::kAmber});
  });
  server.Start();
  auto db = Database::Open(server.db_path());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(exchange::ExchangeStore::Migrate(**db).ok());
  exchange::ExchangeStore xs(db->get());
  auto node_key = xs.EnsureNodeKey();
  ASSERT_TRUE(node_key.ok());
  exchange::SigningKey partner_key = exchange::GenerateSigningKey();
  const std::string pki = server.pki_dir();
  ::unsetenv("ENTENTE_KEYS_TEST_TOKEN");
  auto agreement = exchange::ParseAgreement(
      "[partner]\nname = \"dgsi\"\nservice = \"DGSI\"\nurl = \"https://fr.example/taxii2/\"\n"
      "public_key = \"" +
      partner_key.public_key +
      "\"\nuser = \"dgsn\"\n"
      "token_env = \"ENTENTE_KEYS_TEST_TOKEN\"\nca_cert = \"" +
      pki +
      "/ca.crt\"\n"
      "client_cert = \"" +
      pki + "/no-such.crt\"\nclient_key = \"" + pki +
      "/server.key\"\n"
      "[share]\ncategories = [\"*\"]\n");
  ASSERT_TRUE(agreement.ok()) << agreement.status().ToString();
  ASSERT_TRUE(xs.PutAgreement(*agreement).ok());

  auto [status, body] = server.Call("GET", "/api/v1/exchange/keys", "adm");
  ASSERT_EQ(status, 200) << body;
  json keys = ParseJson(body);
  const json& node = keys["node"];
  EXPECT_EQ(node["signing_key"]["key_id"], node_key->KeyId());
  EXPECT_EQ(node["signing_key"]["public_key"], node_key->public_key);
  auto fingerprint = CertificateFingerprint(pki + "/server.crt");
  ASSERT_TRUE(fingerprint.ok());
  EXPECT_EQ(node["server_certificate"]["sha256"], *fingerprint);
  EXPECT_NE(node["server_certificate"]["issuer"].get<std::string>().find("test CA"),
            std::string::npos)
      << node;
  EXPECT_TRUE(node["server_certificate"]["valid_now"].get<bool>());
  EXPECT_GE(node["server_certificate"]["days_left"].get<int64_t>(),
            29);  // the test CA issues for 30
  EXPECT_NE(node["client_ca"]["subject"].get<std::string>().find("test CA"), std::string::npos);

  ASSERT_EQ(keys["partners"].size(), 1u);
  const json& p = keys["partners"][0];
  EXPECT_EQ(p["signing_key"]["key_id"], exchange::KeyIdOf(partner_key.public_key));
  EXPECT_NE(p["ca_cert"]["subject"].get<std::string>().find("test CA"), std::string::npos);
  EXPECT_EQ(p["client_cert"]["error"], "cannot open the file");
  EXPECT_EQ(p["client_cert"]["error_code"], "cert.unreadable");
  EXPECT_EQ(p["client_key"]["present"], true);
  EXPECT_EQ(p["account"], "dgsn");
  EXPECT_EQ(p["token"], json({{"env", "ENTENTE_KEYS_TEST_TOKEN"}, {"present", false}}));
  ASSERT_EQ(p["certificate_mappings"].size(), 1u);
  EXPECT_EQ(p["certificate_mappings"][0]["cert_cn"], "dgsi-node");
  EXPECT_EQ(p["certificate_mappings"][0]["clearance"], "AMBER");
  // No secret: not this node's secret key, not the private key file's text.
  EXPECT_EQ(body.find(node_key->secret_key), std::string::npos);
  EXPECT_EQ(body.find("PRIVATE KEY"), std::string::npos);

  ::setenv("ENTENTE_KEYS_TEST_TOKEN", "a-secret-token-value", 1);
  auto [with_token, with_token_body] = server.Call("GET", "/api/v1/exchange/keys", "adm");
  ::unsetenv("ENTENTE_KEYS_TEST_TOKEN");
  ASSERT_EQ(with_token, 200);
  EXPECT_EQ(ParseJson(with_token_body)["partners"][0]["token"]["present"], true);
  EXPECT_EQ(with_token_body.find("a-secret-token-value"), std::string::npos);

  // An administrator of a partner service does not read this node's set-up.
  server.AddUserNow("fr-adm", Role::kAdmin, Tlp::kRed, "DGSI");
  auto [foreign, foreign_body] = server.Call("GET", "/api/v1/exchange/keys", "fr-adm");
  EXPECT_EQ(foreign, 403) << foreign_body;
  EXPECT_EQ(foreign_body.find("dgsi-node"), std::string::npos) << foreign_body;
  for (const char* user : {"lia", "ana", "aud"})
    EXPECT_EQ(server.Call("GET", "/api/v1/exchange/keys", user).first, 403) << user;
  EXPECT_EQ(server.Call("GET", "/api/v1/exchange/keys", "").first, 401);
}

}  // namespace
}  // namespace entente::server
