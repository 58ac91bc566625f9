// The notes example: an app plugin in C++, built against latchkey/plugin.h alone (no host or auth
// code is linked). It shows an app developer the two things an app needs from Latchkey:
//
// 1. PROTECTING ROUTES. A route is protected unless it says LK_AUTH_PUBLIC: the zero-filled
//    descriptor below means LK_AUTH_REQUIRED. The auth plugin's filter (loaded before this plugin
//    in the host config) verifies the access token (Bearer header or cookie) and sets the
//    principal; when there is none, the HOST answers 401 and the handler never runs. A route with
//    roles (here GET /api/admin/notes, roles ["admin"]) also needs one of them, else the host
//    answers 403 insufficient_role. The auth config's "protect" prefixes say the same from the
//    operator's side; declaring the roles on the route too is defence in depth: the route stays
//    admin-only even when the operator forgets the prefix. CSRF (a cookie-authenticated POST or
//    DELETE from a foreign Origin) is refused by the auth filter before any handler runs.
//
// 2. READING WHO IS CALLING. A handler asks api->request_get_principal: subject is the user id
//    (the token's sub), roles the user's roles. The principal only ever comes from a filter, never
//    from a request header, so it can be trusted. Its views live until the handler returns: copy
//    what you keep (the notes keep their owner as a std::string).
//
// Routes: GET /api/notes, POST /api/notes {"text"}, DELETE /api/notes/:id (the caller's notes
// only) and GET /api/admin/notes (everyone's). Notes live in memory and vanish on restart.
// Config (optional): {"max_notes_per_user": 1000}.
#include <latchkey/plugin.h>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr size_t kMaxTextBytes = 2000;
constexpr uint64_t kMaxNotesTotal = 100000;  // over all users: memory stays bounded

struct Note {
  uint64_t seq;  // creation order; id is its decimal text
  std::string id, owner, text, created_at;
};

// One instance per loaded plugin, made in init and freed by destroy. Handlers run concurrently on
// the host's worker pool, so everything below the mutex is guarded by it.
struct State {
  const lk_host_api* api = nullptr;
  uint64_t max_per_user = 1000;  // config "max_notes_per_user"
  std::mutex mutex;
  std::map<std::string, std::vector<Note>> by_owner;  // subject -> notes, oldest first
  uint64_t next_seq = 1, total = 0;
};

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
lk_str lit(const char* s) { return lk_str{s, std::strlen(s)}; }
void put(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

// Answers status with the JSON that fill writes (a body without Content-Type is sent as JSON).
template <class Fill>
int32_t send(State& s, lk_response* res, uint32_t status, Fill fill) {
  rapidjson::StringBuffer b;
  Writer w(b);
  fill(w);
  s.api->response_set_status(res, status);
  return s.api->response_set_body(res, lk_str{b.GetString(), b.GetSize()});
}

// Errors look like the rest of Latchkey: {"error": code, "message": sentence}.
int32_t send_error(State& s, lk_response* res, uint32_t status, const char* code, const char* message) {
  return send(s, res, status, [&](Writer& w) {
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

// The caller's user id. On a protected route the host guarantees a principal; the check is for
// routes a developer later marks LK_AUTH_PUBLIC, where the caller may be anonymous.
bool caller(State& s, lk_request* req, std::string& subject) {
  lk_principal p;
  std::memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;  // set struct_size: the host fills only what this build knows
  if (s.api->request_get_principal(req, &p) != LK_OK || p.subject.len == 0) return false;
  subject.assign(p.subject.ptr, p.subject.len);
  return true;
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

// GET /api/notes: protected; the caller's notes, newest first. Nobody else's are ever read.
int32_t list_notes(State& s, lk_request* req, lk_response* res) {
  std::string me;
  if (!caller(s, req, me)) return send_error(s, res, 401, "invalid_token", "sign in first");
  return send(s, res, 200, [&](Writer& w) {
    w.StartObject(), w.Key("notes"), w.StartArray();
    std::lock_guard lock(s.mutex);
    if (auto it = s.by_owner.find(me); it != s.by_owner.end())
      for (auto n = it->second.rbegin(); n != it->second.rend(); ++n) write_note(w, *n, false);
    w.EndArray(), w.EndObject();
  });
}

// POST /api/notes {"text": "..."}: protected; the note belongs to the caller, whatever the body
// says (an owner is never taken from the request). Validate everything a client sends.
int32_t create_note(State& s, lk_request* req, lk_response* res) {
  std::string me;
  if (!caller(s, req, me)) return send_error(s, res, 401, "invalid_token", "sign in first");
  lk_str type{}, body{};
  s.api->request_header(req, lit("Content-Type"), &type);
  const std::string_view ct(type.ptr ? type.ptr : "", type.len);
  const bool json = ct.size() >= 16 && strncasecmp(ct.data(), "application/json", 16) == 0;
  if (!json || (ct.size() > 16 && ct[16] != ';' && ct[16] != ' '))
    return send_error(s, res, 400, "invalid_request", "the body must be JSON with Content-Type: application/json");
  s.api->request_body(req, &body);
  rapidjson::Document doc;  // iterative: deep nesting cannot exhaust the stack
  doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(body.ptr ? body.ptr : "", body.len);
  bool strict = !doc.HasParseError() && doc.IsObject();
  if (strict)  // RapidJSON keeps duplicate names; a strict API refuses them
    for (auto a = doc.MemberBegin(); a != doc.MemberEnd(); ++a)
      for (auto b = a + 1; b != doc.MemberEnd(); ++b) strict = strict && a->name != b->name;
  if (!strict)
    return send_error(s, res, 400, "invalid_request", "the body must be one JSON object (no duplicate names)");
  const auto text = doc.FindMember("text");
  if (text == doc.MemberEnd() || !text->value.IsString())
    return send_error(s, res, 400, "invalid_request", "text is required and must be a string");
  const std::string_view t(text->value.GetString(), text->value.GetStringLength());
  if (t.empty() || t.size() > kMaxTextBytes || !valid_utf8(t))
    return send_error(s, res, 400, "invalid_request", "text must be 1 to 2000 bytes of UTF-8");

  std::lock_guard lock(s.mutex);  // a bound on memory: per user and overall
  std::vector<Note>& mine = s.by_owner[me];
  if (mine.size() >= s.max_per_user || s.total >= kMaxNotesTotal) {
    if (mine.empty()) s.by_owner.erase(me);
    return send_error(s, res, 413, "too_many_notes", "delete some notes before adding more");
  }
  char id[24];  // snprintf, not std::to_string (which would add an exported symbol)
  std::snprintf(id, sizeof id, "%llu", static_cast<unsigned long long>(s.next_seq));
  mine.push_back(Note{s.next_seq++, id, me, std::string(t), now_iso8601()});
  ++s.total;
  return send(s, res, 201, [&](Writer& w) { write_note(w, mine.back(), false); });
}

// DELETE /api/notes/:id: protected; removes one of the CALLER's notes. Someone else's note is
// answered exactly like a missing one (404), so ids reveal nothing about other users.
int32_t delete_note(State& s, lk_request* req, lk_response* res) {
  std::string me;
  if (!caller(s, req, me)) return send_error(s, res, 401, "invalid_token", "sign in first");
  lk_str id{};
  s.api->request_param(req, lit("id"), &id);
  const std::string_view wanted(id.ptr ? id.ptr : "", id.len);
  std::lock_guard lock(s.mutex);
  if (auto it = s.by_owner.find(me); it != s.by_owner.end()) {
    for (auto n = it->second.begin(); n != it->second.end(); ++n) {
      if (n->id != wanted) continue;
      it->second.erase(n);
      --s.total;
      if (it->second.empty()) s.by_owner.erase(it);
      s.api->response_set_status(res, 204);
      return LK_OK;
    }
  }
  return send_error(s, res, 404, "not_found", "no such note");
}

// GET /api/admin/notes: registered with roles ["admin"], so only a principal holding "admin"
// gets here; the handler need not check again. Every note, newest first, with its owner.
int32_t all_notes(State& s, lk_request*, lk_response* res) {
  return send(s, res, 200, [&](Writer& w) {
    std::lock_guard lock(s.mutex);
    std::vector<const Note*> all;
    for (const auto& [owner, notes] : s.by_owner)
      for (const Note& n : notes) all.push_back(&n);
    std::sort(all.begin(), all.end(), [](const Note* x, const Note* y) { return x->seq > y->seq; });
    w.StartObject(), w.Key("notes"), w.StartArray();
    for (const Note* n : all) write_note(w, *n, true);
    w.EndArray(), w.EndObject();
  });
}

// Exceptions must never cross the C ABI: every handler goes through this trampoline.
template <int32_t (*F)(State&, lk_request*, lk_response*)>
int32_t guarded(void* user_data, lk_request* req, lk_response* res) {
  try {
    return F(*static_cast<State*>(user_data), req, res);
  } catch (...) {
    return LK_ERR_INTERNAL;  // the host answers 500 and logs it
  }
}

// Reads the optional limit; reports through report_config_error. Used by check_config and init.
int32_t read_config(const lk_host_api* api, lk_host* host, lk_str config, State* into) {
  rapidjson::Document doc;
  doc.Parse(config.ptr ? config.ptr : "{}", config.ptr ? config.len : 2);
  if (doc.HasParseError() || !doc.IsObject())
    return api->report_config_error(host, lit(""), lit("the config must be a JSON object")), LK_ERR_CONFIG;
  int32_t status = LK_OK;
  for (const auto& m : doc.GetObject()) {
    const std::string key(m.name.GetString(), m.name.GetStringLength()), pointer = "/" + key;
    const bool known = key == "max_notes_per_user", good = known && m.value.IsUint64() && m.value.GetUint64() > 0;
    if (!good) {
      api->report_config_error(host, lk_str{pointer.data(), pointer.size()},
                               lit(known ? "must be a positive integer" : "unknown setting"));
      status = LK_ERR_CONFIG;
    } else if (into) {
      into->max_per_user = m.value.GetUint64();
    }
  }
  return status;
}

}  // namespace

extern "C" {

LK_PLUGIN_EXPORT const lk_plugin_info* lk_plugin_magic(void) {
  static const lk_plugin_info info = LK_PLUGIN_INFO("notes", "1.0.0");
  return &info;
}

LK_PLUGIN_EXPORT int32_t lk_plugin_check_config(const lk_host_api* api, lk_host* host, lk_str config) {
  try {
    return read_config(api, host, config, nullptr);
  } catch (...) {
    return LK_ERR_INTERNAL;
  }
}

LK_PLUGIN_EXPORT int32_t lk_plugin_init(const lk_host_api* api, lk_host* host, lk_str config,
                                        lk_plugin_instance* out) {
  try {
    auto owned = std::make_unique<State>();  // freed here if init fails (then no destroy runs)
    State* state = owned.get();
    state->api = api;
    if (const int32_t status = read_config(api, host, config, state); status != LK_OK) return status;

    const lk_str admin[] = {lit("admin")};
    struct { const char *method, *path; lk_handler_fn handler; bool admin_only; } routes[] = {
        {"GET", "/api/notes", guarded<list_notes>, false},
        {"POST", "/api/notes", guarded<create_note>, false},
        {"DELETE", "/api/notes/:id", guarded<delete_note>, false},
        {"GET", "/api/admin/notes", guarded<all_notes>, true},
    };
    for (const auto& r : routes) {
      lk_route route;
      std::memset(&route, 0, sizeof route);  // zero-filled: auth = LK_AUTH_REQUIRED
      route.struct_size = sizeof route;
      route.method = lit(r.method);
      route.path = lit(r.path);
      route.handler = r.handler;
      route.user_data = state;
      if (r.admin_only) route.roles = admin, route.roles_count = 1;  // else 403 insufficient_role
      if (const int32_t status = api->register_route(host, &route); status != LK_OK) return status;
    }
    out->state = owned.release();  // the host hands it to destroy after the last request
    out->destroy = [](void* p) { delete static_cast<State*>(p); };
    return LK_OK;
  } catch (...) {
    return LK_ERR_INTERNAL;
  }
}

}  // extern "C"
