// The role matrix (docs/SECURITY.md), checked by calling every registered route — the
// server's own and those other subsystems mount — with every role and with no credentials.
// Every status seen must be one the route's OpenAPI operation declares, and the served
// document must describe exactly the registered routes.
#include <gtest/gtest.h>

#include <set>

#include "server_test_util.h"

namespace entente::server {
namespace {

using testing::MakePerson;
using testing::ParseJson;
using testing::TestServer;

// A concrete path for a pattern: {id} becomes a real record id, other parameters a value that
// names nothing.
std::string Concrete(const std::string& pattern, const std::string& entity_id) {
  std::string path;
  for (const std::string& segment : SplitPath(pattern)) {
    path += "/";
    if (segment == "{id}") {
      path += entity_id;
    } else if (segment.size() > 2 && segment.front() == '{') {
      path += "nothing-here";
    } else {
      path += segment;
    }
  }
  return path;
}

class RoleMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>();
    server_->Start();
    person_ = MakePerson("Matrix Person", Tlp::kGreen);
    server_->Put({person_});
    auto [status, body] = server_->Call("GET", "/api/v1/openapi.json", "");
    ASSERT_EQ(status, 200);
    document_ = ParseJson(body);
  }

  bool Declared(const RouteSpec& route, int status) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    const auto& responses = document_["paths"][route.pattern][method]["responses"];
    return responses.contains(std::to_string(status));
  }

  std::unique_ptr<TestServer> server_;
  Entity person_;
  nlohmann::json document_;
};

// The routes of one's own session: public, they read the session cookie themselves.
bool SessionRoute(const std::string& pattern) {
  return pattern == "/api/v1/session" || pattern.rfind("/api/v1/session/", 0) == 0;
}

TEST_F(RoleMatrixTest, EveryRouteWithEveryRole) {
  // One user per role (users of the same role differ only in clearance).
  const std::vector<std::string> users = {"ana", "sam", "lia", "adm", "aud", "par"};
  int calls = 0;
  for (const RouteSpec& route : server_->server().router().routes()) {
    // A fresh record per route, so that a DELETE does not change the next route's answer.
    Entity target = MakePerson("Matrix Target", Tlp::kGreen);
    server_->Put({target});
    std::string path = Concrete(route.pattern, target.meta.id);
    std::string body = route.method == "GET" || route.method == "DELETE" ? "" : "{}";
    for (const std::string& user : users) {
      Role role = server_->user(user).role;
      auto [status, response] = server_->Call(route.method, path, user, body);
      calls++;
      std::string where = route.method + " " + route.pattern + " as " + std::string(RoleName(role));
      ASSERT_NE(status, -1) << where;
      if ((route.auth & server::kAuthBearer) == 0 && route.permission != Permission::kPublic) {
        // A route that takes only client certificates (partner routes) does not know a user's
        // bearer token at all, whatever the role: unauthenticated, not forbidden.
        EXPECT_EQ(status, 401) << where << ": " << response;
      } else if (RoleHasPermission(role, route.permission)) {
        // The sign-in routes (and the password change) are public and check the session
        // cookie themselves.
        if (!SessionRoute(route.pattern)) {
          EXPECT_NE(status, 401) << where << ": " << response;
        }
        bool role_refused = status == 403 && response.find("\"role ") != std::string::npos;
        EXPECT_FALSE(role_refused) << where << ": " << response;
      } else {
        EXPECT_EQ(status, 403) << where << ": " << response;
        EXPECT_NE(response.find("permission_denied"), std::string::npos) << where;
      }
      EXPECT_LT(status, 500) << where << ": " << response;
      EXPECT_TRUE(Declared(route, status))
          << where << " answered " << status << ", which its OpenAPI operation does not declare";
    }
    auto [anonymous, response] = server_->Call(route.method, path, "", body);
    if (route.pattern == "/api/v1/session") {
      // Without a cookie: 401 to ask who is signed in or to sign out, 400 to sign in with {}.
      EXPECT_EQ(anonymous, route.method == "POST" ? 400 : 401) << route.method << " " << response;
    } else if (SessionRoute(route.pattern)) {
      EXPECT_EQ(anonymous, 401) << route.method << " " << route.pattern << ": " << response;
    } else if (route.permission == Permission::kPublic) {
      EXPECT_EQ(anonymous, 200) << route.pattern;
    } else {
      EXPECT_EQ(anonymous, 401) << route.method << " " << route.pattern;
      EXPECT_TRUE(Declared(route, 401))
          << route.method << " " << route.pattern << " must declare 401";
    }
  }
  EXPECT_GT(calls, 100);
}

TEST_F(RoleMatrixTest, MatrixMatchesTheDocumentedTable) {
  // docs/SECURITY.md prints this table; keep both in step.
  auto allowed = [](Role role) {
    std::vector<std::string> names;
    for (Permission permission : AllPermissions()) {
      if (permission != Permission::kPublic && RoleHasPermission(role, permission)) {
        names.emplace_back(PermissionName(permission));
      }
    }
    return names;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(allowed(Role::kAnalyst), (V{"stats.read", "records.read", "records.write", "import",
                                        "match", "collections.access"}));
  EXPECT_EQ(allowed(Role::kScreeningOfficer),
            (V{"stats.read", "records.read", "match", "screen.run", "screen.decide",
               "collections.access"}));
  EXPECT_EQ(allowed(Role::kLiaison),
            (V{"stats.read", "records.read", "match", "exchange", "collections.access"}));
  EXPECT_EQ(allowed(Role::kAdmin), (V{"stats.read", "users.manage", "partners.manage"}));
  EXPECT_EQ(allowed(Role::kAuditor), (V{"stats.read", "audit.read"}));
  EXPECT_EQ(allowed(Role::kPartner), (V{"partner.access", "collections.access"}));
}

TEST_F(RoleMatrixTest, OpenApiDocumentDescribesExactlyTheRegisteredRoutes) {
  ASSERT_TRUE(document_.is_object());
  EXPECT_EQ(document_["openapi"], "3.1.0");
  size_t operations = 0;
  for (const auto& [pattern, methods] : document_["paths"].items()) operations += methods.size();
  const auto& routes = server_->server().router().routes();
  EXPECT_EQ(operations, routes.size());
  std::set<std::string> operation_ids;
  for (const RouteSpec& route : routes) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    std::string where = route.method + " " + route.pattern;
    ASSERT_TRUE(document_["paths"].contains(route.pattern)) << where;
    ASSERT_TRUE(document_["paths"][route.pattern].contains(method)) << where;
    const auto& operation = document_["paths"][route.pattern][method];
    EXPECT_TRUE(operation.contains("summary")) << where;
    ASSERT_TRUE(operation.contains("responses")) << where;
    EXPECT_FALSE(operation["responses"].empty()) << where;
    for (const auto& [status, response] : operation["responses"].items()) {
      EXPECT_TRUE(response.contains("description")) << where << " " << status;
    }
    // Every path parameter is declared as one.
    for (const std::string& segment : SplitPath(route.pattern)) {
      if (segment.front() != '{') continue;
      std::string name = segment.substr(1, segment.size() - 2);
      bool declared = false;
      for (const auto& parameter : operation["parameters"]) {
        declared = declared || (parameter["name"] == name && parameter["in"] == "path");
      }
      EXPECT_TRUE(declared) << where << " parameter " << name;
    }
    // No parameter is listed twice; every operation has its own operationId.
    std::set<std::string> parameter_keys;
    for (const auto& parameter : operation.value("parameters", nlohmann::json::array())) {
      std::string key = parameter.value("in", "") + ":" + parameter.value("name", "");
      EXPECT_TRUE(parameter_keys.insert(key).second) << where << " lists " << key << " twice";
    }
    ASSERT_TRUE(operation.contains("operationId")) << where;
    EXPECT_TRUE(operation_ids.insert(operation["operationId"].get<std::string>()).second)
        << where << " reuses operationId " << operation["operationId"];
    if (route.permission != Permission::kPublic) {
      EXPECT_FALSE(operation["security"].empty()) << where;
      EXPECT_TRUE(operation["responses"].contains("401")) << where;
      EXPECT_TRUE(operation["responses"].contains("403")) << where;
    }
    if (route.rate_limited) {
      EXPECT_TRUE(operation["responses"].contains("429")) << where;
    }
    if (route.method == "POST" || route.method == "PUT") {
      // Bodies are size-limited, so 413 must be documented where a body is taken.
      if (operation.contains("requestBody")) {
        EXPECT_TRUE(operation["responses"].contains("413")) << where;
      }
    }
  }
}

}  // namespace
}  // namespace entente::server
