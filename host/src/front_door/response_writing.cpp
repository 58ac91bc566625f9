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

}  // namespace

Async::Promise<ssize_t> send_response(Http::ResponseWriter& writer, const HttpResponse& response, bool keep_alive) {
  writer.headers().remove("Connection");  // our own decision below replaces anything set before
  add_headers(writer, response);
  writer.headers().add(
      std::make_shared<RawHeader>("Connection", std::vector<std::string>{keep_alive ? "keep-alive" : "close"}));
  return writer.send(static_cast<Http::Code>(response.status), response.body.data(), response.body.size());
}

Async::Promise<ssize_t> send_response(Http::ResponseWriter& writer, const HttpResponse& response) {
  add_headers(writer, response);
  return writer.send(static_cast<Http::Code>(response.status), response.body.data(), response.body.size());
}

}  // namespace latchkey::host
