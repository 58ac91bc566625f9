// Mail reading for the account tests: just enough MIME to find the text part and undo its
// quoted-printable encoding.
#include "account_test_support.h"

#include "store/database.h"
#include "store/database_url.h"

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace latchkey::test::account {
namespace {

namespace fs = std::filesystem;

std::string decode_quoted_printable(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=') {
      out += text[i];
    } else if (i + 2 < text.size() && text[i + 1] == '\r' && text[i + 2] == '\n') {
      i += 2;  // soft line break
    } else if (i + 1 < text.size() && text[i + 1] == '\n') {
      i += 1;
    } else if (i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    }
  }
  return out;
}

std::string header_value(const std::string& headers, const std::string& name) {
  const std::regex line("(^|\\n)" + name + ":[ \\t]*([^\\r\\n]*)", std::regex::icase);
  std::smatch match;
  return std::regex_search(headers, match, line) ? match[2].str() : std::string();
}

}  // namespace

ReceivedMail parse_mail(const std::string& raw) {
  ReceivedMail mail;
  mail.raw = raw;
  const size_t end_of_headers = raw.find("\r\n\r\n") != std::string::npos ? raw.find("\r\n\r\n") : raw.find("\n\n");
  const std::string headers = raw.substr(0, end_of_headers);
  mail.to = header_value(headers, "To");
  mail.subject = header_value(headers, "Subject");
  // The text/plain part: its own headers, a blank line, the body up to the next boundary line.
  const size_t part = raw.find("Content-Type: text/plain");
  if (part == std::string::npos) return mail;
  size_t body = raw.find("\r\n\r\n", part);
  body = body == std::string::npos ? raw.find("\n\n", part) + 2 : body + 4;
  const size_t boundary = raw.find("\n--", body);
  std::string encoded = raw.substr(body, boundary == std::string::npos ? std::string::npos : boundary - body);
  const bool quoted = raw.substr(part, body - part).find("quoted-printable") != std::string::npos;
  mail.text = quoted ? decode_quoted_printable(encoded) : encoded;
  return mail;
}

std::vector<ReceivedMail> read_mails(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code error;
  if (!fs::exists(dir, error)) return {};
  for (const auto& entry : fs::recursive_directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.front() != '.' && entry.path().parent_path().filename() != "tmp") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
    return fs::last_write_time(a) < fs::last_write_time(b);
  });
  std::vector<ReceivedMail> mails;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    mails.push_back(parse_mail(content.str()));
  }
  return mails;
}

std::vector<ReceivedMail> wait_for_mails(const fs::path& dir, size_t count, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    std::vector<ReceivedMail> mails = read_mails(dir);
    if (mails.size() >= count || std::chrono::steady_clock::now() >= deadline) return mails;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::string token_in(const std::string& text) {
  static const std::regex link("token=([A-Za-z0-9_%-]+)");
  std::smatch match;
  return std::regex_search(text, match, link) ? match[1].str() : std::string();
}

void execute_sql(const std::string& database_url, const std::string& sql) {
  auto url = store::parse_database_url(database_url, "/");
  store::Database db(std::move(*url.url), store::DatabaseOptions{1});
  db.run([&](soci::session& session) { session << sql; });
}

std::string file_mail_patch(const fs::path& mail_dir, const std::string& extra_email_members) {
  return R"({"email": {"transport": "file", "file_dir": ")" + mail_dir.string() + "\"" +
         (extra_email_members.empty() ? "" : ", " + extra_email_members) + "}}";
}

}  // namespace latchkey::test::account
