#!/usr/bin/env python3
"""tests/bench/soak/soak.py: the mixed-load client of `script/bench soak` (see script/soak).

Drives one running host on loopback for SECONDS with asyncio workers, each on its own keep-alive
connection (reopened whenever the host closes it), every request with a 10 s deadline:
  register (+ the confirmation link read from the file transport's .eml, + confirm + login),
  login, GET /api/auth/me, refresh (each session owned by one request at a time: real rotations),
  logout (+ GET /api/auth/me with the logged-out token), wrong passwords (known and unknown
  addresses, from their own source addresses 127.0.0.2-5 so the per-address throttle never
  refuses the good logins from 127.0.0.1), hostile tokens (alg none, bad signatures, alg confusion,
  garbage, huge), bodies over max_body_bytes and malformed bodies.
Samples the host's VmRSS and open fds (/proc/PID) every second. Prints a table of requests and
status codes per kind, 5xx (with the exact requests that got them), socket errors, RSS and fds at
10 s and at the end; the last line is machine-readable. Exit 0 whenever the run completed.
Only the Python standard library.
"""
import argparse, asyncio, base64, collections, email, email.policy, hashlib, hmac, json, os, random, re, time

p = argparse.ArgumentParser()
p.add_argument("--base", required=True)          # http://127.0.0.1:PORT
p.add_argument("--pid", type=int, required=True)  # the host's process id
p.add_argument("--mail-dir", required=True)
p.add_argument("--seconds", type=float, default=60)
p.add_argument("--users", default="")            # pre-created confirmed users, comma-separated
p.add_argument("--victims", default="")          # users that only ever get wrong passwords
p.add_argument("--password", required=True)
p.add_argument("--max-body", type=int, default=65536)
p.add_argument("--no-keepalive-header", action="store_true")  # HTTP/1.1 default: open unless close
A = p.parse_args()
HOST, PORT = A.base.split("//")[1].split(":"); PORT = int(PORT)
KEEPALIVE = "" if A.no_keepalive_header else "Connection: keep-alive\r\n"
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()

# ---- counters -----------------------------------------------------------------------------------
KINDS = ["warmup", "register", "confirm", "login", "me", "refresh", "logout", "me_after_logout", "wrong_password",
         "hostile_token", "oversized", "malformed"]
EXPECTED = {"warmup": {200}, "register": {202}, "confirm": {200}, "login": {200}, "me": {200}, "refresh": {200},
            "logout": {204}, "me_after_logout": {401}, "wrong_password": {401, 429},
            "hostile_token": {401, 400, 431}, "oversized": {413}, "malformed": {400}}
statuses = {k: collections.Counter() for k in KINDS}
sock_errors = collections.Counter()
sock_examples = {}
fivexx, unexpected = [], []
mail_missing = 0
extra_answers, extra_examples = collections.Counter(), {}

def describe(method, path, headers, body):
    b = body if len(body) <= 120 else body[:120] + b"...(%d bytes)" % len(body)
    h = {k: (v if len(v) <= 80 else v[:80] + "...(%d chars)" % len(v)) for k, v in headers.items()}
    return "%s %s %s body=%r" % (method, path, h, b)

# ---- a minimal HTTP/1.1 client ------------------------------------------------------------------
class Conn:
    def __init__(self, src):
        self.src, self.r, self.w = src, None, None

    def close(self):
        if self.w:
            self.w.close()
        self.r = self.w = None

    async def _request(self, method, path, headers, body):
        if self.w is None:
            self.r, self.w = await asyncio.open_connection(HOST, PORT, local_addr=(self.src, 0), limit=1 << 20)
        head = "%s %s HTTP/1.1\r\nHost: %s:%d\r\n%s" % (method, path, HOST, PORT, KEEPALIVE)
        head += "".join("%s: %s\r\n" % kv for kv in headers.items())
        if body or method == "POST":
            head += "Content-Length: %d\r\n" % len(body)
        self.w.write(head.encode() + b"\r\n" + body)
        try:
            await self.w.drain()
        except ConnectionError:
            pass  # the host may answer (413) and close before reading all of a large body: read on
        status_line = await self.r.readline()
        if not status_line:
            raise ConnectionError("closed without an answer")
        status = int(status_line.split()[1])
        hdrs = {}
        while True:
            line = await self.r.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            k, _, v = line.decode("latin-1").partition(":")
            hdrs[k.strip().lower()] = v.strip()
        if "content-length" in hdrs:
            data = await self.r.readexactly(int(hdrs["content-length"]))
        elif "chunked" in hdrs.get("transfer-encoding", "").lower():
            data = b""
            while True:
                size = int((await self.r.readline()).split(b";")[0], 16)
                data += await self.r.readexactly(size + 2)
                if size == 0:
                    break
        else:
            data = await self.r.read()
            self.close()
        if "close" in hdrs.get("connection", "").lower():
            self.close()
        return status, hdrs, data

    async def request(self, kind, method, path, headers=None, body=b""):
        headers = headers or {}
        if isinstance(body, str):
            body = body.encode()
        try:
            status, hdrs, data = await asyncio.wait_for(self._request(method, path, headers, body), 10)
        except (OSError, ConnectionError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError, IndexError) as e:
            self.close()
            name = type(e).__name__
            sock_errors[kind, name] += 1
            sock_examples.setdefault((kind, name), describe(method, path, headers, body) + " -> " + str(e)[:100])
            return None, {}, b""
        statuses[kind][status] += 1
        if status >= 500 and len(fivexx) < 20:
            fivexx.append(describe(method, path, headers, body) + " -> %d %r" % (status, data[:200]))
        elif status not in EXPECTED[kind] and len(unexpected) < 20:
            unexpected.append("%s: %s -> %d %r" % (kind, describe(method, path, headers, body), status, data[:160]))
        return status, hdrs, data

JSON = {"Content-Type": "application/json"}
def jbody(**kv): return json.dumps(kv)

# ---- shared state -------------------------------------------------------------------------------
class Session:
    def __init__(self, body):
        t = json.loads(body)
        self.access, self.refresh = t["accessToken"], t["refreshToken"]

pool = []            # sessions nobody is refreshing or logging out right now
users = [u for u in A.users.split(",") if u]
victims = [u for u in A.victims.split(",") if u]
mail_tokens, mail_waiters = {}, {}
deadline = 0.0
running = lambda: time.monotonic() < deadline

# Every 10 s the sampler holds new password hashes back until none is in flight (about 0.1-0.3 s):
# a hash holds a 19 MiB Argon2id buffer, so only such quiet samples compare from one time to another.
hash_gate, hashing = None, 0
async def hashing_request(conn, *args):
    global hashing
    await hash_gate.wait()
    hashing += 1
    try:
        return await conn.request(*args)
    finally:
        hashing -= 1

async def login(conn, kind, address):
    status, _, data = await hashing_request(conn, kind, "POST", "/api/auth/login", JSON, jbody(email=address, password=A.password))
    if status == 200:
        pool.append(Session(data))

async def mail_watcher():
    seen = set()
    while True:
        try:
            names = sorted(n for n in os.listdir(A.mail_dir) if n.endswith(".eml") and n not in seen)
        except FileNotFoundError:
            names = []
        for n in names:
            seen.add(n)
            path = os.path.join(A.mail_dir, n)
            with open(path, "rb") as f:
                msg = email.message_from_bytes(f.read(), policy=email.policy.default)
            os.unlink(path)
            text = "".join(part.get_content() for part in msg.walk() if part.get_content_type() == "text/plain")
            m = re.search(r"token=([A-Za-z0-9_\-.~%]+)", text)
            to = msg["To"].addresses[0].addr_spec if msg["To"] else ""
            if m and to in mail_waiters and not mail_waiters[to].done():
                mail_waiters[to].set_result(m.group(1))
        await asyncio.sleep(0.05)

# ---- workers --------------------------------------------------------------------------------------
async def w_register(conn):
    global mail_missing
    n = 0
    while running():
        n += 1
        address = "soak-%d-%d-%s@example.com" % (os.getpid(), n, os.urandom(3).hex())
        fut = mail_waiters[address] = asyncio.get_running_loop().create_future()
        status, _, _ = await hashing_request(conn, "register", "POST", "/api/auth/register", JSON, jbody(email=address, password=A.password))
        if status != 202:
            continue
        try:
            token = await asyncio.wait_for(fut, 10)
        except asyncio.TimeoutError:
            mail_missing += 1
            continue
        finally:
            mail_waiters.pop(address, None)
        status, _, _ = await conn.request("confirm", "POST", "/api/auth/confirm", JSON, jbody(token=token))
        if status == 200:
            users.append(address)
            await login(conn, "login", address)

async def w_login(conn):
    while running():
        if users:
            await login(conn, "login", random.choice(users))
        else:
            await asyncio.sleep(0.1)

async def w_me(conn):
    while running():
        if not pool:
            await asyncio.sleep(0.01); continue
        s = pool.pop(random.randrange(len(pool)))  # borrowed: never logged out while in flight
        await conn.request("me", "GET", "/api/auth/me", {"Authorization": "Bearer " + s.access})
        pool.append(s)

async def w_refresh(conn):
    while running():
        if not pool:
            await asyncio.sleep(0.01); continue
        s = pool.pop(random.randrange(len(pool)))
        status, _, data = await conn.request("refresh", "POST", "/api/auth/refresh", {"Authorization": "Bearer " + s.refresh})
        if status == 200:
            t = json.loads(data); s.access, s.refresh = t["accessToken"], t["refreshToken"]
            pool.append(s)

async def w_logout(conn):
    while running():
        if len(pool) <= 8:
            await asyncio.sleep(0.02); continue
        s = pool.pop(0)
        await conn.request("logout", "POST", "/api/auth/logout", {"Authorization": "Bearer " + s.access})
        await conn.request("me_after_logout", "GET", "/api/auth/me", {"Authorization": "Bearer " + s.access})

async def w_wrong_password(conn):
    # One request at a time, alternating between two source addresses (conn is a list), about 5/s:
    # each attempt not yet throttled costs an Argon2id hash. Register, login and this worker hold
    # at most 3 hashes in flight: the host refuses hashes past cores x 2 (running + waiting) with 503.
    n = 0
    while running():
        n += 1
        who = random.choice(victims) if n % 2 and victims else "nobody-%s@example.com" % os.urandom(4).hex()
        await hashing_request(conn[n % len(conn)], "wrong_password", "POST", "/api/auth/login", JSON,
                                          jbody(email=who, password="wrong-" + os.urandom(4).hex()))
        await asyncio.sleep(0.2)

def hostile_tokens():
    if not pool:
        return []
    real = pool[0].access
    h, c, s = real.split(".")
    claims = json.loads(base64.urlsafe_b64decode(c + "=" * (-len(c) % 4)))
    admin = dict(claims, roles=["admin"], sub="0" * 32)
    none_h = b64(json.dumps({"alg": "none", "typ": "at+jwt"}).encode())
    ed_h = b64(json.dumps({"alg": "EdDSA", "typ": "at+jwt", "kid": "x"}).encode())
    evil = b64(json.dumps(admin).encode())
    forged = b64(hmac.new(os.urandom(32), (h + "." + evil).encode(), hashlib.sha256).digest())
    return [
        none_h + "." + c + ".", none_h + "." + evil + ".",                    # alg none
        h + "." + c + "." + s[:-4] + ("AAAA" if s[-4:] != "AAAA" else "BBBB"),  # bad signature
        h + "." + evil + "." + s, h + "." + evil + "." + forged,               # changed claims
        ed_h + "." + c + "." + b64(os.urandom(64)),                            # alg confusion
        "garbage", "a.b.c", "....", "..", h + "." + c, b64(os.urandom(300)),   # garbage
        "%s.%s.%s" % (b64(b"{"), b64(b"["), b64(b"\xff")),
        "A" * 8000, h + "." + "B" * 40000 + "." + s,                           # huge
    ]

async def w_hostile(conn):
    tokens = []
    while running():
        tokens = tokens or hostile_tokens()
        if not tokens:
            await asyncio.sleep(0.05); continue
        t = random.choice(tokens)
        path = random.choice(["/api/auth/me", "/hello/private", "/api/auth/refresh", "/api/auth/logout-all"])
        method = "GET" if path in ("/api/auth/me", "/hello/private") else "POST"
        hdr = {"Cookie": "accessToken=" + t} if random.random() < 0.25 else {"Authorization": "Bearer " + t}
        await conn.request("hostile_token", method, path, hdr)

async def w_oversized(conn):
    # Bodies of max_body_bytes + 1, + 4 KiB (both within Pistache's request limit, max_body_bytes +
    # 16 KiB) and 4 x max_body_bytes (beyond it), each on a new connection: after the answer, any
    # further bytes the host sends within 0.2 s (a second answer: the body parsed as requests) are
    # counted as "extra answers", then the connection is closed.
    sizes = [A.max_body + 1, A.max_body + 4096, 4 * A.max_body]
    while running():
        n = random.choice(sizes)
        body = '{"email":"a@example.com","password":"' + "x" * (n - 39) + '"}'
        path = random.choice(["/api/auth/login", "/api/auth/register"])
        status, _, _ = await conn.request("oversized", "POST", path, JSON, body)
        if status is not None and conn.r is not None:
            try:
                extra = await asyncio.wait_for(conn.r.read(4096), 0.2)
            except (asyncio.TimeoutError, OSError):
                extra = b""
            if extra:
                extra_answers[n] += 1
                extra_examples.setdefault(n, "POST %s with a %d-byte body -> %d, then %r" % (path, n, status, extra[:120]))
        conn.close()
        await asyncio.sleep(0.01)

MALFORMED = [b"", b"not json", b'{"email":', b'{"email":"a@example.com","password":"x"', b"[]", b'"str"', b"null",
             b'{"email":1,"password":[]}', b"[" * 5000, b'{"email":"\xff\xfe@example.com","password":"password-1"}',
             b'{"email":"a@example.com","password":"password-1"}garbage', b'{"email":"a@example.com" "password":"p"}',
             b'{"token":{"$ne":null}}', b"{\"email\":\"a@example.com\",\"password\":\"\\ud800\"}", b"\x00\x01\x02"]

async def w_malformed(conn):
    while running():
        path = random.choice(["/api/auth/login", "/api/auth/register", "/api/auth/confirm", "/api/auth/password/reset"])
        await conn.request("malformed", "POST", path, JSON, random.choice(MALFORMED))

# ---- the host's memory and descriptors --------------------------------------------------------------
def sample():
    try:
        with open("/proc/%d/status" % A.pid) as f:
            st = dict(l.split(":", 1) for l in f if ":" in l)
        return (int(st["VmRSS"].split()[0]) / 1024, len(os.listdir("/proc/%d/fd" % A.pid)), int(st["Threads"]))
    except (OSError, KeyError):
        return (0.0, 0, 0)

samples, quiet = [], []
async def sampler(start):
    next_quiet = 10
    while running():
        if time.monotonic() - start >= next_quiet:
            hash_gate.clear()
            while hashing:
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.1)
            quiet.append((time.monotonic() - start,) + sample())
            hash_gate.set()
            next_quiet += 10
        samples.append((time.monotonic() - start,) + sample())
        await asyncio.sleep(0.5)

async def main():
    global deadline, hash_gate
    hash_gate = asyncio.Event(); hash_gate.set()
    watcher = asyncio.ensure_future(mail_watcher())
    idle = sample()
    addr = lambda i: "127.0.0.%d" % i
    plan = [(w_register, addr(1)), (w_login, addr(1)), (w_me, addr(1)), (w_me, addr(1)), (w_me, addr(1)),
            (w_refresh, addr(1)), (w_refresh, addr(1)), (w_logout, addr(1))]
    plan += [(w_hostile, addr(6)), (w_hostile, addr(7)), (w_oversized, addr(8)), (w_malformed, addr(9))]
    conns = [Conn(src) for _, src in plan]
    plan.append((w_wrong_password, None))            # 2 addresses x 100 failures per window
    conns.append([Conn(addr(2)), Conn(addr(3))])
    # Warm-up, outside the measured time: one session, so that me, refresh and the hostile tokens
    # (made from a real token) start at once.
    deadline = time.monotonic() + 30
    await login(conns[0], "warmup", users[0])
    start = time.monotonic()
    deadline = start + A.seconds
    mon = asyncio.ensure_future(sampler(start))
    await asyncio.gather(*(fn(c) for (fn, _), c in zip(plan, conns)))
    elapsed = time.monotonic() - start
    end = sample()
    await mon
    for c in conns:
        for x in (c if isinstance(c, list) else [c]):
            x.close()
    watcher.cancel()
    await asyncio.sleep(2)
    after = sample()
    report(elapsed, idle, end, after)

def report(elapsed, idle, end, after):
    at10 = next((s for s in samples if s[0] >= 10), samples[-1] if samples else (0, 0, 0, 0))
    peak = max((s[1] for s in samples), default=0)
    total = sum(sum(v for k, v in c.items()) for c in statuses.values())
    n5 = sum(v for c in statuses.values() for k, v in c.items() if isinstance(k, int) and k >= 500)
    nsock = sum(sock_errors.values())
    nunexp = sum(v for kind, c in statuses.items() for k, v in c.items() if isinstance(k, int) and k not in EXPECTED[kind])
    print("\n%-16s %9s %8s  %s" % ("kind", "requests", "req/s", "status codes"))
    for k in KINDS:
        n = sum(statuses[k].values())
        codes = " ".join("%s:%d" % (code, v) for code, v in sorted(statuses[k].items(), key=lambda x: str(x[0])) if v)
        errs = sum(v for (kk, _), v in sock_errors.items() if kk == k)
        print("%-16s %9d %8.1f  %s%s" % (k, n, n / elapsed, codes, "  socket errors: %d" % errs if errs else ""))
    print("%-16s %9d %8.1f" % ("total", total, total / elapsed))
    print()
    print("5xx: %d   socket errors: %d   unexpected statuses: %d   confirmation mails not seen in 10 s: %d"
          % (n5, nsock, nunexp, mail_missing))
    for (k, name), v in sorted(sock_errors.items()):
        print("  socket error %s x%d on %s, e.g. %s" % (name, v, k, sock_examples[k, name]))
    for n, v in sorted(extra_answers.items()):
        print("  extra answers after an oversized body of %d bytes: %d, e.g. %s" % (n, v, extra_examples[n]))
    for line in fivexx:
        print("  5xx: " + line)
    for line in unexpected[:10]:
        print("  unexpected: " + line)
    growth = (end[0] / at10[1] - 1) * 100 if at10[1] else 0
    print()
    print("host                       RSS MB    fds  threads")
    for label, v in (("idle, before the load", idle), ("at %.0f s" % at10[0], at10[1:]), ("end of the load", end),
                     ("2 s later, client gone", after)):
        print("  %-24s %8.1f %6d %8d" % ((label,) + tuple(v)))
    print("  peak RSS %.1f MB; RSS end vs 10 s: %+.1f %% (target within +10 %%); fds end - 10 s: %+d (target 0)"
          % (peak, growth, end[1] - at10[2]))
    q10 = quiet[0] if quiet else (0, 0, 0, 0)
    qgrowth = (end[0] / q10[1] - 1) * 100 if q10[1] else 0
    print("  with no hash in flight: at %.1f s %.1f MB / %d fds, end %.1f MB / %d fds: RSS %+.1f %%, fds %+d"
          % (q10[0], q10[1], q10[2], end[0], end[1], qgrowth, end[1] - q10[2]))
    print("  every 10 s, no hash in flight (MB/fds): " + "  ".join("%.0fs %.1f/%d" % q[:3] for q in quiet))
    print("soak_seconds=%.0f requests=%d rps=%.0f 5xx=%d socket_errors=%d unexpected=%d %s rss_10s_mb=%.1f "
          "rss_end_mb=%.1f rss_growth_pct=%.1f fds_idle=%d fds_10s=%d fds_end=%d fds_after=%d mail_missing=%d extra_answers=%d rss_quiet_10s_mb=%.1f rss_quiet_growth_pct=%.1f fds_quiet_10s=%d"
          % (elapsed, total, total / elapsed, n5, nsock, nunexp,
             " ".join("%s=%d" % (k, sum(statuses[k].values())) for k in KINDS),
             at10[1], end[0], growth, idle[1], at10[2], end[1], after[1], mail_missing, sum(extra_answers.values()),
             q10[1], qgrowth, q10[2]))

asyncio.run(main())
