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
    try:
        if predicate(node):
            return node
    except Exception:
        # The node went away under the walk: a page rebuilds its rows while this looks
        # (a sign-in's first read arriving), as children() already allows for.
        return None
    for child in children(node):
        found = find(child, predicate)
        if found is not None:
            return found
    return None


def find_all(node, predicate, out=None):
    out = [] if out is None else out
    if predicate(node):
        out.append(node)
    for child in children(node):
        find_all(child, predicate, out)
    return out


def actions(node):
    try:
        return [node.get_action_name(i) for i in range(node.get_n_actions())]
    except Exception:
        return []


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
    try:
        n = node.get_n_actions()
    except Exception:
        return False
    for i in range(n):
        if node.get_action_name(i) in wanted:
            node.do_action(i)
            return True
    return False


APP_ID = "io.github.trustbridge.TrustBridge"
APP_PATH = "/io/github/trustbridge/TrustBridge"


def activate_action(name):
    """Activates an application or window action over D-Bus, as GNOME Shell or a launcher
    would: the app is single-instance, so it owns its name on the session bus."""
    scope, action = name.split(".", 1)
    path = APP_PATH if scope == "app" else APP_PATH + "/window/1"
    subprocess.run(["gdbus", "call", "--session", "--dest", APP_ID, "--object-path", path,
                    "--method", "org.gtk.Actions.Activate", action, "[]", "{}"],
                   check=True, capture_output=True, timeout=20)


def strip(name):
    return (name or "").strip()


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

        # The dialogs a screen reader user opens from here.
        CURRENT_PAGE[0] = pages[0].get_name()
        sidebar.select_child(0)
        wait(1)
        for where, opener, inside in (
                ("Establish Trust", ("Establish Trust…",), ("Show Plan",)),
                ("Preferences", "app.preferences", ()),
                ("Keyboard Shortcuts", "win.show-help-overlay", ())):
            before = {f.get_name() for f in frames(app)}
            if isinstance(opener, str):
                activate_action(opener)
                wait(2)
                opener = ()
            for name in opener:
                nodes = find_all(app, lambda n, name=name: showing(n) and strip(n.get_name()) == name
                                 and n.get_role() in (R.PUSH_BUTTON, R.TOGGLE_BUTTON, R.MENU_ITEM,
                                                      R.CHECK_MENU_ITEM, R.RADIO_MENU_ITEM))
                if not any(do_action(node, {"click", "activate", "press", "toggle"})
                           for node in reversed(nodes)):
                    problems.append(f"{where}: cannot press “{name}” "
                                    f"({[describe(n) + str(actions(n)) for n in nodes]})")
                    break
                wait(1.5)
            for name in inside:
                node = find(app, lambda n, name=name: showing(n) and strip(n.get_name()) == name
                            and n.get_role() == R.PUSH_BUTTON)
                if node is not None:
                    do_action(node, {"click", "activate"})
                    wait(3)
            opened = [f for f in frames(app) if f.get_name() not in before]
            if not opened:
                problems.append(f"{where}: no window opened")
            for frame in opened:
                check_tree(frame, where, problems, seen, dump)
                close = find(frame, lambda n: n.get_role() == R.PUSH_BUTTON
                             and n.get_name() in ("Close", "_Close"))
                if close is not None:
                    do_action(close, {"click", "activate"})
                wait(1)

        # One instance: a second "trust-bridge FILE" hands the file to this window and exits.
        second = os.path.join(home, "second.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "90",
                        "-subj", "/CN=next.contoso.com", "-keyout", os.path.join(home, "key2.pem"),
                        "-out", second], check=True, capture_output=True)
        other = subprocess.run([binary, second], env=env, timeout=30, capture_output=True)
        wait(2)
        listed = find(app, lambda n: n.get_role() in (R.LIST, R.LIST_BOX)
                      and n.get_name() == "Loaded certificates")
        names = [c.get_name() or "" for c in children(listed)] if listed is not None else []
        if other.returncode != 0 or len(frames(app)) != 1 or \
                not any("next.contoso.com" in n for n in names):
            problems.append(f"single instance: second start exited {other.returncode}, "
                            f"{len(frames(app))} windows, certificates {names}")
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
