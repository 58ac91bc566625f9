#include "readiness.h"

#include <cstring>

namespace latchkey::host {

void Readiness::add(std::string plugin, lk_readiness_fn check, void* user_data) {
  std::lock_guard lock(mutex_);
  checks_.push_back({std::move(plugin), check, user_data});
}

Readiness::Report Readiness::check() const {
  std::vector<Check> checks;
  {
    std::lock_guard lock(mutex_);
    checks = checks_;
  }
  Report report;
  for (const Check& one : checks) {
    char reason[256] = {};
    int32_t status;
    try {
      status = one.fn(one.user_data, reason, sizeof reason);
    } catch (...) {
      status = LK_ERR_INTERNAL;
      std::strcpy(reason, "its readiness check threw");
    }
    if (status == LK_OK) continue;
    reason[sizeof reason - 1] = '\0';
    report.ready = false;
    report.not_ready.emplace_back(one.plugin, reason[0] ? reason : "not ready");
  }
  return report;
}

}  // namespace latchkey::host
