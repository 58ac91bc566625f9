// One request on its way through the pipeline. It owns everything the plugins' views point into,
// so a request that a plugin suspended (ABI 1.1) outlives the worker call that suspended it, and
// it holds the little state machine that lets the plugin complete it from any thread.
#pragma once

#include "http_types.h"
#include "router.h"

#include <latchkey/plugin.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace latchkey::host {

class Pipeline;
struct Flight;

struct Principal {
  std::string subject;
  std::string session_id;
  std::vector<std::string> roles;
  std::string claims_json;
};

// Takes the finished answer to the client; runs once per request, on a worker (or, for a request
// that could not start, on the thread that tried).
using Finish = std::function<void(const HttpRequest& request, const HttpResponse& response)>;
// Runs a task on the host's worker pool: where a request goes on after a filter completed it.
using Schedule = std::function<void(std::function<void()> task)>;

}  // namespace latchkey::host

// The opaque handles of the ABI, defined here for the host's own use only. Both live inside their
// Flight and point back to it.
struct lk_request {
  latchkey::host::Flight* flight = nullptr;
  const latchkey::host::HttpRequest* http = nullptr;
  const latchkey::host::RouteMatch* match = nullptr;
  const std::string* local_origin = nullptr;
  bool authenticate_stage = false;
  bool has_principal = false;
  latchkey::host::Principal principal;
  std::vector<lk_str> role_views;  // views of principal.roles for request_get_principal
};

struct lk_response {
  latchkey::host::Flight* flight = nullptr;
  latchkey::host::HttpResponse* response = nullptr;
};

namespace latchkey::host {

struct Flight : std::enable_shared_from_this<Flight> {
  Flight(const Pipeline& pipeline, HttpRequest request, RouteMatch match, std::string local_origin, Finish finish,
         Schedule schedule);
  Flight(const Flight&) = delete;
  Flight& operator=(const Flight&) = delete;

  // Runs one filter or handler of `plugin` (an escaped exception counts as LK_ERR_INTERNAL).
  // Returns its status, or the status it was completed with when it suspended and completed before
  // returning; nullopt when it suspended and is not completed yet: complete() then goes on.
  std::optional<int32_t> call(const std::string& plugin, lk_handler_fn callback, void* user_data);

  // request_suspend and response_complete (see plugin.h for the rules they enforce).
  int32_t suspend();
  int32_t complete(int32_t status);

  const Pipeline& pipeline;
  HttpRequest request;
  RouteMatch match;
  std::string local_origin;
  HttpResponse response;
  lk_request req;
  lk_response res;
  Finish finish;
  Schedule schedule;
  size_t next_filter = 0;   // the filter running now, or the next one to run
  bool at_handler = false;  // whether the callback running now is the handler

 private:
  std::mutex mutex_;
  bool in_callback_ = false;
  bool suspended_ = false;
  bool completed_ = false;
  int32_t completed_status_ = LK_OK;
  std::shared_ptr<Flight> self_;  // keeps a suspended flight alive until it is completed
};

}  // namespace latchkey::host
