// The suspend/complete state machine of one request. The mutex orders the worker that runs a
// callback and the thread that completes it: whichever comes second moves the request on.
#include "flight.h"

#include "log.h"
#include "pipeline.h"

#include <exception>

namespace latchkey::host {
namespace {

// Calls plugin code, turning an escaped exception into LK_ERR_INTERNAL.
int32_t call_guarded(const std::string& plugin, lk_handler_fn callback, void* user_data, lk_request* req,
                     lk_response* res) {
  try {
    return callback(user_data, req, res);
  } catch (const std::exception& error) {
    log_line(LogLevel::error, plugin, std::string("exception escaped a callback: ") + error.what());
  } catch (...) {
    log_line(LogLevel::error, plugin, "unknown exception escaped a callback");
  }
  return LK_ERR_INTERNAL;
}

}  // namespace

Flight::Flight(const Pipeline& owner, HttpRequest http_request, RouteMatch route_match, std::string origin,
               Finish on_finish, Schedule on_schedule)
    : pipeline(owner),
      request(std::move(http_request)),
      match(std::move(route_match)),
      local_origin(std::move(origin)),
      finish(std::move(on_finish)),
      schedule(std::move(on_schedule)) {
  req.flight = this;
  req.http = &request;
  req.match = &match;
  req.local_origin = &local_origin;
  res.flight = this;
  res.response = &response;
}

std::optional<int32_t> Flight::call(const std::string& plugin, lk_handler_fn callback, void* user_data) {
  {
    std::lock_guard lock(mutex_);
    in_callback_ = true;
  }
  const int32_t returned = call_guarded(plugin, callback, user_data, &req, &res);
  std::lock_guard lock(mutex_);
  in_callback_ = false;
  if (!suspended_) return returned;
  if (!completed_) return std::nullopt;  // complete() resumes it, from whichever thread calls it
  suspended_ = completed_ = false;
  self_.reset();  // the caller holds a reference of its own
  return completed_status_;
}

int32_t Flight::suspend() {
  std::lock_guard lock(mutex_);
  if (!in_callback_ || suspended_) return LK_ERR_WRONG_STAGE;
  suspended_ = true;
  self_ = shared_from_this();
  return LK_OK;
}

int32_t Flight::complete(int32_t status) {
  std::shared_ptr<Flight> self;
  int32_t result = LK_OK;
  {
    std::lock_guard lock(mutex_);
    if (!suspended_ || completed_) return LK_ERR_WRONG_STAGE;
    // A status the callback could not have returned still completes the request, as a 500:
    // refusing it would leave the request open for good.
    const bool valid = at_handler ? status <= LK_OK : status <= LK_FILTER_RESPOND;
    result = valid ? LK_OK : LK_ERR_INVALID_ARGUMENT;
    if (!valid) status = LK_ERR_INTERNAL;
    completed_ = true;
    completed_status_ = status;
    if (in_callback_) return result;  // call() picks the status up when the callback returns
    suspended_ = completed_ = false;
    self = std::move(self_);
  }
  pipeline.resume(std::move(self), status);
  return result;
}

}  // namespace latchkey::host
