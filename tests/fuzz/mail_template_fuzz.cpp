// Mail template rendering: an operator's confirm.txt / confirm.html (email.templates_dir) loaded
// by Templates::load, filled with an address and a link a user controls, and built into the RFC
// 5322 message the transports send. Input: email, link, From, .txt, each ended by "\<not \>"
// (FuzzedDataProvider's framing), then the .html. The built message must keep CRLF line ends
// and lines of at most 998 octets, and HTML-escaped values must never open a tag.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include <fuzzer/FuzzedDataProvider.h>

#include "mail/link.h"
#include "mail/message.h"
#include "mail/templates.h"
#include "scratch_dir.h"

using namespace latchkey;

namespace {

void check_rfc5322(const std::string& bytes) {
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\r' && (i + 1 == bytes.size() || bytes[i + 1] != '\n')) std::abort();  // bare CR
    if (bytes[i] != '\n') continue;
    if (i == 0 || bytes[i - 1] != '\r') std::abort();  // bare LF
    if (i - 1 - line_start > 998) std::abort();
    line_start = i + 1;
  }
  if (bytes.size() - line_start > 998) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  const std::string email = input.ConsumeRandomLengthString(320);
  const std::string link = input.ConsumeRandomLengthString(2048);
  const std::string from = input.ConsumeRandomLengthString(320);
  const std::string text = input.ConsumeRandomLengthString();
  const std::string html = input.ConsumeRemainingBytesAsString();

  static const std::filesystem::path dir = [] {
    const auto templates = fuzz::scratch_dir() / "templates";
    std::filesystem::create_directories(templates);
    return templates;
  }();
  fuzz::write_file(dir / "confirm.txt", text);
  fuzz::write_file(dir / "confirm.html", html);

  config::EmailConfig settings;
  settings.templates_dir = "templates";
  const auto loaded = mail::Templates::load(settings, fuzz::scratch_dir().string());
  if (const auto* templates = std::get_if<mail::Templates>(&loaded)) {
    const mail::Message message = templates->confirm(email, mail::link_with_token(link, email));
    const mail::BuiltMessage built = mail::build_rfc5322(message, from, 1700000000);
    if (built.ok()) check_rfc5322(built.bytes);
    else if (mail::header_problem(message, from).empty()) std::abort();
  }

  if (html.find('<') == std::string::npos &&
      mail::fill_placeholders(html, link, email, true).find('<') != std::string::npos)
    std::abort();
  return 0;
}
