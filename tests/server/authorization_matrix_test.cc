// The authorization matrix: every route of the router × every role × every clearance × own or
// other service, against canary records of every marking whose names, ids and birth dates are
// unique strings. For each response (body and headers) it asserts that no canary the caller may
// not read (auth/policy.h) appears, and that the status is the one the route's declared
// permission implies: 403 when the role lacks it, never 401/403 when it has it (unless the
// route's entry says the route itself may refuse, e.g. a TAXII collection without an
// agreement, a marking the caller may not set). A route without an entry here fails the test.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "auth/policy.h"
#include "exchange/agreement.h"
#include "exchange/exchange_store.h"
#include "model/codec.h"
#include "server_test_util.h"

namespace entente::server {
namespace {

using testing::TestServer;
using testing::UrlEncode;

constexpr const char* kOwn = "DGSN-DGST";
constexpr const char* kOther = "DGSI";
constexpr const char* kSharedName = "Kalimbor Zentarou";

struct Canary {
  Entity entity;
  std::string marker;      // a unique alias: "CNRY<tlp><service>"
  std::string birth_date;  // unique too
};

// What to send for one route: the path with its parameters, the body, whether the route may
// refuse an allowed caller for reasons of its own (403 from its domain rules).
struct Cell {
  std::string path;
  std::string body;
  std::string content_type = "application/json";
  std::string target_id;  // the canary the request names (its id may be echoed back)
};

struct Entry {
  bool may_refuse = false;
  // One or more requests for this route (one per target canary where the route takes an id).
  std::function<std::vector<Cell>()> cells;
};

class AuthorizationMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>([](ServerConfig& config) {
      config.limits.rate_per_minute = 1000000;
      config.limits.rate_burst = 1000000;
      config.limits.max_connections = 8;
    });
    MakeCanaries();
    server_->Start();
    if (HasFatalFailure()) return;
    MakeUsers();
    PrepareScreening();
    PrepareAgreement();
  }

  // An agreement that shares every category up to AMBER: explain and the counts then weigh
  // every canary (and must say nothing about those the caller may not read).
  void PrepareAgreement() {
    auto db = Database::Open(server_->db_path());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(exchange::ExchangeStore::Migrate(**db).ok());
    auto agreement = exchange::ParseAgreement(
        "[partner]\nname = \"matrix-partner\"\nservice = \"DGSI\"\n"
        "[share]\ncategories = [\"*\"]\nmax_tlp = \"AMBER\"\n");
    ASSERT_TRUE(agreement.ok()) << agreement.status().ToString();
    ASSERT_TRUE(exchange::ExchangeStore(db->get()).PutAgreement(*agreement).ok());
  }

  void MakeCanaries() {
    std::vector<Record> records;
    int day = 1;
    for (const char* service : {kOwn, kOther}) {
      for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
        Canary canary;
        std::string tlp_word(TlpName(tlp));
        std::erase(tlp_word, '+');
        canary.marker = "CNRY" + tlp_word + (service == std::string(kOwn) ? "MAROC" : "FRANCE");
        canary.entity = testing::MakePerson(kSharedName, tlp, service);
        canary.entity.names.push_back({canary.marker, NameKind::kAlias, "Latn"});
        char date[32];
        std::snprintf(date, sizeof date, "1913-02-%02d", day++);
        canary.birth_date = date;
        canary.entity.birth_dates = {*PartialDate::Parse(date)};
        records.push_back(canary.entity);
        canaries_.push_back(canary);
      }
    }
    // The hub: a CLEAR record of this service linked to every canary (graph and risk).
    hub_ = testing::MakePerson("Hubert Matrixhub", Tlp::kClear, kOwn);
    records.push_back(hub_);
    for (const Canary& canary : canaries_) {
      Relationship link;
      link.meta.id = RandomId("relationship");
      link.meta.provenance = {kOwn, "test", link.meta.id, "", ""};
      link.meta.marking = {Tlp::kClear, {}};
      link.type = RelationshipType::kAssociateOf;
      link.source_id = hub_.meta.id;
      link.target_id = canary.entity.meta.id;
      records.push_back(link);
    }
    server_->Put(records);
  }

  void MakeUsers() {
    for (Role role : AllRoles()) {
      for (Tlp clearance : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
        for (const char* service : {kOwn, kOther}) {
          std::string name = "m-" + std::string(RoleName(role)) + "-" +
                             std::to_string(static_cast<int>(clearance)) + "-" +
                             (service == std::string(kOwn) ? "own" : "other");
          server_->AddUserNow(name, role, clearance, service);
          users_.push_back(name);
        }
      }
    }
    server_->AddUserNow("m-victim", Role::kAnalyst, Tlp::kClear, kOwn);
  }

  // A stored list with a hit on every canary, screened by a RED officer of this service.
  void PrepareScreening() {
    server_->AddUserNow("m-setup-officer", Role::kScreeningOfficer, Tlp::kRed, kOwn);
    std::string csv = "id,name,birth_date\n";
    for (size_t idx = 0; idx < canaries_.size(); ++idx) {
      // No birth date in the rows: the canaries' dates must appear only where they leak.
      csv += "row" + std::to_string(idx) + "," + kSharedName + ",\n";
    }
    auto [status, body] = server_->Call("POST", "/api/v1/screening/lists?name=matrix-list",
                                        "m-setup-officer", csv, "text/csv");
    ASSERT_EQ(status, 202) << body;
    job_id_ = std::to_string(testing::ParseJson(body)["job_id"].get<int64_t>());
    for (int wait = 0; wait < 300; ++wait) {
      auto [s, job] = server_->Call("GET", "/api/v1/screening/jobs/" + job_id_, "m-setup-officer");
      if (s == 200 && testing::ParseJson(job)["status"] == "done") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    auto [s, hits] = server_->Call("GET", "/api/v1/screening/hits?limit=100", "m-setup-officer");
    ASSERT_EQ(s, 200) << hits;
    nlohmann::json page = testing::ParseJson(hits);
    for (const auto& hit : page["items"]) {
      // One hit per canary: the first row's.
      if (hit.value("query_id", "") == "row0") {
        hit_ids_.push_back(std::to_string(hit["hit_id"].get<int64_t>()));
      }
    }
    ASSERT_EQ(hit_ids_.size(), canaries_.size()) << "hits of row0: " << hit_ids_.size();
  }

  // One request per canary, with `make` building the request for a canary.
  std::vector<Cell> PerCanary(const std::function<Cell(const Canary&)>& make) const {
    std::vector<Cell> cells;
    for (const Canary& canary : canaries_) {
      Cell cell = make(canary);
      cell.target_id = canary.entity.meta.id;
      cells.push_back(cell);
    }
    return cells;
  }

  std::map<std::string, Entry> Entries() {
    auto one = [](std::string path, std::string body = "", std::string type = "application/json") {
      return [path, body, type] { return std::vector<Cell>{{path, body, type, ""}}; };
    };
    const std::string taxii = "/taxii2/entente/collections/no-such-collection";  // + "/..." below
    std::map<std::string, Entry> entries;
    entries["GET /api/v1/health"] = {false, one("/api/v1/health")};
    // Sign-in is public; a wrong password gets 401, and no cookie means no session.
    entries["POST /api/v1/session"] = {
        false, one("/api/v1/session", R"({"user": "m-victim", "password": "not the password"})")};
    entries["GET /api/v1/session"] = {false, one("/api/v1/session")};
    entries["DELETE /api/v1/session"] = {false, one("/api/v1/session")};
    entries["GET /api/v1/openapi.json"] = {false, one("/api/v1/openapi.json")};
    entries["GET /api/v1/stats"] = {false, one("/api/v1/stats")};
    entries["GET /api/v1/entities"] = {false, one("/api/v1/entities?q=CNRY&limit=100")};
    entries["GET /api/v1/entities/{id}"] = {false, [this] {
                                              return PerCanary([](const Canary& c) {
                                                return Cell{"/api/v1/entities/" + c.entity.meta.id};
                                              });
                                            }};
    entries["GET /api/v1/entities/{id}/history"] = {
        false, [this] {
          return PerCanary([](const Canary& c) {
            return Cell{"/api/v1/entities/" + c.entity.meta.id + "/history"};
          });
        }};
    entries["PUT /api/v1/entities/{id}"] = {
        true, [this] {
          return PerCanary([](const Canary& c) {
            return Cell{"/api/v1/entities/" + c.entity.meta.id, EntityToJson(c.entity)};
          });
        }};
    entries["DELETE /api/v1/entities/{id}"] = {
        true, [this] {
          // Runs after every other route: a permitted revocation changes nothing they check.
          return PerCanary(
              [](const Canary& c) { return Cell{"/api/v1/entities/" + c.entity.meta.id}; });
        }};
    entries["POST /api/v1/entities"] = {
        true,
        one("/api/v1/entities",
            R"({"type": "person", "names": [{"full": "Matrix Created"}], "marking": {"tlp": "GREEN"}})")};
    entries["POST /api/v1/match"] = {
        false,
        one("/api/v1/match", std::string(R"({"name": ")") + kSharedName + R"(", "top": 20})")};
    entries["POST /api/v1/imports"] = {
        true, [this] {
          return PerCanary([](const Canary& c) {
            return Cell{"/api/v1/imports?format=csv&tlp=CLEAR&source=matrix",
                        "id,name\n" + c.entity.meta.id + ",Overwritten By Matrix\n", "text/csv"};
          });
        }};
    entries["GET /api/v1/imports/{id}"] = {false, one("/api/v1/imports/no-such-job")};
    entries["GET /api/v1/users"] = {false, one("/api/v1/users")};
    entries["POST /api/v1/users"] = {
        true, [] {
          static int counter = 0;
          return std::vector<Cell>{
              {"/api/v1/users", R"({"name": "made-)" + std::to_string(++counter) +
                                    R"(", "role": "analyst", "clearance": "RED"})"}};
        }};
    entries["POST /api/v1/users/{name}/tokens"] = {true,
                                                   one("/api/v1/users/m-victim/tokens", "{}")};
    entries["DELETE /api/v1/users/{name}"] = {false, one("/api/v1/users/no-such-user")};
    entries["GET /api/v1/token-requests"] = {false, one("/api/v1/token-requests")};
    entries["POST /api/v1/token-requests/{id}/approve"] = {
        false, one("/api/v1/token-requests/0000000000000000/approve", "{}")};
    entries["DELETE /api/v1/token-requests/{id}"] = {
        false, one("/api/v1/token-requests/0000000000000000")};
    entries["DELETE /api/v1/tokens/{token_id}"] = {false, one("/api/v1/tokens/0000000000000000")};
    // The trail is RED: auditors below RED are refused (Policy::CanReadAuditTrail).
    entries["GET /api/v1/audit"] = {true, one("/api/v1/audit?limit=500")};
    entries["GET /api/v1/audit/verify"] = {true, one("/api/v1/audit/verify")};
    entries["POST /api/v1/screening/lists"] = {
        false, [] {
          static int counter = 0;
          return std::vector<Cell>{{"/api/v1/screening/lists?name=m" + std::to_string(++counter),
                                    std::string("id,name\nr1,") + kSharedName + "\n", "text/csv"}};
        }};
    entries["GET /api/v1/screening/jobs"] = {false, one("/api/v1/screening/jobs")};
    entries["GET /api/v1/screening/jobs/{job}"] = {false, one("/api/v1/screening/jobs/" + job_id_)};
    entries["GET /api/v1/screening/jobs/{job}/errors"] = {
        false, one("/api/v1/screening/jobs/" + job_id_ + "/errors")};
    entries["GET /api/v1/screening/jobs/{job}/report"] = {
        false, one("/api/v1/screening/jobs/" + job_id_ + "/report")};
    entries["POST /api/v1/screening/jobs/{job}/resume"] = {
        false, one("/api/v1/screening/jobs/" + job_id_ + "/resume", "{}")};
    entries["GET /api/v1/screening/hits"] = {false, one("/api/v1/screening/hits?limit=100")};
    entries["GET /api/v1/screening/hits/{hit}"] = {
        false, [this] {
          std::vector<Cell> cells;
          for (const auto& id : hit_ids_) cells.push_back({"/api/v1/screening/hits/" + id});
          return cells;
        }};
    entries["POST /api/v1/screening/hits/{hit}/decision"] = {
        true, [this] {
          std::vector<Cell> cells;
          for (const auto& id : hit_ids_) {
            cells.push_back({"/api/v1/screening/hits/" + id + "/decision",
                             R"({"decision": "refer", "reason": "matrix"})"});
          }
          return cells;
        }};
    entries["GET /api/v1/screening/alerts"] = {false, one("/api/v1/screening/alerts")};
    entries["POST /api/v1/screening/rescreen"] = {false, one("/api/v1/screening/rescreen", "{}")};
    entries["GET /api/v1/graph/neighbours/{id}"] = {
        false, one("/api/v1/graph/neighbours/" + hub_.meta.id + "?hops=1")};
    entries["GET /api/v1/graph/path"] = {
        false, [this] {
          return PerCanary([this](const Canary& c) {
            return Cell{"/api/v1/graph/path?from=" + hub_.meta.id + "&to=" + c.entity.meta.id};
          });
        }};
    entries["GET /api/v1/graph/networks"] = {false, one("/api/v1/graph/networks")};
    entries["GET /api/v1/graph/central"] = {false, one("/api/v1/graph/central")};
    entries["GET /api/v1/risk/entities/{id}"] = {
        false, [this] {
          return PerCanary(
              [](const Canary& c) { return Cell{"/api/v1/risk/entities/" + c.entity.meta.id}; });
        }};
    entries["GET /api/v1/risk/lists/{name}"] = {false, one("/api/v1/risk/lists/matrix-list")};
    entries["GET /api/v1/hitnohit/followups"] = {false, one("/api/v1/hitnohit/followups")};
    entries["POST /api/v1/hitnohit/followups/{id}/decision"] = {
        false, one("/api/v1/hitnohit/followups/1/decision",
                   R"({"decision": "refuse", "reason": "matrix"})")};
    const std::string match_body =
        std::string(R"({"queries": {"q": {"schema": "Person", "properties": {"name": [")") +
        kSharedName + R"("]}}}})";
    entries["POST /match/{dataset}"] = {false, one("/match/default?limit=20", match_body)};
    entries["GET /search/{dataset}"] = {
        false, one("/search/default?limit=100&q=" + UrlEncode(kSharedName))};
    entries["GET /entities/{id}"] = {
        false, [this] {
          return PerCanary([](const Canary& c) { return Cell{"/entities/" + c.entity.meta.id}; });
        }};
    entries["GET /catalog"] = {false, one("/catalog")};
    entries["GET /reconcile/suggest/entity"] = {
        false, one("/reconcile/suggest/entity?limit=50&prefix=" + UrlEncode(kSharedName))};
    entries["GET /reconcile/suggest/type"] = {false, one("/reconcile/suggest/type?prefix=P")};
    entries["GET /reconcile/suggest/property"] = {false,
                                                  one("/reconcile/suggest/property?prefix=b")};
    entries["GET /reconcile/extend/propose"] = {false,
                                                one("/reconcile/extend/propose?type=Person")};
    const std::string recon =
        std::string(R"({"q0": {"query": ")") + kSharedName + R"(", "limit": 20}})";
    entries["GET /reconcile"] = {false, one("/reconcile?queries=" + UrlEncode(recon))};
    entries["POST /reconcile"] = {false, one("/reconcile", "queries=" + UrlEncode(recon),
                                             "application/x-www-form-urlencoded")};
    entries["GET /api/v1/sessions"] = {false, one("/api/v1/sessions")};
    entries["DELETE /api/v1/sessions/{id}"] = {false, one("/api/v1/sessions/0000000000000000")};
    entries["POST /api/v1/session/password"] = {
        false, one("/api/v1/session/password", R"({"old_password": "x", "new_password": "y"})")};
    entries["GET /api/v1/exchange/agreements"] = {false, one("/api/v1/exchange/agreements")};
    entries["GET /api/v1/exchange/agreements/{partner}"] = {
        false, one("/api/v1/exchange/agreements/matrix-partner")};
    entries["GET /api/v1/exchange/sync"] = {false, one("/api/v1/exchange/sync")};
    entries["GET /api/v1/exchange/explain"] = {
        false, [this] {
          return PerCanary([](const Canary& c) {
            return Cell{"/api/v1/exchange/explain?id=" + c.entity.meta.id +
                        "&partner=matrix-partner"};
          });
        }};
    entries["GET /api/v1/exchange/collections"] = {false, one("/api/v1/exchange/collections")};
    entries["GET /api/v1/exchange/received"] = {
        false, [] {
          return std::vector<Cell>{Cell{"/api/v1/exchange/received"},
                                   Cell{"/api/v1/exchange/received?via=refused"}};
        }};
    // The node's own administrators only (Policy::CanReadExchangeSetup).
    entries["GET /api/v1/exchange/keys"] = {true, one("/api/v1/exchange/keys")};
    entries["GET /api/v1/exchange/received/{id}"] = {
        false, [this] {
          return PerCanary([](const Canary& c) {
            return Cell{"/api/v1/exchange/received/" + c.entity.meta.id};
          });
        }};
    entries["POST /api/v1/hitnohit/ask"] = {
        false, one("/api/v1/hitnohit/ask",
                   std::string(R"({"partner": "no-such-partner", "queries": [{"name": ")") +
                       kSharedName + R"("}]})")};
    entries["GET /api/v1/hitnohit/outgoing"] = {false, one("/api/v1/hitnohit/outgoing")};
    entries["POST /api/v1/hitnohit/outgoing"] = {
        false, one("/api/v1/hitnohit/outgoing",
                   R"({"partner": "no-such-partner", "reference": "hnh-0", "reason": "matrix"})")};
    entries["POST /partner/v1/hitnohit"] = {true, one("/partner/v1/hitnohit", "{}")};
    entries["POST /partner/v1/hitnohit/followups"] = {true,
                                                      one("/partner/v1/hitnohit/followups", "{}")};
    entries["GET /partner/v1/hitnohit/followups/{id}"] = {true,
                                                          one("/partner/v1/hitnohit/followups/1")};
    entries["GET /taxii2"] = {true, one("/taxii2/")};
    entries["GET /taxii2/{root}"] = {true, one("/taxii2/entente/")};
    entries["GET /taxii2/{root}/collections"] = {true, one("/taxii2/entente/collections/")};
    entries["GET /taxii2/{root}/collections/{collection}"] = {true, one(taxii + "/")};
    entries["GET /taxii2/{root}/collections/{collection}/objects"] = {true,
                                                                      one(taxii + "/objects/")};
    entries["POST /taxii2/{root}/collections/{collection}/objects"] = {
        true, one(taxii + "/objects/", "{}")};
    entries["GET /taxii2/{root}/collections/{collection}/objects/{object}"] = {
        true, one(taxii + "/objects/" + canaries_.back().entity.meta.id + "/")};
    entries["DELETE /taxii2/{root}/collections/{collection}/objects/{object}"] = {
        true, one(taxii + "/objects/" + canaries_.back().entity.meta.id + "/")};
    entries["GET /taxii2/{root}/collections/{collection}/objects/{object}/versions"] = {
        true, one(taxii + "/objects/" + canaries_.back().entity.meta.id + "/versions/")};
    entries["GET /taxii2/{root}/collections/{collection}/manifest"] = {true,
                                                                       one(taxii + "/manifest/")};
    entries["GET /taxii2/{root}/status/{status}"] = {true, one("/taxii2/entente/status/x/")};
    // The TAXII catch-alls (any other path or method under /taxii2): a TAXII error, no content.
    for (std::string method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
      std::string pattern = "/taxii2", path = "/taxii2";
      std::string body = method == "GET" || method == "DELETE" ? "" : "{}";
      for (int depth = 1; depth <= 8; ++depth) {
        pattern += depth == 1 ? std::string("/{root}") : "/{p" + std::to_string(depth) + "}";
        path += "/x";
        // GET /taxii2/{root} is the API root, a real route.
        if (depth > 1 || method != "GET")
          entries[method + " " + pattern] = {true, one(path + "/", body)};
      }
      if (method != "GET") entries[method + " /taxii2"] = {true, one("/taxii2/", body)};
    }
    return entries;
  }

  // The canaries `user` may not read, by the policy decision point itself.
  std::vector<const Canary*> Hidden(const testing::TestUser& user) const {
    Principal principal;
    principal.authenticated = true;
    principal.user = user.name;
    principal.role = user.role;
    principal.clearance = user.clearance;
    principal.service = user.service;
    Policy policy(principal);
    std::vector<const Canary*> hidden;
    for (const Canary& canary : canaries_) {
      if (!policy.CanRead(canary.entity.meta)) hidden.push_back(&canary);
    }
    return hidden;
  }

  std::unique_ptr<TestServer> server_;
  std::vector<Canary> canaries_;
  Entity hub_;
  std::vector<std::string> users_;
  std::string job_id_;
  std::vector<std::string> hit_ids_;
};

std::string Normalized(const std::string& pattern) {
  std::string out = pattern;
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

TEST_F(AuthorizationMatrixTest, NoRouteShowsARecordAboveTheCallersRights) {
  ASSERT_FALSE(HasFatalFailure());
  std::map<std::string, Entry> entries = Entries();
  std::vector<const RouteSpec*> routes;
  for (const RouteSpec& route : server_->server().router().routes()) routes.push_back(&route);
  // Deletions last, so that what they change cannot hide a leak from the other routes.
  std::stable_partition(routes.begin(), routes.end(),
                        [](const RouteSpec* route) { return route->method != "DELETE"; });
  int64_t cells = 0;
  std::set<std::string> seen;
  for (const RouteSpec* route : routes) {
    std::string key = route->method + " " + Normalized(route->pattern);
    auto entry = entries.find(key);
    if (entry == entries.end()) {
      ADD_FAILURE() << "route without a matrix entry: " << key;
      continue;
    }
    seen.insert(key);
    std::vector<Cell> requests = entry->second.cells();
    for (const std::string& user_name : users_) {
      const testing::TestUser& user = server_->user(user_name);
      std::vector<const Canary*> hidden = Hidden(user);
      bool permitted = RoleHasPermission(user.role, route->permission);
      auto client = server_->Client();
      for (const Cell& cell : requests) {
        httplib::Headers headers = server_->Auth(user_name);
        httplib::Result result =
            route->method == "GET" ? client->Get(cell.path.c_str(), headers)
            : route->method == "POST"
                ? client->Post(cell.path.c_str(), headers, cell.body, cell.content_type.c_str())
            : route->method == "PUT"
                ? client->Put(cell.path.c_str(), headers, cell.body, cell.content_type.c_str())
                : client->Delete(cell.path.c_str(), headers);
        ++cells;
        std::string where = key + " as " + user_name + " (" + cell.path + ")";
        ASSERT_TRUE(result) << where << ": " << httplib::to_string(result.error());
        std::string everything = result->body;
        for (const auto& [name, value] : result->headers) everything += name + ": " + value + "\n";
        for (const Canary* canary : hidden) {
          EXPECT_EQ(everything.find(canary->marker), std::string::npos)
              << where << " shows hidden canary " << canary->marker << ":\n"
              << result->body;
          EXPECT_EQ(everything.find(canary->birth_date), std::string::npos)
              << where << " shows the birth date of " << canary->marker;
          // The audit trail names the records acted on by id (never their content): its RED,
          // own-service auditors see every id, and that is its purpose.
          bool audit_trail = route->pattern.rfind("/api/v1/audit", 0) == 0;
          if (canary->entity.meta.id != cell.target_id && !audit_trail) {
            EXPECT_EQ(everything.find(canary->entity.meta.id), std::string::npos)
                << where << " shows the id of " << canary->marker;
          }
        }
        int status = result->status;
        bool bearer = (route->auth & kAuthBearer) != 0;
        if (route->permission == Permission::kPublic) {
          EXPECT_LT(status, 500) << where;
        } else if (!bearer) {
          EXPECT_EQ(status, 401) << where << " takes no bearer token";
        } else if (!permitted) {
          EXPECT_EQ(status, 403) << where << ": " << result->body;
        } else {
          EXPECT_NE(status, 401) << where << ": " << result->body;
          if (!entry->second.may_refuse) {
            EXPECT_NE(status, 403) << where << ": " << result->body;
          }
          EXPECT_LT(status, 500) << where << ": " << result->body;
        }
      }
    }
  }
  for (const auto& [key, entry] : entries) {
    EXPECT_TRUE(seen.count(key)) << "matrix entry for a route that does not exist: " << key;
  }
  std::printf("authorization matrix: %lld cells over %zu routes x %zu users\n",
              static_cast<long long>(cells), routes.size(), users_.size());
  EXPECT_GT(cells, 3000);
}

}  // namespace
}  // namespace entente::server
