// One request and its response seen through the host's C table, with C++ types: the only place
// the auth plugin touches lk_request and lk_response.
#pragma once

#include <latchkey/plugin.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::http {

struct Caller {
  std::string subject;
  std::string session_id;
  std::vector<std::string> roles;
  std::string claims_json;
};

class Exchange {
 public:
  Exchange(const lk_host_api* api, lk_request* req, lk_response* res) : api_(api), req_(req), res_(res) {}

  std::string_view method() const;
  std::string_view path() const;
  std::string_view body() const;
  std::string_view remote_address() const;
  std::string_view local_origin() const;
  std::optional<std::string_view> header(std::string_view name) const;
  std::optional<std::string_view> cookie(std::string_view name) const;
  std::optional<std::string_view> query(std::string_view name) const;
  // A ":name" segment of the route's pattern, percent-decoded.
  std::optional<std::string_view> param(std::string_view name) const;
  bool route_is_public() const;

  std::optional<Caller> caller() const;
  bool set_caller(const Caller& caller);  // only from the authenticate-stage filter

  // The whole answer: a status, a content type and a body.
  void respond(uint32_t status, std::string_view content_type, std::string_view body);
  void respond_json(uint32_t status, std::string_view json) { respond(status, "application/json", json); }
  void respond_empty(uint32_t status);
  void set_header(std::string_view name, std::string_view value);
  void add_set_cookie(std::string_view value);

  // ABI 1.1: takes the request off the host's worker (inside the route's callback only); a copy of
  // this Exchange may then be used from one other thread until complete(). status: LK_OK, or a
  // negative status for a 500.
  bool suspend();
  void complete(int32_t status);

 private:
  std::optional<std::string_view> lookup(int32_t (*fn)(lk_request*, lk_str, lk_str*), std::string_view name) const;
  std::string_view whole(int32_t (*fn)(lk_request*, lk_str*)) const;

  const lk_host_api* api_;
  lk_request* req_;
  lk_response* res_;
};

}  // namespace latchkey::http
