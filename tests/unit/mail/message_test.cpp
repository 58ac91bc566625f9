// build_rfc5322: headers, MIME structure, RFC 2047 subjects, quoted-printable bodies, and the
// refusal of header injection.
#include "mail/message.h"

#include <botan/base64.h>
#include <gtest/gtest.h>

#include <regex>

namespace latchkey::mail {
namespace {

const std::string from = "Latchkey <no-reply@example.com>";

std::string build(const Message& m, std::int64_t now = 1700000000) {
    const auto built = build_rfc5322(m, from, now);
    EXPECT_TRUE(built.ok()) << built.error;
    return built.bytes;
}

std::string headers_of(const std::string& bytes) { return bytes.substr(0, bytes.find("\r\n\r\n") + 2); }

std::vector<std::string> lines_of(const std::string& bytes) {
    std::vector<std::string> lines;
    for (std::size_t from = 0; from < bytes.size();) {
        auto end = bytes.find("\r\n", from);
        if (end == std::string::npos) end = bytes.size();
        lines.push_back(bytes.substr(from, end - from));
        from = end + 2;
    }
    return lines;
}

// Decodes quoted-printable (soft breaks removed, =XX decoded).
std::string decode_qp(const std::string& encoded) {
    std::string out;
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        if (encoded[i] != '=') {
            out += encoded[i];
        } else if (encoded.compare(i, 3, "=\r\n") == 0) {
            i += 2;
        } else {
            out += static_cast<char>(std::stoi(encoded.substr(i + 1, 2), nullptr, 16));
            i += 2;
        }
    }
    return out;
}

// Decodes a header value made of RFC 2047 B encoded-words (folded), one by one.
std::vector<std::string> decode_words(const std::string& value) {
    std::vector<std::string> words;
    const std::regex word("=\\?UTF-8\\?B\\?([A-Za-z0-9+/=]*)\\?=");
    for (auto it = std::sregex_iterator(value.begin(), value.end(), word); it != std::sregex_iterator(); ++it) {
        const auto bytes = Botan::base64_decode((*it)[1].str());
        words.emplace_back(bytes.begin(), bytes.end());
        EXPECT_LE((*it)[0].length(), 75u);
    }
    return words;
}

bool valid_utf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = s[i];
        const int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (int k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

TEST(MailMessage, HasTheRfc5322Headers) {
    const auto bytes = build({"user@example.org", "Hello", "text", "<p>html</p>"});
    const auto headers = headers_of(bytes);
    EXPECT_EQ(headers.rfind("From: Latchkey <no-reply@example.com>\r\n", 0), 0u);
    EXPECT_NE(headers.find("\r\nTo: user@example.org\r\n"), std::string::npos);
    EXPECT_NE(headers.find("\r\nSubject: Hello\r\n"), std::string::npos);
    EXPECT_NE(headers.find("\r\nDate: Tue, 14 Nov 2023 22:13:20 +0000\r\n"), std::string::npos);
    EXPECT_TRUE(std::regex_search(headers, std::regex("\r\nMessage-ID: <[0-9a-f]+\\.1700000000@example\\.com>\r\n")));
    EXPECT_NE(headers.find("\r\nMIME-Version: 1.0\r\n"), std::string::npos);
}

TEST(MailMessage, EveryLineEndsWithCrlf) {
    const auto bytes = build({"user@example.org", "Hello", "one\ntwo\r\nthree\rfour\n", "<p>a\nb</p>"});
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (bytes[i] == '\n') {
            EXPECT_TRUE(i > 0 && bytes[i - 1] == '\r') << "bare LF at " << i;
        }
        if (bytes[i] == '\r') {
            EXPECT_TRUE(i + 1 < bytes.size() && bytes[i + 1] == '\n') << "bare CR at " << i;
        }
    }
    EXPECT_EQ(bytes.substr(bytes.size() - 2), "\r\n");
}

TEST(MailMessage, IsMultipartAlternativeWithTextThenHtml) {
    const auto bytes = build({"user@example.org", "Hello", "plain body", "<p>html body</p>"});
    std::smatch match;
    ASSERT_TRUE(std::regex_search(bytes, match, std::regex("Content-Type: multipart/alternative; boundary=\"([^\"]+)\"\r\n")));
    const std::string boundary = match[1];
    const auto first = bytes.find("\r\n--" + boundary + "\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                                  "Content-Transfer-Encoding: quoted-printable\r\n\r\nplain body\r\n");
    const auto second = bytes.find("\r\n--" + boundary + "\r\nContent-Type: text/html; charset=UTF-8\r\n"
                                   "Content-Transfer-Encoding: quoted-printable\r\n\r\n<p>html body</p>\r\n");
    ASSERT_NE(first, std::string::npos);
    ASSERT_NE(second, std::string::npos);
    EXPECT_LT(first, second);
    EXPECT_EQ(bytes.substr(bytes.size() - boundary.size() - 6), "--" + boundary + "--\r\n");
}

TEST(MailMessage, IsTextOnlyWithoutHtml) {
    const auto bytes = build({"user@example.org", "Hello", "plain body", ""});
    EXPECT_NE(bytes.find("\r\nContent-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
    EXPECT_EQ(bytes.find("multipart"), std::string::npos);
    EXPECT_NE(bytes.find("\r\n\r\nplain body\r\n"), std::string::npos);
}

TEST(MailMessage, Utf8SubjectIsEncodedPerRfc2047) {
    const std::string subject = "Bestätigen Sie Ihre Adresse ✓";
    const auto headers = headers_of(build({"user@example.org", subject, "t", ""}));
    for (unsigned char c : headers) EXPECT_LT(c, 0x80) << "raw 8-bit byte in the headers";
    const auto start = headers.find("Subject: ") + 9;
    const auto words = decode_words(headers.substr(start, headers.find("\r\nDate:") - start));
    std::string decoded;
    for (const auto& w : words) decoded += w;
    EXPECT_EQ(decoded, subject);
}

TEST(MailMessage, LongUtf8SubjectIsFoldedOnCharacterBoundaries) {
    std::string subject;
    for (int i = 0; i < 100; ++i) subject += "é€";
    const auto headers = headers_of(build({"user@example.org", subject, "t", ""}));
    const auto start = headers.find("Subject: ") + 9;
    const std::string value = headers.substr(start, headers.find("\r\nDate:") - start);
    const auto words = decode_words(value);
    ASSERT_GT(words.size(), 3u);
    std::string decoded;
    for (const auto& w : words) {
        EXPECT_TRUE(valid_utf8(w)) << "an encoded-word splits a character";
        decoded += w;
    }
    EXPECT_EQ(decoded, subject);
    for (const auto& line : lines_of(value)) EXPECT_LE(line.size() + 9, 998u);
}

TEST(MailMessage, LongAsciiSubjectIsEncodedNotLeftOverlong) {
    const std::string subject(300, 'x');
    const auto headers = headers_of(build({"user@example.org", subject, "t", ""}));
    for (const auto& line : lines_of(headers)) EXPECT_LE(line.size(), 998u);
    const auto start = headers.find("Subject: ") + 9;
    std::string decoded;
    for (const auto& w : decode_words(headers.substr(start, headers.find("\r\nDate:") - start))) decoded += w;
    EXPECT_EQ(decoded, subject);
}

TEST(MailMessage, CrLfInRecipientIsRefused) {
    for (const std::string to : {"a@b.c\r\nBcc: victim@x.y", "a@b.c\nBcc: victim@x.y", "a@b.c\rBcc: victim@x.y"}) {
        const auto built = build_rfc5322({to, "Hello", "t", ""}, from, 0);
        EXPECT_FALSE(built.ok());
        EXPECT_TRUE(built.bytes.empty());
        EXPECT_NE(built.error.find("recipient"), std::string::npos) << built.error;
    }
}

TEST(MailMessage, CrLfInSubjectIsRefused) {
    for (const std::string& subject :
         {std::string("Hi\r\nBcc: victim@x.y"), std::string("Hi\nBcc: victim@x.y"), std::string("Hi\0x", 4)}) {
        const auto built = build_rfc5322({"a@b.c", subject, "t", ""}, from, 0);
        EXPECT_FALSE(built.ok());
        EXPECT_NE(built.error.find("subject"), std::string::npos) << built.error;
    }
}

TEST(MailMessage, RecipientMustBeOnePlainAddress) {
    for (const std::string to : {"", "no-at-sign", "a@b.c, c@d.e", "Name <a@b.c>", "a b@c.d", "@b.c", "a@", "ü@b.c"})
        EXPECT_FALSE(build_rfc5322({to, "Hello", "t", ""}, from, 0).ok()) << to;
    EXPECT_TRUE(build_rfc5322({"first.last+tag@sub.example.org", "Hello", "t", ""}, from, 0).ok());
}

TEST(MailMessage, CrLfInFromIsRefused) {
    EXPECT_FALSE(build_rfc5322({"a@b.c", "Hello", "t", ""}, "X <a@b.c>\r\nBcc: v@x.y", 0).ok());
}

TEST(MailMessage, BodyLinesStayWithin998OctetsAndBodiesRoundTrip) {
    const std::string link = "https://example.com/confirm.html?token=" + std::string(2000, 'A') + "&x=1";
    const std::string text = "Open " + link + "\n" + std::string(5000, 'z') + "\nend ";
    const std::string html = "<p><a href=\"" + link + "\">x</a></p>" + std::string(3000, 'y');
    const auto bytes = build({"user@example.org", "Hello", text, html});
    for (const auto& line : lines_of(bytes)) EXPECT_LE(line.size(), 78u) << line;  // RFC 5322's SHOULD; 998 MUST
    for (const auto& line : lines_of(encode_quoted_printable(text + html))) EXPECT_LE(line.size(), 76u);  // RFC 2045
    const auto body = bytes.substr(bytes.find("quoted-printable\r\n\r\n") + 20);
    EXPECT_EQ(decode_qp(body.substr(0, body.find("\r\n--=_lk_"))), "Open " + link + "\r\n" + std::string(5000, 'z') + "\r\nend ");
}

TEST(MailMessage, QuotedPrintableEncodesWhatMustBeEncoded) {
    EXPECT_EQ(encode_quoted_printable("a=b"), "a=3Db");
    EXPECT_EQ(encode_quoted_printable("trailing \nspace\t"), "trailing=20\r\nspace=09");
    EXPECT_EQ(encode_quoted_printable(".\n.leading dot"), "=2E\r\n=2Eleading dot");
    EXPECT_EQ(encode_quoted_printable("ä"), "=C3=A4");
    EXPECT_EQ(encode_quoted_printable("Grüße ✓ = 100%"), "Gr=C3=BC=C3=9Fe =E2=9C=93 =3D 100%");
    const std::string mixed = "line one \nä=ö\t\n" + std::string(200, '.') + " x";
    std::string expected = "line one \r\nä=ö\t\r\n" + std::string(200, '.') + " x";
    EXPECT_EQ(decode_qp(encode_quoted_printable(mixed)), expected);
}

TEST(MailMessage, DateIsRfc5322InUtc) {
    EXPECT_EQ(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
    EXPECT_EQ(rfc5322_date(1700000000), "Tue, 14 Nov 2023 22:13:20 +0000");
}

TEST(MailMessage, AddressOfTakesTheAngleAddress) {
    EXPECT_EQ(address_of("Latchkey <no-reply@localhost>"), "no-reply@localhost");
    EXPECT_EQ(address_of(" a@b.c "), "a@b.c");
}

TEST(MailMessage, NonAsciiDisplayNameIsEncoded) {
    const auto built = build_rfc5322({"a@b.c", "Hi", "t", ""}, "Zoë's Shop <shop@example.com>", 0);
    ASSERT_TRUE(built.ok()) << built.error;
    const auto headers = headers_of(built.bytes);
    const auto line = headers.substr(0, headers.find("\r\n"));
    EXPECT_EQ(line.rfind("From: =?UTF-8?B?", 0), 0u) << line;
    EXPECT_NE(line.find("?= <shop@example.com>"), std::string::npos) << line;
}

}  // namespace
}  // namespace latchkey::mail
