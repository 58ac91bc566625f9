/*
** latchkey/plugin.h: the one header a Latchkey plugin includes.
**
** A plugin is a shared object that the host loads with dlopen. The host and
** the plugin meet only through this header: C99, fixed-width integers,
** borrowed string views, opaque handles and one table of host functions
** (the pattern of SQLite's sqlite3_api_routines). A plugin written in C, or
** built with another compiler or C++ library, loads into any host of the same
** ABI major.
**
** A plugin exports (and exports nothing else; build it with
** -fvisibility=hidden and mark these with LK_PLUGIN_EXPORT):
**
**   const lk_plugin_info* lk_plugin_magic(void);                    required
**   int32_t lk_plugin_init(const lk_host_api*, lk_host*, lk_str config,
**                          lk_plugin_instance* out);                 required
**   int32_t lk_plugin_check_config(const lk_host_api*, lk_host*,
**                                  lk_str config);                   optional
**
** The host calls lk_plugin_magic first and refuses the plugin, naming it,
** when its abi_major differs from the host's or its abi_minor is newer than
** the host's. Then it calls lk_plugin_init, in which the plugin registers its
** routes and filters. At shutdown the host calls the destroy callback the
** plugin left in lk_plugin_instance, after the last request has finished.
**
** VERSIONING: every struct that crosses the boundary starts with
** uint32_t struct_size. Structs and the host table only grow at their end;
** each group of new members is marked with the ABI minor that added it. A
** reader checks struct_size before touching a member added later. Fields are
** fixed-width integers, pointers and lk_str only (no enum, no bool, no
** implicit padding), so every compiler lays them out alike.
**
** STATUS CODES: functions return int32_t, LK_OK (0) on success and a
** negative LK_ERR_* on failure. Codes are never reused for another meaning.
** The HTTP status of a response is a separate field, never a return value.
**
** OWNERSHIP: no memory ever changes hands. A view the host gives a plugin is
** valid until the callback it was given in returns (for a suspended request,
** until response_complete: see ABI 1.1). Anything a plugin gives
** the host (a string, a route, a principal) is copied by the host before the
** call returns, so the plugin may free or reuse it at once.
**
** THREADING: lk_plugin_magic, lk_plugin_check_config, lk_plugin_init and the
** destroy callback run on the host's main thread, before serving starts and
** after it ended. Handlers and filters run on the host's worker pool,
** concurrently with each other, never on the network reactor: they may
** block (query a database) without stalling other connections. Work that
** takes long (an Argon2id hash) should not hold a worker: since ABI 1.1 a
** callback may suspend its request and complete it from another thread
** (request_suspend, response_complete). Exceptions must never leave a
** plugin; the host also catches any that do and answers 500.
**
** Since ABI 1.2 a plugin can also feed the host's /metrics, tell /readyz
** whether it can serve, and publish events that other plugins subscribe to.
*/
#ifndef LATCHKEY_PLUGIN_H
#define LATCHKEY_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI this header describes. A change to any struct or to the host
** table without bumping these fails tests/unit/host/abi_golden_test. */
#define LK_ABI_MAJOR 1
#define LK_ABI_MINOR 2

#if defined(__GNUC__)
#define LK_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define LK_PLUGIN_EXPORT
#endif

/* Status codes (int32_t). */
#define LK_OK 0
#define LK_ERR_INVALID_ARGUMENT (-1) /* a NULL handle, a bad struct_size, bad text */
#define LK_ERR_NOT_FOUND (-2)        /* no such header, parameter, cookie, principal */
#define LK_ERR_WRONG_STAGE (-3)      /* called where it is not allowed (see each function) */
#define LK_ERR_CONFIG (-4)           /* the plugin's config is wrong; see report_config_error */
#define LK_ERR_INTERNAL (-5)         /* anything else went wrong; the host answers 500 */

/* A borrowed string: ptr need not be NUL-terminated; len is in bytes.
** {NULL, 0} is the empty string. */
typedef struct lk_str {
  const char* ptr;
  size_t len;
} lk_str;

/* Opaque handles. lk_host is the plugin's view of the host (one per loaded
** plugin); lk_request and lk_response live for one call of a handler or
** filter and must not be kept after it returns, unless the callback
** suspended the request (ABI 1.1): then they live until response_complete. */
typedef struct lk_host lk_host;
typedef struct lk_request lk_request;
typedef struct lk_response lk_response;

/* ---- Identification: what lk_plugin_magic returns ------------------------
** OWNERSHIP: the plugin's static storage; name and version are NUL-terminated
** and stay valid while the plugin is loaded. pointer_size is sizeof(void*)
** of the plugin's build (a 32-bit plugin never loads into a 64-bit host). */
typedef struct lk_plugin_info {
  uint32_t struct_size; /* sizeof(lk_plugin_info) */
  uint32_t abi_major;   /* LK_ABI_MAJOR the plugin was built with */
  uint32_t abi_minor;   /* LK_ABI_MINOR the plugin was built with */
  uint32_t pointer_size;
  const char* name;    /* e.g. "auth"; used in every message about the plugin */
  const char* version; /* the plugin's own version, e.g. "1.2.0" */
} lk_plugin_info;

/* Fills an lk_plugin_info for this header's ABI. */
#define LK_PLUGIN_INFO(plugin_name, plugin_version)                            \
  {sizeof(lk_plugin_info), LK_ABI_MAJOR, LK_ABI_MINOR, sizeof(void*),          \
   (plugin_name), (plugin_version)}

/* ---- What lk_plugin_init hands back --------------------------------------
** The host zero-fills this and sets struct_size; the plugin sets state and
** destroy. destroy (may be NULL) runs once, on the main thread, after the
** last request finished; state is passed to it and to nothing else. */
typedef struct lk_plugin_instance {
  uint32_t struct_size;
  uint32_t reserved; /* zero */
  void* state;
  void (*destroy)(void* state);
} lk_plugin_instance;

/* ---- Routes ---------------------------------------------------------------
** Routes are protected by default: a zero-filled auth field means a caller
** must be authenticated (some filter of the authenticate stage set a
** principal) or the host answers 401 itself, also when no auth plugin is
** loaded. A route is public only when it says LK_AUTH_PUBLIC. */
#define LK_AUTH_REQUIRED 0u /* the default: no principal, no entry */
#define LK_AUTH_PUBLIC 1u   /* anyone; a principal is still set when a valid token came */

/* A handler writes its answer into res and returns LK_OK. Any other return
** value makes the host answer 500 {"error":"internal_error"} and discard
** what the handler wrote. Runs on a worker thread (see THREADING). */
typedef int32_t (*lk_handler_fn)(void* user_data, lk_request* req, lk_response* res);

/* A route descriptor, given to register_route.
** method: "GET", "POST", "PUT", "PATCH", "DELETE" (upper case).
** path: a pattern of segments; a segment ":name" matches any one non-empty
**   segment and is read with request_param. A literal segment beats a
**   parameter when two routes match.
** roles: when roles_count > 0, the principal must hold at least one of these
**   roles, else the host answers 403 {"error":"insufficient_role"}.
** user_data: passed to handler as is; the plugin owns what it points to.
** OWNERSHIP: the host copies the descriptor, method, path and roles. */
typedef struct lk_route {
  uint32_t struct_size;
  uint32_t auth;        /* LK_AUTH_REQUIRED or LK_AUTH_PUBLIC */
  uint32_t roles_count; /* entries in roles */
  uint32_t reserved;    /* zero */
  lk_str method;
  lk_str path;
  const lk_str* roles;
  lk_handler_fn handler;
  void* user_data;
} lk_route;

/* ---- Filters --------------------------------------------------------------
** Every request that matched a route passes through every filter, in the
** order they were registered (plugins in config order), before its handler.
** A filter returns LK_FILTER_CONTINUE to go on, or LK_FILTER_RESPOND when it
** wrote the whole answer into res (the handler then does not run). A
** negative status makes the host answer 500. Only filters registered with
** LK_STAGE_AUTHENTICATE may call request_set_principal. */
#define LK_FILTER_CONTINUE 0
#define LK_FILTER_RESPOND 1

#define LK_STAGE_DEFAULT 0u
#define LK_STAGE_AUTHENTICATE 1u

typedef int32_t (*lk_filter_fn)(void* user_data, lk_request* req, lk_response* res);

/* OWNERSHIP: the host copies the descriptor and name. */
typedef struct lk_filter {
  uint32_t struct_size;
  uint32_t stage; /* LK_STAGE_DEFAULT or LK_STAGE_AUTHENTICATE */
  lk_str name;    /* for logs, e.g. "auth" */
  lk_filter_fn filter;
  void* user_data;
} lk_filter;

/* ---- The principal: who is calling ------------------------------------------
** Set by an authenticate-stage filter, read by handlers. A principal never
** comes from a request header: only a filter can set one.
** subject: the user id (the access token's sub). session_id: its sid.
** roles: roles_count entries. claims_json: the verified claims as a JSON
**   object text. When the host fills one (request_get_principal) the views
**   are valid until the callback returns (or, suspended, until completion). */
typedef struct lk_principal {
  uint32_t struct_size;
  uint32_t roles_count;
  lk_str subject;
  lk_str session_id;
  const lk_str* roles;
  lk_str claims_json;
} lk_principal;

/* Log levels for log(). */
#define LK_LOG_DEBUG 0
#define LK_LOG_INFO 1
#define LK_LOG_WARN 2
#define LK_LOG_ERROR 3

/* ---- ABI 1.2: readiness and events ----------------------------------------
** A readiness check answers whether the plugin can serve now (the auth plugin:
** its database answers). It runs on a worker for each GET of the host's ready
** path, possibly on several workers at once, and should return within 1 s.
** It returns LK_OK when ready; anything else means not ready, with a short
** reason (no secrets) written NUL-terminated into reason, which holds
** reason_size bytes (longer text is cut).
** OWNERSHIP: reason is the host's buffer, valid only during the call. */
typedef int32_t (*lk_readiness_fn)(void* user_data, char* reason, size_t reason_size);

/* An event subscriber. name and json are views valid during the call only.
** THREADING: called on a worker, one event at a time, in the order the
** events were published, after publish_event returned. A subscriber that
** throws is logged and counted; one that blocks holds one worker and delays
** the events behind it, never the request that published them. */
typedef void (*lk_event_fn)(void* user_data, lk_str name, lk_str json);

/* The largest event the host accepts (name plus JSON). */
#define LK_EVENT_MAX_BYTES 65536

/* ---- The host table ---------------------------------------------------------
** Handed to lk_plugin_check_config and lk_plugin_init; valid while the plugin
** is loaded, so a plugin may keep the pointer. Append-only: a member is
** present when offsetof(member) < struct_size. Every function returns
** LK_ERR_INVALID_ARGUMENT for NULL handles or out-parameters. */
typedef struct lk_host_api {
  uint32_t struct_size;
  uint32_t abi_minor; /* the host's LK_ABI_MINOR */

  /* -- ABI 1.0: set-up (main thread, inside lk_plugin_init only; elsewhere
  **    LK_ERR_WRONG_STAGE) -- */

  /* Adds a route. LK_ERR_INVALID_ARGUMENT for an unknown method, a path not
  ** starting with '/', a NULL handler, or a method+path already taken. */
  int32_t (*register_route)(lk_host* host, const lk_route* route);
  /* Adds a filter at the end of the pipeline. */
  int32_t (*register_filter)(lk_host* host, const lk_filter* filter);
  /* Says what is wrong with the plugin's config: pointer is a JSON pointer
  ** relative to the plugin's config object ("/tokens/secret"), reason a
  ** sentence. The host prints it with the file and the full pointer. Also
  ** allowed in lk_plugin_check_config. May be called several times. */
  int32_t (*report_config_error)(lk_host* host, lk_str pointer, lk_str reason);
  /* The folder of the host config file: relative paths in a plugin's config
  ** resolve against it. The view is valid while the plugin is loaded. */
  int32_t (*config_dir)(lk_host* host, lk_str* out);

  /* -- ABI 1.0: logging (any thread) -- */

  /* Writes one line to the host's log, prefixed with the plugin's name.
  ** Never pass secrets, tokens, cookies or bodies. */
  int32_t (*log)(lk_host* host, int32_t level, lk_str message);

  /* -- ABI 1.0: reading the request (inside a handler or filter) --
  ** Each fills *out with a view valid until the callback returns (or, for a
  ** suspended request, until response_complete), or
  ** returns LK_ERR_NOT_FOUND (and sets *out to {NULL, 0}). */

  int32_t (*request_method)(lk_request* req, lk_str* out);
  /* The path without the query string, as sent (not percent-decoded). */
  int32_t (*request_path)(lk_request* req, lk_str* out);
  /* A ":name" segment of the route pattern, percent-decoded. */
  int32_t (*request_param)(lk_request* req, lk_str name, lk_str* out);
  /* The first value of a query parameter, percent-decoded. */
  int32_t (*request_query)(lk_request* req, lk_str name, lk_str* out);
  /* A header by case-insensitive name, its value as sent without outer
  ** spaces and tabs. A header sent more than once shows its first line,
  ** except X-Forwarded-For/-Proto/-Host, whose lines the host joins with
  ** ", ", and Cookie, joined with "; ". */
  int32_t (*request_header)(lk_request* req, lk_str name, lk_str* out);
  /* A cookie's value by exact name. */
  int32_t (*request_cookie)(lk_request* req, lk_str name, lk_str* out);
  /* The body (possibly empty, never over max_body_bytes). */
  int32_t (*request_body)(lk_request* req, lk_str* out);
  /* The client's IP address as text, e.g. "127.0.0.1": the TCP peer, or,
  ** when the peer is one of the host config's trusted_proxies, the client
  ** its X-Forwarded-For names (docs/OPERATING.md, "Behind a reverse proxy"). */
  int32_t (*request_remote_address)(lk_request* req, lk_str* out);
  /* The origin the host listens on, e.g. "http://127.0.0.1:8080"; for a
  ** request from a trusted proxy with valid X-Forwarded-Proto and
  ** X-Forwarded-Host, the origin the browser saw, e.g. "https://app.example". */
  int32_t (*request_local_origin)(lk_request* req, lk_str* out);
  /* The matched route's auth (LK_AUTH_REQUIRED or LK_AUTH_PUBLIC). */
  int32_t (*request_route_auth)(lk_request* req, uint32_t* out);

  /* -- ABI 1.0: the principal -- */

  /* Sets who is calling; the host copies it. Only from an
  ** LK_STAGE_AUTHENTICATE filter, else LK_ERR_WRONG_STAGE. */
  int32_t (*request_set_principal)(lk_request* req, const lk_principal* principal);
  /* Fills *out (whose struct_size the caller sets) with the principal, or
  ** returns LK_ERR_NOT_FOUND when the caller is anonymous. */
  int32_t (*request_get_principal)(lk_request* req, lk_principal* out);

  /* -- ABI 1.0: writing the response (inside a handler or filter) --
  ** Until set, the status is 200 and the body empty. A body without a
  ** Content-Type header is sent as application/json. */

  /* 100..599, else LK_ERR_INVALID_ARGUMENT. */
  int32_t (*response_set_status)(lk_response* res, uint32_t status);
  /* Adds a header (a second one of the same name replaces the first).
  ** Refused: a name that is not an RFC 9110 token, a value with CR, LF or
  ** NUL, and the headers that frame the message (Content-Length,
  ** Transfer-Encoding, Connection), which the host writes. Use
  ** response_add_set_cookie for Set-Cookie. The value reaches the client
  ** byte for byte. */
  int32_t (*response_set_header)(lk_response* res, lk_str name, lk_str value);
  /* Adds one Set-Cookie header; value is everything after "Set-Cookie: ",
  ** e.g. "sid=abc; Path=/; HttpOnly; SameSite=Strict". */
  int32_t (*response_add_set_cookie)(lk_response* res, lk_str value);
  /* Replaces the body; the host copies it. */
  int32_t (*response_set_body)(lk_response* res, lk_str body);

  /* -- ABI 1.1: asynchronous completion --
  ** A handler or filter with slow work (an Argon2id hash) takes its request
  ** off the worker: it calls request_suspend, hands req and res to a thread
  ** of its own, and returns at once; what it returns is then ignored. Later,
  ** any thread calls response_complete(res, status) exactly once, with what
  ** the callback would have returned: a handler's LK_OK (send res) or a
  ** negative status (500); a filter's LK_FILTER_CONTINUE (the next filter or
  ** the handler runs), LK_FILTER_RESPOND (send res) or a negative status
  ** (500). Completing before the callback has returned is allowed.
  ** THREADING: request_suspend on the callback's own thread, while it runs;
  ** response_complete on any thread. What follows a completion (the next
  ** filters, the handler, writing the answer) runs on the host's workers,
  ** never on the completing thread, which only queues it (holding one of the
  ** host's locks for a moment: prefer a thread of normal priority).
  ** OWNERSHIP: from request_suspend until response_complete the host keeps
  ** req, res and every view they gave out alive; the plugin may use them
  ** from any thread, one thread at a time (a filter of the authenticate
  ** stage may still set the principal). After response_complete returns,
  ** neither may be touched.
  ** The request counts as in flight: shutdown waits for it (up to the
  ** host's drain limit) before destroying any plugin, so a plugin must
  ** complete every request it suspended, also when it is being stopped, and
  ** its destroy must join the threads that call response_complete (one may
  ** still be returning from it when the drain ends).
  ** When the client went away meanwhile, the answer is dropped. */

  /* Inside a handler or filter only, once per callback; elsewhere (or a
  ** second time) LK_ERR_WRONG_STAGE. */
  int32_t (*request_suspend)(lk_request* req);
  /* Any thread, once per request_suspend; LK_ERR_WRONG_STAGE when the
  ** request is not suspended (never was, or was completed already). A status
  ** the callback could not return (a handler's LK_FILTER_RESPOND) completes
  ** the request as a 500 and returns LK_ERR_INVALID_ARGUMENT. */
  int32_t (*response_complete)(lk_response* res, int32_t status);

  /* -- ABI 1.2: metrics (any thread, also inside lk_plugin_init) --
  ** Each call names a series: the metric's name (Prometheus syntax,
  ** [a-zA-Z_:][a-zA-Z0-9_:]*, conventionally "<plugin>_..."), its help (one
  ** line; the first call's help is kept), and label_count label pairs:
  ** labels[2*i] is a name ([a-zA-Z_][a-zA-Z0-9_]*, not starting "__"),
  ** labels[2*i+1] its value (any UTF-8; never an email, a token, an address or
  ** a user id: every value makes a series that lives until the host stops).
  ** A metric has one type and one set of label names, fixed by its first
  ** call; a call that differs, a bad name, more than 8 labels or more than
  ** 1000 series in one metric is refused with LK_ERR_INVALID_ARGUMENT.
  ** The host copies everything; a series is created on first use.
  ** Histograms use the buckets 0.005 0.01 0.025 0.05 0.1 0.25 0.5 1 2.5 5 10
  ** (seconds). counter_add takes a finite value >= 0. In `latchkey
  ** --check-config` these return LK_ERR_WRONG_STAGE. */
  int32_t (*metric_counter_add)(lk_host* host, lk_str name, lk_str help, const lk_str* labels,
                                uint32_t label_count, double value);
  int32_t (*metric_gauge_set)(lk_host* host, lk_str name, lk_str help, const lk_str* labels,
                              uint32_t label_count, double value);
  int32_t (*metric_histogram_observe)(lk_host* host, lk_str name, lk_str help, const lk_str* labels,
                                      uint32_t label_count, double value);

  /* -- ABI 1.2: readiness (inside lk_plugin_init only, else
  **    LK_ERR_WRONG_STAGE) --
  ** Adds a check the ready path runs (see lk_readiness_fn). user_data is
  ** passed back as given and must stay valid until the plugin's destroy. */
  int32_t (*register_readiness)(lk_host* host, lk_readiness_fn check, void* user_data);

  /* -- ABI 1.2: events between plugins --
  ** publish_event (any thread, not inside lk_plugin_init): queues an event
  ** for every subscriber of its name and returns at once; the host copies
  ** name and json. Publish after the change it reports committed. name is
  ** 1..128 bytes of [a-z0-9_.]; json must be one JSON value; together at
  ** most LK_EVENT_MAX_BYTES; otherwise LK_ERR_INVALID_ARGUMENT. When the
  ** host's queue (1024 events) is full the event is dropped, counted in
  ** latchkey_events_dropped_total and logged, and LK_ERR_INTERNAL returned.
  ** With no subscriber for the name, it returns LK_OK and does nothing.
  ** subscribe_event (inside lk_plugin_init only): name is an event name, or
  ** "*" for every event. user_data must stay valid until the plugin's
  ** destroy; events still queued at shutdown are delivered before any
  ** plugin is destroyed. */
  int32_t (*publish_event)(lk_host* host, lk_str name, lk_str json);
  int32_t (*subscribe_event)(lk_host* host, lk_str name, lk_event_fn callback, void* user_data);
} lk_host_api;

/* ---- The plugin's exports ------------------------------------------------- */

/* Called first, before anything else; must not fail or allocate. */
typedef const lk_plugin_info* (*lk_plugin_magic_fn)(void);

/* Called once on the main thread. config is the plugin entry's "config"
** value as JSON text (after ${NAME} substitution). Registers routes and
** filters through api, fills *out, and returns LK_OK; on failure it returns
** a negative status after report_config_error or log said why, and the host
** exits non-zero naming the plugin. */
typedef int32_t (*lk_plugin_init_fn)(const lk_host_api* api, lk_host* host, lk_str config,
                                     lk_plugin_instance* out);

/* Optional. Called by `latchkey --check-config` instead of init: validates
** config without side effects (no files written, no connections), reporting
** every problem through report_config_error. Returns LK_OK or LK_ERR_CONFIG. */
typedef int32_t (*lk_plugin_check_config_fn)(const lk_host_api* api, lk_host* host,
                                             lk_str config);

#define LK_PLUGIN_MAGIC_SYMBOL "lk_plugin_magic"
#define LK_PLUGIN_INIT_SYMBOL "lk_plugin_init"
#define LK_PLUGIN_CHECK_CONFIG_SYMBOL "lk_plugin_check_config"

#ifndef __cplusplus
/* For C callers: a view of a string literal (a C99 compound literal). */
#define LK_STR_LIT(s) ((lk_str){(s), sizeof(s) - 1})
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* LATCHKEY_PLUGIN_H */
