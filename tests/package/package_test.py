#!/usr/bin/env python3
"""The Debian packages of CONTRACT §7 (issue 12 §4), checked as an operator would meet them.

  package_test.py --build-dir DIR --version V   packages the build in DIR with CPack (seconds: the
                                                build is already there), then checks the .debs
  package_test.py --debs DIR --version V        checks the .debs in DIR (e.g. build/packages)

Checks: the §7 layout in both packages (dpkg-deb --contents), dependencies from dpkg-shlibdeps,
conffiles, no lintian errors, `systemd-analyze verify` on the unit, and the host extracted with
`dpkg -x` into a temporary root serving register → confirm → login → me from there, with the
shipped /etc/latchkey/latchkey.json (paths moved into the temporary root) and latchkey-auth from
the package.
"""
import argparse
import email
import email.policy
import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print(f"FAIL: {message}", flush=True)
    return condition


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def require(tool, package):
    if subprocess.run(["sh", "-c", f"command -v {tool}"], capture_output=True).returncode != 0:
        print(f"FAIL: {tool} is missing (Debian package {package}; script/bootstrap installs it)")
        sys.exit(1)


# ---- the packages -------------------------------------------------------------------------------

def build_packages(build_dir, out_dir):
    """cpack against the tested build: the same rules script/package uses on build-package/."""
    started = time.monotonic()
    result = run(["cpack", "--config", str(build_dir / "CPackConfig.cmake"), "-B", str(out_dir)])
    if result.returncode != 0:
        print(result.stdout + result.stderr)
        print("FAIL: cpack failed")
        sys.exit(1)
    print(f"cpack: {time.monotonic() - started:.1f} s", flush=True)
    return out_dir


def contents(deb):
    """{path: (mode string, link target or None)} as dpkg-deb --contents lists them."""
    listing = run(["dpkg-deb", "--contents", str(deb)], check=True).stdout
    entries = {}
    for line in listing.splitlines():
        fields = line.split(None, 5)
        name = fields[5]
        target = None
        if " -> " in name:
            name, target = name.split(" -> ", 1)
        entries[name.removeprefix(".").rstrip("/") or "/"] = (fields[0], target)
    return entries


RUNTIME_FILES = [
    "/usr/bin/latchkey", "/usr/bin/latchkey-auth",
    "/usr/lib/latchkey/plugins/liblatchkey_auth.so",
    "/usr/lib/liblatchkey_embed.so.0",
    "/usr/share/latchkey/schemas/openapi.json", "/usr/share/latchkey/schemas/config.schema.json",
    "/usr/share/latchkey/schemas/sqlite/001_init.sql",
    "/usr/share/latchkey/schemas/postgresql/001_init.sql",
    "/usr/share/latchkey/schemas/mysql/001_init.sql",
    "/usr/share/latchkey/web/latchkey-client.js",
    "/usr/share/latchkey/examples/latchkey.json",
    "/etc/latchkey/latchkey.json",
    "/lib/systemd/system/latchkey.service",
    "/usr/share/doc/latchkey/copyright", "/usr/share/doc/latchkey/changelog.gz",
    "/usr/share/man/man1/latchkey.1.gz", "/usr/share/man/man1/latchkey-auth.1.gz",
]
DEV_FILES = [
    "/usr/include/latchkey/plugin.h", "/usr/include/latchkey/plugin.hpp",
    "/usr/include/latchkey/embed.hpp",
    "/usr/lib/liblatchkey_embed.so",
    "/usr/lib/cmake/Latchkey/LatchkeyConfig.cmake",
    "/usr/lib/cmake/Latchkey/LatchkeyConfigVersion.cmake",
    "/usr/lib/pkgconfig/latchkey-plugin.pc",
    "/usr/share/doc/latchkey-dev/copyright",
]


def check_layout(runtime_deb, dev_deb):
    runtime, dev = contents(runtime_deb), contents(dev_deb)
    for path in RUNTIME_FILES:
        check(path in runtime, f"latchkey lacks {path}")
    for path in DEV_FILES:
        check(path in dev, f"latchkey-dev lacks {path}")
    for path in ("/usr/bin/latchkey", "/usr/bin/latchkey-auth"):
        if path in runtime:
            check(runtime[path][0] == "-rwxr-xr-x", f"{path} is {runtime[path][0]}, not 0755")
    # The real library is in the runtime package; the -dev package has only the link for linking.
    real = [p for p in runtime if re.fullmatch(r"/usr/lib/liblatchkey_embed\.so\.0\.\d+\.\d+", p)]
    check(len(real) == 1, f"latchkey should hold one liblatchkey_embed.so.0.X.Y, has {real}")
    check(dev.get("/usr/lib/liblatchkey_embed.so", ("", None))[1] == "liblatchkey_embed.so.0",
          "latchkey-dev's liblatchkey_embed.so should link to liblatchkey_embed.so.0")
    # Each file in exactly one package; nothing outside the FHS places a package may use.
    files = lambda entries: {p for p, (mode, _) in entries.items() if not mode.startswith("d")}
    check(not files(runtime) & files(dev), f"in both packages: {sorted(files(runtime) & files(dev))}")
    for name, entries in (("latchkey", runtime), ("latchkey-dev", dev)):
        stray = [p for p in files(entries)
                 if not re.match(r"/(usr/(bin|lib|include|share)|etc/latchkey|lib/systemd/system)/", p)]
        check(not stray, f"{name} has files outside the expected folders: {stray}")
    check(not any(p.startswith("/usr/include") for p in runtime), "latchkey holds headers")
    check(not any(p.startswith("/etc") for p in dev), "latchkey-dev holds files in /etc")


def control_file(deb, name):
    result = run(["sh", "-c", f"dpkg-deb --ctrl-tarfile '{deb}' | tar -xO ./{name}"])
    return result.stdout if result.returncode == 0 else None


def check_control(runtime_deb, dev_deb, version):
    field = lambda deb, name: run(["dpkg-deb", "-f", str(deb), name], check=True).stdout.strip()
    depends = field(runtime_deb, "Depends")
    print(f"latchkey Depends: {depends}")
    for package in ("libpistache0", "libbotan-2-19", "libsoci-core4.0", "libstdc++6", "libc6",
                    "libsoci-sqlite3-4.0", "adduser"):
        check(re.search(rf"(^|, ){re.escape(package)}( |,|$)", depends),
              f"latchkey's Depends lacks {package}: {depends}")
    dev_depends = field(dev_deb, "Depends")
    check(f"latchkey (= {version})" in dev_depends, f"latchkey-dev must depend on latchkey (= {version}): {dev_depends}")
    check("libpistache-dev" in dev_depends, f"latchkey-dev must depend on libpistache-dev: {dev_depends}")
    for deb, name in ((runtime_deb, "latchkey"), (dev_deb, "latchkey-dev")):
        check(field(deb, "Package") == name and field(deb, "Version") == version,
              f"{deb.name}: Package/Version are not {name}/{version}")
        for required in ("Maintainer", "Description", "Section", "Architecture"):
            check(field(deb, required), f"{deb.name} has no {required} field")

    conffiles = (control_file(runtime_deb, "conffiles") or "").split()
    check(conffiles == ["/etc/latchkey/latchkey.json"], f"latchkey's conffiles: {conffiles}")
    shlibs = control_file(runtime_deb, "shlibs") or ""
    check(re.search(rf"^liblatchkey_embed 0 latchkey \(= {re.escape(version)}\)$", shlibs, re.M),
          f"latchkey's shlibs lacks liblatchkey_embed 0: {shlibs!r}")
    check("ldconfig" in (control_file(runtime_deb, "triggers") or ""), "latchkey does not trigger ldconfig")
    for script in ("postinst", "prerm", "postrm"):
        text = control_file(runtime_deb, script)
        if check(text is not None, f"latchkey has no {script}"):
            check(run(["sh", "-n"], input=text).returncode == 0, f"latchkey's {script} is not valid sh")
    postinst = control_file(runtime_deb, "postinst") or ""
    check("adduser --system" in postinst and "/etc/latchkey/env" in postinst,
          "postinst must make the system user and /etc/latchkey/env")


def check_lintian(debs):
    started = time.monotonic()
    result = run(["lintian", "--tag-display-limit", "0", *map(str, debs)])
    tags = [line for line in result.stdout.splitlines() if re.match(r"^[EWIPXO]: ", line)]
    errors = [line for line in tags if line.startswith("E: ")]
    warnings = [line for line in tags if line.startswith("W: ")]
    print(f"lintian: {len(errors)} errors, {len(warnings)} warnings ({time.monotonic() - started:.1f} s)")
    for line in warnings:
        print(f"  {line}")
    check(not errors, "lintian errors:\n  " + "\n  ".join(errors))
    check(result.returncode in (0, 2) and (result.returncode == 0) == (not errors),
          f"lintian exited {result.returncode}: {result.stderr.strip()}")


# ---- the systemd unit ---------------------------------------------------------------------------

def check_unit(root, work):
    """systemd-analyze verify on the unit as shipped, except for the programs' paths.

    verify checks that ExecStart's program exists, and it is not installed at /usr/bin/latchkey on
    the test machine; `--root=<extracted tree>` does not help either (the unit's dependencies,
    sysinit.target and network-online.target, are then looked for in that tree, which has none).
    So the check runs on a copy whose /usr/bin/latchkey is the extracted one (asserted to be the
    package's own executable first); every other line is the shipped unit, checked by this
    machine's systemd, and its man: pages are the package's. verify exits 0 even for a line it ignores, so any output is a failure.
    """
    unit = (root / "lib/systemd/system/latchkey.service").read_text()
    host = root / "usr/bin/latchkey"
    check(os.access(host, os.X_OK), "the package's /usr/bin/latchkey is not executable")
    for line in ("User=latchkey", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
                 "PrivateTmp=yes", "StateDirectory=latchkey", "EnvironmentFile=-/etc/latchkey/env",
                 "Restart=on-failure", "ExecStart=/usr/bin/latchkey --config /etc/latchkey/latchkey.json"):
        check(re.search(rf"^{re.escape(line)}$", unit, re.M), f"latchkey.service lacks {line}")
    copy = work / "unit" / "latchkey.service"
    copy.parent.mkdir()
    copy.write_text(unit.replace("/usr/bin/latchkey", str(host)))
    # verify also opens each Documentation=man: page: the extracted ones, through MANPATH.
    result = run(["systemd-analyze", "verify", str(copy)],
                 env={**os.environ, "MANPATH": str(root / "usr/share/man")})
    output = (result.stdout + result.stderr).strip()
    check(result.returncode == 0 and not output, f"systemd-analyze verify: exit {result.returncode}: {output}")
    security = run(["systemd-analyze", "security", "--offline=true", str(copy)])
    level = re.search(r"Overall exposure level for \S+: ([0-9.]+)", security.stdout)
    if check(level, f"systemd-analyze security gave no exposure level: {security.stdout[-300:]}{security.stderr}"):
        print(f"systemd-analyze security: exposure {level.group(1)}")
        check(float(level.group(1)) <= 2.0, f"the unit's exposure rose to {level.group(1)} (was 1.5)")


# ---- the extracted package runs -----------------------------------------------------------------

def request(base, method, path, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=20) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def wait_for_mail(mail_dir, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mails = sorted(mail_dir.glob("*.eml")) if mail_dir.is_dir() else []
        if mails:  # the plain-text part, decoded (quoted-printable would split the token)
            message = email.message_from_bytes(mails[0].read_bytes(), policy=email.policy.default)
            return message.get_body(preferencelist=("plain",)).get_content()
        time.sleep(0.1)
    return ""


def check_extracted_host(root, work):
    # The shipped conffile with its places moved into the temporary tree, and a free port.
    data = work / "var-lib-latchkey"
    data.mkdir()
    config = json.loads((root / "etc/latchkey/latchkey.json").read_text())
    config["listen"] = "127.0.0.1:0"
    auth = config["plugins"][0]
    check(auth["path"] == "/usr/lib/latchkey/plugins/liblatchkey_auth.so", f"the conffile's plugin path: {auth['path']}")
    auth["path"] = str(root) + auth["path"]
    auth["config"]["database"]["url"] = auth["config"]["database"]["url"].replace("/var/lib/latchkey", str(data))
    auth["config"]["email"]["file_dir"] = auth["config"]["email"]["file_dir"].replace("/var/lib/latchkey", str(data))
    auth["config"]["cookies"]["secure"] = False
    config_file = work / "latchkey.json"
    config_file.write_text(json.dumps(config, indent=2))
    env = {"PATH": "/usr/bin:/bin", "LATCHKEY_JWT_SECRET": "package-test-secret-" + "s" * 40}

    host = root / "usr/bin/latchkey"
    ldd = run(["ldd", str(host)]).stdout
    embed = re.search(r"liblatchkey_embed\.so\.0 => (\S+)", ldd)
    check(embed and pathlib.Path(embed.group(1)).resolve().is_relative_to(root.resolve()),
          f"the extracted host must load liblatchkey_embed.so.0 from the extracted tree ($ORIGIN/../lib): {ldd}")
    checked = run([str(host), "--config", str(config_file), "--check-config"], env=env)
    check(checked.returncode == 0, f"--check-config refuses the shipped config: {checked.stdout}{checked.stderr}")

    process = subprocess.Popen([str(host), "--config", str(config_file)], env=env, cwd=work,
                               stdout=subprocess.PIPE, stderr=open(work / "host.log", "w"), text=True)
    try:
        line = process.stdout.readline()
        match = re.match(r"listening on (http://\S+)", line)
        if not check(match, f"the host did not start: {line!r} {(work / 'host.log').read_text()[-2000:]}"):
            return
        base = match.group(1)
        address, password = "packaged@example.org", "correct horse battery staple"
        status, body = request(base, "POST", "/api/auth/register", {"email": address, "password": password})
        check(status == 202, f"register: {status} {body}")
        token = re.search(r"token=([A-Za-z0-9_-]+)", wait_for_mail(data / "mail"))
        if check(token, "no confirmation mail in the mail folder"):
            status, body = request(base, "POST", "/api/auth/confirm", {"token": token.group(1)})
            check(status == 200, f"confirm: {status} {body}")
        status, body = request(base, "POST", "/api/auth/login", {"email": address, "password": password})
        check(status == 200 and body and "accessToken" in body, f"login: {status} {body}")
        if status == 200:
            status, me = request(base, "GET", "/api/auth/me", token=body["accessToken"])
            check(status == 200 and me["user"]["email"] == address, f"me: {status} {me}")
        listed = run([str(root / "usr/bin/latchkey-auth"), "--config", str(config_file), "user", "list"], env=env)
        check(listed.returncode == 0 and address in listed.stdout,
              f"latchkey-auth user list: {listed.returncode} {listed.stdout}{listed.stderr}")
        check((data / "auth.db").is_file(), "no SQLite database where the config puts it")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=20)
            check(code == 0, f"the host exited {code} on SIGTERM")
        except subprocess.TimeoutExpired:
            process.kill()
            check(False, "the host did not stop within 20 s of SIGTERM")


def main():
    parser = argparse.ArgumentParser()
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--build-dir", type=pathlib.Path)
    source.add_argument("--debs", type=pathlib.Path)
    parser.add_argument("--version", required=True)
    args = parser.parse_args()
    for tool, package in (("dpkg-deb", "dpkg"), ("dpkg-shlibdeps", "dpkg-dev"), ("lintian", "lintian"),
                          ("systemd-analyze", "systemd"), ("file", "file")):
        require(tool, package)

    started = time.monotonic()
    arch = run(["dpkg", "--print-architecture"], check=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="latchkey-package-") as scratch:
        work = pathlib.Path(scratch)
        debs = build_packages(args.build_dir.resolve(), work / "cpack") if args.build_dir else args.debs
        runtime_deb = debs / f"latchkey_{args.version}_{arch}.deb"
        dev_deb = debs / f"latchkey-dev_{args.version}_{arch}.deb"
        if not (runtime_deb.is_file() and dev_deb.is_file()):
            print(f"FAIL: expected {runtime_deb.name} and {dev_deb.name} in {debs}: {sorted(p.name for p in debs.glob('*'))}")
            sys.exit(1)
        for deb in (runtime_deb, dev_deb):
            print(f"{deb.name}: {deb.stat().st_size // 1024} KiB")

        check_layout(runtime_deb, dev_deb)
        check_control(runtime_deb, dev_deb, args.version)
        check_lintian([runtime_deb, dev_deb])
        root = work / "root"
        run(["dpkg", "-x", str(runtime_deb), str(root)], check=True)
        check_unit(root, work)
        check_extracted_host(root, work)

    print(f"package test: {time.monotonic() - started:.1f} s, {len(FAILURES)} failures")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
