#!/usr/bin/env python3
"""`meson install` gives a working app: installs the build into a temporary DESTDIR and checks it.

check-install.py BUILD_ROOT SOURCE_ROOT

Every file meson means to install must be there (so new installed files, such as systemd user
units, are checked without a change here), and in particular: both programs, the desktop file
(valid, naming an installed program and icon), the metainfo, the icons, the GSettings schema
(which must compile), both manual pages (which must render), the bash completion where
bash-completion looks for it, and a message catalogue for each language in po/LINGUAS. The
installed CLI then runs: --version, and --demo tenant resolve contoso.com against the built-in
simulator.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

APP_ID = "io.github.trustbridge.TrustBridge"
failures = []


def fail(message):
    failures.append(message)


def meson_command():
    # Debian's meson runs under /usr/bin/python3; another python3 first on PATH may lack it.
    return ["/usr/bin/meson"] if os.access("/usr/bin/meson", os.X_OK) else ["meson"]


def run(argv, **kwargs):
    env = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
    env.update(kwargs.pop("env", {}))
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, **kwargs)


def introspect(build_root, what):
    result = run(meson_command() + ["introspect", build_root, what])
    if result.returncode != 0:
        raise SystemExit(f"meson introspect {what} failed: {result.stderr}")
    return json.loads(result.stdout)


def staged(destdir, path):
    return os.path.join(destdir, os.path.relpath(path, "/"))


def check_file(destdir, path, what):
    if not os.path.isfile(staged(destdir, path)):
        fail(f"{what} is not installed: {path}")
        return False
    return True


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    build_root, source_root = sys.argv[1:]

    options = {o["name"]: o["value"] for o in introspect(build_root, "--buildoptions")}
    prefix = options["prefix"]
    bindir = os.path.join(prefix, options["bindir"])
    datadir = os.path.join(prefix, options["datadir"])
    mandir = os.path.join(prefix, options["mandir"])
    localedir = os.path.join(prefix, options["localedir"])
    version = introspect(build_root, "--projectinfo")["version"]

    with tempfile.TemporaryDirectory(prefix="tb-install.") as destdir:
        result = run(meson_command() + ["install", "-C", build_root, "--no-rebuild",
                                        "--destdir", destdir, "--quiet"])
        if result.returncode != 0:
            print(result.stdout, result.stderr)
            print("FAIL: meson install failed")
            return 1

        # Everything meson means to install.
        installed = introspect(build_root, "--installed")
        for source, target in sorted(installed.items()):
            if not os.path.exists(staged(destdir, target)):
                fail(f"{os.path.basename(source)} was not installed to {target}")

        # The programs.
        cli = os.path.join(bindir, "trust-bridge-cli")
        gui = os.path.join(bindir, "trust-bridge")
        for program in (cli, gui):
            if check_file(destdir, program, "a program") and \
               not os.access(staged(destdir, program), os.X_OK):
                fail(f"{program} is not executable")

        # The desktop file, valid and naming what is installed.
        desktop = os.path.join(datadir, "applications", APP_ID + ".desktop")
        if check_file(destdir, desktop, "the desktop file"):
            validate = shutil.which("desktop-file-validate")
            if validate:
                result = run([validate, staged(destdir, desktop)])
                if result.returncode != 0 or result.stdout.strip():
                    fail(f"the installed desktop file is not valid: {result.stdout}")
            with open(staged(destdir, desktop), encoding="utf-8") as f:
                entry = f.read()
            exec_line = re.search(r"^Exec=(\S+)", entry, re.M)
            icon_line = re.search(r"^Icon=(\S+)", entry, re.M)
            if not exec_line or exec_line.group(1) != "trust-bridge":
                fail("the desktop file does not start trust-bridge")
            if not icon_line or icon_line.group(1) != APP_ID:
                fail(f"the desktop file's icon is not {APP_ID}")

        # Icons in the hicolor theme, as the shell looks them up.
        icons = os.path.join(datadir, "icons", "hicolor")
        check_file(destdir, os.path.join(icons, "scalable", "apps", APP_ID + ".svg"),
                   "the app icon")
        check_file(destdir, os.path.join(icons, "symbolic", "apps", APP_ID + "-symbolic.svg"),
                   "the symbolic app icon")

        # The metainfo, with the app's ID and its desktop file as launchable.
        metainfo = os.path.join(datadir, "metainfo", APP_ID + ".metainfo.xml")
        if check_file(destdir, metainfo, "the metainfo"):
            root = ET.parse(staged(destdir, metainfo)).getroot()
            if root.findtext("id") != APP_ID:
                fail("the installed metainfo has another ID")
            if root.findtext("launchable") != APP_ID + ".desktop":
                fail("the installed metainfo does not launch the desktop file")

        # The GSettings schema compiles (meson compiles it after a real install; under DESTDIR
        # the packaging's triggers do).
        schemas = os.path.join(datadir, "glib-2.0", "schemas")
        schema_dir = None
        if check_file(destdir, os.path.join(schemas, APP_ID + ".gschema.xml"), "the schema"):
            schema_dir = tempfile.mkdtemp(dir=destdir)
            result = run(["glib-compile-schemas", "--strict", "--targetdir", schema_dir,
                          staged(destdir, schemas)])
            if result.returncode != 0:
                fail(f"the installed schema does not compile: {result.stderr}")
                schema_dir = None

        # Manual pages, rendered as man shows them.
        for page in ("trust-bridge.1", "trust-bridge-cli.1"):
            path = os.path.join(mandir, "man1", page)
            if check_file(destdir, path, "a manual page"):
                result = run(["man", "-l", staged(destdir, path)],
                             env={"MANWIDTH": "80", "MANPAGER": "cat", "PAGER": "cat"})
                if result.returncode != 0 or "NAME" not in result.stdout:
                    fail(f"{page} does not render: {result.stderr}")

        # bash completion where bash-completion finds it for this prefix.
        result = run(["pkg-config", "--variable=completionsdir",
                      f"--define-variable=datadir={datadir}", "bash-completion"])
        completions = result.stdout.strip() if result.returncode == 0 else \
            os.path.join(datadir, "bash-completion", "completions")
        completion = os.path.join(completions, "trust-bridge-cli")
        if check_file(destdir, completion, "the bash completion"):
            result = run(["bash", "-c", 'source "$1" && complete -p trust-bridge-cli', "bash",
                          staged(destdir, completion)])
            if result.returncode != 0 or "_trust_bridge_cli" not in result.stdout:
                fail(f"the bash completion does not register: {result.stderr}")

        # Translations: one catalogue per language the project lists.
        with open(os.path.join(source_root, "po", "LINGUAS"), encoding="utf-8") as f:
            languages = [w for line in f for w in line.split("#", 1)[0].split()]
        for language in languages:
            check_file(destdir, os.path.join(localedir, language, "LC_MESSAGES",
                                             "trust-bridge.mo"),
                       f"the {language} translation")

        # The installed programs run.
        env = {"GSETTINGS_BACKEND": "memory"}
        if schema_dir:
            env["GSETTINGS_SCHEMA_DIR"] = schema_dir
        result = run([staged(destdir, cli), "--version"], env=env)
        if result.returncode != 0 or result.stdout.strip() != f"trust-bridge-cli {version}":
            fail(f"trust-bridge-cli --version printed {result.stdout!r} ({result.returncode})")
        result = run([staged(destdir, gui), "--version"], env=env)
        if result.returncode != 0 or result.stdout.strip() != f"trust-bridge {version}":
            fail(f"trust-bridge --version printed {result.stdout!r} ({result.returncode})")
        result = run([staged(destdir, cli), "--demo", "tenant", "resolve", "contoso.com"],
                     env=env)
        if result.returncode != 0 or \
           not re.search(r"^Tenant ID: +[0-9a-f]{8}-[0-9a-f]{4}-", result.stdout, re.M) or \
           "the metadata names this tenant" not in result.stdout:
            fail(f"trust-bridge-cli --demo tenant resolve contoso.com failed "
                 f"({result.returncode}): {result.stdout}{result.stderr}")

    for message in failures:
        print("FAIL:", message)
    if not failures:
        print(f"ok: meson install into {prefix} gives a working app")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
