#!/usr/bin/env python3
# Writes the seed corpora of tests/fuzz/corpus/ (run once by hand when a target's input changes;
# needs python3-cryptography). Tokens are signed with the fixed test keys of fuzz_keys.h, so the
# fuzzer starts from inputs that reach the code behind a valid signature.
import base64, hashlib, hmac, json, os, pathlib, shutil
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CORPUS = HERE / "corpus"
SECRET = b"0123456789abcdef0123456789abcdef"


def pem_from_header(name):
    text = (HERE / "fuzz_keys.h").read_text()
    start = text.index(name)
    lines = [l.strip().strip('"').replace("\\n", "\n") for l in text[start:].split(";")[0].splitlines()[1:]]
    return "".join(lines).encode()


ED = serialization.load_pem_private_key(pem_from_header("kEd25519Pem"), None)
ES = serialization.load_pem_private_key(pem_from_header("kP256Pem"), None)


def b64(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(header, payload, alg=None):
    header_text = header if isinstance(header, str) else json.dumps(header, separators=(",", ":"))
    payload_text = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
    signing_input = (b64(header_text) + "." + b64(payload_text)).encode()
    alg = alg or json.loads(header_text).get("alg")
    if alg == "HS256":
        sig = hmac.new(SECRET, signing_input, hashlib.sha256).digest()
    elif alg == "EdDSA":
        sig = ED.sign(signing_input)
    elif alg == "ES256":
        r, s = utils.decode_dss_signature(ES.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    else:
        sig = b""
    return signing_input.decode() + "." + b64(sig)


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())


NOW = 1700000000
CLAIMS = {"iss": "latchkey", "aud": "latchkey", "sub": "42", "email": "ada@example.com", "roles": ["admin"],
          "sid": "s1", "jti": "j1", "iat": NOW - 10, "exp": NOW + 890}
GOOGLE = {"iss": "https://accounts.google.com", "aud": "client.apps.googleusercontent.com", "sub": "1234567890",
          "email": "ada@gmail.com", "email_verified": True, "nonce": "n-0S6_WzA2Mj", "iat": NOW - 5, "exp": NOW + 3595}

for target in ("jws", "access_token_claims", "json_strict", "base64url", "jwks", "host_config", "auth_config",
               "database_url", "url_decode", "email", "mail_template"):
    shutil.rmtree(CORPUS / target, ignore_errors=True)

# jws: valid tokens for each key, the RFC examples, and the attacks of SECURITY.md.
write("jws", "hs256_access", sign({"alg": "HS256", "typ": "at+jwt", "kid": "hs"}, CLAIMS))
write("jws", "eddsa_access", sign({"alg": "EdDSA", "typ": "at+jwt", "kid": "ed"}, CLAIMS))
write("jws", "es256_access", sign({"alg": "ES256", "typ": "at+jwt", "kid": "es"}, CLAIMS))
write("jws", "es256_google", sign({"alg": "ES256", "typ": "JWT", "kid": "es"}, GOOGLE))
write("jws", "aud_array_nbf", sign({"alg": "HS256", "typ": "at+jwt", "kid": "hs"},
                                   dict(CLAIMS, aud=["other", "latchkey"], nbf=NOW)))
for name in ("rfc7515_a1_hs256", "rfc7515_a2_rs256"):
    vec = dict(l.split(" = ", 1) for l in (ROOT / f"tests/data/jwt/{name}.vec").read_text().splitlines()
               if " = " in l and not l.startswith("#"))
    write("jws", name, vec["token"])
vec = dict(l.split(" = ", 1) for l in (ROOT / "tests/data/jwt/rfc8037_ed25519.vec").read_text().splitlines()
           if " = " in l and not l.startswith("#"))
write("jws", "rfc8037_ed25519", vec["signing_input"] + "." + vec["signature"])
# RFC 7519 §3.1 (unsecured JWT, alg none) and RFC 7520 §4.4 (HS256 with kid).
write("jws", "rfc7519_none", "eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.")
write("jws", "rfc7520_4_4_hs256",
      "eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9"
      ".SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4"
      ".s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0")
for alg in ("none", "None", "nOnE"):
    write("jws", f"alg_{alg}", sign({"alg": alg, "typ": "at+jwt", "kid": "hs"}, CLAIMS, alg="x"))
valid = sign({"alg": "HS256", "typ": "at+jwt", "kid": "hs"}, CLAIMS)
write("jws", "stripped_signature", valid.rsplit(".", 1)[0] + ".")
write("jws", "jwe_five_parts", valid + ".AAAA.BBBB")
write("jws", "confusion_hs256_with_ed_kid", sign({"alg": "HS256", "typ": "at+jwt", "kid": "ed"}, CLAIMS))
write("jws", "crit", sign({"alg": "HS256", "kid": "hs", "crit": ["exp"], "exp": 1}, CLAIMS))
write("jws", "jku", sign({"alg": "HS256", "kid": "hs", "jku": "https://attacker.example/jwks.json"}, CLAIMS))
write("jws", "duplicate_alg", sign('{"alg":"HS256","alg":"none","kid":"hs"}', CLAIMS, alg="HS256"))
write("jws", "exp_string", sign({"alg": "HS256", "typ": "at+jwt", "kid": "hs"}, dict(CLAIMS, exp=str(NOW + 890))))
kids = (ROOT / "tests/data/jwt/kid_injection.txt").read_text().splitlines()
for i, kid in enumerate(k for k in kids if k.strip()):
    if i < 4:
        write("jws", f"kid_injection_{i}", sign({"alg": "HS256", "kid": kid}, CLAIMS))

# access_token_claims: the payload alone (the target signs it).
write("access_token_claims", "valid", json.dumps(CLAIMS))
write("access_token_claims", "aud_array", json.dumps(dict(CLAIMS, aud=["a", "latchkey"], nbf=NOW - 1)))
write("access_token_claims", "expired", json.dumps(dict(CLAIMS, exp=NOW - 3600)))
write("access_token_claims", "huge_times", '{"iss":"latchkey","aud":"latchkey","sub":"1","email":"","roles":[],'
      '"sid":"s","jti":"j","iat":-9223372036854775808,"exp":9223372036854775807,"nbf":9223372036854775807}')
write("access_token_claims", "wrong_types", '{"iss":1,"aud":null,"sub":["x"],"roles":"admin","exp":1.5e9}')

# json_strict: what headers, claims and configs look like, and the edge cases of the rules.
for name, text in {
    "header": '{"alg":"HS256","typ":"at+jwt","kid":"hs"}',
    "claims": json.dumps(CLAIMS),
    "nested": '{"a":{"b":[1,2,{"c":[true,false,null]}]},"d":-1.25e-3,"e":"\\u00e9\\ud83d\\ude00"}',
    "duplicate": '{"a":1,"a":2}',
    "duplicate_escaped": '{"a":1,"\\u0061":2}',
    "deep": '{"a":' * 10 + '1' + '}' * 10,
    "not_object": '[1,2,3]',
    "nul": '{"a":"b"}\x00junk',
    "bad_utf8": b'{"a":"\xc3\x28"}',
}.items():
    write("json_strict", name, text)

# base64url
for name, text in {"empty": "", "one": "QQ", "two": "QUI", "three": "QUJD", "urlsafe": "-_-_",
                   "noncanonical": "QR", "padded": "QQ==", "std_alphabet": "a+/b", "header": b64('{"alg":"HS256"}')}.items():
    write("base64url", name, text)

# jwks: a Google-like document (RSA + EC), RFC 7517 examples, and documents we skip or refuse.
pub = ES.public_key().public_numbers()
ec_jwk = {"kty": "EC", "crv": "P-256", "x": b64(pub.x.to_bytes(32, "big")), "y": b64(pub.y.to_bytes(32, "big")),
          "kid": "es", "alg": "ES256", "use": "sig"}
rsa_n = vec_n = dict(l.split(" = ", 1) for l in (ROOT / "tests/data/jwt/rfc7515_a2_rs256.vec").read_text().splitlines()
                     if " = " in l and not l.startswith("#"))
rsa_jwk = {"kty": "RSA", "n": rsa_n["n"], "e": rsa_n["e"], "kid": "rsa1", "alg": "RS256", "use": "sig"}
write("jwks", "google_like", json.dumps({"keys": [rsa_jwk, ec_jwk]}))
write("jwks", "ec_only", json.dumps({"keys": [ec_jwk]}))
write("jwks", "skipped", json.dumps({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "kid": "ed"},
                                              {"kty": "oct", "k": "AAAA", "kid": "h"}, dict(ec_jwk, use="enc"),
                                              dict(ec_jwk, kid="")]}))
write("jwks", "duplicate_kid", json.dumps({"keys": [ec_jwk, dict(rsa_jwk, kid="es")]}))
write("jwks", "bad_point", json.dumps({"keys": [dict(ec_jwk, y=ec_jwk["x"])]}))
write("jwks", "empty", '{"keys":[]}')
write("jwks", "cache_control", "public, max-age=19800, must-revalidate")

# host_config / auth_config: the examples, and small variants.
dev = json.loads((ROOT / "examples/dev.json").read_text())
write("host_config", "dev", (ROOT / "examples/dev.json").read_text())
write("host_config", "minimal", '{"listen":"${LISTEN}","plugins":[]}')
write("host_config", "ipv6", '{"listen":"[::1]:0","threads":1,"max_body_bytes":0,"static":{"/app":"web"}}')
write("host_config", "listen_only", "127.0.0.1:8080")
auth = dev["plugins"][0]["config"]
auth["tokens"]["secret"] = SECRET.decode()
write("auth_config", "dev", json.dumps(auth, indent=1))
write("auth_config", "eddsa", json.dumps({"tokens": {"algorithm": "EdDSA", "private_key_file": "ed25519.pem",
                                                    "verify_keys": [{"file": "p256.pem"}, {"kid": "old", "secret": SECRET.decode() + "x"}]}}))
write("auth_config", "full", json.dumps({
    "database": {"url": "postgresql://u:p@127.0.0.1:5432/auth", "pool_size": 8, "auto_migrate": False, "query_timeout_ms": 500},
    "routes": {"prefix": "/auth", "me_alias": "", "unauthorized_status": 403},
    "tokens": {"algorithm": "ES256", "private_key_file": "p256.pem", "issuer": "i", "audience": "a", "leeway_seconds": 0},
    "cookies": {"secure": True, "same_site": "Lax", "domain": "example.com"},
    "password": {"min_length": 12, "encoding": "plain"},
    "login_throttle": {"window_seconds": 60},
    "email": {"transport": "smtp", "smtp_url": "smtps://mail.example.com", "templates_dir": "t"},
    "google": {"client_id": "x.apps.googleusercontent.com", "jwks": "google.json"},
    "protect": [{"prefix": "/api", "roles": []}], "csrf": {"allowed_origins": []}}))

# database_url
for name, text in {"sqlite": "sqlite3://data/auth.db", "sqlite_abs": "sqlite3:///var/lib/latchkey/auth.db",
                   "postgres": "postgresql://latchkey:s%40cret@db.example.com:5432/auth?sslmode=require&connect_timeout=3",
                   "mysql": "mysql://root@[::1]:3306/auth?charset=utf8", "quote": "postgres://u:'x\\@h/d b?options=-c%20a%3Db",
                   "bad": "postgresql://u:p@h:99999/db"}.items():
    write("database_url", name, text)

# url_decode
for name, text in {"plain": "/api/notes", "escapes": "a%20b%2Fc%00d%zz%4", "plus": "a+b%2B", "utf8": "%C3%A9t%c3%a9"}.items():
    write("url_decode", name, text)

# email
for name, text in {"plain": "ada@example.com", "mixed": "  Ada.Lovelace@Example.COM\t\r\n",
                   "utf8": "J\u00fcrgen@B\u00fccher.DE", "odd": "\"a b\"@[127.0.0.1]"}.items():
    write("email", name, text)

# device_name: User-Agents of the common browsers, a tool, and junk
for name, text in {"chrome_linux": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
                   "firefox_windows": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
                   "safari_iphone": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
                   "edge": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.61",
                   "curl": "curl/7.88.1", "junk": "\x00\xff(((;;;Mozilla"}.items():
    write("device_name", name, text)

# second_factor: codes as typed, and a sealed-looking secret
for name, text in {"totp": "123456", "totp_spaced": " 123 456", "recovery": "abcde-fgh23",
                   "recovery_upper": "ABCDEFGH23", "sealed": "v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}.items():
    write("second_factor", name, text)

# mail_template: email, link, From, .txt (each ended by "\" + another byte), then the .html.
def frame(*parts):
    return "".join(p.replace("\\", "\\\\") + "\\\n" for p in parts[:-1]) + parts[-1]

write("mail_template", "defaults_like", frame("ada@example.com", "https://app.example/confirm?token={token}",
      "Latchkey <no-reply@example.com>", "Subject: Confirm {email}\nHello {email},\n\nopen {link}\n",
      "<p>Hello {email}, <a href=\"{link}\">confirm</a></p>\n"))
write("mail_template", "text_only", frame("b@example.org", "http://127.0.0.1:8080/c.html",
      "b@example.org", "Subject: Hi\r\n{link}\r\n" + "x" * 1200 + "\n", ""))
write("mail_template", "unicode", frame("j\u00fcrgen@example.de", "https://x/?a=1&b=<2>", "J\u00fcrgen <j@example.de>",
      "Subject: Best\u00e4tigen Sie {email}\n\u00c4\u00d6\u00dc {link} {email} {unknown}\n", "<b>{email}</b> & {link}"))
write("mail_template", "injection", frame("a@example.com\r\nBcc: x@evil", "https://x/{token}", "Me <me@x>",
      "Subject: x\r\nBcc: evil@x\n.\r\n", ""))
