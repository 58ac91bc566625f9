// Runs Debian's promtool (found at configure time, LATCHKEY_PROMTOOL) on an exposition, for the
// unit and integration tests: `promtool check metrics` reads it on stdin and lints it.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace latchkey::test {

struct PromtoolResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr: the problems it found
};

inline PromtoolResult promtool_check_metrics(const std::string& exposition) {
  std::string pattern = (std::filesystem::temp_directory_path() / "latchkey-metrics-XXXXXX").string();
  const int fd = mkstemp(pattern.data());
  if (fd < 0) return {-1, "cannot create a temporary file"};
  close(fd);
  std::ofstream(pattern, std::ios::binary) << exposition;
  const std::string command = std::string("'") + LATCHKEY_PROMTOOL + "' check metrics < '" + pattern + "' 2>&1";
  PromtoolResult result;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) result.output.append(buffer, n);
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::filesystem::remove(pattern);
  return result;
}

}  // namespace latchkey::test
