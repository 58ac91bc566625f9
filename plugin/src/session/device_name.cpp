// The User-Agent is read as browsers write it: each one names its engine's ancestors too, so the
// product tokens are tried from the most specific to the most generic (Edge and Opera send
// "Chrome/", Chrome sends "Safari/", Android sends "Linux", iOS sends "like Mac OS X").
#include "session/device_name.h"

#include <array>

namespace latchkey::session {
namespace {

struct Marker {
  std::string_view token;  // a substring of the User-Agent, case as browsers send it
  std::string_view name;   // what the list shows
};

// Clients that are not browsers: named alone, at the start of the User-Agent.
constexpr std::array kTools = {
    Marker{"curl/", "curl"},
    Marker{"Wget/", "Wget"},
    Marker{"HTTPie/", "HTTPie"},
    Marker{"python-requests/", "Python requests"},
    Marker{"Go-http-client/", "Go HTTP client"},
    Marker{"PostmanRuntime/", "Postman"},
    Marker{"okhttp/", "OkHttp"},
};

// Browsers: the first token found wins, so the order is the point.
constexpr std::array kBrowsers = {
    Marker{"Edg/", "Edge"},      Marker{"EdgA/", "Edge"},     Marker{"EdgiOS/", "Edge"},
    Marker{"Edge/", "Edge"},     Marker{"OPR/", "Opera"},     Marker{"OPT/", "Opera"},
    Marker{"Opera", "Opera"},    Marker{"YaBrowser/", "Yandex Browser"},
    Marker{"Vivaldi/", "Vivaldi"},  Marker{"SamsungBrowser/", "Samsung Internet"},
    Marker{"FxiOS/", "Firefox"}, Marker{"Firefox/", "Firefox"}, Marker{"CriOS/", "Chrome"},
    Marker{"Chromium/", "Chromium"}, Marker{"Chrome/", "Chrome"}, Marker{"Trident/", "Internet Explorer"},
    Marker{"MSIE ", "Internet Explorer"}, Marker{"Safari/", "Safari"},
};

// Systems: the same rule (iPhone and iPad before "Mac OS X", Android and ChromeOS before "Linux").
constexpr std::array kSystems = {
    Marker{"iPhone", "iPhone"},   Marker{"iPad", "iPad"},          Marker{"iPod", "iPod"},
    Marker{"Windows Phone", "Windows Phone"}, Marker{"Android", "Android"}, Marker{"CrOS", "ChromeOS"},
    Marker{"Windows", "Windows"}, Marker{"Macintosh", "macOS"},     Marker{"Mac OS X", "macOS"},
    Marker{"Linux", "Linux"},     Marker{"FreeBSD", "FreeBSD"},     Marker{"OpenBSD", "OpenBSD"},
};

// Longer than any real User-Agent: the rest is not read (the store keeps 256 bytes anyway).
constexpr size_t kRead = 1024;

template <size_t N>
std::string_view first_found(std::string_view text, const std::array<Marker, N>& markers) {
  for (const Marker& marker : markers)
    if (text.find(marker.token) != std::string_view::npos) return marker.name;
  return {};
}

}  // namespace

std::string device_name(std::string_view user_agent) {
  const std::string_view text = user_agent.substr(0, kRead);
  for (const Marker& tool : kTools)
    if (text.starts_with(tool.token)) return std::string(tool.name);
  std::string_view browser = first_found(text, kBrowsers);
  const std::string_view system = first_found(text, kSystems);
  // A Safari token on a system Safari never ran on is some other WebKit browser.
  if (browser == "Safari" && system != "iPhone" && system != "iPad" && system != "iPod" && system != "macOS") browser = {};
  if (browser.empty() && system.empty()) return "Unknown browser";
  if (system.empty()) return std::string(browser);
  return std::string(browser.empty() ? "Unknown browser" : browser) + " on " + std::string(system);
}

}  // namespace latchkey::session
