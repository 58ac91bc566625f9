#include "audit/audit_log.h"

#include "audit/client_context.h"

#include <chrono>

namespace latchkey::audit {
namespace {

constexpr int64_t kPruneEveryMs = 3600 * 1000;

}  // namespace

AuditLog::AuditLog(store::Database& db, uint32_t retention_days, Sink sink, Clock clock)
    : db_(db),
      retention_ms_(static_cast<int64_t>(retention_days) * 86400 * 1000),
      sink_(std::move(sink)),
      clock_(std::move(clock)) {}

int64_t AuditLog::now_ms() const {
  if (clock_) return clock_();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

AuditEvent AuditLog::make(std::string_view event, std::string_view user_id, std::string_view session_id,
                          std::string detail) const {
  const Client& client = current_client();
  AuditEvent made;
  made.at_ms = now_ms();
  made.event = std::string(event);
  made.user_id = std::string(user_id);
  made.session_id = std::string(session_id);
  made.client_address = client.address;
  made.user_agent = client.user_agent;
  made.detail = std::move(detail);
  return made;
}

void AuditLog::write(Pending& pending, AuditEvent event) {
  AuditStore(db_).insert(event);
  pending.push_back(std::move(event));
}

void AuditLog::announce(Pending& pending) noexcept {
  for (const AuditEvent& event : pending) {
    try {
      if (sink_) sink_(event, to_json(event));
    } catch (...) {  // the change is committed: a failing sink must not turn it into an error
    }
  }
  pending.clear();
  // Pruning rides on the events themselves: at most one caller an hour does it.
  int64_t due = next_prune_ms_.load();
  const int64_t now = now_ms();
  if (now < due || !next_prune_ms_.compare_exchange_strong(due, now + kPruneEveryMs)) return;
  try {
    prune();
  } catch (...) {  // the database went away: the next hour tries again
  }
}

void AuditLog::record(AuditEvent event) {
  Pending pending;
  db_.transaction([&] { write(pending, std::move(event)); });
  announce(pending);
}

int64_t AuditLog::prune() { return AuditStore(db_).prune(now_ms() - retention_ms_); }

}  // namespace latchkey::audit
