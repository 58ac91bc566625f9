// Parses `database.url` into a backend and a SOCI connect string; see database_url.h.
#include "store/database_url.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace latchkey::store {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// RFC 3986 percent-decoding; nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view in) {
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size()) return std::nullopt;
        const int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

// A value for libpq's and SOCI-MySQL's `key=value` syntax: single-quoted, \ and ' escaped.
std::string quoted(std::string_view value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    return out + "'";
}

struct KeyValue {
    std::string key, value;
};

DatabaseUrlResult failure(std::string reason) { return {std::nullopt, std::move(reason)}; }

DatabaseUrlResult parse_sqlite(std::string_view path_text, const std::filesystem::path& base_dir) {
    if (path_text.empty()) return failure("sqlite3:// needs a file path");
    if (path_text == ":memory:")
        return failure("sqlite3://:memory: is not supported: each pooled connection would see its own database");
    auto decoded = percent_decode(path_text);
    if (!decoded) return failure("malformed %-escape in the sqlite3 path");
    if (decoded->find('=') != std::string::npos)
        return failure("the sqlite3 path may not contain '=' (SOCI would read it as an option)");
    std::filesystem::path path(*decoded);
    if (path.is_relative()) path = base_dir / path;
    DatabaseUrl url;
    url.backend = Backend::sqlite;
    url.sqlite_path = path.lexically_normal();
    url.connect_string = url.sqlite_path.string();
    url.database = url.connect_string;
    return {std::move(url), {}};
}

// scheme://[user[:password]@]host[:port]/database[?key=value&...]
DatabaseUrlResult parse_server(Backend backend, std::string_view rest) {
    std::vector<KeyValue> params;
    if (const auto q = rest.find('?'); q != std::string_view::npos) {
        std::string_view query = rest.substr(q + 1);
        rest = rest.substr(0, q);
        while (!query.empty()) {
            const auto amp = query.find('&');
            const std::string_view pair = query.substr(0, amp);
            query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
            if (pair.empty()) continue;
            const auto eq = pair.find('=');
            if (eq == std::string_view::npos || eq == 0) return failure("query parameter without a value in the database url");
            auto key = percent_decode(pair.substr(0, eq));
            auto value = percent_decode(pair.substr(eq + 1));
            if (!key || !value) return failure("malformed %-escape in the database url");
            for (char c : *key)
                if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
                    return failure("bad query parameter name in the database url");
            params.push_back({*key, *value});
        }
    }
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash + 1 == rest.size())
        return failure("the database url needs a database name: scheme://user:pass@host:port/db");
    std::string_view authority = rest.substr(0, slash);
    auto database = percent_decode(rest.substr(slash + 1));
    if (!database) return failure("malformed %-escape in the database name");

    std::optional<std::string> user, password;
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        const auto colon = userinfo.find(':');
        user = percent_decode(userinfo.substr(0, colon));
        if (!user) return failure("malformed %-escape in the database user");
        if (colon != std::string_view::npos) {
            password = percent_decode(userinfo.substr(colon + 1));
            if (!password) return failure("malformed %-escape in the database password");
        }
    }
    std::string host(authority), port;
    if (!host.empty() && host.front() == '[') {  // [IPv6]:port
        const auto close = host.find(']');
        if (close == std::string::npos) return failure("unclosed [ in the database host");
        if (close + 1 < host.size()) {
            if (host[close + 1] != ':') return failure("bad database host");
            port = host.substr(close + 2);
        }
        host = host.substr(1, close - 1);
    } else if (const auto colon = host.rfind(':'); colon != std::string::npos) {
        port = host.substr(colon + 1);
        host = host.substr(0, colon);
    }
    if (!port.empty()) {
        for (char c : port)
            if (!std::isdigit(static_cast<unsigned char>(c))) return failure("the database port is not a number");
        if (port.size() > 5 || std::stoi(port) == 0 || std::stoi(port) > 65535) return failure("the database port is out of range");
    }

    std::string cs;
    const auto add = [&cs](std::string_view key, std::string_view value) {
        if (!cs.empty()) cs += ' ';
        cs += key;
        cs += '=';
        cs += quoted(value);
    };
    bool has_timeout = false;
    for (const auto& p : params) has_timeout = has_timeout || p.key == "connect_timeout";
    if (!host.empty()) add("host", host);
    if (!port.empty()) add("port", port);
    add("dbname", *database);
    if (user) add("user", *user);
    if (password) add("password", *password);
    if (backend == Backend::mysql && !std::any_of(params.begin(), params.end(), [](const KeyValue& p) { return p.key == "charset"; }))
        add("charset", "utf8mb4");
    if (!has_timeout) add("connect_timeout", "5");
    // libpq prints NOTICEs (e.g. "relation already exists, skipping") on stderr by default: they
    // would break the CLI's one-line errors and clutter the host's log.
    const bool has_options = std::any_of(params.begin(), params.end(), [](const KeyValue& p) { return p.key == "options"; });
    if (backend == Backend::postgresql && !has_options) add("options", "-c client_min_messages=warning");
    for (const auto& p : params) add(p.key, p.value);

    DatabaseUrl url;
    url.backend = backend;
    url.connect_string = std::move(cs);
    url.database = *database;
    return {std::move(url), {}};
}

}  // namespace

std::string_view backend_name(Backend backend) {
    switch (backend) {
        case Backend::sqlite: return "sqlite";
        case Backend::postgresql: return "postgresql";
        case Backend::mysql: return "mysql";
    }
    return "unknown";
}

DatabaseUrlResult parse_database_url(std::string_view url, const std::filesystem::path& base_dir) {
    const auto sep = url.find("://");
    if (sep == std::string_view::npos)
        return failure("the database url must start with sqlite3://, postgresql:// or mysql://");
    const std::string_view scheme = url.substr(0, sep), rest = url.substr(sep + 3);
    if (scheme == "sqlite3" || scheme == "sqlite") return parse_sqlite(rest, base_dir);
    if (scheme == "postgresql" || scheme == "postgres") return parse_server(Backend::postgresql, rest);
    if (scheme == "mysql" || scheme == "mariadb") return parse_server(Backend::mysql, rest);
    // Name the scheme only when it looks like one: text before "://" in a malformed URL may be a
    // user and password ("u:secret@h://x"), and errors are printed and logged.
    const bool looks_like_scheme = !scheme.empty() && scheme.size() <= 16 &&
                                   scheme.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789+-.") == std::string_view::npos;
    if (!looks_like_scheme) return failure("unknown database scheme (sqlite3, postgresql, mysql)");
    return failure("unknown database scheme '" + std::string(scheme) + "' (sqlite3, postgresql, mysql)");
}

}  // namespace latchkey::store
