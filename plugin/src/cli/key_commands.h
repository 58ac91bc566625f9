// latchkey-auth keys list | add | activate | retire (CONTRACT §9): signing keys in the database,
// for a config with tokens.keys "database" and its tokens.key_encryption_key.
#pragma once

#include "cli/cli_context.h"

#include <string>

namespace latchkey::cli {

void keys_list(CliContext& context);
void keys_add(CliContext& context, const std::string& algorithm);
void keys_activate(CliContext& context, const std::string& kid);
void keys_retire(CliContext& context, const std::string& kid);

}  // namespace latchkey::cli
