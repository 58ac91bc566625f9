// latchkey-auth: the operator CLI (CONTRACT §5). Exit 0 on success; on failure one line
// "latchkey-auth: <what is wrong>" on stderr, exit 2 for a usage error and 1 for anything else.
#include "audit/client_context.h"
#include "cli/audit_command.h"
#include "cli/cli_context.h"
#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/key_commands.h"
#include "cli/passkey_commands.h"

#include <iostream>
#include <string>
#include <vector>

namespace {

using namespace latchkey::cli;

AuditQuery audit_query(const CommandLine& line) {
  auto one = [&](const char* option) -> std::optional<std::string> {
    const std::vector<std::string> values = line.values(option);
    if (values.empty()) return std::nullopt;
    return values.front();
  };
  return {one("--user"), one("--event"), one("--since"), one("--limit"), line.has("--json")};
}

void run(const CommandLine& line) {
  const std::string& command = line.command;
  const std::vector<std::string>& args = line.arguments;
  if (command == "keygen") return keygen(line.values("--algorithm").front(), line.values("--out").front());

  CliContext context = load_context(line.config_path);
  if (command == "migrate") {
    open_database(context, false);
    return migrate_command(context);
  }
  open_database(context, context.config.database.auto_migrate);
  if (command == "user add") return user_add(context, args[0], line.values("--role"), line.has("--confirmed"), std::cin);
  if (command == "user disable") return user_set_active(context, args[0], false);
  if (command == "user enable") return user_set_active(context, args[0], true);
  if (command == "user role") return user_role(context, args[0], args[1], args[2]);
  if (command == "user list") return user_list(context);
  if (command == "sessions list") return sessions_list(context, args[0]);
  if (command == "sessions revoke") return sessions_revoke(context, args[0]);
  if (command == "passkeys list") return passkeys_list(context, args[0]);
  if (command == "passkeys remove") return passkeys_remove(context, args[0], args[1]);
  if (command == "mail pending") return mail_pending(context);
  if (command == "keys list") return keys_list(context);
  if (command == "keys add") return keys_add(context, line.values("--algorithm").front());
  if (command == "keys activate") return keys_activate(context, args[0]);
  if (command == "keys retire") return keys_retire(context, args[0]);
  if (command == "audit") return audit_list(context, audit_query(line));
  throw std::logic_error("command '" + command + "' is parsed but not run");
}

// One line whatever the message: a database driver's error may span several (libpq's does).
void print_error(const std::string& message) {
  std::string line;
  for (const char c : message) {
    const bool space = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (!space) line += c;
    else if (!line.empty() && line.back() != ' ') line += ' ';
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  std::cerr << "latchkey-auth: " << line << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine line;
  try {
    line = parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const UsageError& error) {
    print_error(error.what());
    return 2;
  }
  if (line.help) {
    std::cout << kUsage;
    return 0;
  }
  try {
    // What the CLI changes is recorded as done by it, from no address (audit/client_context.h).
    const latchkey::audit::ClientScope operator_client("", "latchkey-auth");
    run(line);
    return 0;
  } catch (const std::exception& error) {
    print_error(error.what());
    return 1;
  }
}
