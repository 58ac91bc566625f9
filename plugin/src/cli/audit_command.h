// `latchkey-auth audit [--user EMAIL] [--event NAME] [--since ISO-8601] [--limit N] [--json]`:
// the audit log, newest first, as a table or as JSON Lines.
#pragma once

#include "cli/cli_context.h"

#include <optional>
#include <string>

namespace latchkey::cli {

struct AuditQuery {
  std::optional<std::string> user_email;
  std::optional<std::string> event;
  std::optional<std::string> since;  // ISO-8601 UTC, as given
  std::optional<std::string> limit;  // as given: 1..10000, default 100
  bool json = false;
};

void audit_list(CliContext& context, const AuditQuery& query);

}  // namespace latchkey::cli
