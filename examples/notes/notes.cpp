// The notes example: an app plugin in C++17, built with latchkey/plugin.hpp alone (no host or auth
// code is linked). It shows an app developer the two things an app needs from Latchkey:
//
// 1. PROTECTING ROUTES. A route is protected unless it says Auth::Public, so every route
//    below is. The auth plugin's filter (loaded before this plugin in the host config) verifies
//    the access token (Bearer header or cookie) and sets the principal; when there is none, the
//    HOST answers 401 and the handler never runs. A route with roles (here GET /api/admin/notes,
//    roles ["admin"]) also needs one of them, else the host answers 403 insufficient_role. The
//    auth config's "protect" prefixes say the same from the operator's side; declaring the roles
//    on the route too is defence in depth: the route stays admin-only even when the operator
//    forgets the prefix. CSRF (a cookie-authenticated POST or DELETE from a foreign Origin) is
//    refused by the auth filter before any handler runs.
//
// 2. READING WHO IS CALLING. A handler asks req.principal(): subject is the user id (the token's
//    sub), roles the user's roles. The principal only ever comes from a filter, never from a
//    request header, so it can be trusted. Its views live until the handler returns: copy what
//    you keep (the notes keep their owner as a std::string).
//
// Routes: GET /api/notes, POST /api/notes {"text"}, DELETE /api/notes/:id (the caller's notes
// only) and GET /api/admin/notes (everyone's). Notes live in memory and vanish on restart.
// Config (optional): {"max_notes_per_user": 1000}.
#include <latchkey/plugin.hpp>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <strings.h>
#include <vector>

namespace {

using latchkey::Request;
using latchkey::Response;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr size_t kMaxTextBytes = 2000;
constexpr uint64_t kMaxNotesTotal = 100000;  // over all users: memory stays bounded

struct Note {
  uint64_t seq;  // creation order; id is its decimal text
  std::string id, owner, text, created_at;
};

void put(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

// Answers status with the JSON that fill writes (a body without Content-Type is sent as JSON).
template <class Fill>
void send(Response& res, uint32_t status, Fill fill) {
  rapidjson::StringBuffer b;
  Writer w(b);
  fill(w);
  res.set_status(status).set_body(std::string_view(b.GetString(), b.GetSize()));
}

// Errors look like the rest of Latchkey: {"error": code, "message": sentence}.
void send_error(Response& res, uint32_t status, const char* code, const char* message) {
  send(res, status, [&](Writer& w) {
    w.StartObject(), w.Key("error"), put(w, code), w.Key("message"), put(w, message), w.EndObject();
  });
}

void write_note(Writer& w, const Note& n, bool with_owner) {
  w.StartObject();
  w.Key("id"), put(w, n.id);
  if (with_owner) w.Key("owner"), put(w, n.owner);
  w.Key("text"), put(w, n.text), w.Key("createdAt"), put(w, n.created_at);
  w.EndObject();
}

// Well-formed UTF-8: no overlongs, surrogates or > U+10FFFF. RapidJSON's kParseValidateEncodingFlag
// checks the raw bytes but lets an escaped lone low surrogate ("\udc00") through.
bool valid_utf8(std::string_view t) {
  for (size_t i = 0; i < t.size();) {
    const auto c = static_cast<unsigned char>(t[i]);
    size_t n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 9;
    if (n == 9 || t.size() - i <= n) return false;
    uint32_t cp = n == 0 ? c : c & (0x3F >> n);
    for (size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(t[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    static const uint32_t min[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

std::string now_iso8601() {
  const std::time_t t = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// "application/json", optionally followed by parameters ("; charset=utf-8"), in any case.
bool is_json(std::string_view type) {
  const bool json = type.size() >= 16 && strncasecmp(type.data(), "application/json", 16) == 0;
  return json && (type.size() == 16 || type[16] == ';' || type[16] == ' ');
}

// The plugin: made by the host on its main thread (LATCHKEY_PLUGIN below), destroyed after the
// last request. Handlers run concurrently on the host's worker pool, so the notes are guarded by
// the mutex.
class Notes {
 public:
  explicit Notes(latchkey::Setup& setup) {
    read_config(setup, this);
    if (setup.failed()) return;  // the host refuses the plugin: no routes needed
    setup.route({"GET", "/api/notes"}, this, &Notes::list);
    setup.route({"POST", "/api/notes"}, this, &Notes::create);
    setup.route({"DELETE", "/api/notes/:id"}, this, &Notes::remove);
    setup.route({"GET", "/api/admin/notes", latchkey::Auth::Required, {"admin"}}, this, &Notes::all);
  }

  // `latchkey --check-config`: the same checks as init, without side effects.
  static void check_config(latchkey::Config& config) { read_config(config, nullptr); }

 private:
  // Reads the optional limit, reporting every bad member. Used by check_config and init.
  static void read_config(latchkey::Config& config, Notes* into) {
    const std::string_view json = config.json().empty() ? "{}" : config.json();
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    if (doc.HasParseError() || !doc.IsObject()) throw latchkey::InvalidConfig("", "the config must be a JSON object");
    for (const auto& m : doc.GetObject()) {
      const std::string key(m.name.GetString(), m.name.GetStringLength());
      const bool known = key == "max_notes_per_user", good = known && m.value.IsUint64() && m.value.GetUint64() > 0;
      if (!good)
        config.report_error("/" + key, known ? "must be a positive integer" : "unknown setting");
      else if (into)
        into->max_per_user_ = m.value.GetUint64();
    }
  }

  // The caller's user id. On a protected route the host guarantees a principal; the check is for
  // routes a developer later marks Auth::Public, where the caller may be anonymous.
  static bool caller(const Request& req, Response& res, std::string& subject) {
    const auto principal = req.principal();
    if (principal && !principal->subject.empty()) return subject.assign(principal->subject), true;
    send_error(res, 401, "invalid_token", "sign in first");
    return false;
  }

  // GET /api/notes: the caller's notes, newest first. Nobody else's are ever read.
  void list(Request& req, Response& res) {
    std::string me;
    if (!caller(req, res, me)) return;
    send(res, 200, [&](Writer& w) {
      w.StartObject(), w.Key("notes"), w.StartArray();
      std::lock_guard lock(mutex_);
      if (auto it = by_owner_.find(me); it != by_owner_.end())
        for (auto n = it->second.rbegin(); n != it->second.rend(); ++n) write_note(w, *n, false);
      w.EndArray(), w.EndObject();
    });
  }

  // POST /api/notes {"text": "..."}: the note belongs to the caller, whatever the body says (an
  // owner is never taken from the request). Validate everything a client sends.
  void create(Request& req, Response& res) {
    std::string me;
    if (!caller(req, res, me)) return;
    if (!is_json(req.header("Content-Type").value_or("")))
      return send_error(res, 400, "invalid_request", "the body must be JSON with Content-Type: application/json");
    const std::string_view body = req.body();
    rapidjson::Document doc;  // iterative: deep nesting cannot exhaust the stack
    doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(body.data(), body.size());
    bool strict = !doc.HasParseError() && doc.IsObject();
    if (strict)  // RapidJSON keeps duplicate names; a strict API refuses them
      for (auto a = doc.MemberBegin(); a != doc.MemberEnd(); ++a)
        for (auto b = a + 1; b != doc.MemberEnd(); ++b) strict = strict && a->name != b->name;
    if (!strict) return send_error(res, 400, "invalid_request", "the body must be one JSON object (no duplicate names)");
    const auto text = doc.FindMember("text");
    if (text == doc.MemberEnd() || !text->value.IsString())
      return send_error(res, 400, "invalid_request", "text is required and must be a string");
    const std::string_view t(text->value.GetString(), text->value.GetStringLength());
    if (t.empty() || t.size() > kMaxTextBytes || !valid_utf8(t))
      return send_error(res, 400, "invalid_request", "text must be 1 to 2000 bytes of UTF-8");

    std::lock_guard lock(mutex_);  // a bound on memory: per user and overall
    std::vector<Note>& mine = by_owner_[me];
    if (mine.size() >= max_per_user_ || total_ >= kMaxNotesTotal) {
      if (mine.empty()) by_owner_.erase(me);
      return send_error(res, 413, "too_many_notes", "delete some notes before adding more");
    }
    char id[24];  // snprintf, not std::to_string (which would add an exported symbol)
    std::snprintf(id, sizeof id, "%llu", static_cast<unsigned long long>(next_seq_));
    mine.push_back(Note{next_seq_++, id, me, std::string(t), now_iso8601()});
    ++total_;
    send(res, 201, [&](Writer& w) { write_note(w, mine.back(), false); });
  }

  // DELETE /api/notes/:id: removes one of the CALLER's notes. Someone else's note is answered
  // exactly like a missing one (404), so ids reveal nothing about other users.
  void remove(Request& req, Response& res) {
    std::string me;
    if (!caller(req, res, me)) return;
    const std::string_view wanted = req.param("id").value_or("");
    std::lock_guard lock(mutex_);
    if (auto it = by_owner_.find(me); it != by_owner_.end()) {
      for (auto n = it->second.begin(); n != it->second.end(); ++n) {
        if (n->id != wanted) continue;
        it->second.erase(n);
        --total_;
        if (it->second.empty()) by_owner_.erase(it);
        res.set_status(204);
        return;
      }
    }
    send_error(res, 404, "not_found", "no such note");
  }

  // GET /api/admin/notes: registered with roles ["admin"], so only a principal holding "admin"
  // gets here; the handler need not check again. Every note, newest first, with its owner.
  void all(Request&, Response& res) {
    send(res, 200, [&](Writer& w) {
      std::lock_guard lock(mutex_);
      std::vector<const Note*> all;
      for (const auto& [owner, notes] : by_owner_)
        for (const Note& n : notes) all.push_back(&n);
      std::sort(all.begin(), all.end(), [](const Note* x, const Note* y) { return x->seq > y->seq; });
      w.StartObject(), w.Key("notes"), w.StartArray();
      for (const Note* n : all) write_note(w, *n, true);
      w.EndArray(), w.EndObject();
    });
  }

  uint64_t max_per_user_ = 1000;  // config "max_notes_per_user"
  std::mutex mutex_;              // guards everything below
  std::map<std::string, std::vector<Note>> by_owner_;  // subject -> notes, oldest first
  uint64_t next_seq_ = 1, total_ = 0;
};

}  // namespace

LATCHKEY_PLUGIN(Notes, "notes", "1.0.0");
