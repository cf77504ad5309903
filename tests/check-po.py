#!/usr/bin/env python3
"""Fails when a translation is incomplete or broken, naming what to fix.

  check-po.py SOURCE_ROOT

For every language in po/LINGUAS: `msgfmt --check` must accept po/LANG.po, and merged with a
.pot freshly extracted from the sources in po/POTFILES.in (exactly as `msgmerge` in
build-aux/update-po merges it), no message may be untranslated or fuzzy. The profile strings
header must also match app/core/profiles/*.json, or new profile strings never reach the .pot.
Fix with build-aux/update-po, then translate what this lists."""
import pathlib
import subprocess
import sys
import tempfile

# The keywords and flags of meson's i18n 'glib' preset, which the trust-bridge-pot target uses.
XGETTEXT_ARGS = [
    "--from-code=UTF-8", "--add-comments", "-k_",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format", "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format", "--flag=g_printerr:1:c-format",
    "--flag=g_printf:1:c-format", "--flag=g_fprintf:2:c-format",
    "--flag=g_sprintf:2:c-format", "--flag=g_snprintf:3:c-format",
]


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def msgids(po_text):
    """(msgctxt, msgid) of every entry in msgattrib output, header excluded."""
    entries, ctx, field, cur = [], None, None, {}
    def flush():
        if cur.get("msgid"):
            entries.append((cur.get("msgctxt"), cur["msgid"]))
    for line in po_text.splitlines() + [""]:
        if not line.strip():
            flush()
            cur, field = {}, None
            continue
        if line.startswith("#"):
            continue
        for key in ("msgctxt", "msgid_plural", "msgid", "msgstr"):
            if line.startswith(key + " ") or line.startswith(key + "["):
                field = key
                value = line.split(" ", 1)[1]
                cur[key] = eval(value) if key != "msgstr" else ""
                break
        else:
            if line.startswith('"') and field in ("msgctxt", "msgid"):
                cur[field] += eval(line)
    return entries


def main():
    root = pathlib.Path(sys.argv[1])
    po = root / "po"
    problems = []

    check = run([sys.executable, str(po / "profile-strings.py"), "--check"])
    if check.returncode != 0:
        problems.append(check.stdout.strip())

    langs = [l.strip() for l in (po / "LINGUAS").read_text().splitlines()
             if l.strip() and not l.startswith("#")]
    if not langs:
        problems.append("po/LINGUAS lists no language")

    with tempfile.TemporaryDirectory() as tmp:
        pot = pathlib.Path(tmp) / "trust-bridge.pot"
        gen = run(["xgettext", "--package-name=trust-bridge", "-f", str(po / "POTFILES.in"),
                   "-D", str(root), "-o", str(pot)] + XGETTEXT_ARGS)
        if gen.returncode != 0:
            print(gen.stderr)
            return 1

        for lang in langs:
            path = po / f"{lang}.po"
            if not path.exists():
                problems.append(f"po/{lang}.po is missing (listed in po/LINGUAS)")
                continue
            fmt = run(["msgfmt", "--check", "-o", "/dev/null", str(path)])
            if fmt.returncode != 0 or fmt.stderr.strip():
                problems.append(f"msgfmt --check po/{lang}.po:\n{fmt.stderr.strip()}")
            merged = pathlib.Path(tmp) / f"{lang}.po"
            merge = run(["msgmerge", "-q", "-o", str(merged), str(path), str(pot)])
            if merge.returncode != 0:
                problems.append(f"msgmerge po/{lang}.po failed:\n{merge.stderr.strip()}")
                continue
            for kind, option in (("untranslated", "--untranslated"), ("fuzzy", "--only-fuzzy")):
                out = run(["msgattrib", option, "--no-obsolete", "--no-wrap", str(merged)])
                missing = msgids(out.stdout)
                if missing:
                    lines = [f"po/{lang}.po: {len(missing)} {kind} message(s):"]
                    for ctx, msgid in missing:
                        shown = msgid.replace("\n", "\\n")
                        lines.append(f"  {kind}: {ctx + ' | ' if ctx else ''}{shown}")
                    problems.append("\n".join(lines))

    if problems:
        print("\n\n".join(problems))
        print("\nRun build-aux/update-po, translate the messages listed, and run this test again.")
        return 1
    print(f"{', '.join(langs)}: complete")
    return 0


sys.exit(main())
