// The auth_events table (migration 004): written inside the transaction of the change an event
// records, read by `latchkey-auth audit` and GET <prefix>/events, pruned after the retention.
#pragma once

#include "audit/audit_event.h"
#include "store/database.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace latchkey::audit {

struct EventFilter {
  std::optional<std::string> user_id;
  std::optional<std::string> event;
  std::optional<int64_t> since_ms;  // at or after
  size_t limit = 100;
};

class AuditStore {
 public:
  explicit AuditStore(store::Database& db) : db_(db) {}

  // Joins the calling thread's open transaction (Database::transaction), if any. Sets event.id.
  void insert(AuditEvent& event);
  // Newest first.
  std::vector<AuditEvent> list(const EventFilter& filter);
  // Deletes the events before before_ms; returns how many.
  int64_t prune(int64_t before_ms);

 private:
  store::Database& db_;
};

}  // namespace latchkey::audit
