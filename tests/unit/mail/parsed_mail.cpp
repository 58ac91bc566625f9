// parse_mail: runs parse_eml.py on the bytes and reads its JSON.
#include "parsed_mail.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <rapidjson/document.h>

#ifndef LATCHKEY_SYSTEM_PYTHON
#define LATCHKEY_SYSTEM_PYTHON "/usr/bin/python3"
#endif

namespace latchkey::mail::testing {
namespace {

std::string string_field(const rapidjson::Value& doc, const char* name) {
    const auto it = doc.FindMember(name);
    return it != doc.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString(), it->value.GetStringLength())
                                                         : "";
}

}  // namespace

ParsedMail parse_mail(const std::string& raw) {
    ParsedMail mail;
    static int counter = 0;
    const auto path = std::filesystem::temp_directory_path() /
                      ("latchkey-parse-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".eml");
    std::ofstream(path, std::ios::binary) << raw;
    const std::string command = std::string(LATCHKEY_SYSTEM_PYTHON) + " " LATCHKEY_TEST_DATA_DIR "/mail/parse_eml.py '" +
                                path.string() + "' 2>&1";
    std::string output;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        char buffer[4096];
        std::size_t n;
        while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
        ::pclose(pipe);
    }
    std::filesystem::remove(path);
    rapidjson::Document doc;
    doc.Parse(output.c_str());
    if (doc.HasParseError() || !doc.IsObject()) {
        mail.error = "parse_eml.py: " + output;
        return mail;
    }
    mail.from = string_field(doc, "from");
    mail.to = string_field(doc, "to");
    mail.subject = string_field(doc, "subject");
    mail.message_id = string_field(doc, "message_id");
    mail.mime_version = string_field(doc, "mime_version");
    mail.mail_from = string_field(doc, "mail_from");
    mail.content_type = string_field(doc, "content_type");
    mail.text = string_field(doc, "text");
    mail.html = string_field(doc, "html");
    mail.has_html = doc.HasMember("html") && doc["html"].IsString();
    mail.date_ok = doc.HasMember("date_ok") && doc["date_ok"].IsBool() && doc["date_ok"].GetBool();
    mail.bare_lf = doc.HasMember("bare_lf") && doc["bare_lf"].IsBool() && doc["bare_lf"].GetBool();
    if (doc.HasMember("max_line_length") && doc["max_line_length"].IsInt()) mail.max_line_length = doc["max_line_length"].GetInt();
    for (const char* list : {"parts", "defects"}) {
        if (!doc.HasMember(list) || !doc[list].IsArray()) continue;
        for (const auto& item : doc[list].GetArray())
            if (item.IsString()) (std::string(list) == "parts" ? mail.parts : mail.defects).push_back(item.GetString());
    }
    return mail;
}

}  // namespace latchkey::mail::testing
