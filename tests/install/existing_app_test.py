"""examples/existing-app, a Pistache application with its own main and routes, built out of tree
with find_package(Latchkey) against the installed package and driven over HTTP: the mounted auth
API, its own public routes (one asking authenticate() who calls), a protected and an admin-only route, 401/403 exactly as the installed
host answers them, and the browser client."""
import pathlib
import subprocess
import tempfile

from latchkey_install_support import (Server, auth_plugin_entry, check, environment, installed_prefix,
                                      register_confirm_login, request, write_config)

HERE = pathlib.Path(__file__).resolve().parent
APP = HERE.parent.parent / "examples" / "existing-app"
SAME_HEADERS = ("Content-Type", "WWW-Authenticate", "Cache-Control")


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    check(result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def refusal(base, method, path, token=None):
    status, headers, body = request(base, method, path, token=token)
    return status, body, {name: headers.get(name) for name in SAME_HEADERS}


def main():
    prefix = installed_prefix()
    with tempfile.TemporaryDirectory(prefix="latchkey-app-") as scratch:
        scratch = pathlib.Path(scratch)
        build = scratch / "build"
        run(["cmake", "-S", str(APP), "-B", str(build), f"-DCMAKE_PREFIX_PATH={prefix}"])
        run(["cmake", "--build", str(build)])

        work = scratch / "app"
        work.mkdir()
        auth = auth_plugin_entry(prefix, work)
        config = write_config(work, [auth])
        env = environment()
        app = Server([str(build / "existing-app"), "--config", str(config), "--listen", "127.0.0.1:0"], env)
        try:
            status, _, body = request(app.base, "GET", "/status")
            check(status == 200, f"/status: {status} {body}")
            anonymous = refusal(app.base, "GET", "/orders")
            check(anonymous[0] == 401, f"/orders without a token: {anonymous}")

            token = register_confirm_login(app.base, work / "mail", "shop@example.com", "a long enough password")
            status, _, me = request(app.base, "GET", "/api/auth/me", token=token)
            check(status == 200, f"/api/auth/me: {status} {me}")
            subject = me["user"]["id"]
            status, _, body = request(app.base, "GET", "/whoami")
            check((status, body) == (200, {"subject": None}), f"/whoami anonymous: {status} {body}")
            status, _, body = request(app.base, "GET", "/whoami", token=token)
            check((status, body) == (200, {"subject": subject}), f"/whoami (authenticate): {status} {body}")
            status, _, body = request(app.base, "GET", "/orders", token=token)
            check(status == 200 and body["subject"] == subject, f"/orders: {status} {body}")
            not_admin = refusal(app.base, "POST", "/admin/purge", token=token)
            check(not_admin[0] == 403, f"/admin/purge without the role: {not_admin}")

            status, _, script = request(app.base, "GET", "/api/auth/client.js")
            installed_script = (prefix / "share" / "latchkey" / "web" / "latchkey-client.js").read_text()
            check(status == 200 and script == installed_script, f"client.js: {status}")
        finally:
            app.stop()

        run([str(prefix / "bin" / "latchkey-auth"), "--config", str(config), "user", "role", "shop@example.com",
             "add", "admin"], env=env)
        app = Server([str(build / "existing-app"), "--config", str(config), "--listen", "127.0.0.1:0"], env)
        try:
            status, _, body = request(app.base, "POST", "/api/auth/login",
                                      {"email": "shop@example.com", "password": "a long enough password"})
            check(status == 200, f"login: {status} {body}")
            status, _, body = request(app.base, "POST", "/admin/purge", token=body["accessToken"])
            check(status == 200, f"/admin/purge as admin: {status} {body}")
        finally:
            app.stop()

        # The installed host's own refusals, for the same database: /api/auth/me needs the admin
        # role there (a protect rule), so a user without it gets the host's 403.
        auth["config"]["protect"] = [{"prefix": "/api/auth/me", "roles": ["nobody-has-this"]}]
        host_config = write_config(work, [auth])
        host = Server([str(prefix / "bin" / "latchkey"), "--config", str(host_config)], env)
        try:
            check(refusal(host.base, "GET", "/api/auth/me") == anonymous,
                  f"401: host {refusal(host.base, 'GET', '/api/auth/me')} vs app {anonymous}")
            status, _, body = request(host.base, "POST", "/api/auth/login",
                                      {"email": "shop@example.com", "password": "a long enough password"})
            check(status == 200, f"host login: {status} {body}")
            host_403 = refusal(host.base, "GET", "/api/auth/me", token=body["accessToken"])
            check(host_403 == not_admin, f"403: host {host_403} vs app {not_admin}")
        finally:
            host.stop()
    print("existing-app built out of tree: auth API, own routes, 401/403 as the host's, client.js")


main()
