"""The installed tree works moved: copy the prefix elsewhere, delete the original, and run the host
and the CLI from the copy with a config in a temp folder (SQLite migrated, the account journey).
Nothing installed may name the source tree, the build tree or the first prefix."""
import pathlib
import shutil
import subprocess
import sys
import tempfile

from latchkey_install_support import (Server, auth_plugin_entry, check, environment, installed_prefix,
                                      register_confirm_login, request, write_config)


def is_elf(path):
    with open(path, "rb") as f:
        return f.read(4) == b"\x7fELF"


def paths_named_in(prefix, forbidden, scratch):
    """(file, path) for every forbidden path found in an installed file. ELF files are searched
    without their debug sections: those name the sources for a debugger, nothing reads them."""
    found = []
    for path in sorted(p for p in prefix.rglob("*") if p.is_file() and not p.is_symlink()):
        data = path.read_bytes()
        if is_elf(path):
            stripped = scratch / "stripped"
            subprocess.run(["objcopy", "--strip-debug", str(path), str(stripped)], check=True)
            data = stripped.read_bytes()
        found += [(path, f) for f in forbidden if f.encode() in data]
    return found


def main():
    source_dir, build_dir = sys.argv[1], sys.argv[2]
    first = installed_prefix()
    with tempfile.TemporaryDirectory(prefix="latchkey-relocated-") as scratch:
        scratch = pathlib.Path(scratch)
        original = scratch / "original"
        shutil.copytree(first, original, symlinks=True)
        moved = scratch / "elsewhere" / "prefix"
        shutil.copytree(original, moved, symlinks=True)
        shutil.rmtree(original)  # whatever still pointed there is gone now

        named = paths_named_in(moved, [source_dir, build_dir, str(first), str(original)], scratch)
        check(not named, "installed files name a path of the build machine: " +
              ", ".join(f"{p.relative_to(moved)} names {f}" for p, f in named))

        work = scratch / "config"
        work.mkdir()
        config = write_config(work, [auth_plugin_entry(moved, work)])
        env = environment()
        check_result = subprocess.run([str(moved / "bin" / "latchkey"), "--config", str(config), "--check-config"],
                                      env=env, capture_output=True, text=True)
        check(check_result.returncode == 0, f"--check-config: {check_result.stderr}")

        host = Server([str(moved / "bin" / "latchkey"), "--config", str(config)], env)
        try:
            token = register_confirm_login(host.base, work / "mail", "reloc@example.com", "correct horse battery")
            status, _, body = request(host.base, "GET", "/api/auth/me", token=token)
            check(status == 200 and body["user"]["email"] == "reloc@example.com", f"me: {status} {body}")
            status, _, body = request(host.base, "GET", "/api/auth/client.js")
            check(status == 200 and "latchkey" in body.lower(), f"client.js: {status}")
        finally:
            host.stop()
        check((work / "auth.db").is_file(), "the SQLite database was not created beside the config")

        cli = subprocess.run([str(moved / "bin" / "latchkey-auth"), "--config", str(config), "user", "list"],
                             env=env, capture_output=True, text=True)
        check(cli.returncode == 0 and "reloc@example.com" in cli.stdout, f"latchkey-auth user list: {cli.stdout} {cli.stderr}")
        migrate = subprocess.run([str(moved / "bin" / "latchkey-auth"), "--config", str(config), "migrate"],
                                 env=env, capture_output=True, text=True)
        check(migrate.returncode == 0, f"latchkey-auth migrate: {migrate.stderr}")
    print("relocated prefix: host, plugin, migrations and CLI work; no build-machine path inside")


main()
