// The libcurl functions the plugin calls, defined here and forwarded to libcurl.so.4, which is
// loaded on the first call. Only SMTP delivery and Google JWKS fetches use libcurl, and linking it
// would map libcurl and ~25 libraries of its own (GnuTLS, Kerberos, LDAP, SSH, ...: ~4 MB of RSS)
// into every host. Hidden like the rest of the plugin, so other modules still see the real libcurl.
#include <curl/curl.h>
#include <dlfcn.h>

// curl.h wraps these two in macros that check for exactly three arguments; they are defined here.
#undef curl_easy_setopt
#undef curl_easy_getinfo

#include <cstdarg>
#include <cstdio>

namespace {

constexpr const char* kLibrary = "libcurl.so.4";  // libcurl's soname since 7.16 (2006)

struct Libcurl {
  CURLcode (*global_init)(long);
  CURL* (*easy_init)();
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_perform)(CURL*);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  void (*easy_cleanup)(CURL*);
  const char* (*easy_strerror)(CURLcode);
  curl_slist* (*slist_append)(curl_slist*, const char*);
  void (*slist_free_all)(curl_slist*);
};

template <class Function>
bool resolve(void* library, const char* name, Function& function) {
  function = reinterpret_cast<Function>(dlsym(library, name));
  return function != nullptr;
}

Libcurl* load() {
  static Libcurl curl;
  void* library = dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);  // never closed: handles may live on
  if (library != nullptr && resolve(library, "curl_global_init", curl.global_init) &&
      resolve(library, "curl_easy_init", curl.easy_init) &&
      resolve(library, "curl_easy_setopt", curl.easy_setopt) &&
      resolve(library, "curl_easy_perform", curl.easy_perform) &&
      resolve(library, "curl_easy_getinfo", curl.easy_getinfo) &&
      resolve(library, "curl_easy_cleanup", curl.easy_cleanup) &&
      resolve(library, "curl_easy_strerror", curl.easy_strerror) &&
      resolve(library, "curl_slist_append", curl.slist_append) &&
      resolve(library, "curl_slist_free_all", curl.slist_free_all)) {
    return &curl;
  }
  // The callers only see curl_easy_init fail: say why once, in the host's log format.
  const char* why = library == nullptr ? dlerror() : "a function is missing";
  std::fprintf(stderr, "error [libcurl] cannot load %s (%s): SMTP delivery and JWKS fetches fail\n", kLibrary,
               why != nullptr ? why : "unknown reason");
  return nullptr;
}

// nullptr when libcurl cannot be loaded. Thread-safe: a function-local static.
Libcurl* libcurl() {
  static Libcurl* const loaded = load();
  return loaded;
}

}  // namespace

extern "C" {

CURLcode curl_global_init(long flags) { return libcurl() ? libcurl()->global_init(flags) : CURLE_FAILED_INIT; }

CURL* curl_easy_init() { return libcurl() ? libcurl()->easy_init() : nullptr; }

// The calls below only receive handles from curl_easy_init, so libcurl is loaded by then.

CURLcode curl_easy_setopt(CURL* handle, CURLoption option, ...) {
  va_list args;
  va_start(args, option);
  CURLcode code;
  // The one argument's type follows from the option's number range, as in libcurl's own setopt.
  if (option < CURLOPTTYPE_OBJECTPOINT) {
    code = libcurl()->easy_setopt(handle, option, va_arg(args, long));
  } else if (option < CURLOPTTYPE_FUNCTIONPOINT) {
    code = libcurl()->easy_setopt(handle, option, va_arg(args, void*));
  } else if (option < CURLOPTTYPE_OFF_T) {
    code = libcurl()->easy_setopt(handle, option, va_arg(args, void (*)()));
  } else if (option < CURLOPTTYPE_BLOB) {
    code = libcurl()->easy_setopt(handle, option, va_arg(args, curl_off_t));
  } else {
    code = libcurl()->easy_setopt(handle, option, va_arg(args, void*));
  }
  va_end(args);
  return code;
}

CURLcode curl_easy_perform(CURL* handle) { return libcurl()->easy_perform(handle); }

CURLcode curl_easy_getinfo(CURL* handle, CURLINFO info, ...) {
  va_list args;
  va_start(args, info);
  const CURLcode code = libcurl()->easy_getinfo(handle, info, va_arg(args, void*));  // always a pointer
  va_end(args);
  return code;
}

void curl_easy_cleanup(CURL* handle) { libcurl()->easy_cleanup(handle); }

const char* curl_easy_strerror(CURLcode code) {
  return libcurl() ? libcurl()->easy_strerror(code) : "libcurl cannot be loaded";
}

curl_slist* curl_slist_append(curl_slist* list, const char* text) {
  return libcurl() ? libcurl()->slist_append(list, text) : nullptr;
}

void curl_slist_free_all(curl_slist* list) {
  if (libcurl()) libcurl()->slist_free_all(list);
}

}  // extern "C"
