// Key generation with Botan's system RNG; the plaintext private part lives only in secure_vectors
// (zeroed when freed) between generation and encryption.
#include "keys/new_signing_key.h"

#include <stdexcept>

#include <botan/data_src.h>
#include <botan/pkcs8.h>
#include <botan/system_rng.h>
#include <botan/x509_key.h>

#include "jwt/key.h"

namespace latchkey::keys {
namespace {

constexpr std::size_t kHmacSecretBytes = 32;

Botan::secure_vector<std::uint8_t> bytes_of(std::string_view text) {
  return Botan::secure_vector<std::uint8_t>(text.begin(), text.end());
}

}  // namespace

StoredKey generate_signing_key(jwt::Algorithm algorithm, const KeyEncryption& encryption, std::int64_t now) {
  StoredKey row;
  row.algorithm = std::string(jwt::algorithm_name(algorithm));
  row.state = KeyState::standby;
  row.created_at = now;
  Botan::secure_vector<std::uint8_t> private_part;
  if (algorithm == jwt::Algorithm::HS256) {
    private_part = Botan::system_rng().random_vec(kHmacSecretBytes);
    const std::string_view secret(reinterpret_cast<const char*>(private_part.data()), private_part.size());
    const jwt::KeyResult key = jwt::Key::from_hmac_secret(secret);
    if (!key.key) throw std::logic_error(key.error);
    row.kid = key.key->kid();
  } else {
    const auto pem = jwt::generate_private_key_pem(algorithm);
    if (!pem) throw std::invalid_argument("keys are generated for HS256, EdDSA and ES256 only");
    private_part = bytes_of(*pem);
    const jwt::KeyResult key = jwt::Key::from_private_pem(*pem);
    if (!key.key) throw std::logic_error(key.error);
    // "ed-"/"es-" as the derived HS256 kid has "hs-": a bare thumbprint may start with '-', which
    // a command line would take for an option (`keys activate -abc…`).
    row.kid = (algorithm == jwt::Algorithm::EdDSA ? "ed-" : "es-") + key.key->kid();
    Botan::DataSource_Memory source(private_part);
    const auto loaded = Botan::PKCS8::load_key(source);
    row.public_key = Botan::X509::PEM_encode(*loaded);
  }
  row.private_key_encrypted = encryption.encrypt(row.kid, private_part);
  return row;
}

}  // namespace latchkey::keys
