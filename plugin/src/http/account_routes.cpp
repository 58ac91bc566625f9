// Thin account routes: read the body, call AccountService, map the outcome. Answers that could
// reveal whether an address has an account (register, resend, forgot) are the same either way.
#include "http/account_routes.h"

#include "account/account_service.h"
#include "http/hash_queue_route.h"
#include "http/route_support.h"
#include "password/policy.h"

namespace latchkey::http {
namespace {

constexpr size_t kMaxEmailBytes = 320;
constexpr size_t kMaxTokenBytes = 128;

void accepted(Exchange& exchange, std::string_view status) {
  exchange.respond_json(202, std::string(R"({"status":")") + std::string(status) + "\"}");
}

void invalid_token(Exchange& exchange) {
  exchange.respond_json(400, error_body("invalid_token", "this link is unknown, expired or already used"));
}

void weak_password(const PluginState& state, Exchange& exchange, const char* field) {
  const std::string rule = "between " + std::to_string(state.config.password.min_length) + " and " +
                           std::to_string(state.config.password.max_length) + " characters";
  exchange.respond_json(400, error_body("weak_password", "the password must be " + rule, {{field, rule}}));
}

void register_account(PluginState& state, Exchange& exchange) {
  auto body = json_body(exchange);
  if (!body) return;
  FieldErrors fields;
  const auto email = string_field(*body, "email", kMaxEmailBytes, fields);
  const auto submitted = string_field(*body, "password", 8 * state.config.password.max_length, fields);
  if (!fields.empty()) return bad_request(exchange, "email and password are required strings", fields);
  const auto password = decode_password_field(state, exchange, *submitted, "password");
  if (!password) return;

  switch (state.accounts->register_account(*email, *password)) {
    case account::RegisterOutcome::accepted:
      state.metrics.registration();
      return accepted(exchange, "confirmation_sent");
    case account::RegisterOutcome::invalid_email:
      return bad_request(exchange, "not an email address", {{"email", "not an email address"}});
    case account::RegisterOutcome::weak_password:
      return weak_password(state, exchange, "password");
  }
}

void answer_confirm(PluginState& state, Exchange& exchange, std::string_view token, bool may_redirect) {
  if (token.empty() || token.size() > kMaxTokenBytes ||
      state.accounts->confirm(token) != account::ConfirmOutcome::confirmed) {
    return invalid_token(exchange);
  }
  if (may_redirect && state.config.email.confirm_redirect) {
    exchange.respond_empty(303);
    exchange.set_header("Location", *state.config.email.confirm_redirect);
    return;
  }
  exchange.respond_json(200, R"({"status":"confirmed"})");
}

void confirm_link(PluginState& state, Exchange& exchange) {
  answer_confirm(state, exchange, exchange.query("token").value_or(""), true);
}

void confirm_post(PluginState& state, Exchange& exchange) {
  auto body = json_body(exchange);
  if (!body) return;
  FieldErrors fields;
  const auto token = string_field(*body, "token", kMaxTokenBytes, fields);
  if (!fields.empty()) return bad_request(exchange, "token is a required string", fields);
  answer_confirm(state, exchange, *token, false);
}

template <account::MailRequestResult (account::AccountService::*request)(std::string_view, std::string_view)>
void mail_request(PluginState& state, Exchange& exchange) {
  answer_mail_request(exchange, [&](std::string_view email, std::string_view client_address) {
    return ((*state.accounts).*request)(email, client_address);
  });
}

void reset_password(PluginState& state, Exchange& exchange) {
  auto body = json_body(exchange);
  if (!body) return;
  FieldErrors fields;
  const auto token = string_field(*body, "token", kMaxTokenBytes, fields);
  const auto submitted = string_field(*body, "password", 8 * state.config.password.max_length, fields);
  if (!fields.empty()) return bad_request(exchange, "token and password are required strings", fields);
  const auto password = decode_password_field(state, exchange, *submitted, "password");
  if (!password) return;
  switch (state.accounts->reset_password(*token, *password)) {
    case account::ResetOutcome::done:
      return exchange.respond_json(200, R"({"status":"password_reset"})");
    case account::ResetOutcome::invalid_token:
      return invalid_token(exchange);
    case account::ResetOutcome::weak_password:
      return weak_password(state, exchange, "password");
  }
}

void change_password(PluginState& state, Exchange& exchange) {
  auto body = json_body(exchange);
  if (!body) return;
  FieldErrors fields;
  const size_t max_bytes = 8 * state.config.password.max_length;
  const auto current = string_field(*body, "current_password", max_bytes, fields);
  const auto replacement = string_field(*body, "new_password", max_bytes, fields);
  if (!fields.empty()) return bad_request(exchange, "current_password and new_password are required strings", fields);
  const auto current_password = decode_password_field(state, exchange, *current, "current_password");
  if (!current_password) return;
  const auto new_password = decode_password_field(state, exchange, *replacement, "new_password");
  if (!new_password) return;

  const Caller caller = *exchange.caller();  // the route is protected: the host guarantees a caller
  const account::ChangeResult result = state.accounts->change_password(
      caller.subject, caller.session_id, *current_password, *new_password, exchange.remote_address());
  switch (result.outcome) {
    case account::ChangeOutcome::done:
      return exchange.respond_json(200, R"({"status":"password_changed"})");
    case account::ChangeOutcome::wrong_password:
      return exchange.respond_json(401, error_body("invalid_credentials", "the current password is wrong"));
    case account::ChangeOutcome::rate_limited:
      return rate_limited(exchange, "too many wrong passwords; try again later", result.retry_after);
    case account::ChangeOutcome::weak_password:
      return weak_password(state, exchange, "new_password");
    case account::ChangeOutcome::no_such_user:
      exchange.respond_json(401, error_body("invalid_token", "no such user"));
      exchange.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      return;
  }
}

}  // namespace

void answer_mail_request(Exchange& exchange, const MailRequest& request) {
  auto body = json_body(exchange);
  if (!body) return;
  FieldErrors fields;
  const auto email = string_field(*body, "email", kMaxEmailBytes, fields);
  if (!fields.empty()) return bad_request(exchange, "email is a required string", fields);
  const account::MailRequestResult result = request(*email, exchange.remote_address());
  if (result.outcome == account::MailRequestOutcome::rate_limited) {
    return rate_limited(exchange, "too many requests for this address; try again later", result.retry_after);
  }
  accepted(exchange, "accepted");
}

int32_t register_account_routes(PluginState& state) {
  const std::string& prefix = state.config.routes.prefix;
  std::vector<RouteSpec> routes = {
      {"POST", prefix + "/register", LK_AUTH_PUBLIC, hash_queued<register_account>},
      {"GET", prefix + "/confirm", LK_AUTH_PUBLIC, guarded<confirm_link>},
      {"POST", prefix + "/confirm", LK_AUTH_PUBLIC, guarded<confirm_post>},
      {"POST", prefix + "/confirm/resend", LK_AUTH_PUBLIC,
       guarded<mail_request<&account::AccountService::resend_confirmation>>},
      {"POST", prefix + "/password/forgot", LK_AUTH_PUBLIC,
       guarded<mail_request<&account::AccountService::forgot_password>>},
      {"POST", prefix + "/password/reset", LK_AUTH_PUBLIC, hash_queued<reset_password>},
      {"POST", prefix + "/password/change", LK_AUTH_REQUIRED, hash_queued<change_password>},
  };
  return add_routes(state, routes);
}

}  // namespace latchkey::http
