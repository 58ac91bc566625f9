// Loading the CLI's context through the same readers the host and the plugin use, so the CLI
// sees exactly the config the server sees.
#include "cli/cli_context.h"

#include "config.h"
#include "store/database_url.h"
#include "store/migrations.h"

#include <filesystem>

namespace latchkey::cli {

CliContext load_context(const std::string& host_config_path) {
  const host::ConfigResult host = host::load_host_config(host_config_path);
  if (!host.errors.empty()) {
    const auto& first = host.errors.front();
    throw CommandError(host_config_path + ": " + (first.pointer.empty() ? "/" : first.pointer) + ": " + first.reason);
  }
  const host::PluginEntry* entry = nullptr;
  for (const host::PluginEntry& plugin : host.config->plugins) {
    if (plugin.name == "auth" || std::filesystem::path(plugin.path).filename() == "liblatchkey_auth.so") {
      entry = &plugin;
      break;
    }
  }
  if (!entry) throw CommandError(host_config_path + ": no auth plugin entry (name \"auth\") in /plugins");

  config::AuthConfigResult parsed = config::parse_auth_config(entry->config_json, host.config->dir);
  if (!parsed.errors.empty()) {
    const auto& first = parsed.errors.front();
    throw CommandError(host_config_path + ": " + entry->pointer + "/config" + first.pointer + ": " + first.reason);
  }
  return CliContext{std::move(*parsed.config), nullptr};
}

void open_database(CliContext& context, bool migrate) {
  try {
    auto url = store::parse_database_url(context.config.database.url, context.config.config_dir);
    store::DatabaseOptions options;
    options.pool_size = 1;
    options.query_timeout = std::chrono::milliseconds(context.config.database.query_timeout_ms);
    context.db = std::make_unique<store::Database>(std::move(*url.url), options);
    if (migrate) store::migrate(*context.db);
    if (context.config.audit.enabled) {
      context.audit = std::make_unique<audit::AuditLog>(*context.db, context.config.audit.retention_days);
    }
  } catch (const std::exception& error) {
    throw CommandError(std::string("cannot use the database: ") + error.what());
  }
}

}  // namespace latchkey::cli
