#!/usr/bin/env python3
"""The manual pages document every command and option the programs' --help prints.

check-man.py CLI GUI PATH/trust-bridge-cli.1 PATH/trust-bridge.1 (either order)

The commands are read from "trust-bridge-cli --help" (the "Commands:" section), and each command's
own "--help" is read too, so a command or an option added to the program without a word in the
page fails here. In trust-bridge-cli(1) each command has a section (.SS) named by its words,
and the options of its usage line must appear in that section. Every option and environment
variable (NAME_WITH_UNDERSCORES) --help mentions must appear in the page, the variables in
ENVIRONMENT. Both pages must render without a warning from man, as lintian checks them.
"""
import os
import re
import subprocess
import sys

REQUIRED_SECTIONS = ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "ENVIRONMENT", "EXIT STATUS",
                     "FILES", "EXAMPLES", "SEE ALSO"]
ALWAYS_DOCUMENTED_VARIABLES = ["TB_DEBUG"]
CLI_VARIABLES = ["TRUST_BRIDGE_PASSWORD"]

failures = []


def fail(message):
    failures.append(message)


def run_help(argv):
    env = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        fail(f"{' '.join(argv)} exited with {result.returncode}: {result.stderr.strip()}")
    return result.stdout


def roff_to_text(source):
    """The page's words as a reader sees them: escapes resolved, fonts and comments dropped."""
    lines = []
    for line in source.splitlines():
        if line.startswith('.\\"') or line.startswith("'\\\""):
            continue
        line = re.sub(r"\\f(\[[^]]*\]|.)", "", line)
        line = line.replace("\\-", "-").replace("\\&", "").replace("\\e", "\\")
        line = line.replace('\\(dq', '"').replace("\\(lq", '"').replace("\\(rq", '"')
        lines.append(line)
    return "\n".join(lines)


def macro_text(line):
    """The text of a .SH/.SS/.B… line without the macro and quotes."""
    text = line.split(None, 1)[1] if " " in line else ""
    return text.strip().strip('"')


def split_sections(text, macro):
    """{heading: body} for each .SH or .SS heading."""
    sections = {}
    current = None
    for line in text.splitlines():
        if line.startswith(macro + " ") or line == macro:
            current = macro_text(line)
            sections.setdefault(current, "")
        elif line.startswith(".SH ") and macro == ".SS":
            current = None
        elif current is not None:
            sections[current] += line + "\n"
    return sections


def words_of(text):
    """The page's text as words, macros' arguments included, so "--tenant" is found wherever it
    stands: in .TP terms, .RB arguments or running text."""
    out = []
    for line in text.splitlines():
        if line.startswith("."):
            line = macro_text(line)
        out.append(line)
    return " ".join(out)


def options_in(text):
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", text))


def variables_in(text):
    return set(re.findall(r"\b([A-Z][A-Z0-9]*_[A-Z0-9_]+)\b", text))


def parse_commands(help_text):
    """[(words, usage line)] from the "Commands:" section."""
    commands = []
    section = None
    for line in help_text.splitlines():
        if not line.strip():
            section = None
            continue
        if not line.startswith(" ") and line.endswith(":"):
            section = line[:-1]
            continue
        if section == "Commands" and re.match(r"^  \S", line):
            tokens = line.split()
            words = []
            for token in tokens:
                if not re.fullmatch(r"[a-z][a-z-]*", token):
                    break
                words.append(token)
            commands.append((" ".join(words), line))
    return commands


def check_renders(page):
    env = dict(os.environ, LC_ALL="C.UTF-8", MANROFFSEQ="", MANWIDTH="80")
    result = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", page],
                            env=env, capture_output=True, text=True, timeout=60)
    if result.returncode != 0 or result.stderr.strip():
        fail(f"{os.path.basename(page)} does not render cleanly: {result.stderr.strip()}")


def check_common(page, text, help_text, variables):
    name = os.path.basename(page)
    sections = split_sections(text, ".SH")
    for heading in REQUIRED_SECTIONS:
        if heading not in sections:
            fail(f"{name} has no {heading} section")
    page_words = words_of(text)
    for option in sorted(options_in(help_text)):
        if option not in options_in(page_words):
            fail(f"{name} does not document {option}")
    environment = words_of(sections.get("ENVIRONMENT", ""))
    for variable in sorted(variables_in(help_text) | set(variables)):
        if variable not in variables_in(environment):
            fail(f"{name} does not document the environment variable {variable} in ENVIRONMENT")
    check_renders(page)


def check_cli(cli, page):
    with open(page, encoding="utf-8") as f:
        text = roff_to_text(f.read())
    help_text = run_help([cli, "--help"])
    commands = parse_commands(help_text)
    if len(commands) < 2:
        fail(f"could not read the commands from {cli} --help")
    subsections = {heading: words_of(body) for heading, body in split_sections(text, ".SS").items()}
    all_help = help_text
    for words, usage in commands:
        if words not in subsections:
            fail(f"{os.path.basename(page)} has no section (.SS \"{words}\") for the command "
                 f"\"{words}\"")
            continue
        # The command's own help, whatever it prints.
        command_help = run_help([cli] + words.split() + ["--help"])
        all_help += command_help
        documented = options_in(subsections[words])
        for option in sorted(options_in(usage)):
            if option not in documented:
                fail(f"the \"{words}\" section of {os.path.basename(page)} does not mention "
                     f"{option}")
    check_common(page, text, all_help, ALWAYS_DOCUMENTED_VARIABLES + CLI_VARIABLES)


def check_gui(gui, page):
    with open(page, encoding="utf-8") as f:
        text = roff_to_text(f.read())
    help_text = run_help([gui, "--help"]) + run_help([gui, "--help-all"])
    if "--demo" not in help_text:
        fail(f"could not read the options from {gui} --help")
    check_common(page, text, help_text, ALWAYS_DOCUMENTED_VARIABLES)


def main():
    pages = {os.path.basename(p): p for p in sys.argv[3:]}
    if len(sys.argv) != 5 or set(pages) != {"trust-bridge-cli.1", "trust-bridge.1"}:
        print(__doc__, file=sys.stderr)
        return 2
    cli, gui = sys.argv[1:3]
    cli_page, gui_page = pages["trust-bridge-cli.1"], pages["trust-bridge.1"]
    check_cli(cli, cli_page)
    check_gui(gui, gui_page)
    for message in failures:
        print("FAIL:", message)
    if not failures:
        print("ok: both manual pages document every command, option and variable of --help")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
