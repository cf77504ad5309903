#!/usr/bin/env bash
# Drives the bash completion of trust-bridge-cli as bash does on Tab: COMP_WORDS and COMP_CWORD
# set, the completion function called, COMPREPLY checked.
#   test-completion.sh COMPLETION-SCRIPT TRUST-BRIDGE-CLI
# The commands and options expected are read from the program's --help here, independently of
# the script, so a command the script cannot complete fails. Runs once on its own and once with
# bash-completion's helpers loaded (as in an interactive shell), when they are installed.
set -u

completion=$1
cli=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
failures=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tb-completion.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/certs/sub"
touch "$tmp/certs/pool-oauth.cer" "$tmp/certs/chain.pem" "$tmp/certs/endpoints.ini" \
      "$tmp/certs/trust-bridge-state.json"

fail ()
{
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# complete WORD… : completes the last word, the others typed before it.
complete_words ()
{
  COMP_WORDS=("$cli" "$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="${COMP_WORDS[*]}"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _trust_bridge_cli
}

# expect_offers "WORD…" EXPECTED… : each EXPECTED is among the completions.
expect_offers ()
{
  local typed=$1 want got
  local -a line_words
  shift
  read -r -a line_words <<< "$typed"
  [[ $typed == *" " || -z $typed ]] && line_words+=("")
  complete_words "${line_words[@]}"
  got=" ${COMPREPLY[*]} "
  for want in "$@"; do
    [[ $got == *" $want "* ]] || fail "\"$typed<Tab>\" does not offer $want (got:$got)"
  done
}

# expect_exactly "WORD…" EXPECTED… : the completions are exactly EXPECTED (any order).
expect_exactly ()
{
  local typed=$1 got want
  local -a line_words
  shift
  read -r -a line_words <<< "$typed"
  [[ $typed == *" " || -z $typed ]] && line_words+=("")
  complete_words "${line_words[@]}"
  got=$(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort -u | tr '\n' ' ')
  want=$(printf '%s\n' "$@" | LC_ALL=C sort -u | tr '\n' ' ')
  [[ $got == "$want" ]] || fail "\"$typed<Tab>\" offers \"$got\", expected \"$want\""
}

help_text=$(LC_ALL=C.UTF-8 LANGUAGE= "$cli" --help) || { echo "FAIL: $cli --help"; exit 1; }
mapfile -t usage_lines < <(printf '%s\n' "$help_text" | sed -n '/^Commands:/,/^$/p' |
                           grep -E '^  [a-z]')
if [ "${#usage_lines[@]}" -lt 2 ]; then
  echo "FAIL: no commands in $cli --help"
  exit 1
fi
mapfile -t global_options < <(printf '%s\n' "$help_text" | sed -n '/^Options:/,/^$/p' |
                              grep -oE '^  --[a-z][a-z0-9-]*' | tr -d ' ')

run_cases ()
{
  local line cmd i groups=()
  local -a words

  # Every command, word by word, then its options.
  for line in "${usage_lines[@]}"; do
    read -r -a words <<< "$line"
    cmd=()
    for ((i = 0; i < ${#words[@]}; i++)); do
      [[ ${words[i]} =~ ^[a-z][a-z-]*$ ]] || break
      expect_offers "${cmd[*]:+${cmd[*]} }" "${words[i]}"
      expect_offers "${cmd[*]:+${cmd[*]} }${words[i]:0:1}" "${words[i]}"
      cmd+=("${words[i]}")
    done
    groups+=("${cmd[0]}")
    mapfile -t options < <(printf '%s\n' "$line" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
    expect_offers "${cmd[*]} --" "${options[@]}" "${global_options[@]}"
    # Global options before the command do not get in the way.
    expect_offers "--json --cloud china ${cmd[*]} --" "${options[@]}"
  done
  expect_exactly "" "${groups[@]}"
  expect_exactly "--" "${global_options[@]}"

  # Values.
  expect_exactly "--cloud " global usgov-high usgov-dod china
  expect_exactly "--cloud us" usgov-high usgov-dod
  expect_exactly "--demo-scenario " default renewal-due
  expect_exactly "--demo-scenario re" renewal-due
  expect_exactly "pool status --host fe01.contoso.local --auth " kerberos basic
  expect_exactly "tenant resolve --cloud " global usgov-high usgov-dod china

  # Files: --cert, --pool-state, --endpoints, and the FILE arguments.
  expect_offers "credentials add --cert $tmp/certs/" "$tmp/certs/pool-oauth.cer" \
    "$tmp/certs/chain.pem"
  expect_offers "trust establish --cert $tmp/certs/po" "$tmp/certs/pool-oauth.cer"
  expect_offers "--endpoints $tmp/certs/end" "$tmp/certs/endpoints.ini"
  expect_offers "--pool-state $tmp/certs/tr" "$tmp/certs/trust-bridge-state.json"
  expect_offers "cert inspect $tmp/certs/p" "$tmp/certs/pool-oauth.cer"
  expect_offers "pool import --tenant 17301689-8da9-49f6-b0c6-e68b32fee142 $tmp/certs/t" \
    "$tmp/certs/trust-bridge-state.json"
  # A value that is not a file gets no file names.
  expect_exactly "tenant resolve $tmp/certs/" 
  expect_exactly "spn add --to $tmp/certs/"
}

# shellcheck source=/dev/null
. "$completion"
complete -p trust-bridge-cli >/dev/null 2>&1 || fail "the script registers no completion"
run_cases

if [ -r /usr/share/bash-completion/bash_completion ]; then
  # bash-completion's own functions do not run under nounset; interactive shells do not set it.
  set +u
  # shellcheck source=/dev/null
  . /usr/share/bash-completion/bash_completion
  . "$completion"
  declare -F _filedir >/dev/null || fail "bash-completion did not load"
  run_cases
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "ok: every command and option of --help completes"
