// Unit tests of host/src/router.cpp: literal beats :param, params decoded, 404 vs 405 with Allow.
#include "router.h"

#include <gtest/gtest.h>

namespace latchkey::host {
namespace {

int32_t handler_a(void*, lk_request*, lk_response*) { return LK_OK; }

Route route(const std::string& method, const std::string& pattern, std::string plugin = "p") {
  Route r;
  r.method = method;
  r.pattern = pattern;
  r.handler = handler_a;
  r.plugin_name = std::move(plugin);
  return r;
}

std::string param(const RouteMatch& match, const std::string& name) {
  for (const auto& [key, value] : match.params) {
    if (key == name) return value;
  }
  return "<absent>";
}

TEST(SplitPath, SplitsOnSlashesKeepingEmptySegments) {
  EXPECT_EQ(split_path("/a/b"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(split_path("/"), (std::vector<std::string>{""}));
  EXPECT_EQ(split_path("/a/"), (std::vector<std::string>{"a", ""}));
  EXPECT_EQ(split_path("/a//b"), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_TRUE(split_path("a/b").empty());
  EXPECT_TRUE(split_path("").empty());
}

TEST(Router, LiteralRouteMatchesExactly) {
  Router router;
  ASSERT_TRUE(router.add(route("GET", "/test/fast")));
  const RouteMatch match = router.match("GET", "/test/fast");
  ASSERT_EQ(match.kind, RouteMatch::Kind::found);
  EXPECT_EQ(match.route->pattern, "/test/fast");
  EXPECT_TRUE(match.params.empty());
}

TEST(Router, LiteralSegmentBeatsParamWhateverTheOrder) {
  for (bool literal_first : {true, false}) {
    Router router;
    if (literal_first) {
      ASSERT_TRUE(router.add(route("GET", "/items/new", "literal")));
    }
    ASSERT_TRUE(router.add(route("GET", "/items/:id", "param")));
    if (!literal_first) {
      ASSERT_TRUE(router.add(route("GET", "/items/new", "literal")));
    }

    RouteMatch match = router.match("GET", "/items/new");
    ASSERT_EQ(match.kind, RouteMatch::Kind::found);
    EXPECT_EQ(match.route->plugin_name, "literal") << "literal registered first: " << literal_first;
    match = router.match("GET", "/items/42");
    ASSERT_EQ(match.kind, RouteMatch::Kind::found);
    EXPECT_EQ(match.route->plugin_name, "param");
    EXPECT_EQ(param(match, "id"), "42");
  }
}

TEST(Router, MoreLiteralSegmentsWin) {
  Router router;
  ASSERT_TRUE(router.add(route("GET", "/:a/:b", "two-params")));
  ASSERT_TRUE(router.add(route("GET", "/x/:b", "one-param")));
  const RouteMatch match = router.match("GET", "/x/y");
  ASSERT_EQ(match.kind, RouteMatch::Kind::found);
  EXPECT_EQ(match.route->plugin_name, "one-param");
  EXPECT_EQ(param(match, "b"), "y");
}

TEST(Router, SeveralParamsAreAllCaptured) {
  Router router;
  ASSERT_TRUE(router.add(route("DELETE", "/users/:user/notes/:note")));
  const RouteMatch match = router.match("DELETE", "/users/u1/notes/n2");
  ASSERT_EQ(match.kind, RouteMatch::Kind::found);
  EXPECT_EQ(param(match, "user"), "u1");
  EXPECT_EQ(param(match, "note"), "n2");
}

TEST(Router, ParamsArePercentDecoded) {
  Router router;
  ASSERT_TRUE(router.add(route("GET", "/items/:id")));
  const RouteMatch match = router.match("GET", "/items/a%20b%2Fc%C3%A9");
  ASSERT_EQ(match.kind, RouteMatch::Kind::found);
  EXPECT_EQ(param(match, "id"), "a b/c\xC3\xA9");
}

TEST(Router, ParamDoesNotMatchEmptySegment) {
  Router router;
  ASSERT_TRUE(router.add(route("GET", "/items/:id")));
  EXPECT_EQ(router.match("GET", "/items/").kind, RouteMatch::Kind::not_found);
  EXPECT_EQ(router.match("GET", "/items").kind, RouteMatch::Kind::not_found);
}

TEST(Router, ParamMatchesOneSegmentOnly) {
  Router router;
  ASSERT_TRUE(router.add(route("GET", "/items/:id")));
  EXPECT_EQ(router.match("GET", "/items/1/2").kind, RouteMatch::Kind::not_found);
}

TEST(Router, TrailingSlashIsADifferentPath) {
  Router router;
  ASSERT_TRUE(router.add(route("GET", "/test/fast")));
  EXPECT_EQ(router.match("GET", "/test/fast/").kind, RouteMatch::Kind::not_found);
  EXPECT_EQ(router.match("GET", "/test//fast").kind, RouteMatch::Kind::not_found);
  Router with_slash;
  ASSERT_TRUE(with_slash.add(route("GET", "/dir/")));
  EXPECT_EQ(with_slash.match("GET", "/dir/").kind, RouteMatch::Kind::found);
  EXPECT_EQ(with_slash.match("GET", "/dir").kind, RouteMatch::Kind::not_found);
}

TEST(Router, UnknownPathIsNotFound) {
  Router router;
  ASSERT_TRUE(router.add(route("GET", "/a")));
  const RouteMatch match = router.match("GET", "/b");
  EXPECT_EQ(match.kind, RouteMatch::Kind::not_found);
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.allow.empty());
}

TEST(Router, KnownPathWithOtherMethodIs405WithSortedAllow) {
  Router router;
  ASSERT_TRUE(router.add(route("POST", "/notes")));
  ASSERT_TRUE(router.add(route("GET", "/notes")));
  ASSERT_TRUE(router.add(route("DELETE", "/notes/:id")));
  RouteMatch match = router.match("PUT", "/notes");
  EXPECT_EQ(match.kind, RouteMatch::Kind::method_not_allowed);
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.allow, "GET, POST");
  match = router.match("GET", "/notes/7");
  EXPECT_EQ(match.kind, RouteMatch::Kind::method_not_allowed);
  EXPECT_EQ(match.allow, "DELETE");
}

TEST(Router, AllowListsMethodsOfEveryMatchingPattern) {
  Router router;
  ASSERT_TRUE(router.add(route("GET", "/items/new")));
  ASSERT_TRUE(router.add(route("DELETE", "/items/:id")));
  const RouteMatch match = router.match("PATCH", "/items/new");
  EXPECT_EQ(match.kind, RouteMatch::Kind::method_not_allowed);
  EXPECT_EQ(match.allow, "DELETE, GET");
}

TEST(Router, MethodIsCaseSensitive) {
  Router router;
  ASSERT_TRUE(router.add(route("GET", "/a")));
  EXPECT_EQ(router.match("get", "/a").kind, RouteMatch::Kind::method_not_allowed);
}

TEST(Router, DuplicateMethodAndPatternIsRefused) {
  Router router;
  ASSERT_TRUE(router.add(route("GET", "/a/:id")));
  EXPECT_FALSE(router.add(route("GET", "/a/:id")));
  EXPECT_TRUE(router.add(route("POST", "/a/:id")));
}

TEST(Router, MalformedRoutesAreRefused) {
  Router router;
  EXPECT_FALSE(router.add(route("GET", "")));
  EXPECT_FALSE(router.add(route("GET", "no-slash")));
  Route without_handler = route("GET", "/x");
  without_handler.handler = nullptr;
  EXPECT_FALSE(router.add(without_handler));
}

TEST(Router, RootPathMatches) {
  Router router;
  ASSERT_TRUE(router.add(route("GET", "/")));
  EXPECT_EQ(router.match("GET", "/").kind, RouteMatch::Kind::found);
  EXPECT_EQ(router.match("GET", "/x").kind, RouteMatch::Kind::not_found);
}

}  // namespace
}  // namespace latchkey::host
