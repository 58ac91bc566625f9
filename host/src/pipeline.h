// The host's per-request pipeline: filters in registration order, the auth gate, then the handler.
#pragma once

#include "config.h"
#include "http_types.h"
#include "router.h"

#include <latchkey/plugin.h>

#include <string>
#include <vector>

namespace latchkey::host {

struct Filter {
  std::string name;
  uint32_t stage = LK_STAGE_DEFAULT;
  lk_filter_fn fn = nullptr;
  void* user_data = nullptr;
  std::string plugin_name;
};

struct Principal {
  std::string subject;
  std::string session_id;
  std::vector<std::string> roles;
  std::string claims_json;
};

class Pipeline {
 public:
  Router& router() { return router_; }
  const Router& router() const { return router_; }
  void add_filter(Filter filter) { filters_.push_back(std::move(filter)); }

  // Runs filters and the matched route's handler; never throws, whatever the plugins do.
  HttpResponse run(const HttpRequest& request, const RouteMatch& match, const std::string& local_origin) const;

 private:
  Router router_;
  std::vector<Filter> filters_;
};

}  // namespace latchkey::host

// The opaque handles of the ABI, defined here for the host's own use only.
struct lk_host {
  std::string plugin_name;
  std::string config_dir;
  std::string config_pointer;  // "/plugins/N/config"
  latchkey::host::Pipeline* pipeline = nullptr;
  bool registering = false;  // inside lk_plugin_init
  std::vector<latchkey::host::ConfigError>* config_errors = nullptr;
};

struct lk_request {
  const latchkey::host::HttpRequest* http = nullptr;
  const latchkey::host::RouteMatch* match = nullptr;
  const std::string* local_origin = nullptr;
  bool authenticate_stage = false;
  bool has_principal = false;
  latchkey::host::Principal principal;
  std::vector<lk_str> role_views;  // views of principal.roles for request_get_principal
};

struct lk_response {
  latchkey::host::HttpResponse* response = nullptr;
};
