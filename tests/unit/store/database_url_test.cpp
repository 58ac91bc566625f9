// database.url parsing: backends, connect strings, relative SQLite paths, percent-decoding.
#include <gtest/gtest.h>

#include "store/database_url.h"

namespace latchkey::store {
namespace {

TEST(DatabaseUrl, RelativeSqlitePathResolvesAgainstBaseDir) {
    const auto result = parse_database_url("sqlite3://data/auth.db", "/etc/latchkey");
    ASSERT_TRUE(result.url) << result.error;
    EXPECT_EQ(result.url->backend, Backend::sqlite);
    EXPECT_EQ(result.url->sqlite_path, "/etc/latchkey/data/auth.db");
    EXPECT_EQ(result.url->connect_string, "/etc/latchkey/data/auth.db");
}

TEST(DatabaseUrl, AbsoluteSqlitePathIsKept) {
    const auto result = parse_database_url("sqlite3:///var/lib/latchkey/auth.db", "/etc/latchkey");
    ASSERT_TRUE(result.url) << result.error;
    EXPECT_EQ(result.url->sqlite_path, "/var/lib/latchkey/auth.db");
}

TEST(DatabaseUrl, PostgresqlUrlBecomesQuotedConnectString) {
    const auto result = parse_database_url("postgresql://app:s%40cr%27et@db.example:5433/auth", "/");
    ASSERT_TRUE(result.url) << result.error;
    EXPECT_EQ(result.url->backend, Backend::postgresql);
    EXPECT_EQ(result.url->database, "auth");
    EXPECT_EQ(result.url->connect_string,
              "host='db.example' port='5433' dbname='auth' user='app' password='s@cr\\'et' connect_timeout='5' "
              "options='-c client_min_messages=warning'");
}

TEST(DatabaseUrl, MysqlUrlGetsUtf8mb4AndPassesQueryParameters) {
    const auto result = parse_database_url("mysql://u:p%20w@127.0.0.1:3307/auth?read_timeout=10", "/");
    ASSERT_TRUE(result.url) << result.error;
    EXPECT_EQ(result.url->backend, Backend::mysql);
    EXPECT_EQ(result.url->connect_string,
              "host='127.0.0.1' port='3307' dbname='auth' user='u' password='p w' charset='utf8mb4' "
              "connect_timeout='5' read_timeout='10'");
}

TEST(DatabaseUrl, GivenConnectTimeoutIsNotDuplicated) {
    const auto result = parse_database_url("postgresql://u@h/d?connect_timeout=2", "/");
    ASSERT_TRUE(result.url) << result.error;
    EXPECT_EQ(result.url->connect_string,
              "host='h' dbname='d' user='u' options='-c client_min_messages=warning' connect_timeout='2'");
}

TEST(DatabaseUrl, GivenPostgresqlOptionsReplaceTheQuietNoticesDefault) {
    const auto result = parse_database_url("postgresql://u@h/d?options=-c%20search_path%3Dauth", "/");
    ASSERT_TRUE(result.url) << result.error;
    EXPECT_EQ(result.url->connect_string, "host='h' dbname='d' user='u' connect_timeout='5' options='-c search_path=auth'");
}

TEST(DatabaseUrl, MalformedUrlsAreRefusedWithAReasonThatHidesThePassword) {
    for (const char* bad : {"", "auth.db", "oracle://u:p@h/d", "postgresql://u:secretpw@h:5432", "postgresql://u:secretpw@h:port/d",
                            "mysql://u:secretpw@h:70000/d", "postgresql://u:secret%zz@h/d", "sqlite3://", "sqlite3://:memory:",
                            "sqlite3://a=b.db", "postgresql://u:secretpw@h/d?sslmode", "u:secretpw@h://x", "postgres:secret@h://d"}) {
        const auto result = parse_database_url(bad, "/");
        EXPECT_FALSE(result.url) << bad;
        EXPECT_FALSE(result.error.empty()) << bad;
        EXPECT_EQ(result.error.find("secret"), std::string::npos) << result.error;
    }
}

TEST(DatabaseUrl, AnUnknownSchemeIsNamedWhenItLooksLikeOne) {
    EXPECT_NE(parse_database_url("oracle://u:p@h/d", "/").error.find("'oracle'"), std::string::npos);
    EXPECT_EQ(parse_database_url("u:secretpw@h://x", "/").error, "unknown database scheme (sqlite3, postgresql, mysql)");
}

}  // namespace
}  // namespace latchkey::store
