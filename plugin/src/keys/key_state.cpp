// Key states and which changes between them are allowed (docs/OPERATING.md, "Signing keys in the
// database"). A retired key is never brought back: tokens it signed after retirement would outlive
// the time hosts keep it for verification.
#include "keys/key_state.h"

namespace latchkey::keys {

std::string_view key_state_name(KeyState state) {
  switch (state) {
    case KeyState::standby: return "standby";
    case KeyState::active: return "active";
    case KeyState::retired: return "retired";
  }
  return "retired";
}

std::optional<KeyState> parse_key_state(std::string_view name) {
  if (name == "standby") return KeyState::standby;
  if (name == "active") return KeyState::active;
  if (name == "retired") return KeyState::retired;
  return std::nullopt;
}

TransitionError check_activate(KeyState from) {
  switch (from) {
    case KeyState::standby: return TransitionError::none;
    case KeyState::active: return TransitionError::already_active;
    case KeyState::retired: return TransitionError::retired_for_good;
  }
  return TransitionError::retired_for_good;
}

TransitionError check_retire(KeyState from) {
  switch (from) {
    case KeyState::standby: return TransitionError::none;
    case KeyState::active: return TransitionError::retiring_active;
    case KeyState::retired: return TransitionError::retired_for_good;
  }
  return TransitionError::retired_for_good;
}

std::string transition_message(TransitionError error, std::string_view kid) {
  const std::string key = "key " + std::string(kid);
  switch (error) {
    case TransitionError::none: return {};
    case TransitionError::already_active: return key + " is already active";
    case TransitionError::retired_for_good:
      return key + " is retired, and a retired key never comes back (add a new key with `keys add`)";
    case TransitionError::retiring_active:
      return key + " is the active key: activate another key (`keys activate KID`), which retires this one";
  }
  return key;
}

}  // namespace latchkey::keys
