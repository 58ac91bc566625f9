// A migrated SQLite database in a fresh temp folder, removed with it: what the session tests run on.
#pragma once

#include "store/database.h"
#include "store/user_store.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace latchkey::session::testing {

class TempDatabase {
 public:
  TempDatabase();
  ~TempDatabase();
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  store::Database& db() { return *db_; }
  // Another pool on the same file, e.g. with pool_size 1 to exhaust it.
  std::unique_ptr<store::Database> open(store::DatabaseOptions options) const;

  // A user row; active and confirmed unless told otherwise.
  std::string add_user(const std::string& email, std::optional<std::string> password_hash = std::nullopt,
                       bool confirmed = true, bool active = true);

 private:
  std::filesystem::path dir_;
  store::DatabaseUrl url_;
  std::unique_ptr<store::Database> db_;
};

}  // namespace latchkey::session::testing
