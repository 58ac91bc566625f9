// link_with_token: the token goes into the configured URL percent-encoded, always.
#include "mail/link.h"

#include <gtest/gtest.h>

namespace latchkey::mail {
namespace {

TEST(MailLink, TokenReplacesThePlaceholder) {
    EXPECT_EQ(link_with_token("http://127.0.0.1:8080/confirm.html?token={token}", "abcDEF123-_"),
              "http://127.0.0.1:8080/confirm.html?token=abcDEF123-_");
}

TEST(MailLink, TokenIsUrlEncoded) {
    EXPECT_EQ(link_with_token("https://x.example/c?token={token}", "a+b/c=d&e f#g%"),
              "https://x.example/c?token=a%2Bb%2Fc%3Dd%26e%20f%23g%25");
    EXPECT_EQ(link_with_token("https://x.example/c?t={token}", "é"), "https://x.example/c?t=%C3%A9");
}

TEST(MailLink, EveryPlaceholderIsReplaced) {
    EXPECT_EQ(link_with_token("https://x/{token}/?t={token}", "a/b"), "https://x/a%2Fb/?t=a%2Fb");
}

TEST(MailLink, TemplateWithoutPlaceholderGetsTheTokenAppended) {
    EXPECT_EQ(link_with_token("https://x/confirm", "t1"), "https://x/confirm?token=t1");
    EXPECT_EQ(link_with_token("https://x/confirm?lang=de", "t1"), "https://x/confirm?lang=de&token=t1");
    EXPECT_EQ(link_with_token("https://x/app#/confirm", "t1"), "https://x/app?token=t1#/confirm");
}

TEST(MailLink, UrlEncodeKeepsOnlyUnreservedCharacters) {
    EXPECT_EQ(url_encode("AZaz09-._~"), "AZaz09-._~");
    EXPECT_EQ(url_encode(" !*'();:@&=+$,/?#[]"), "%20%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D");
}

}  // namespace
}  // namespace latchkey::mail
