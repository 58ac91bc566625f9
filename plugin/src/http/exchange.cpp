// The C++ view of lk_request/lk_response: views from the host stay valid for the whole callback.
#include "http/exchange.h"

namespace latchkey::http {
namespace {

lk_str to_lk(std::string_view s) { return lk_str{s.data(), s.size()}; }
std::string_view from_lk(lk_str s) { return s.ptr ? std::string_view(s.ptr, s.len) : std::string_view(); }

}  // namespace

std::optional<std::string_view> Exchange::lookup(int32_t (*fn)(lk_request*, lk_str, lk_str*),
                                                 std::string_view name) const {
  lk_str out{};
  if (fn(req_, to_lk(name), &out) != LK_OK) return std::nullopt;
  return from_lk(out);
}

std::string_view Exchange::whole(int32_t (*fn)(lk_request*, lk_str*)) const {
  lk_str out{};
  return fn(req_, &out) == LK_OK ? from_lk(out) : std::string_view();
}

std::string_view Exchange::method() const { return whole(api_->request_method); }
std::string_view Exchange::path() const { return whole(api_->request_path); }
std::string_view Exchange::body() const { return whole(api_->request_body); }
std::string_view Exchange::remote_address() const { return whole(api_->request_remote_address); }
std::string_view Exchange::local_origin() const { return whole(api_->request_local_origin); }

std::optional<std::string_view> Exchange::header(std::string_view name) const {
  return lookup(api_->request_header, name);
}
std::optional<std::string_view> Exchange::cookie(std::string_view name) const {
  return lookup(api_->request_cookie, name);
}
std::optional<std::string_view> Exchange::query(std::string_view name) const {
  return lookup(api_->request_query, name);
}

std::optional<std::string_view> Exchange::param(std::string_view name) const {
  return lookup(api_->request_param, name);
}

bool Exchange::route_is_public() const {
  uint32_t auth = LK_AUTH_REQUIRED;
  return api_->request_route_auth(req_, &auth) == LK_OK && auth == LK_AUTH_PUBLIC;
}

std::optional<Caller> Exchange::caller() const {
  lk_principal principal{};
  principal.struct_size = sizeof principal;
  if (api_->request_get_principal(req_, &principal) != LK_OK) return std::nullopt;
  Caller caller{std::string(from_lk(principal.subject)), std::string(from_lk(principal.session_id)), {},
                std::string(from_lk(principal.claims_json))};
  for (uint32_t i = 0; i < principal.roles_count; ++i) caller.roles.emplace_back(from_lk(principal.roles[i]));
  return caller;
}

bool Exchange::set_caller(const Caller& caller) {
  std::vector<lk_str> roles;
  for (const std::string& role : caller.roles) roles.push_back(to_lk(role));
  lk_principal principal{};
  principal.struct_size = sizeof principal;
  principal.subject = to_lk(caller.subject);
  principal.session_id = to_lk(caller.session_id);
  principal.roles = roles.data();
  principal.roles_count = static_cast<uint32_t>(roles.size());
  principal.claims_json = to_lk(caller.claims_json);
  return api_->request_set_principal(req_, &principal) == LK_OK;
}

void Exchange::respond(uint32_t status, std::string_view content_type, std::string_view body) {
  api_->response_set_status(res_, status);
  api_->response_set_header(res_, to_lk("Content-Type"), to_lk(content_type));
  api_->response_set_body(res_, to_lk(body));
}

void Exchange::respond_empty(uint32_t status) {
  api_->response_set_status(res_, status);
  api_->response_set_body(res_, to_lk(""));
}

void Exchange::set_header(std::string_view name, std::string_view value) {
  api_->response_set_header(res_, to_lk(name), to_lk(value));
}

void Exchange::add_set_cookie(std::string_view value) { api_->response_add_set_cookie(res_, to_lk(value)); }

bool Exchange::suspend() { return api_->request_suspend(req_) == LK_OK; }

void Exchange::complete(int32_t status) { api_->response_complete(res_, status); }

}  // namespace latchkey::http
