#include "audit/client_context.h"

#include "audit/audit_event.h"

#include <utility>

namespace latchkey::audit {
namespace {

thread_local Client current;

}  // namespace

ClientScope::ClientScope(std::string_view address, std::string_view user_agent) : previous_(std::move(current)) {
  current = Client{std::string(address), printable_utf8(user_agent, kMaxUserAgent)};
}

ClientScope::~ClientScope() { current = std::move(previous_); }

const Client& current_client() { return current; }

}  // namespace latchkey::audit
