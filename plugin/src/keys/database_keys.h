// Signing keys read from the signing_keys table: what a host with tokens.keys "database" loads at
// start and on every refresh.
#pragma once

#include <chrono>
#include <cstdint>

#include "keys/key_encryption.h"
#include "keys/live_keys.h"
#include "store/database.h"

namespace latchkey::keys {

// How long a retired key still verifies: its last token may have been signed by a host that had
// not reloaded yet (up to `refresh` after retirement), lives `access_ttl`, and is accepted `leeway`
// past its exp.
std::chrono::seconds retired_key_lifetime(std::uint32_t access_ttl_seconds, std::uint32_t leeway_seconds,
                                          std::uint32_t refresh_seconds);

// Reads every row and builds the snapshot at the current time. The loader keeps `db` by reference.
LiveKeys::Loader database_key_loader(store::Database& db, KeyEncryption encryption, std::chrono::seconds retired_kept);

}  // namespace latchkey::keys
