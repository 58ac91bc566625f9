// Latchkey inside an existing Pistache server (CONTRACT §8). Link liblatchkey_embed
// (`Latchkey::embed`); the application keeps its own endpoint, router and threads:
//
//   latchkey::Embedded lk = latchkey::Embedded::load("latchkey.json");   // throws latchkey::ConfigError
//   Pistache::Rest::Router router;
//   lk.mount(router);                       // every plugin route: auth API, JWKS, client.js, app plugins
//   Pistache::Rest::Routes::Get(router, "/orders", lk.protect(list_orders));
//   Pistache::Rest::Routes::Post(router, "/admin/purge", lk.protect(purge, {"admin"}));
//   endpoint.setHandler(router.handler());
//
// THREADING: plugin handlers and filters, and the handlers given to protect(), run on Latchkey's
// own worker pool, never on Pistache's reactor threads. Everything here may be called from any
// thread; mount() and protect() before the endpoint serves.
// LIFETIME: call shutdown() (or destroy the Embedded) before the endpoint stops: it waits for the
// requests in flight, which still answer through the endpoint, then destroys the plugins.
#pragma once

#include <pistache/http.h>
#include <pistache/router.h>

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#define LATCHKEY_EMBED_API __attribute__((visibility("default")))

namespace latchkey {

// Who made a request, from a verified access token (the auth plugin's principal).
struct Caller {
  std::string subject;     // the user id (the token's `sub`)
  std::string session_id;  // the token's `sid`
  std::string claims_json; // every claim of the token, as a JSON object
  std::vector<std::string> roles;
};

// A config Latchkey cannot run with. what() holds one line per problem, as `--check-config`
// prints them: "FILE: /json/pointer: reason".
class LATCHKEY_EMBED_API ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(const std::string& message);
  ~ConfigError() override;
};

class LATCHKEY_EMBED_API Embedded {
 public:
  // An application handler that runs only with a caller. It answers through the writer, on a
  // Latchkey worker thread.
  using Handler = std::function<void(const Pistache::Rest::Request&, Pistache::Http::ResponseWriter, const Caller&)>;

  // Reads the host config (CONTRACT §2; `listen` and `threads` are optional and ignored), loads
  // every plugin and starts the worker pool. Throws ConfigError naming file, JSON pointer and reason.
  static Embedded load(const std::string& config_path);

  Embedded(Embedded&& other) noexcept;
  Embedded& operator=(Embedded&& other) noexcept;  // shuts this one down first
  ~Embedded();                                     // shutdown()

  // Adds every plugin route to router (the auth API, JWKS, <prefix>/client.js, app plugins' routes).
  // When the config maps `static` folders and router has no not-found handler yet, adds one that
  // serves them for GET (anything else: 404 {"error":"not_found"}). A body over the config's
  // max_body_bytes is answered 413 here and by protected routes.
  void mount(Pistache::Rest::Router& router) const;

  // A route handler that runs the plugins' filters as for a protected plugin route (token,
  // revocation, Origin check, `protect` rules) and needs one of roles (any caller when empty).
  // Refusals are answered here (401/403, as the `latchkey` server answers them); handler runs
  // only with a caller.
  Pistache::Rest::Route::Handler protect(Handler handler, std::vector<std::string> roles = {}) const;

  // The caller of a request to a public route, or nullopt (no token, or one that does not pass).
  // Runs the filters on a Latchkey worker and waits for them (a database lookup at most, cached).
  std::optional<Caller> authenticate(const Pistache::Http::Request& request) const;

  // Refuses new requests (503 shutting_down), waits for those in flight, then destroys the
  // plugins. Idempotent; the routes stay mounted and answer 503.
  void shutdown();

  struct State;  // defined in the library

 private:
  explicit Embedded(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace latchkey
