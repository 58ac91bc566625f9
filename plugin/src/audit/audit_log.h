// Writing security events: a row of auth_events inside the transaction of the change it records,
// then, only after that transaction committed, the sink (the plugin's JSON log line and its ABI
// 1.2 event). A service collects its events in a Pending list while the transaction runs and
// announces them once it returned: a rolled-back change leaves neither a row nor a log line.
#pragma once

#include "audit/audit_event.h"
#include "audit/audit_store.h"
#include "store/database.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::audit {

// After commit, per event: the event and its JSON (to_json). Must not throw (it is caught anyway).
using Sink = std::function<void(const AuditEvent& event, const std::string& json)>;
using Pending = std::vector<AuditEvent>;

class AuditLog {
 public:
  using Clock = std::function<int64_t()>;  // Unix milliseconds

  // retention_days: events older are pruned at most hourly, after an announce.
  AuditLog(store::Database& db, uint32_t retention_days, Sink sink = {}, Clock clock = {});

  // An event of the calling thread's client (client_context.h), stamped now.
  AuditEvent make(std::string_view event, std::string_view user_id = {}, std::string_view session_id = {},
                  std::string detail = "{}") const;

  // Inside the change's transaction: writes the row; the event waits in pending.
  void write(Pending& pending, AuditEvent event);
  // After the commit: hands each pending event to the sink, then prunes when due. Never throws.
  void announce(Pending& pending) noexcept;
  // An event that is the whole change (a failed login): its own transaction, then announced.
  void record(AuditEvent event);

  // Deletes the events older than the retention now; returns how many.
  int64_t prune();

 private:
  int64_t now_ms() const;

  store::Database& db_;
  const int64_t retention_ms_;
  Sink sink_;
  Clock clock_;
  std::atomic<int64_t> next_prune_ms_{0};
};

// For services whose audit log is optional (unit tests run them without one): nothing when null.
inline void write(AuditLog* log, Pending& pending, std::string_view event, std::string_view user_id = {},
                  std::string_view session_id = {}, std::string detail = "{}") {
  if (log) log->write(pending, log->make(event, user_id, session_id, std::move(detail)));
}
inline void announce(AuditLog* log, Pending& pending) noexcept {
  if (log) log->announce(pending);
}
inline void record(AuditLog* log, std::string_view event, std::string_view user_id = {},
                   std::string_view session_id = {}, std::string detail = "{}") {
  if (log) log->record(log->make(event, user_id, session_id, std::move(detail)));
}

}  // namespace latchkey::audit
