// The latchkey-auth commands (CONTRACT §5). Each prints its result on stdout and throws
// CommandError for a failure the operator should read.
#pragma once

#include "cli/cli_context.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace latchkey::cli {

void migrate_command(CliContext& context);
void user_add(CliContext& context, const std::string& email, const std::vector<std::string>& roles, bool confirmed,
              std::istream& password_input);
void user_set_active(CliContext& context, const std::string& email, bool active);
void user_role(CliContext& context, const std::string& email, const std::string& action, const std::string& role);
void user_list(CliContext& context);
// The user's live sessions, newest first: id, created, last used, ip, device, amr.
void sessions_list(CliContext& context, const std::string& email);
void sessions_revoke(CliContext& context, const std::string& email);
void keygen(const std::string& algorithm, const std::string& out_path);
// Mail not delivered yet: id, recipient, subject, attempts, next attempt, last error.
void mail_pending(CliContext& context);

}  // namespace latchkey::cli
