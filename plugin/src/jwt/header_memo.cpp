// The header memory: a handful of entries per thread, no lock, replaced round-robin.
#include "jwt/header_memo.h"

#include <array>

namespace latchkey::jwt {
namespace {

constexpr std::size_t kEntries = 8;  // keys in one set are few; tokens of each share one header
constexpr std::size_t kMaxSegmentBytes = 512;

struct Entry {
  std::string segment;  // empty: unused
  std::size_t max_json_depth = 0;
  HeaderFacts facts;
};

struct Memory {
  std::array<Entry, kEntries> entries;
  std::size_t next = 0;
};

thread_local Memory memory;

}  // namespace

const HeaderFacts* remembered_header(std::string_view segment, std::size_t max_json_depth) {
  if (segment.empty()) return nullptr;
  for (const Entry& entry : memory.entries) {
    if (entry.max_json_depth == max_json_depth && entry.segment == segment) return &entry.facts;
  }
  return nullptr;
}

void remember_header(std::string_view segment, std::size_t max_json_depth, const HeaderFacts& facts) {
  if (segment.empty() || segment.size() > kMaxSegmentBytes) return;
  if (remembered_header(segment, max_json_depth) != nullptr) return;
  Entry& entry = memory.entries[memory.next];
  memory.next = (memory.next + 1) % kEntries;
  entry.segment.assign(segment);
  entry.max_json_depth = max_json_depth;
  entry.facts = facts;
}

}  // namespace latchkey::jwt
