// Plain request and response values: what the pipeline works on, free of Pistache types.
#pragma once

#include "request_headers.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace latchkey::host {

struct HttpRequest {
  std::string method;
  std::string path;  // without the query string, as sent
  std::map<std::string, std::string> query;    // percent-decoded values
  RequestHeaders headers;
  std::map<std::string, std::string> cookies;
  std::string body;
  std::string remote_address;    // the client: the TCP peer, or who a trusted proxy forwarded for
  std::string forwarded_origin;  // the origin a trusted proxy forwarded, else empty
};

struct HttpResponse {
  uint32_t status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> set_cookies;  // each the value of one Set-Cookie header
  std::string body;

  void set_header(std::string name, std::string value);
  const std::string* header(const std::string& name) const;  // case-insensitive
};

// {"error": code, "message": message} with the status.
HttpResponse json_error(uint32_t status, const std::string& code, const std::string& message);

}  // namespace latchkey::host
