// What the account tests share: reading the mails the plugin sent (file transport .eml files, or
// an SMTP server's mailbox), the one-time token inside a link, and a direct look at the database.
#pragma once

#include "auth_test_support.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace latchkey::test::account {

using namespace latchkey::test::auth;

struct ReceivedMail {
  std::string to;
  std::string subject;
  std::string text;  // the text/plain part, decoded
  std::string raw;
};

// An RFC 5322 message as written by the plugin: headers, and the decoded text/plain part.
ReceivedMail parse_mail(const std::string& raw);

// Every *.eml (or Maildir file) under dir, oldest first.
std::vector<ReceivedMail> read_mails(const std::filesystem::path& dir);

// Polls dir until it holds at least count messages; returns them (fewer after the timeout).
std::vector<ReceivedMail> wait_for_mails(const std::filesystem::path& dir, size_t count,
                                         std::chrono::milliseconds timeout = std::chrono::seconds(20));

// The value of token= in the first link of text ("" when none).
std::string token_in(const std::string& text);

// Runs one SQL statement on the test's database (e.g. to expire tokens without waiting a day).
void execute_sql(const std::string& database_url, const std::string& sql);

// The auth patch that sends mail as .eml files into mail_dir.
std::string file_mail_patch(const std::filesystem::path& mail_dir, const std::string& extra_email_members = "");

}  // namespace latchkey::test::account
