// A C++17 plugin built out of tree with latchkey/plugin.hpp: /cpp/public answers anyone,
// /cpp/private only an authenticated caller (its subject), /cpp/boom throws (the host answers 500).
#include <latchkey/plugin.hpp>

#include <stdexcept>
#include <string>

class Greet {
 public:
  explicit Greet(latchkey::Setup& setup) {
    setup.route({"GET", "/cpp/public", latchkey::Auth::Public},
                [](latchkey::Request&, latchkey::Response& res) { res.set_body("greet_cpp public"); });
    setup.route({"GET", "/cpp/private"}, this, &Greet::private_greeting);
    setup.route({"GET", "/cpp/boom", latchkey::Auth::Public},
                [](latchkey::Request&, latchkey::Response&) { throw std::runtime_error("boom"); });
  }

  void private_greeting(latchkey::Request& req, latchkey::Response& res) {
    res.set_body("greet_cpp private " + std::string(req.principal()->subject));
  }
};

LATCHKEY_PLUGIN(Greet, "greet_cpp", "1.0.0");
