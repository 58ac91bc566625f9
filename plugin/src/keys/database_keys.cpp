// The loader LiveKeys calls: one SELECT of a handful of rows, then decryption and parsing.
#include "keys/database_keys.h"

#include "keys/signing_key_store.h"

namespace latchkey::keys {

std::chrono::seconds retired_key_lifetime(std::uint32_t access_ttl_seconds, std::uint32_t leeway_seconds,
                                          std::uint32_t refresh_seconds) {
  return std::chrono::seconds(std::int64_t{access_ttl_seconds} + leeway_seconds + refresh_seconds);
}

LiveKeys::Loader database_key_loader(store::Database& db, KeyEncryption encryption, std::chrono::seconds retired_kept) {
  return [&db, encryption = std::move(encryption), retired_kept] {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch()).count();
    return build_snapshot(SigningKeyStore(db).list(), encryption, now, retired_kept);
  };
}

}  // namespace latchkey::keys
