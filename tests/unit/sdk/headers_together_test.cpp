// plugin.hpp and embed.hpp share the namespace latchkey: an application that embeds Latchkey may
// also build a plugin, so one translation unit must hold both. The test is that this builds.
#include <latchkey/embed.hpp>
#include <latchkey/plugin.hpp>

#include <type_traits>

static_assert(!std::is_same_v<latchkey::ConfigError, latchkey::InvalidConfig>);
static_assert(std::is_base_of_v<std::exception, latchkey::InvalidConfig>);

int main() { return 0; }
