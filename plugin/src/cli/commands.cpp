// The commands work on the store directly; passwords go through the same policy and hasher as
// the HTTP routes.
#include "cli/commands.h"

#include "audit/audit_event.h"
#include "jwt/algorithm.h"
#include "jwt/key.h"
#include "password/hasher.h"
#include "password/new_password.h"
#include "session/device_name.h"
#include "store/mail_outbox_store.h"
#include "store/migrations.h"
#include "store/session_store.h"
#include "store/user_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>

namespace latchkey::cli {
namespace {

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

store::User find_user(CliContext& context, const std::string& email) {
  auto user = store::UserStore(*context.db).find_by_email(email);
  if (!user) throw CommandError("no user with email " + email);
  return *user;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

}  // namespace

void migrate_command(CliContext& context) {
  const auto applied = store::migrate(*context.db);
  if (applied.empty()) std::cout << "schema is up to date\n";
  for (const std::string& version : applied) std::cout << "applied " << version << "\n";
}

void user_add(CliContext& context, const std::string& email, const std::vector<std::string>& roles, bool confirmed,
              std::istream& password_input) {
  if (email.find('@') == std::string::npos) throw CommandError("not an email address: " + email);
  std::string password;
  if (!std::getline(password_input, password)) throw CommandError("no password on stdin (one line)");
  if (!password.empty() && password.back() == '\r') password.pop_back();

  const auto& pw = context.config.password;
  const password::Hasher hasher({pw.argon2_memory_kib, pw.argon2_iterations, pw.argon2_parallelism}, 1);
  const password::NewPasswordHash hashed = password::hash_new_password(password, {pw.min_length, pw.max_length}, hasher);
  switch (hashed.result) {
    case password::PolicyResult::ok: break;
    case password::PolicyResult::too_short: throw CommandError("password too short (minimum " + std::to_string(pw.min_length) + ")");
    case password::PolicyResult::too_long: throw CommandError("password too long (maximum " + std::to_string(pw.max_length) + ")");
    case password::PolicyResult::invalid_utf8: throw CommandError("password is not valid UTF-8");
  }
  const int64_t now = now_seconds();
  store::NewUser user{email, hashed.encoded, confirmed ? std::optional<int64_t>(now) : std::nullopt, true,
                      roles.empty() ? std::vector<std::string>{"user"} : roles, now};
  audit::Pending events;
  const auto created = context.db->transaction([&] {
    const auto made = store::UserStore(*context.db).create(user);
    if (made.outcome != store::CreateUserOutcome::duplicate_email)
      audit::write(context.audit.get(), events, "user.registered", made.id, {}, audit::detail({{"method", "cli"}}));
    return made;
  });
  audit::announce(context.audit.get(), events);
  if (created.outcome == store::CreateUserOutcome::duplicate_email) throw CommandError("a user with email " + email + " exists");
  std::cout << created.id << "\n";
}

void user_set_active(CliContext& context, const std::string& email, bool active) {
  const store::User user = find_user(context, email);
  audit::Pending events;
  context.db->transaction([&] {
    store::UserStore(*context.db).set_active(user.id, active);
    audit::write(context.audit.get(), events, active ? "user.enabled" : "user.disabled", user.id);
  });
  audit::announce(context.audit.get(), events);
  std::cout << (active ? "enabled " : "disabled ") << user.email << "\n";
}

void user_role(CliContext& context, const std::string& email, const std::string& action, const std::string& role) {
  if (role.empty()) throw CommandError("a role name is required");
  if (action != "add" && action != "remove") throw CommandError("user role takes add or remove, not " + action);
  const store::User user = find_user(context, email);
  store::UserStore users(*context.db);
  audit::Pending events;
  context.db->transaction([&] {
    if (action == "add") users.add_role(user.id, role);
    else users.remove_role(user.id, role);
    audit::write(context.audit.get(), events, action == "add" ? "role.added" : "role.removed", user.id, {},
                 audit::detail({{"role", role}}));
  });
  audit::announce(context.audit.get(), events);
  std::cout << join(users.find_by_id(user.id)->roles) << "\n";
}

// Listings read before they print: a failure leaves stdout empty.
void user_list(CliContext& context) {
  const std::vector<store::User> users = store::UserStore(*context.db).list();
  std::cout << "id\temail\tconfirmed\tactive\troles\n";
  for (const store::User& user : users) {
    std::cout << user.id << "\t" << user.email << "\t" << (user.confirmed_at ? "yes" : "no") << "\t"
              << (user.active ? "yes" : "no") << "\t" << join(user.roles) << "\n";
  }
}

void sessions_revoke(CliContext& context, const std::string& email) {
  const store::User user = find_user(context, email);
  store::SessionStore sessions(*context.db);
  int64_t revoked = 0;
  audit::Pending events;
  context.db->transaction([&] {
    const int64_t now = now_seconds();
    // One event per session the operator ended (listed first: revoking marks them all).
    for (const store::Session& session : sessions.list_for_user(user.id)) {
      if (session.revoked_at || session.expires_at <= now) continue;
      audit::write(context.audit.get(), events, "session.revoked", user.id, session.id,
                   audit::detail({{"by", "operator"}}));
    }
    revoked = sessions.revoke_all_for_user(user.id, now);
  });
  audit::announce(context.audit.get(), events);
  std::cout << "revoked " << revoked << " sessions of " << user.email << "\n";
}

void sessions_list(CliContext& context, const std::string& email) {
  const store::User user = find_user(context, email);
  const std::vector<store::Session> live = store::SessionStore(*context.db).list_live_for_user(user.id, now_seconds());
  std::cout << "id\tcreated\tlast_used\tip\tdevice\tamr\n";
  for (const store::Session& session : live) {
    std::cout << session.id << "\t" << audit::format_time(session.created_at * 1000) << "\t"
              << audit::format_time(session.last_used_at * 1000) << "\t"
              << (session.client_address.empty() ? "-" : session.client_address) << "\t"
              << session::device_name(session.user_agent) << "\t" << join(session.amr) << "\n";
  }
}

void keygen(const std::string& algorithm_name, const std::string& out_path) {
  const auto algorithm = jwt::parse_algorithm(algorithm_name);
  if (!algorithm || *algorithm == jwt::Algorithm::HS256) throw CommandError("keygen takes --algorithm EdDSA or ES256");
  const auto pem = jwt::generate_private_key_pem(*algorithm);
  if (!pem) throw CommandError("cannot generate a key");
  // O_EXCL: never overwrite a key; 0600: a private key is for the server's user alone.
  const int fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) throw CommandError("cannot create " + out_path + ": " + std::strerror(errno));
  const bool written = ::write(fd, pem->data(), pem->size()) == static_cast<ssize_t>(pem->size());
  ::close(fd);
  if (!written) throw CommandError("cannot write " + out_path);
  const auto key = jwt::Key::from_private_pem(*pem);
  std::cout << "wrote " << algorithm_name << " key " << (key.key ? key.key->kid() : "") << " to " << out_path << "\n";
}

void mail_pending(CliContext& context) {
  const auto pending = store::MailOutboxStore(*context.db).pending();
  std::cout << "id\trecipient\tsubject\tattempts\tnext_attempt\tlast_error\n";
  for (const store::OutboxMail& mail : pending) {
    std::cout << mail.id << "\t" << mail.recipient << "\t" << mail.subject << "\t" << mail.attempts << "\t"
              << mail.next_attempt_at << "\t" << mail.last_error.value_or("") << "\n";
  }
}

}  // namespace latchkey::cli
