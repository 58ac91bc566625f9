// The life of a signing key in the database: standby (published, verifies, never signs), active
// (the one key that signs), retired (verifies until its last token expired, then unused).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace latchkey::keys {

enum class KeyState { standby, active, retired };

std::string_view key_state_name(KeyState state);  // "standby", "active", "retired"
std::optional<KeyState> parse_key_state(std::string_view name);

// Why a change of state is refused; none when it is allowed.
enum class TransitionError {
  none,
  already_active,    // activate on the active key
  retired_for_good,  // activate or retire on a retired key: a retired key never signs again
  retiring_active,   // retire on the active key: activate its successor instead
};

// Activation: standby only (the active key before it becomes retired in the same change).
TransitionError check_activate(KeyState from);
// Retirement: standby only (the active key is retired by activating its successor).
TransitionError check_retire(KeyState from);

// One line for an operator, naming the key.
std::string transition_message(TransitionError error, std::string_view kid);

}  // namespace latchkey::keys
