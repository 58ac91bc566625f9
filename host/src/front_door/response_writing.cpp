// Raw response headers for Pistache 0.0.5, whose header map holds one value per name and whose
// cookie jar re-parses and re-writes Set-Cookie values (`HttpOnly; ; Secure=` for `HttpOnly; Secure`).
#include "front_door/response_writing.h"

#include <ostream>
#include <string>
#include <vector>

namespace latchkey::host {
namespace {

using namespace Pistache;

// A response header written as given. Several values are several lines of the same name, which
// is how Set-Cookie must be sent (RFC 6265 §3: never folded into one line).
class RawHeader : public Http::Header::Header {
 public:
  RawHeader(std::string name, std::vector<std::string> values) : name_(std::move(name)), values_(std::move(values)) {}
  const char* name() const override { return name_.c_str(); }
  void parse(const std::string& data) override { values_ = {data}; }
  // Pistache writes "name: ", then this, then CRLF.
  void write(std::ostream& stream) const override {
    for (size_t i = 0; i < values_.size(); ++i) {
      if (i > 0) stream << "\r\n" << name_ << ": ";
      stream << values_[i];
    }
  }
#ifdef SAFE_HEADER_CAST
  uint64_t hash() const override { return std::hash<std::string>{}(name_); }
#endif

 private:
  std::string name_;
  std::vector<std::string> values_;
};

void add_headers(Http::ResponseWriter& writer, const HttpResponse& response) {
  // The values were checked for CR, LF and NUL where they entered (the host table, the host's own
  // answers), so a value can never start a header line of its own.
  auto& headers = writer.headers();
  for (const auto& [name, value] : response.headers) headers.add(std::make_shared<RawHeader>(name, std::vector{value}));
  if (!response.header("Content-Type")) {
    headers.add(std::make_shared<RawHeader>("Content-Type", std::vector<std::string>{"application/json"}));
  }
  if (!response.set_cookies.empty()) headers.add(std::make_shared<RawHeader>("Set-Cookie", response.set_cookies));
}

void add_line(std::string& wire, std::string_view name, std::string_view value) {
  wire.append(name);
  wire.append(": ");
  wire.append(value);
  wire.append("\r\n");
}

}  // namespace

std::string wire_response(const HttpResponse& response, Http::Version version, bool keep_alive) {
  const std::string status = std::to_string(response.status);
  std::string wire;
  wire.reserve(128 + response.body.size());
  wire.append(Http::versionString(version));
  wire.append(" ");
  wire.append(status);
  wire.append(" ");
  wire.append(Http::codeString(static_cast<Http::Code>(response.status)));
  wire.append("\r\n");
  // The values were checked for CR, LF and NUL where they entered, as in add_headers.
  for (const auto& [name, value] : response.headers) add_line(wire, name, value);
  if (!response.header("Content-Type")) add_line(wire, "Content-Type", "application/json");
  for (const std::string& cookie : response.set_cookies) add_line(wire, "Set-Cookie", cookie);
  add_line(wire, "Connection", keep_alive ? "keep-alive" : "close");
  add_line(wire, "Content-Length", std::to_string(response.body.size()));
  wire.append("\r\n");
  wire.append(response.body);
  return wire;
}

Async::Promise<ssize_t> send_response(Http::ResponseWriter& writer, const HttpResponse& response) {
  add_headers(writer, response);
  return writer.send(static_cast<Http::Code>(response.status), response.body.data(), response.body.size());
}

}  // namespace latchkey::host
