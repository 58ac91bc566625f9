// The bytes of HTTP requests as the host's front door receives them: the connection gate, Pistache's
// parser and the conversion to the plain request, exactly as the reactor runs them (front_door/
// request_reader). The first byte splits the input into reads, so heads and bodies straddle them.
// Whatever arrives, the outcome is a request, a wait, or a refusal with a 4xx/5xx status and a code.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "front_door/plain_request.h"
#include "front_door/request_reader.h"

namespace {

constexpr size_t kMaxHead = 16384;
constexpr size_t kMaxBody = 4096;
const std::vector<latchkey::host::AddressRange> kTrusted = {*latchkey::host::AddressRange::parse("127.0.0.0/8")};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const size_t read_size = 1 + data[0] % 64;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

  latchkey::host::ConnectionGate gate(kMaxHead, kMaxBody);
  Pistache::Http::RequestParser parser(kMaxHead + kMaxBody);
  while (!bytes.empty()) {
    const std::string_view read = bytes.substr(0, read_size);
    bytes.remove_prefix(read.size());
    const latchkey::host::ReadResult result = latchkey::host::read_request_bytes(gate, parser, read);
    using Kind = latchkey::host::ReadResult::Kind;
    if (result.kind == Kind::refused) {
      if (result.refusal.status < 400 || result.refusal.status > 599 || result.refusal.code.empty()) std::abort();
    } else if (result.kind == Kind::request) {
      // The peer is a trusted proxy, so the X-Forwarded-* headers are read as well.
      const latchkey::host::HttpRequest request =
          latchkey::host::to_plain_request(parser.request, result.headers, "127.0.0.1", kTrusted);
      if (request.body.size() > kMaxBody) std::abort();
      // The client address is always an address, never the header's text.
      if (request.remote_address != "127.0.0.1" && !latchkey::host::canonical_address(request.remote_address))
        std::abort();
      parser.reset();
      gate.response_starts();  // as the host does once the answer is written
      gate.response_written();
    }
  }
  return 0;
}
