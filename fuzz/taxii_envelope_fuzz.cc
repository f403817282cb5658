// Fuzz target: TAXII 2.1 envelopes, both ways they reach this node.
//
//   inbound  (first byte even): the body of POST /taxii2/entente/collections/{id}/objects/,
//            given to the real route handler (api/taxii_routes.cc PostObjects: media types,
//            envelope checks, then exchange/receive.h ApplyReceivedObjects: validation,
//            signature check, mapping, store writes, audit) on an in-memory SQLite store with a
//            partner agreement that may write;
//   outbound (first byte odd): what a partner's TAXII server answers when this node pulls
//            (exchange/partner_sync.h SyncPartner with exchange/taxii_client.h): a loopback
//            HTTP server in this process answers discovery, the collections list or the objects
//            page (the second byte picks which) with the fuzz input, the other two with valid
//            answers.
// When bit 1 of the first byte is set and the body is a JSON object with an objects list, each
// object is signed with the partner's key first, so that inputs reach the mapping and the store
// and not only the signature check.
//
// Seeds: STIX objects from ../shared/data/stix wrapped in envelopes (seeds.sh) and
// fuzz/seeds/taxii_envelope/.
// Invariants: the POST handler answers 202 with a TAXII status resource or a TAXII error
// (400, 413, 415, 422), never 500, always a JSON body; a pull ends with a report or a Status
// with a message, and never throws.
#include <httplib.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>

#include "api/taxii_routes.h"
#include "audit/audit_log.h"
#include "exchange/agreement.h"
#include "exchange/exchange_store.h"
#include "exchange/partner_sync.h"
#include "exchange/signing.h"
#include "exchange/wire.h"
#include "http/route.h"
#include "http/router.h"
#include "store/database.h"
#include "store/record_store.h"

namespace {

namespace ex = entente::exchange;
namespace srv = entente::server;
using nlohmann::json;

void Fail(const char* what, const std::string& detail = "") {
  std::fprintf(stderr, "taxii_envelope_fuzz invariant broken: %s %s\n", what, detail.c_str());
  std::abort();
}

const ex::SigningKey& PartnerKey() {
  static const ex::SigningKey key = ex::GenerateSigningKey();
  return key;
}

// What the loopback partner server answers; set before each pull.
struct FakePartner {
  std::mutex mutex;
  int fuzzed = 0;  // 0 discovery, 1 collections, 2 objects page
  std::string body;
  int port = 0;
};
FakePartner& Partner() {
  static FakePartner partner;
  return partner;
}

void StartPartnerServer() {
  static httplib::Server* server = [] {
    auto* s = new httplib::Server();
    auto answer = [](int which, std::string valid) {
      return [which, valid](const httplib::Request&, httplib::Response& res) {
        FakePartner& p = Partner();
        std::lock_guard<std::mutex> lock(p.mutex);
        res.set_content(p.fuzzed == which ? p.body : valid, ex::kTaxiiMediaType);
        if (which == 2) res.set_header("X-TAXII-Date-Added-Last", "2025-01-01T00:00:00.000Z");
      };
    };
    s->Get("/taxii2/", answer(0, R"({"title":"fuzz","default":"/taxii2/entente/",)"
                                 R"("api_roots":["/taxii2/entente/"]})"));
    s->Get("/taxii2/entente/collections/",
           answer(1, R"({"collections":[{"id":"c1","can_read":true,"can_write":false}]})"));
    s->Get("/taxii2/entente/collections/c1/objects/", answer(2, R"({"more":false,"objects":[]})"));
    int port = s->bind_to_any_port("127.0.0.1");
    if (port <= 0) Fail("cannot bind the loopback partner server");
    Partner().port = port;
    std::thread([s] { s->listen_after_bind(); }).detach();
    while (!s->is_running()) std::this_thread::yield();
    return s;
  }();
  (void)server;
}

std::string AgreementText(bool with_url) {
  std::string text = "[partner]\nname = \"dgsi\"\nservice = \"DGSI\"\nprincipals = [\"dgsi\"]\n";
  text += "public_key = \"" + PartnerKey().public_key + "\"\n";
  if (with_url) {
    text += "url = \"http://127.0.0.1:" + std::to_string(Partner().port) + "/taxii2/\"\n";
    text += "user = \"dgsn\"\ntoken_env = \"ENTENTE_FUZZ_TOKEN\"\n";
  }
  text += "[share]\ncategories = [\"*\"]\nmax_tlp = \"AMBER\"\n[receive]\nmay_write = true\n";
  return text;
}

// A fresh in-memory store with the tables the exchange uses and the partner's agreement.
std::unique_ptr<entente::Database> OpenStore(bool with_url) {
  auto db = entente::Database::Open(":memory:");
  if (!db.ok()) Fail("cannot open an in-memory store:", db.status().message());
  for (entente::Status s : {entente::RecordStore::Migrate(**db), srv::AuditLog::Migrate(**db),
                            ex::ExchangeStore::Migrate(**db)})
    if (!s.ok()) Fail("migration failed:", s.message());
  auto agreement = ex::ParseAgreement(AgreementText(with_url), "fuzz-agreement.toml");
  if (!agreement.ok()) Fail("the fuzz agreement does not parse:", agreement.status().message());
  ex::ExchangeStore xs(db->get());
  if (entente::Status s = xs.PutAgreement(*agreement); !s.ok()) Fail("PutAgreement:", s.message());
  return std::move(*db);
}

// Signs every object of an envelope with the partner's key; the body unchanged otherwise.
std::string SignObjects(std::string body) {
  json envelope = json::parse(body, nullptr, false);
  if (!envelope.is_object()) return body;
  auto objects = envelope.find("objects");
  if (objects == envelope.end() || !objects->is_array()) return body;
  for (json& object : *objects)
    if (object.is_object()) (void)ex::SignStixObject(PartnerKey(), "DGSI", &object);
  return envelope.dump(-1, ' ', false, json::error_handler_t::replace);
}

void Inbound(const std::string& body) {
  static const srv::Router* router = [] {
    auto* r = new srv::Router();
    if (entente::Status s = ex::MountHttpRoutes(*r); !s.ok()) Fail("mount:", s.message());
    return r;
  }();
  auto db = OpenStore(/*with_url=*/false);
  ex::ExchangeStore xs(db.get());
  std::string collection = xs.InboundCollectionId("dgsi");
  std::string path = "/taxii2/entente/collections/" + collection + "/objects/";
  srv::RouteMatch match = router->Resolve("POST", path);
  if (!match.route) Fail("no POST objects route");
  srv::HttpRequest request;
  request.method = "POST";
  request.path = path;
  request.path_params = match.params;
  request.headers.emplace("content-type", ex::kTaxiiMediaType);
  request.headers.emplace("accept", ex::kTaxiiMediaType);
  request.body = body;
  srv::Principal principal;
  principal.authenticated = true;
  principal.user = "dgsi";
  principal.role = entente::server::Role::kPartner;
  principal.clearance = entente::Tlp::kAmber;
  principal.service = "DGSI";
  principal.partner = "dgsi";
  entente::RecordStore store(db.get());
  srv::ScopedStore records(&store, principal);
  srv::Services services;
  srv::RequestContext context{request, principal, *db, records, services, "DGSN"};
  srv::HttpResponse response = match.route->handler(context);
  if (response.status != 202 && response.status != 400 && response.status != 413 &&
      response.status != 415 && response.status != 422)
    Fail("POST objects answered", std::to_string(response.status) + " " + response.body);
  json answer = json::parse(response.body, nullptr, false);
  if (answer.is_discarded() || !answer.is_object()) Fail("a non-JSON answer:", response.body);
  if (response.status == 202 && !answer.contains("status")) Fail("202 without a status resource");
}

void Outbound(int fuzzed, const std::string& body) {
  StartPartnerServer();
  {
    FakePartner& p = Partner();
    std::lock_guard<std::mutex> lock(p.mutex);
    p.fuzzed = fuzzed;
    p.body = body;
  }
  static bool env = [] { return setenv("ENTENTE_FUZZ_TOKEN", "fuzz-token", 1) == 0; }();
  (void)env;
  auto db = OpenStore(/*with_url=*/true);
  ex::SyncOptions options;
  options.max_pages = 1;
  options.actor = "fuzz";
  auto report = ex::SyncPartner(*db, "DGSN", "dgsi", options);
  if (!report.ok() && report.status().message().empty()) Fail("pull error without a message");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t mode = data[0];
  const int fuzzed = data[1] % 3;
  std::string body(reinterpret_cast<const char*>(data) + 2, size - 2);
  if (mode & 2) body = SignObjects(std::move(body));
  if (mode & 1)
    Outbound(fuzzed, body);
  else
    Inbound(body);
  return 0;
}
