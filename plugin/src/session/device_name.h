// A readable name for the device a session signed in from ("Firefox on Windows"), read from the
// User-Agent its login sent, for the sessions list (CONTRACT §10). A small parser of our own:
// it knows the common browsers, systems and command-line tools, and says so when it does not.
#pragma once

#include <string>
#include <string_view>

namespace latchkey::session {

// "Browser on System", "Browser", "Unknown browser on System", a tool's name ("curl"), or
// "Unknown browser". Built only from fixed names, never from the input: the result is always short
// plain ASCII, whatever the User-Agent holds.
std::string device_name(std::string_view user_agent);

}  // namespace latchkey::session
