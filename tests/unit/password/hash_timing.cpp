// Prints how long one Argon2id hash with the default (OWASP) parameters takes on this machine.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "password/hasher.h"

int main() {
  const latchkey::password::Hasher hasher({}, 1);
  constexpr int runs = 7;
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const auto encoded = hasher.hash("correct horse battery staple");
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    ms.push_back(took.count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("Argon2id m=19456 KiB, t=2, p=1: median %.1f ms, min %.1f ms, max %.1f ms (%d runs)\n",
              ms[runs / 2], ms.front(), ms.back(), runs);
}
