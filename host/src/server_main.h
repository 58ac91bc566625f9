// The `latchkey` server's entry point. Exported from liblatchkey_embed (the one public symbol
// beside the embedding API), so that the executable is a thin main over the same library.
#pragma once

#include <latchkey/embed.hpp>  // LATCHKEY_EMBED_API

namespace latchkey::host {

// `latchkey --config FILE [--listen HOST:PORT] [--check-config]` (CONTRACT §2); returns the exit code.
LATCHKEY_EMBED_API int run_server(int argc, char** argv);

}  // namespace latchkey::host
