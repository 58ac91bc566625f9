// The command table and its parser: every command's arguments and options in one place, so that
// each kind of mistake gets the same one-line message whatever the command.
#include "cli/command_line.h"

#include <algorithm>

namespace latchkey::cli {

const char* const kUsage =
    "usage: latchkey-auth --config HOST_CONFIG <command>\n"
    "  migrate\n"
    "  user add EMAIL [--role R]... [--confirmed]   (password: one line on stdin)\n"
    "  user disable EMAIL | user enable EMAIL\n"
    "  user role EMAIL add|remove ROLE\n"
    "  user list\n"
    "  sessions list EMAIL                           (live sessions, newest first)\n"
    "  sessions revoke EMAIL\n"
    "  passkeys list EMAIL | passkeys remove EMAIL ID\n"
    "  mail pending                                  (mail not delivered yet)\n"
    "  keygen --algorithm EdDSA|ES256 --out FILE    (--config not needed)\n"
    "  keys list | keys add --algorithm HS256|EdDSA|ES256 | keys activate KID | keys retire KID\n"
    "                                                (tokens.keys \"database\")\n"
    "  audit [--user EMAIL] [--event NAME] [--since ISO-8601] [--limit N] [--json]\n"
    "                                                (security events, newest first)\n"
    "latchkey-auth --help                            (this text)\n";

namespace {

struct ArgumentSpec {
  std::string name;                       // as the usage shows it: "EMAIL"
  std::vector<std::string> choices = {};  // the values allowed; empty: any
};

struct OptionSpec {
  std::string name;                       // "--role"
  std::string value_name = {};            // "R"; empty for a flag
  std::vector<std::string> choices = {};  // the values allowed; empty: any
  bool required = false;
  bool repeatable = false;
};

struct CommandSpec {
  std::string name;  // its words joined by a space
  std::vector<ArgumentSpec> arguments;
  std::vector<OptionSpec> options;
  bool needs_config = true;
};

const std::vector<CommandSpec> kCommands = {
    {"migrate", {}, {}},
    {"user add", {{"EMAIL"}}, {{"--role", "R", {}, false, true}, {"--confirmed"}}},
    {"user disable", {{"EMAIL"}}, {}},
    {"user enable", {{"EMAIL"}}, {}},
    {"user role", {{"EMAIL"}, {"add|remove", {"add", "remove"}}, {"ROLE"}}, {}},
    {"user list", {}, {}},
    {"sessions list", {{"EMAIL"}}, {}},
    {"sessions revoke", {{"EMAIL"}}, {}},
    {"passkeys list", {{"EMAIL"}}, {}},
    {"passkeys remove", {{"EMAIL"}, {"ID"}}, {}},
    {"mail pending", {}, {}},
    {"keygen", {}, {{"--algorithm", "EdDSA|ES256", {"EdDSA", "ES256"}, true}, {"--out", "FILE", {}, true}}, false},
    {"keys list", {}, {}},
    {"keys add", {}, {{"--algorithm", "HS256|EdDSA|ES256", {"HS256", "EdDSA", "ES256"}, true}}},
    {"keys activate", {{"KID"}}, {}},
    {"keys retire", {{"KID"}}, {}},
    {"audit", {}, {{"--user", "EMAIL"}, {"--event", "NAME"}, {"--since", "ISO-8601"}, {"--limit", "N"}, {"--json"}}},
};

bool is_option(const std::string& word) { return word.size() > 1 && word[0] == '-'; }

std::string one_of(const std::vector<std::string>& choices) {
  std::string text;
  for (size_t i = 0; i < choices.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
  }
  return text;
}

bool allowed(const std::vector<std::string>& choices, const std::string& value) {
  return choices.empty() || std::find(choices.begin(), choices.end(), value) != choices.end();
}

// The command named by the first one or two words; the words it used are erased.
const CommandSpec& find_command(std::vector<std::string>& words) {
  if (words.empty()) throw UsageError("missing command (see --help)");
  if (is_option(words[0])) throw UsageError("unknown option '" + words[0] + "' (see --help)");
  std::vector<std::string> subcommands;
  for (const CommandSpec& spec : kCommands) {
    if (spec.name == words[0]) {
      words.erase(words.begin());
      return spec;
    }
    if (spec.name.starts_with(words[0] + " ")) subcommands.push_back(spec.name.substr(words[0].size() + 1));
  }
  if (subcommands.empty()) throw UsageError("unknown command '" + words[0] + "' (see --help)");
  if (words.size() < 2 || is_option(words[1])) {
    throw UsageError(words[0] + ": missing subcommand (" + one_of(subcommands) + ")");
  }
  for (const CommandSpec& spec : kCommands) {
    if (spec.name == words[0] + " " + words[1]) {
      words.erase(words.begin(), words.begin() + 2);
      return spec;
    }
  }
  throw UsageError("unknown command '" + words[0] + " " + words[1] + "' (see --help)");
}

// Fills line.arguments and line.options from the words after the command's name.
void parse_arguments(const CommandSpec& spec, const std::vector<std::string>& words, CommandLine& line) {
  const auto fail = [&](const std::string& what) { throw UsageError(spec.name + ": " + what); };
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (!is_option(word)) {
      if (line.arguments.size() == spec.arguments.size()) fail("unexpected argument '" + word + "'");
      const ArgumentSpec& argument = spec.arguments[line.arguments.size()];
      if (word.empty()) fail("empty " + argument.name);
      if (!allowed(argument.choices, word)) fail("expected " + one_of(argument.choices) + ", not '" + word + "'");
      line.arguments.push_back(word);
      continue;
    }
    const auto option = std::find_if(spec.options.begin(), spec.options.end(),
                                     [&](const OptionSpec& candidate) { return candidate.name == word; });
    if (option == spec.options.end()) fail("unknown option '" + word + "'");
    if (line.has(word) && !option->repeatable) fail(word + " given twice");
    std::string value;
    if (!option->value_name.empty()) {
      if (i + 1 == words.size() || is_option(words[i + 1]) || words[i + 1].empty()) fail(word + " needs a value");
      value = words[++i];
      if (!allowed(option->choices, value)) {
        fail(word + " expects " + one_of(option->choices) + ", not '" + value + "'");
      }
    }
    line.options[word].push_back(value);
  }
  if (line.arguments.size() < spec.arguments.size()) fail("missing " + spec.arguments[line.arguments.size()].name);
  for (const OptionSpec& option : spec.options) {
    if (option.required && !line.has(option.name)) fail("missing " + option.name + " " + option.value_name);
  }
}

}  // namespace

std::vector<std::string> CommandLine::values(const std::string& option) const {
  const auto found = options.find(option);
  return found == options.end() ? std::vector<std::string>{} : found->second;
}

CommandLine parse_command_line(const std::vector<std::string>& args) {
  CommandLine line;
  if (std::find_if(args.begin(), args.end(), [](const std::string& a) { return a == "--help" || a == "-h"; }) !=
      args.end()) {
    line.help = true;
    return line;
  }
  // --config may come anywhere, as operators put it before or after the command.
  std::vector<std::string> words;
  bool config_given = false;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] != "--config") {
      words.push_back(args[i]);
      continue;
    }
    if (config_given) throw UsageError("--config given twice");
    if (i + 1 == args.size() || args[i + 1].empty() || is_option(args[i + 1])) {
      throw UsageError("--config needs a value");
    }
    line.config_path = args[++i];
    config_given = true;
  }
  const CommandSpec& spec = find_command(words);
  line.command = spec.name;
  parse_arguments(spec, words, line);
  if (spec.needs_config && line.config_path.empty()) throw UsageError("missing --config HOST_CONFIG (see --help)");
  return line;
}

}  // namespace latchkey::cli
