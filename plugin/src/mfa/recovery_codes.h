// Recovery codes: ten random codes shown once, "xxxxx-xxxxx" in lower-case base32 (50 bits each),
// kept only as SHA-256 hashes of their canonical form, each usable once.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::mfa {

inline constexpr std::size_t kRecoveryCodeCount = 10;

std::vector<std::string> new_recovery_codes(std::size_t count = kRecoveryCodeCount);

// The canonical form of what a user typed: case and the hyphen do not matter; surrounding
// spaces neither. nullopt when it cannot be a recovery code (then no lookup is made).
std::optional<std::string> canonical_recovery_code(std::string_view typed);

// What the store keeps and looks up: hash_token of the canonical form.
std::string recovery_code_hash(std::string_view canonical);

}  // namespace latchkey::mfa
