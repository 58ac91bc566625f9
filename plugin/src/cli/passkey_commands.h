// latchkey-auth passkeys list | remove (CONTRACT §10): a user's passkeys, for the operator who
// helps someone who lost the device their only second factor was on.
#pragma once

#include "cli/cli_context.h"

#include <string>

namespace latchkey::cli {

// The user's passkeys, oldest first: id, name, created, last used, flagged, transports.
void passkeys_list(CliContext& context, const std::string& email);
// Removes one of the user's passkeys (audited as passkey.removed {"by":"operator"}).
void passkeys_remove(CliContext& context, const std::string& email, const std::string& id);

}  // namespace latchkey::cli
