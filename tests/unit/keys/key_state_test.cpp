// Key states: which changes are allowed, and the operator's message for each refusal.
#include "keys/key_state.h"

#include <gtest/gtest.h>

namespace latchkey::keys {
namespace {

TEST(KeyState, NamesReadBack) {
  for (const KeyState state : {KeyState::standby, KeyState::active, KeyState::retired}) {
    EXPECT_EQ(parse_key_state(key_state_name(state)), state);
  }
  EXPECT_FALSE(parse_key_state("Active"));
  EXPECT_FALSE(parse_key_state(""));
}

TEST(KeyState, OnlyStandbyKeysActivate) {
  EXPECT_EQ(check_activate(KeyState::standby), TransitionError::none);
  EXPECT_EQ(check_activate(KeyState::active), TransitionError::already_active);
  EXPECT_EQ(check_activate(KeyState::retired), TransitionError::retired_for_good);
}

TEST(KeyState, OnlyStandbyKeysRetireDirectly) {
  EXPECT_EQ(check_retire(KeyState::standby), TransitionError::none);
  EXPECT_EQ(check_retire(KeyState::active), TransitionError::retiring_active);
  EXPECT_EQ(check_retire(KeyState::retired), TransitionError::retired_for_good);
}

TEST(KeyState, RefusalsNameTheKeyAndWhatToDo) {
  EXPECT_EQ(transition_message(TransitionError::none, "k1"), "");
  EXPECT_NE(transition_message(TransitionError::already_active, "k1").find("k1"), std::string::npos);
  EXPECT_NE(transition_message(TransitionError::retired_for_good, "k1").find("keys add"), std::string::npos);
  EXPECT_NE(transition_message(TransitionError::retiring_active, "k1").find("keys activate"), std::string::npos);
}

}  // namespace
}  // namespace latchkey::keys
