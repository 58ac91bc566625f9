// latchkey-auth's command line: the commands it knows and the parse that turns the arguments into
// one of them, or into a UsageError saying what is wrong (CONTRACT §5: exit 2). Nothing is opened here.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace latchkey::cli {

// A mistake in the arguments, worded for one line after "latchkey-auth: ".
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CommandLine {
  bool help = false;                   // --help anywhere: print the usage and do nothing else
  std::string config_path;             // --config; empty when not given
  std::string command;                 // its words joined by a space: "user add", "keygen"
  std::vector<std::string> arguments;  // exactly as many as the command takes
  std::map<std::string, std::vector<std::string>> options;  // "--role" -> each value; a flag -> {""}

  bool has(const std::string& option) const { return options.count(option) != 0; }
  // Every value of an option, in order; none when absent.
  std::vector<std::string> values(const std::string& option) const;
};

// Throws UsageError. The command and its arguments are checked before a missing --config, so that
// a typo is named as a typo.
CommandLine parse_command_line(const std::vector<std::string>& args);

// Printed on stdout by --help.
extern const char* const kUsage;

}  // namespace latchkey::cli
