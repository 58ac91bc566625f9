"""What the install tests share: the installed prefix, a host started from it, HTTP, the mails.

Real parts only: the host and CLI are the installed executables, the database a real SQLite file,
the mail the plugin's file transport (.eml files), HTTP over a loopback socket.
"""
import email
import email.policy
import json
import os
import pathlib
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def installed_prefix():
    """The prefix the install_into_prefix fixture wrote (LATCHKEY_INSTALL_PREFIX)."""
    prefix = pathlib.Path(os.environ["LATCHKEY_INSTALL_PREFIX"])
    check((prefix / "bin" / "latchkey").is_file(), f"nothing installed in {prefix}")
    return prefix


def auth_plugin_entry(prefix, work):
    """The auth plugin on SQLite with file mail, everything under work/ (the test's folder)."""
    return {
        "name": "auth",
        "path": str(prefix / "lib" / "latchkey" / "plugins" / "liblatchkey_auth.so"),
        "config": {
            "database": {"url": f"sqlite3://{work}/auth.db"},
            "tokens": {"secret": "${LATCHKEY_JWT_SECRET}"},
            "cookies": {"secure": False},
            "email": {"transport": "file", "file_dir": str(work / "mail")},
            # Keep the test fast: the cheapest hash the config accepts.
            "password": {"argon2_memory_kib": 8192, "argon2_iterations": 1, "argon2_parallelism": 1},
        },
    }


def write_config(work, plugins):
    config = work / "latchkey.json"
    config.write_text(json.dumps({"listen": "127.0.0.1:0", "threads": 2, "plugins": plugins}, indent=2))
    return config


def environment():
    env = dict(os.environ)
    env.setdefault("LATCHKEY_JWT_SECRET", secrets.token_urlsafe(48))
    return env


class Server:
    """A program that prints `listening on http://HOST:PORT` once it serves (the host, or an app)."""

    def __init__(self, command, env, cwd=None):
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                        cwd=cwd, text=True)
        line = self.process.stdout.readline()
        match = re.match(r"listening on (http://\S+)", line)
        if not match:
            self.process.kill()
            fail(f"{command[0]} did not start: {line!r}\n{self.process.stderr.read()}")
        self.base = match.group(1)

    def stop(self):
        self.process.terminate()
        try:
            _, errors = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            fail("the server did not stop within 15 s of SIGTERM")
        check(self.process.returncode == 0, f"the server exited {self.process.returncode}: {errors}")


def request(base, method, path, body=None, token=None, headers=None):
    """(status, headers, parsed JSON body or raw text)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            status, head, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, head, raw = error.code, error.headers, error.read()
    text = raw.decode("utf-8", "replace")
    try:
        return status, head, json.loads(text) if text else None
    except json.JSONDecodeError:
        return status, head, text


def wait_for_mail(mail_dir, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(pathlib.Path(mail_dir).glob("*.eml")) if pathlib.Path(mail_dir).is_dir() else []
        if files:
            message = email.message_from_bytes(files[-1].read_bytes(), policy=email.policy.default)
            return message.get_body(preferencelist=("plain",)).get_content()
        time.sleep(0.1)
    fail(f"no mail in {mail_dir} after {timeout} s")


def register_confirm_login(base, mail_dir, address, password):
    """The account journey through the auth API; returns the access token."""
    status, _, body = request(base, "POST", "/api/auth/register", {"email": address, "password": password})
    check(status == 202, f"register: {status} {body}")
    token = re.search(r"token=([A-Za-z0-9_-]+)", wait_for_mail(mail_dir))
    check(token is not None, "no token in the confirmation mail")
    status, _, body = request(base, "POST", "/api/auth/confirm", {"token": token.group(1)})
    check(status == 200 and body == {"status": "confirmed"}, f"confirm: {status} {body}")
    status, _, body = request(base, "POST", "/api/auth/login", {"email": address, "password": password})
    check(status == 200 and body["user"]["email"] == address, f"login: {status} {body}")
    return body["accessToken"]
