// latchkey-auth: the operator CLI (CONTRACT §5). Exit 0 on success, 1 with one line on stderr on
// failure, 2 on a usage error.
#include "cli/cli_context.h"
#include "cli/commands.h"

#include <iostream>
#include <string>
#include <vector>

namespace {

using namespace latchkey::cli;

constexpr const char* kUsage =
    "usage: latchkey-auth --config HOST_CONFIG <command>\n"
    "  migrate\n"
    "  user add EMAIL [--role R]... [--confirmed]   (password: one line on stdin)\n"
    "  user disable EMAIL | user enable EMAIL\n"
    "  user role EMAIL add|remove ROLE\n"
    "  user list\n"
    "  sessions revoke EMAIL\n"
    "  mail pending                                  (mail not delivered yet)\n"
    "  keygen --algorithm EdDSA|ES256 --out FILE    (--config not needed)\n";

struct UsageError {};

int run(const std::vector<std::string>& args) {
  std::string config_path;
  std::vector<std::string> words;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) config_path = args[++i];
    else words.push_back(args[i]);
  }
  if (words.empty()) throw UsageError{};
  auto word = [&](size_t i) -> const std::string& {
    if (i >= words.size()) throw UsageError{};
    return words[i];
  };

  if (words[0] == "keygen") {
    std::string algorithm, out;
    for (size_t i = 1; i < words.size(); ++i) {
      if (words[i] == "--algorithm") algorithm = word(++i);
      else if (words[i] == "--out") out = word(++i);
      else throw UsageError{};
    }
    if (algorithm.empty() || out.empty()) throw UsageError{};
    keygen(algorithm, out);
    return 0;
  }

  if (config_path.empty()) throw UsageError{};
  CliContext context = load_context(config_path);
  const std::string& command = words[0];
  if (command == "migrate") {
    if (words.size() != 1) throw UsageError{};
    open_database(context, false);
    migrate_command(context);
    return 0;
  }
  open_database(context, context.config.database.auto_migrate);
  if (command == "user" && word(1) == "add") {
    const std::string& email = word(2);
    std::vector<std::string> roles;
    bool confirmed = false;
    for (size_t i = 3; i < words.size(); ++i) {
      if (words[i] == "--role") roles.push_back(word(++i));
      else if (words[i] == "--confirmed") confirmed = true;
      else throw UsageError{};
    }
    user_add(context, email, roles, confirmed, std::cin);
  } else if (command == "user" && (word(1) == "disable" || word(1) == "enable") && words.size() == 3) {
    user_set_active(context, word(2), word(1) == "enable");
  } else if (command == "user" && word(1) == "role" && words.size() == 5) {
    user_role(context, word(2), word(3), word(4));
  } else if (command == "user" && word(1) == "list" && words.size() == 2) {
    user_list(context);
  } else if (command == "mail" && word(1) == "pending" && words.size() == 2) {
    mail_pending(context);
  } else if (command == "sessions" && word(1) == "revoke" && words.size() == 3) {
    sessions_revoke(context, word(2));
  } else {
    throw UsageError{};
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const UsageError&) {
    std::cerr << kUsage;
    return 2;
  } catch (const CommandError& error) {
    std::cerr << "latchkey-auth: " << error.what() << "\n";
    return 1;
  } catch (const std::exception& error) {
    std::cerr << "latchkey-auth: " << error.what() << "\n";
    return 1;
  }
}
