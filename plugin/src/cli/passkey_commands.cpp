// The passkey commands work on the store directly, as the sessions commands do.
#include "cli/passkey_commands.h"

#include "audit/audit_event.h"
#include "store/passkey_store.h"
#include "store/user_store.h"

#include <iostream>

namespace latchkey::cli {
namespace {

store::User find_user(CliContext& context, const std::string& email) {
  auto user = store::UserStore(*context.db).find_by_email(email);
  if (!user) throw CommandError("no user with email " + email);
  return *user;
}

std::string time_or_dash(const std::optional<int64_t>& at) { return at ? audit::format_time(*at * 1000) : "-"; }

}  // namespace

// Read before printing: a failure leaves stdout empty.
void passkeys_list(CliContext& context, const std::string& email) {
  const store::User user = find_user(context, email);
  const std::vector<store::Passkey> passkeys = store::PasskeyStore(*context.db).list_for_user(user.id);
  std::cout << "id\tname\tcreated\tlast_used\tflagged\ttransports\n";
  for (const store::Passkey& passkey : passkeys) {
    std::string transports;
    for (const std::string& transport : passkey.transports) transports += (transports.empty() ? "" : ",") + transport;
    std::cout << passkey.id << "\t" << passkey.name << "\t" << audit::format_time(passkey.created_at * 1000) << "\t"
              << time_or_dash(passkey.last_used_at) << "\t" << time_or_dash(passkey.flagged_at) << "\t"
              << (transports.empty() ? "-" : transports) << "\n";
  }
}

void passkeys_remove(CliContext& context, const std::string& email, const std::string& id) {
  const store::User user = find_user(context, email);
  store::PasskeyStore passkeys(*context.db);
  audit::Pending events;
  std::string name;
  const bool removed = context.db->transaction([&] {
    const auto passkey = passkeys.find_for_user(id, user.id);
    if (!passkey || !passkeys.remove_for_user(id, user.id)) return false;
    name = passkey->name;
    audit::write(context.audit.get(), events, "passkey.removed", user.id, {},
                 audit::detail({{"passkey", id}, {"name", name}, {"by", "operator"}}));
    return true;
  });
  audit::announce(context.audit.get(), events);
  if (!removed) throw CommandError(user.email + " has no passkey " + id);
  std::cout << "removed passkey " << id << " (" << name << ") of " << user.email << "\n";
}

}  // namespace latchkey::cli
