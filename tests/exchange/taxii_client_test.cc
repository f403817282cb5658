// What the TAXII client does with answers a partner's server should not send: discovery with
// roots that are not strings, a TAXII error whose title is not a string, JSON nested far too
// deep. Each is an error or skipped, never an exception that ends `entente sync` (a real HTTP
// server on loopback answers).
#include "exchange/taxii_client.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <string>
#include <thread>

namespace entente::exchange {
namespace {

class FakePartner {
 public:
  FakePartner() {
    server_.Get("/taxii2/", [this](const httplib::Request&, httplib::Response& res) {
      res.status = status_;
      res.set_content(body_, "application/taxii+json;version=2.1");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~FakePartner() {
    server_.stop();
    thread_.join();
  }
  void Answer(int status, std::string body) {
    status_ = status;
    body_ = std::move(body);
  }
  std::unique_ptr<TaxiiClient> Client() {
    TaxiiEndpoint e;
    e.url = "http://127.0.0.1:" + std::to_string(port_) + "/taxii2/";
    e.timeout_seconds = 5;
    return std::move(TaxiiClient::Connect(e).value());
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  int status_ = 200;
  std::string body_ = "{}";
};

TEST(TaxiiClientAnswers, RootsThatAreNotStringsAreSkipped) {
  FakePartner partner;
  partner.Answer(200, R"({"default": 5, "api_roots": [7, "/taxii2/b/", null, {"x": 1}]})");
  auto roots = partner.Client()->ApiRoots();
  ASSERT_TRUE(roots.ok()) << roots.status().ToString();
  EXPECT_EQ(*roots, std::vector<std::string>{"/taxii2/b/"});
  partner.Answer(200, R"({"default": [], "api_roots": [1, 2]})");
  EXPECT_EQ(partner.Client()->DefaultApiRoot().status().code(), StatusCode::kNotFound);
  partner.Answer(200, R"(["not", "an", "object"])");
  EXPECT_EQ(partner.Client()->ApiRoots().status().code(), StatusCode::kNotFound);
}

TEST(TaxiiClientAnswers, AnErrorWhoseTitleIsNotAStringIsStillAnError) {
  FakePartner partner;
  partner.Answer(403, R"({"title": 5, "description": ["no"], "http_status": "403"})");
  auto reply = partner.Client()->Get("/taxii2/");
  EXPECT_EQ(reply.status().code(), StatusCode::kPermissionDenied) << reply.status().ToString();
}

TEST(TaxiiClientAnswers, JsonNestedTooDeepIsRefusedNotParsed) {
  FakePartner partner;
  partner.Answer(200,
                 "{\"api_roots\":" + std::string(200000, '[') + std::string(200000, ']') + "}");
  auto reply = partner.Client()->Get("/taxii2/");
  EXPECT_EQ(reply.status().code(), StatusCode::kCorruption);
  EXPECT_NE(reply.status().message().find("deeper than"), std::string::npos)
      << reply.status().message();
}

}  // namespace
}  // namespace entente::exchange
