// device_name on real User-Agent strings of each browser and system it knows (copied from the
// browsers themselves), the tools, and input that is empty, unknown or hostile.
#include "session/device_name.h"

#include <gtest/gtest.h>

#include <string>

namespace latchkey::session {
namespace {

struct Case {
  const char* user_agent;
  const char* device;
};

const Case kRealUserAgents[] = {
    {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
     "Chrome on Linux"},
    {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.28 "
     "Safari/537.36",
     "Chrome on Linux"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
     "Safari/537.36",
     "Chrome on Windows"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Windows"},
    {"Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Linux"},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on macOS"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
     "Safari/537.36 Edg/131.0.2903.86",
     "Edge on Windows"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 "
     "Safari/537.36 Edge/18.19582",
     "Edge on Windows"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
     "Safari/537.36 OPR/115.0.0.0",
     "Opera on Windows"},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/18.1 Mobile/15E148 Safari/604.1",
     "Safari on iPhone"},
    {"Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.7 "
     "Mobile/15E148 Safari/604.1",
     "Safari on iPad"},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
     "Chrome on iPhone"},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "FxiOS/133.0 Mobile/15E148 Safari/605.1.15",
     "Firefox on iPhone"},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
     "Safari/605.1.15",
     "Safari on macOS"},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
     "Safari/537.36",
     "Chrome on macOS"},
    {"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile "
     "Safari/537.36",
     "Chrome on Android"},
    {"Mozilla/5.0 (Android 15; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0", "Firefox on Android"},
    {"Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
     "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
     "Samsung Internet on Android"},
    {"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile "
     "Safari/537.36 EdgA/131.0.0.0",
     "Edge on Android"},
    {"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
     "Safari/537.36",
     "Chrome on ChromeOS"},
    {"Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko", "Internet Explorer on Windows"},
    {"curl/7.88.1", "curl"},
    {"Wget/1.21.3", "Wget"},
    {"python-requests/2.31.0", "Python requests"},
};

TEST(DeviceName, NamesTheBrowserAndSystemOfRealUserAgents) {
  for (const Case& c : kRealUserAgents) EXPECT_EQ(device_name(c.user_agent), c.device) << c.user_agent;
}

TEST(DeviceName, SaysUnknownRatherThanGuessing) {
  EXPECT_EQ(device_name(""), "Unknown browser");
  EXPECT_EQ(device_name("MyApp/1.0"), "Unknown browser");
  EXPECT_EQ(device_name("Mozilla/5.0"), "Unknown browser");
  // A system without a known browser keeps the system.
  EXPECT_EQ(device_name("SomeBot/2.0 (Linux x86_64)"), "Unknown browser on Linux");
  // Android's old stock browser sends "Safari/", but it is not Safari.
  EXPECT_EQ(device_name("Mozilla/5.0 (Linux; U; Android 4.0.3; ko-kr; LG-L160L Build/IML74K) AppleWebkit/534.30 "
                        "(KHTML, like Gecko) Version/4.0 Mobile Safari/534.30"),
            "Unknown browser on Android");
  // A browser on an unknown system is the browser alone.
  EXPECT_EQ(device_name("Mozilla/5.0 (Plan9) Gecko/20100101 Firefox/133.0"), "Firefox");
  // A tool's name counts only at the start: a page cannot pose as curl by saying it somewhere.
  EXPECT_EQ(device_name("Mozilla/5.0 (X11; Linux x86_64) curl/8.0 Firefox/133.0"), "Firefox on Linux");
}

TEST(DeviceName, HostileInputGivesShortPlainAscii) {
  const std::string hostile[] = {
      std::string(100000, 'A'),
      std::string(5000, 'x') + " Firefox/133.0 (Windows NT 10.0)",  // the known token lies past what is read
      "Mozilla/5.0 (Windows NT 10.0) \xe2\x80\xae\xf0\x9f\x98\x80 Firefox/133.0 \xff\xfe",
      std::string("Chrome/1\0 (Linux)", 17),
      "<script>alert(1)</script>",
      "\r\n\t",
  };
  for (const std::string& user_agent : hostile) {
    const std::string device = device_name(user_agent);
    EXPECT_LE(device.size(), 40u);
    for (const char c : device) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << "in " << device;
  }
  EXPECT_EQ(device_name(hostile[0]), "Unknown browser");
  EXPECT_EQ(device_name(hostile[1]), "Unknown browser");
  EXPECT_EQ(device_name(hostile[2]), "Firefox on Windows");
  EXPECT_EQ(device_name(hostile[3]), "Chrome on Linux");
  EXPECT_EQ(device_name(hostile[4]), "Unknown browser");
}

}  // namespace
}  // namespace latchkey::session
