#!/usr/bin/env python3
"""Fails when a source file with translatable strings is missing from po/POTFILES.in,
or when POTFILES.in names a file that does not exist."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
listed = set()
for line in (root / "po" / "POTFILES.in").read_text().splitlines():
    line = line.strip()
    if line and not line.startswith("#"):
        listed.add(line)

marker_c = re.compile(r'(?<![A-Za-z0-9_])(_|N_|C_|NC_|g_dngettext|ngettext|g_dpgettext2)\s*\(\s*"|(_|N_|C_|NC_|g_dngettext|ngettext)\s*\(\s*\w+\s*,\s*"')
marker_ui = re.compile(r'translatable\s*=\s*"(yes|true)"')

needed = set()
for path in sorted((root / "app").rglob("*")):
    rel = path.relative_to(root).as_posix()
    if path.suffix == ".c" or path.suffix == ".h":
        if marker_c.search(path.read_text(errors="replace")):
            needed.add(rel)
    elif path.suffix == ".ui":
        if marker_ui.search(path.read_text(errors="replace")):
            needed.add(rel)
# The desktop file and the metainfo carry translatable keys; the D-Bus service file does not.
for path in sorted((root / "data").glob("*.in")):
    if path.name.endswith((".desktop.in", ".metainfo.xml.in")):
        needed.add(path.relative_to(root).as_posix())
for path in sorted((root / "data").glob("*.gschema.xml")):
    needed.add(path.relative_to(root).as_posix())

missing = sorted(needed - listed)
stale = sorted(p for p in listed if not (root / p).exists())
for p in missing:
    print(f"po/POTFILES.in is missing {p}, which has translatable strings")
for p in stale:
    print(f"po/POTFILES.in names {p}, which does not exist")
sys.exit(1 if missing or stale else 0)
