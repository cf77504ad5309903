#!/usr/bin/python3
"""Walk Trust Bridge's accessibility tree as a screen reader does, over the AT-SPI bus.

Usage: check-accessibility.py TRUST_BRIDGE [--dump]

Starts the GUI with --demo and GTK's AT-SPI backend, signs in (the demo tenant approves at
once), loads a certificate, and visits every page through the sidebar's selection, as a
screen reader user would. On each page every control that is showing must have a name that
is neither empty, nor a widget class ("GtkMenuButton"), nor one that leaks a mnemonic
underscore ("_Cancel Cancel"). Fails listing each offending control with its path.

Needs a D-Bus session (the AT-SPI bus is started from it) and an X display.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

import warnings

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

warnings.simplefilter("ignore", DeprecationWarning)

R = Atspi.Role
CONTROL_ROLES = {
    R.PUSH_BUTTON, R.TOGGLE_BUTTON, R.CHECK_BOX, R.RADIO_BUTTON, R.COMBO_BOX,
    R.TEXT, R.ENTRY, R.PASSWORD_TEXT, R.SPIN_BUTTON, R.SLIDER, R.LINK, R.MENU_ITEM,
    R.LIST_ITEM, R.LIST_BOX, R.LIST, R.IMAGE, R.SWITCH if hasattr(R, 'SWITCH') else R.TOGGLE_BUTTON,
}
# Roles that carry text of their own: a screen reader reads their content.
TEXT_ROLES = {R.TEXT, R.ENTRY, R.PASSWORD_TEXT, R.SPIN_BUTTON}
CLASS_NAME = re.compile(r"^(Gtk|Adw|Tb|Gdk)[A-Z]\w*$")
MNEMONIC = re.compile(r"(^|\s)_\w")


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def find_app(name, deadline):
    while time.monotonic() < deadline:
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            if app is not None and app.get_name() == name:
                return app
        time.sleep(0.2)
    return None


def children(node):
    try:
        n = node.get_child_count()
    except Exception:
        return []
    out = []
    for i in range(n):
        try:
            child = node.get_child_at_index(i)
        except Exception:
            child = None
        if child is not None:
            out.append(child)
    return out


def showing(node):
    # GTK 4.8 sets VISIBLE for visible widgets but SHOWING only for a few: hidden stack pages
    # are left out by walk() instead.
    try:
        states = node.get_state_set()
    except Exception:
        return False
    return states.contains(Atspi.StateType.VISIBLE)


def describe(node):
    try:
        return f"{node.get_role_name()} “{node.get_name() or ''}”"
    except Exception:
        return "?"


PAGE_TITLES = set()
CURRENT_PAGE = [None]


def walk(node, path, visit):
    if not showing(node):
        return
    visit(node, path)
    kids = children(node)
    names = {k.get_name() for k in kids}
    if PAGE_TITLES and PAGE_TITLES <= names:
        # The window's page stack: only the page shown is read.
        kids = [k for k in kids if k.get_name() == CURRENT_PAGE[0]]
    for child in kids:
        walk(child, path + [describe(node)], visit)


def frames(app):
    return [c for c in children(app) if showing(c)]


def find(node, predicate):
    if predicate(node):
        return node
    for child in children(node):
        found = find(child, predicate)
        if found is not None:
            return found
    return None


def check_tree(root, where, problems, seen, dump):
    def visit(node, path):
        role = node.get_role()
        name = (node.get_name() or "").strip()
        if dump:
            log("  " * len(path) + describe(node))
        if role not in CONTROL_ROLES:
            return
        # A picture that says nothing is decoration only when it is hidden from the tree.
        if role == R.IMAGE and name == "":
            problem = "image without a name"
        elif role in TEXT_ROLES and name == "":
            problem = "text field without a name"
        elif name == "":
            problem = "no name"
        elif CLASS_NAME.match(name):
            problem = f"named by its class “{name}”"
        elif MNEMONIC.search(name):
            problem = f"name leaks a mnemonic “{name}”"
        else:
            return
        key = (where, " › ".join(path[-3:]), describe(node), problem)
        if key not in seen:
            seen.add(key)
            problems.append(f"{where}: {' › '.join(path[-3:])} › {describe(node)}: {problem}")

    walk(root, [], visit)


def do_action(node, wanted):
    for i in range(node.get_n_actions()):
        if node.get_action_name(i) in wanted:
            node.do_action(i)
            return True
    return False


def wait(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.05)


def main():
    binary = sys.argv[1]
    dump = "--dump" in sys.argv
    home = tempfile.mkdtemp(prefix="tb-a11y-")
    cert = os.path.join(home, "pool-oauth.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "700",
                    "-subj", "/CN=oauth.contoso.com", "-keyout", os.path.join(home, "key.pem"),
                    "-out", cert], check=True, capture_output=True)
    env = dict(os.environ)
    # The other tests switch GTK's accessibility off; a screen reader needs it on.
    env["GTK_A11Y"] = "atspi"
    env.pop("NO_AT_BRIDGE", None)
    env["GSETTINGS_BACKEND"] = "memory"
    env["HOME"] = home
    env["XDG_CONFIG_HOME"] = os.path.join(home, "config")
    env["XDG_DATA_HOME"] = os.path.join(home, "data")
    env["XDG_CACHE_HOME"] = os.path.join(home, "cache")
    env["XDG_DATA_DIRS"] = "/usr/share"  # no web browser handler needed

    Atspi.init()
    proc = subprocess.Popen([binary, "--demo", cert], env=env)
    problems = []
    seen = set()
    try:
        app = find_app("trust-bridge", time.monotonic() + 30)
        if app is None:
            log("the application never appeared on the accessibility bus")
            return 1
        wait(2)
        window = frames(app)[0]

        # Sign in: the demo tenant approves the code at once.
        sign_in = find(window, lambda n: n.get_role() == R.PUSH_BUTTON and n.get_name() == "Sign In"
                       and showing(n))
        if sign_in is None or not do_action(sign_in, {"click", "activate"}):
            log("no Sign In button to press")
            check_tree(window, "start", [], set(), True)
            return 1
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and find(
                window, lambda n: n.get_role() == R.PUSH_BUTTON and n.get_name() == "Sign In"
                and showing(n)) is not None:
            wait(0.5)
        wait(2)

        sidebar = find(window, lambda n: n.get_role() in (R.LIST, R.LIST_BOX)
                       and n.get_name() == "Pages")
        if sidebar is None:
            log("no page list named “Pages”")
            return 1
        pages = children(sidebar)
        if len(pages) < 5:
            log(f"the page list has {len(pages)} rows")
            return 1
        PAGE_TITLES.update(row.get_name() for row in pages)
        for index, row in enumerate(pages):
            name = row.get_name() or f"row {index}"
            CURRENT_PAGE[0] = name
            sidebar.select_child(index)
            wait(1.5)
            for frame in frames(app):
                check_tree(frame, name, problems, seen, dump)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()

    for problem in problems:
        print(problem)
    print(f"{len(problems)} accessibility problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
