// Implements lk_host_api (ABI 1.0 to 1.2): every function checks its arguments, copies what it is given and returns
// borrowed views of host-owned data. No exception leaves these functions.
#include "host_api.h"

#include "host_services.h"
#include "log.h"
#include "pipeline.h"
#include "url_decode.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cctype>
#include <cmath>
#include <cstring>
#include <strings.h>
#include <string>

namespace latchkey::host {
namespace {

std::string to_string(lk_str s) { return s.ptr ? std::string(s.ptr, s.len) : std::string(); }

lk_str view(const std::string& s) { return lk_str{s.data(), s.size()}; }

bool valid(lk_str s) { return s.ptr != nullptr || s.len == 0; }

bool has_line_break_or_nul(lk_str s) {
  return std::any_of(s.ptr, s.ptr + s.len, [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

// RFC 9110 §5.1: a field name is a token ("Content-Length " with a space is not one).
bool is_header_name(lk_str s) {
  static constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return s.len > 0 && std::all_of(s.ptr, s.ptr + s.len, [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || kSymbols.find(c) != std::string_view::npos;
         });
}

int32_t found(const std::string* value, lk_str* out) {
  if (!value) {
    *out = lk_str{nullptr, 0};
    return LK_ERR_NOT_FOUND;
  }
  *out = view(*value);
  return LK_OK;
}

const std::string* find_in(const std::map<std::string, std::string>& map, const std::string& key) {
  const auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}

bool known_method(const std::string& method) {
  static const char* const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  return std::any_of(std::begin(methods), std::end(methods), [&](const char* m) { return method == m; });
}

// -- set-up --

int32_t register_route(lk_host* host, const lk_route* route) {
  if (!host || !route || route->struct_size < sizeof(lk_route) || !valid(route->method) || !valid(route->path))
    return LK_ERR_INVALID_ARGUMENT;
  if (!host->registering) return LK_ERR_WRONG_STAGE;
  if (route->auth != LK_AUTH_REQUIRED && route->auth != LK_AUTH_PUBLIC) return LK_ERR_INVALID_ARGUMENT;
  if (route->roles_count > 0 && !route->roles) return LK_ERR_INVALID_ARGUMENT;
  Route entry;
  entry.method = to_string(route->method);
  entry.pattern = to_string(route->path);
  if (!known_method(entry.method)) return LK_ERR_INVALID_ARGUMENT;
  entry.auth = route->auth;
  for (uint32_t i = 0; i < route->roles_count; ++i) {
    if (!valid(route->roles[i])) return LK_ERR_INVALID_ARGUMENT;
    entry.roles.push_back(to_string(route->roles[i]));
  }
  entry.handler = route->handler;
  entry.user_data = route->user_data;
  entry.plugin_name = host->plugin_name;
  const std::string description = entry.method + " " + entry.pattern;
  if (!host->pipeline->router().add(std::move(entry))) {
    log_line(LogLevel::error, host->plugin_name, "route refused (malformed or taken): " + description);
    return LK_ERR_INVALID_ARGUMENT;
  }
  return LK_OK;
}

int32_t register_filter(lk_host* host, const lk_filter* filter) {
  if (!host || !filter || filter->struct_size < sizeof(lk_filter) || !filter->filter || !valid(filter->name))
    return LK_ERR_INVALID_ARGUMENT;
  if (!host->registering) return LK_ERR_WRONG_STAGE;
  if (filter->stage != LK_STAGE_DEFAULT && filter->stage != LK_STAGE_AUTHENTICATE) return LK_ERR_INVALID_ARGUMENT;
  host->pipeline->add_filter(
      Filter{to_string(filter->name), filter->stage, filter->filter, filter->user_data, host->plugin_name});
  return LK_OK;
}

int32_t report_config_error(lk_host* host, lk_str pointer, lk_str reason) {
  if (!host || !valid(pointer) || !valid(reason)) return LK_ERR_INVALID_ARGUMENT;
  if (!host->config_errors) return LK_ERR_WRONG_STAGE;
  host->config_errors->push_back({host->config_pointer + to_string(pointer), to_string(reason)});
  return LK_OK;
}

int32_t config_dir(lk_host* host, lk_str* out) {
  if (!host || !out) return LK_ERR_INVALID_ARGUMENT;
  *out = view(host->config_dir);
  return LK_OK;
}

int32_t log(lk_host* host, int32_t level, lk_str message) {
  if (!host || !valid(message) || level < LK_LOG_DEBUG || level > LK_LOG_ERROR) return LK_ERR_INVALID_ARGUMENT;
  log_line(static_cast<LogLevel>(level), host->plugin_name, std::string_view(message.ptr, message.len));
  return LK_OK;
}

// -- the request --

int32_t request_method(lk_request* req, lk_str* out) {
  if (!req || !out) return LK_ERR_INVALID_ARGUMENT;
  return found(&req->http->method, out);
}

int32_t request_path(lk_request* req, lk_str* out) {
  if (!req || !out) return LK_ERR_INVALID_ARGUMENT;
  return found(&req->http->path, out);
}

int32_t request_param(lk_request* req, lk_str name, lk_str* out) {
  if (!req || !out || !valid(name)) return LK_ERR_INVALID_ARGUMENT;
  const std::string key = to_string(name);
  for (const auto& [param, value] : req->match->params) {
    if (param == key) return found(&value, out);
  }
  return found(nullptr, out);
}

int32_t request_query(lk_request* req, lk_str name, lk_str* out) {
  if (!req || !out || !valid(name)) return LK_ERR_INVALID_ARGUMENT;
  return found(find_in(req->http->query, to_string(name)), out);
}

int32_t request_header(lk_request* req, lk_str name, lk_str* out) {
  if (!req || !out || !valid(name)) return LK_ERR_INVALID_ARGUMENT;
  const auto value = req->http->headers.find(std::string_view(name.ptr, name.len));  // a view: no copy
  if (!value) return found(nullptr, out);
  *out = lk_str{value->data(), value->size()};
  return LK_OK;
}

int32_t request_cookie(lk_request* req, lk_str name, lk_str* out) {
  if (!req || !out || !valid(name)) return LK_ERR_INVALID_ARGUMENT;
  return found(find_in(req->http->cookies, to_string(name)), out);
}

int32_t request_body(lk_request* req, lk_str* out) {
  if (!req || !out) return LK_ERR_INVALID_ARGUMENT;
  return found(&req->http->body, out);
}

int32_t request_remote_address(lk_request* req, lk_str* out) {
  if (!req || !out) return LK_ERR_INVALID_ARGUMENT;
  return found(&req->http->remote_address, out);
}

int32_t request_local_origin(lk_request* req, lk_str* out) {
  if (!req || !out) return LK_ERR_INVALID_ARGUMENT;
  return found(req->local_origin, out);
}

int32_t request_route_auth(lk_request* req, uint32_t* out) {
  if (!req || !out) return LK_ERR_INVALID_ARGUMENT;
  *out = req->match->route->auth;
  return LK_OK;
}

// -- the principal --

int32_t request_set_principal(lk_request* req, const lk_principal* principal) {
  if (!req || !principal || principal->struct_size < sizeof(lk_principal) || !valid(principal->subject) ||
      principal->subject.len == 0 || !valid(principal->session_id) || !valid(principal->claims_json) ||
      (principal->roles_count > 0 && !principal->roles))
    return LK_ERR_INVALID_ARGUMENT;
  if (!req->authenticate_stage) return LK_ERR_WRONG_STAGE;
  Principal copy;
  copy.subject = to_string(principal->subject);
  copy.session_id = to_string(principal->session_id);
  copy.claims_json = to_string(principal->claims_json);
  for (uint32_t i = 0; i < principal->roles_count; ++i) {
    if (!valid(principal->roles[i])) return LK_ERR_INVALID_ARGUMENT;
    copy.roles.push_back(to_string(principal->roles[i]));
  }
  req->principal = std::move(copy);
  req->role_views.clear();
  for (const std::string& role : req->principal.roles) req->role_views.push_back(view(role));
  req->has_principal = true;
  return LK_OK;
}

int32_t request_get_principal(lk_request* req, lk_principal* out) {
  if (!req || !out || out->struct_size < sizeof(lk_principal)) return LK_ERR_INVALID_ARGUMENT;
  const uint32_t size = out->struct_size;
  std::memset(out, 0, sizeof(lk_principal));
  out->struct_size = size;
  if (!req->has_principal) return LK_ERR_NOT_FOUND;
  out->subject = view(req->principal.subject);
  out->session_id = view(req->principal.session_id);
  out->claims_json = view(req->principal.claims_json);
  out->roles_count = static_cast<uint32_t>(req->role_views.size());
  out->roles = req->role_views.data();
  return LK_OK;
}

// -- the response --

int32_t response_set_status(lk_response* res, uint32_t status) {
  if (!res || status < 100 || status > 599) return LK_ERR_INVALID_ARGUMENT;
  res->response->status = status;
  return LK_OK;
}

int32_t response_set_header(lk_response* res, lk_str name, lk_str value) {
  if (!res || !valid(name) || !valid(value) || !is_header_name(name) || has_line_break_or_nul(value))
    return LK_ERR_INVALID_ARGUMENT;
  const std::string header = to_string(name);
  // Set-Cookie has its own call; the framing headers are the host's (a second Content-Length
  // would let a plugin desynchronise the client's reading of the connection).
  for (const char* reserved : {"Set-Cookie", "Content-Length", "Transfer-Encoding", "Connection"}) {
    if (strcasecmp(header.c_str(), reserved) == 0) return LK_ERR_INVALID_ARGUMENT;
  }
  res->response->set_header(header, to_string(value));
  return LK_OK;
}

int32_t response_add_set_cookie(lk_response* res, lk_str value) {
  if (!res || !valid(value) || value.len == 0 || has_line_break_or_nul(value)) return LK_ERR_INVALID_ARGUMENT;
  res->response->set_cookies.push_back(to_string(value));
  return LK_OK;
}

int32_t response_set_body(lk_response* res, lk_str body) {
  if (!res || !valid(body)) return LK_ERR_INVALID_ARGUMENT;
  res->response->body = to_string(body);
  return LK_OK;
}

// -- asynchronous completion (ABI 1.1) --

int32_t request_suspend(lk_request* req) {
  if (!req) return LK_ERR_INVALID_ARGUMENT;
  return req->flight->suspend();
}

int32_t response_complete(lk_response* res, int32_t status) {
  if (!res) return LK_ERR_INVALID_ARGUMENT;
  return res->flight->complete(status);
}

// -- metrics, readiness, events (ABI 1.2) --

int32_t record_metric(lk_host* host, metrics::Type type, lk_str name, lk_str help, const lk_str* labels,
                      uint32_t label_count, double value) {
  if (!host || !valid(name) || !valid(help) || (label_count > 0 && !labels) || !std::isfinite(value))
    return LK_ERR_INVALID_ARGUMENT;
  if (!host->services) return LK_ERR_WRONG_STAGE;
  if (type == metrics::Type::counter && value < 0) return LK_ERR_INVALID_ARGUMENT;
  if (label_count > metrics::kMaxLabels) return LK_ERR_INVALID_ARGUMENT;
  std::vector<metrics::Label> pairs;
  pairs.reserve(label_count);
  for (uint32_t i = 0; i < label_count; ++i) {
    const lk_str& label_name = labels[2 * i];
    const lk_str& label_value = labels[2 * i + 1];
    if (!valid(label_name) || !valid(label_value)) return LK_ERR_INVALID_ARGUMENT;
    pairs.emplace_back(std::string_view(label_name.ptr, label_name.len), std::string_view(label_value.ptr, label_value.len));
  }
  std::string error;
  metrics::Series* series = host->services->metrics.series(type, std::string_view(name.ptr, name.len),
                                                           std::string_view(help.ptr, help.len), pairs, &error);
  if (!series) {
    // A plugin repeating a refused call on every request must not flood the log: one line a second.
    static std::atomic<int64_t> last_log_ms{0};
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now().time_since_epoch()).count();
    int64_t last = last_log_ms.load();
    if (now - last >= 1000 && last_log_ms.compare_exchange_strong(last, now)) {
      log_line(LogLevel::warn, host->plugin_name, "metric refused (at most one line a second): " + error);
    }
    return LK_ERR_INVALID_ARGUMENT;
  }
  switch (type) {
    case metrics::Type::counter: series->add(value); break;
    case metrics::Type::gauge: series->set(value); break;
    case metrics::Type::histogram: series->observe(value); break;
  }
  return LK_OK;
}

int32_t metric_counter_add(lk_host* host, lk_str name, lk_str help, const lk_str* labels, uint32_t label_count,
                           double value) {
  return record_metric(host, metrics::Type::counter, name, help, labels, label_count, value);
}

int32_t metric_gauge_set(lk_host* host, lk_str name, lk_str help, const lk_str* labels, uint32_t label_count,
                         double value) {
  return record_metric(host, metrics::Type::gauge, name, help, labels, label_count, value);
}

int32_t metric_histogram_observe(lk_host* host, lk_str name, lk_str help, const lk_str* labels, uint32_t label_count,
                                 double value) {
  return record_metric(host, metrics::Type::histogram, name, help, labels, label_count, value);
}

int32_t register_readiness(lk_host* host, lk_readiness_fn check, void* user_data) {
  if (!host || !check) return LK_ERR_INVALID_ARGUMENT;
  if (!host->registering || !host->services) return LK_ERR_WRONG_STAGE;
  host->services->readiness.add(host->plugin_name, check, user_data);
  return LK_OK;
}

int32_t publish_event(lk_host* host, lk_str name, lk_str json) {
  if (!host || !valid(name) || !valid(json)) return LK_ERR_INVALID_ARGUMENT;
  if (host->registering || !host->services) return LK_ERR_WRONG_STAGE;
  return host->services->events.publish(std::string_view(name.ptr, name.len), std::string_view(json.ptr, json.len),
                                        host->plugin_name);
}

int32_t subscribe_event(lk_host* host, lk_str name, lk_event_fn callback, void* user_data) {
  if (!host || !valid(name) || !callback) return LK_ERR_INVALID_ARGUMENT;
  if (!host->registering || !host->services) return LK_ERR_WRONG_STAGE;
  const std::string event = to_string(name);
  if (event != "*" && !EventBus::is_event_name(event)) return LK_ERR_INVALID_ARGUMENT;
  host->services->events.subscribe(event, callback, user_data, host->plugin_name);
  return LK_OK;
}

}  // namespace

const lk_host_api* host_api_table() {
  static const lk_host_api table = {
      sizeof(lk_host_api),
      LK_ABI_MINOR,
      register_route,
      register_filter,
      report_config_error,
      config_dir,
      log,
      request_method,
      request_path,
      request_param,
      request_query,
      request_header,
      request_cookie,
      request_body,
      request_remote_address,
      request_local_origin,
      request_route_auth,
      request_set_principal,
      request_get_principal,
      response_set_status,
      response_set_header,
      response_add_set_cookie,
      response_set_body,
      request_suspend,
      response_complete,
      metric_counter_add,
      metric_gauge_set,
      metric_histogram_observe,
      register_readiness,
      publish_event,
      subscribe_event,
  };
  return &table;
}

}  // namespace latchkey::host
