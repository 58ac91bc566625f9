"""Plugins built out of tree against the installed package alone load into the installed host:
a C and a C++ (plugin.hpp, C++17) plugin with find_package(Latchkey) and latchkey_add_plugin, and
a C plugin with `cc $(pkg-config --cflags latchkey-plugin)`. Each answers a public route to
anyone and a protected one only to a signed-in caller; only the entry points are exported."""
import os
import pathlib
import shlex
import subprocess
import sys
import tempfile

from latchkey_install_support import (Server, auth_plugin_entry, check, environment, installed_prefix, request,
                                      write_config)

HERE = pathlib.Path(__file__).resolve().parent


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    check(result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


ENTRY_POINTS = {"lk_plugin_magic", "lk_plugin_init", "lk_plugin_check_config", "lk_plugin_destroy"}


def own_exports(library):
    """Exported symbols other than the standard library's (inline std:: code keeps default
    visibility by its own pragma): with hidden visibility, only lk_plugin_* entry points remain."""
    lines = run(["nm", "-D", "--defined-only", str(library)]).splitlines()
    names = [line.split()[-1] for line in lines if line.split()[-2] in "TtWwDdBbVvi"]
    return sorted(n for n in names if not n.startswith(("_ZNSt", "_ZSt", "_ZNKSt", "_ZTVSt", "_ZTISt", "_ZTSSt")))


def build_plugins(prefix, scratch):
    """{plugin name: .so path}. The CMake project sees nothing of the source or build tree."""
    build = scratch / "cmake-build"
    run(["cmake", "-S", str(HERE / "plugins"), "-B", str(build), f"-DCMAKE_PREFIX_PATH={prefix}"])
    run(["cmake", "--build", str(build)])
    plugins = {"greet_c": build / "libgreet_c.so", "greet_cpp": build / "libgreet_cpp.so"}

    env = dict(os.environ, PKG_CONFIG_PATH=str(prefix / "lib" / "pkgconfig"))
    cflags = run(["pkg-config", "--cflags", "latchkey-plugin"], env=env)
    plugins["greet_pc"] = scratch / "libgreet_pc.so"
    run(["cc", "-shared", "-fPIC", *shlex.split(cflags), "-fvisibility=hidden", '-DGREET_NAME="greet_pc"',
         '-DGREET_PREFIX="/pc"', str(HERE / "plugins" / "greet.c"), "-o", str(plugins["greet_pc"])])
    for name, library in plugins.items():
        exports = own_exports(library)
        check({"lk_plugin_magic", "lk_plugin_init"} <= set(exports) <= ENTRY_POINTS,
              f"{name} exports more than its entry points: {exports}")
    return plugins


def main():
    prefix = installed_prefix()
    with tempfile.TemporaryDirectory(prefix="latchkey-plugins-") as scratch:
        scratch = pathlib.Path(scratch)
        plugins = build_plugins(prefix, scratch)
        work = scratch / "host"
        work.mkdir()
        entries = [auth_plugin_entry(prefix, work)] + [
            {"name": name, "path": str(path), "config": {}} for name, path in plugins.items()]
        config = write_config(work, entries)
        env = environment()
        run([str(prefix / "bin" / "latchkey-auth"), "--config", str(config), "user", "add", "dev@example.com",
             "--confirmed"], env=env, input="a long enough password\n")

        host = Server([str(prefix / "bin" / "latchkey"), "--config", str(config)], env)
        try:
            status, _, body = request(host.base, "POST", "/api/auth/login",
                                      {"email": "dev@example.com", "password": "a long enough password"})
            check(status == 200, f"login: {status} {body}")
            token, subject = body["accessToken"], body["user"]["id"]
            for name, route in (("greet_c", "/c"), ("greet_cpp", "/cpp"), ("greet_pc", "/pc")):
                status, _, body = request(host.base, "GET", f"{route}/public")
                check((status, body) == (200, f"{name} public"), f"{route}/public: {status} {body}")
                status, _, body = request(host.base, "GET", f"{route}/private")
                check(status == 401 and body["error"] == "invalid_token", f"{route}/private anonymous: {status} {body}")
                status, _, body = request(host.base, "GET", f"{route}/private", token=token)
                check((status, body) == (200, f"{name} private {subject}"), f"{route}/private: {status} {body}")
            status, _, body = request(host.base, "GET", "/cpp/boom")
            check(status == 500, f"a throwing C++ handler: {status} {body}")
            status, _, _ = request(host.base, "GET", "/cpp/public")
            check(status == 200, "the host did not stay up after a handler threw")
        finally:
            host.stop()
    print("out-of-tree plugins (CMake C, CMake C++17, pkg-config C) load and answer public and protected routes")


main()
