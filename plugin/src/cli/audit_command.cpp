// The filters are checked before the database is asked; an unknown user is an error rather than
// an empty list, so a typo in --user does not read as "nothing happened".
#include "cli/audit_command.h"

#include "audit/audit_store.h"
#include "store/user_store.h"

#include <iostream>

namespace latchkey::cli {
namespace {

constexpr size_t kMaxLimit = 10000;

size_t parse_limit(const std::string& text) {
  size_t value = 0;
  if (text.empty() || text.size() > 5) throw CommandError("--limit takes a number from 1 to 10000, not " + text);
  for (char c : text) {
    if (c < '0' || c > '9') throw CommandError("--limit takes a number from 1 to 10000, not " + text);
    value = value * 10 + static_cast<size_t>(c - '0');
  }
  if (value < 1 || value > kMaxLimit) throw CommandError("--limit takes a number from 1 to 10000, not " + text);
  return value;
}

// A table cell: tabs and line breaks in a user agent must not break the columns.
std::string cell(const std::string& text) {
  std::string out = text.empty() ? "-" : text;
  for (char& c : out)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return out;
}

}  // namespace

void audit_list(CliContext& context, const AuditQuery& query) {
  audit::EventFilter filter;
  if (query.limit) filter.limit = parse_limit(*query.limit);
  if (query.since) {
    filter.since_ms = audit::parse_time(*query.since);
    if (!filter.since_ms)
      throw CommandError("--since takes an ISO-8601 UTC time such as 2026-12-04 or 2026-12-04T10:00:00Z, not " +
                         *query.since);
  }
  if (query.event) filter.event = *query.event;
  if (query.user_email) {
    const auto user = store::UserStore(*context.db).find_by_email(*query.user_email);
    if (!user) throw CommandError("no user with email " + *query.user_email);
    filter.user_id = user->id;
  }
  const std::vector<audit::AuditEvent> events = audit::AuditStore(*context.db).list(filter);
  if (query.json) {
    for (const audit::AuditEvent& event : events) std::cout << audit::to_json(event) << "\n";
    return;
  }
  std::cout << "at\tevent\tuser\tsession\taddress\tuser_agent\tdetail\n";
  for (const audit::AuditEvent& event : events) {
    std::cout << audit::format_time(event.at_ms) << "\t" << event.event << "\t" << cell(event.user_id) << "\t"
              << cell(event.session_id) << "\t" << cell(event.client_address) << "\t" << cell(event.user_agent) << "\t"
              << cell(event.detail) << "\n";
  }
}

}  // namespace latchkey::cli
