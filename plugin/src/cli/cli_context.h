// What every latchkey-auth command starts from: the auth plugin's entry in the host config,
// parsed, and (on demand) its database.
#pragma once

#include "audit/audit_log.h"
#include "config/auth_config.h"
#include "store/database.h"

#include <memory>
#include <optional>
#include <string>

namespace latchkey::cli {

// A failure to report as one line on stderr, exit code 1.
struct CommandError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CliContext {
  config::AuthConfig config;
  std::unique_ptr<store::Database> db;  // opened and migrated (when auto_migrate) by open_database
  // The changes the CLI makes are security events too: rows of auth_events (user agent
  // "latchkey-auth", no address). No host runs here, so no log line and no ABI event.
  std::unique_ptr<audit::AuditLog> audit = nullptr;
};

// Reads the host config (with ${NAME} substitution), finds the auth plugin's entry (named "auth",
// or the one whose file is liblatchkey_auth.so) and parses its config. Throws CommandError.
CliContext load_context(const std::string& host_config_path);

// Opens the database; applies migrations when `migrate` is true. Throws CommandError.
void open_database(CliContext& context, bool migrate);

}  // namespace latchkey::cli
