#include "metrics/auth_metrics.h"

#include <cstddef>

namespace latchkey::metrics {
namespace {

lk_str view(std::string_view text) { return lk_str{text.data(), text.size()}; }

constexpr std::string_view kLogins = "latchkey_auth_logins_total";
constexpr std::string_view kLoginsHelp = "Password logins by result";
constexpr std::string_view kRefreshes = "latchkey_auth_refreshes_total";
constexpr std::string_view kRefreshesHelp = "Refresh token presentations by result";
constexpr std::string_view kMail = "latchkey_auth_mail_total";
constexpr std::string_view kMailHelp = "Mail delivery attempts by result";
constexpr std::string_view kCache = "latchkey_auth_revocation_cache_total";
constexpr std::string_view kCacheHelp = "Revocation checks answered from the cache (hit) or the database (miss)";

}  // namespace

AuthMetrics::AuthMetrics(const lk_host_api* api, lk_host* host) {
  // Present when the host's table reaches the last ABI 1.2 metric function.
  if (!api || api->struct_size < offsetof(lk_host_api, metric_histogram_observe) + sizeof api->metric_histogram_observe)
    return;
  api_ = api;
  host_ = host;
  for (std::string_view result :
       {"success", "invalid_credentials", "email_not_confirmed", "account_disabled", "rate_limited", "mfa_required"})
    counter(kLogins, kLoginsHelp, "result", result, 0);
  for (std::string_view result : {"rotated", "grace", "reuse_revoked", "invalid"})
    counter(kRefreshes, kRefreshesHelp, "result", result, 0);
  for (std::string_view result : {"sent", "failed"}) counter(kMail, kMailHelp, "result", result, 0);
  for (std::string_view result : {"hit", "miss"}) counter(kCache, kCacheHelp, "result", result, 0);
  counter("latchkey_auth_registrations_total", "Registration requests accepted", {}, {}, 0);
  counter("latchkey_auth_hash_rejections_total", "Requests answered 503 because no password hashing slot was free in time",
          {}, {}, 0);
  counter("latchkey_auth_database_errors_total", "Requests answered 503 because the database was unreachable", {}, {},
          0);
  mail_pending(0);
}

void AuthMetrics::counter(std::string_view name, std::string_view help, std::string_view label,
                          std::string_view value, double amount) const {
  if (!api_) return;
  const lk_str labels[2] = {view(label), view(value)};
  api_->metric_counter_add(host_, view(name), view(help), labels, label.empty() ? 0 : 1, amount);
}

void AuthMetrics::login(std::string_view result) const { counter(kLogins, kLoginsHelp, "result", result, 1); }

void AuthMetrics::refresh(std::string_view result) const { counter(kRefreshes, kRefreshesHelp, "result", result, 1); }

void AuthMetrics::registration() const {
  counter("latchkey_auth_registrations_total", "Registration requests accepted", {}, {}, 1);
}

void AuthMetrics::mail(bool sent) const { counter(kMail, kMailHelp, "result", sent ? "sent" : "failed", 1); }

void AuthMetrics::mail_pending(double count) const {
  if (!api_) return;
  api_->metric_gauge_set(host_, view("latchkey_auth_mail_pending"), view("Mails in the outbox not yet sent"), nullptr,
                         0, count);
}

void AuthMetrics::password_hash(double seconds) const {
  if (!api_) return;
  api_->metric_histogram_observe(host_, view("latchkey_auth_password_hash_seconds"),
                                 view("Time of one Argon2id computation (hash or verification)"), nullptr, 0, seconds);
}

void AuthMetrics::hash_rejection() const {
  counter("latchkey_auth_hash_rejections_total", "Requests answered 503 because no password hashing slot was free in time",
          {}, {}, 1);
}

void AuthMetrics::database_error() const {
  counter("latchkey_auth_database_errors_total", "Requests answered 503 because the database was unreachable", {}, {},
          1);
}

void AuthMetrics::revocation_cache(bool hit) const { counter(kCache, kCacheHelp, "result", hit ? "hit" : "miss", 1); }

}  // namespace latchkey::metrics
