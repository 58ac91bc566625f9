// Who the current request comes from, for the audit events the services write: the routes set it
// for the duration of a request (on the thread that runs the request's service calls), so the
// services, which know nothing of HTTP, need no extra parameter to say where a change came from.
#pragma once

#include <string>
#include <string_view>

namespace latchkey::audit {

struct Client {
  std::string address;     // the client address the host resolved (behind trusted proxies too)
  std::string user_agent;  // printable UTF-8 (printable_utf8), at most kMaxUserAgent bytes
};

// Sets the calling thread's client until destroyed (then the previous one is back).
class ClientScope {
 public:
  ClientScope(std::string_view address, std::string_view user_agent);
  ~ClientScope();
  ClientScope(const ClientScope&) = delete;
  ClientScope& operator=(const ClientScope&) = delete;

 private:
  Client previous_;
};

// The calling thread's client; empty outside any scope.
const Client& current_client();

}  // namespace latchkey::audit
