// TempDatabase: sqlite3://auth.db under a random temp folder, migrated from the source tree's schemas/.
#include "temp_database.h"

#include "store/database_url.h"
#include "store/migrations.h"
#include "store/token_hash.h"

#include <stdexcept>

namespace latchkey::session::testing {

TempDatabase::TempDatabase()
    : dir_(std::filesystem::temp_directory_path() / ("latchkey-session-test-" + store::random_hex(8))) {
  const auto parsed = store::parse_database_url("sqlite3://auth.db", dir_);
  if (!parsed.url) throw std::runtime_error(parsed.error);
  url_ = *parsed.url;
  db_ = std::make_unique<store::Database>(url_);
  store::migrate(*db_);
}

TempDatabase::~TempDatabase() {
  db_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::unique_ptr<store::Database> TempDatabase::open(store::DatabaseOptions options) const {
  return std::make_unique<store::Database>(url_, options);
}

std::string TempDatabase::add_user(const std::string& email, std::optional<std::string> password_hash, bool confirmed,
                                   bool active) {
  store::NewUser user;
  user.email = email;
  user.password_hash = std::move(password_hash);
  if (confirmed) user.confirmed_at = 1700000000;
  user.active = active;
  user.roles = {"user"};
  user.created_at = 1700000000;
  const auto created = store::UserStore(*db_).create(user);
  if (created.outcome != store::CreateUserOutcome::created) throw std::runtime_error("duplicate test user " + email);
  return created.id;
}

}  // namespace latchkey::session::testing
