// Route registration and lookup: parameters, literals over parameters, 404 versus 405.
#include "http/router.h"

#include <gtest/gtest.h>

namespace entente::server {
namespace {

RouteSpec Spec(std::string method, std::string pattern) {
  RouteSpec spec;
  spec.method = std::move(method);
  spec.pattern = std::move(pattern);
  spec.permission = Permission::kRecordsRead;
  spec.handler = [](RequestContext&) { return JsonResponse(200, "{}"); };
  return spec;
}

TEST(Router, ResolvesParametersAndPrefersLiterals) {
  Router router;
  ASSERT_TRUE(router.Add(Spec("GET", "/api/v1/entities/{id}")).ok());
  ASSERT_TRUE(router.Add(Spec("GET", "/api/v1/entities/{id}/history")).ok());
  ASSERT_TRUE(router.Add(Spec("GET", "/api/v1/audit/verify")).ok());
  ASSERT_TRUE(router.Add(Spec("GET", "/api/v1/audit/{seq}")).ok());
  RouteMatch match = router.Resolve("GET", "/api/v1/entities/person--1");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.params.at("id"), "person--1");
  match = router.Resolve("GET", "/api/v1/audit/verify");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/api/v1/audit/verify");
  EXPECT_NE(router.Resolve("GET", "/api/v1/entities/x/history").route, nullptr);
}

TEST(Router, TellsUnknownPathFromWrongMethod) {
  Router router;
  ASSERT_TRUE(router.Add(Spec("GET", "/api/v1/entities/{id}")).ok());
  ASSERT_TRUE(router.Add(Spec("PUT", "/api/v1/entities/{id}")).ok());
  RouteMatch wrong_method = router.Resolve("POST", "/api/v1/entities/x");
  EXPECT_EQ(wrong_method.route, nullptr);
  EXPECT_EQ(wrong_method.allowed_methods, (std::vector<std::string>{"GET", "PUT"}));
  RouteMatch unknown = router.Resolve("GET", "/api/v1/nothing");
  EXPECT_EQ(unknown.route, nullptr);
  EXPECT_TRUE(unknown.allowed_methods.empty());
  // Empty segments and traversal-shaped paths do not match parameters.
  EXPECT_EQ(router.Resolve("GET", "/api/v1/entities/").route, nullptr);
  EXPECT_EQ(router.Resolve("GET", "/api/v1/entities/../../etc/passwd").route, nullptr);
}

TEST(Router, AcceptsOneTrailingSlashAsTaxiiClientsSend) {
  Router router;
  ASSERT_TRUE(router.Add(Spec("GET", "/taxii2")).ok());
  ASSERT_TRUE(router.Add(Spec("GET", "/taxii2/entente/collections/{collection}/objects")).ok());
  EXPECT_NE(router.Resolve("GET", "/taxii2/").route, nullptr);
  RouteMatch objects = router.Resolve("GET", "/taxii2/entente/collections/c1/objects/");
  ASSERT_NE(objects.route, nullptr);
  EXPECT_EQ(objects.params.at("collection"), "c1");
  // Only one: a doubled slash is an empty segment; a lone "/" is the root, not "".
  EXPECT_EQ(router.Resolve("GET", "/taxii2//").route, nullptr);
  EXPECT_EQ(router.Resolve("GET", "/taxii2/entente/collections//objects/").route, nullptr);
  EXPECT_EQ(router.Resolve("GET", "/").route, nullptr);
  // 405 still names the methods for the slashed form.
  EXPECT_EQ(router.Resolve("POST", "/taxii2/").allowed_methods, std::vector<std::string>{"GET"});
}

TEST(Router, RejectsBadAndDuplicateRoutes) {
  Router router;
  ASSERT_TRUE(router.Add(Spec("GET", "/a/{id}")).ok());
  EXPECT_EQ(router.Add(Spec("GET", "/a/{other}")).code(), StatusCode::kConflict);
  EXPECT_EQ(router.Add(Spec("FETCH", "/b")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(router.Add(Spec("GET", "b")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(router.Add(Spec("GET", "/b/{bad-name}")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(router.Add(Spec("GET", "/b//c")).code(), StatusCode::kInvalidArgument);
  RouteSpec no_handler = Spec("GET", "/c");
  no_handler.handler = nullptr;
  EXPECT_EQ(router.Add(no_handler).code(), StatusCode::kInvalidArgument);
  RouteSpec no_auth = Spec("GET", "/d");
  no_auth.auth = kAuthNone;
  EXPECT_EQ(router.Add(no_auth).code(), StatusCode::kInvalidArgument);
}

TEST(ErrorFromStatus, MapsCodesAndNamesTheField) {
  HttpResponse bad = ErrorFromStatus(InvalidArgument("field birth_date: no such day"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("\"field\":\"birth_date\""), std::string::npos) << bad.body;
  EXPECT_EQ(ErrorFromStatus(NotFound("x")).status, 404);
  EXPECT_EQ(ErrorFromStatus(PermissionDenied("x")).status, 403);
  EXPECT_EQ(ErrorFromStatus(Conflict("x")).status, 409);
  HttpResponse internal = ErrorFromStatus(Internal("secret path /etc/x"));
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.body.find("/etc/x"), std::string::npos);
}

}  // namespace
}  // namespace entente::server
