#!/usr/bin/env bash
# test_docs.sh BUILD_DIR - the man pages and completions that
# scripts/gen_docs.py made from the program's --help texts (target
# baiot_docs; cmake/install.cmake): one page per command of `baiot --help`,
# every option of every `baiot CMD --help` in its page (as rendered by man)
# and offered by the bash completion, the pages render with `man --warnings`
# without a warning, and zsh (when installed) parses its completion.
set -euo pipefail
build=$(cd "$1" && pwd)
bin=${BAIOT_BIN:?}
docs=$build/generated/docs
fail() { echo "FAIL: $*"; exit 1; }
[ -f "$docs/stamp" ] || fail "no $docs/stamp: build the baiot_docs target"
cmds=$("$bin" --help | awk '/^commands:/{c=1; next} c && /^  [a-z]/{print $1} c && /^$/{if (n++) exit}')
[ "$(echo "$cmds" | wc -l)" -ge 10 ] || fail "commands of baiot --help: $cmds"
page_of() { MANWIDTH=200 man --warnings -l "$1" 2>"$2"; }
checked=0
for page in baiot $(for c in $cmds; do echo "baiot-$c"; done); do
  f=$docs/man/man1/$page.1
  [ -s "$f" ] || fail "no man page $page.1"
  text=$(page_of "$f" /tmp/man-warn.$$) || fail "man -l $page.1"
  [ -s /tmp/man-warn.$$ ] && { cat /tmp/man-warn.$$; rm -f /tmp/man-warn.$$; fail "$page.1: man warnings"; }
  rm -f /tmp/man-warn.$$
  [ "$page" = baiot ] && continue
  cmd=${page#baiot-}
  opts=$("$bin" "$cmd" --help | grep -E '^ {2,6}-' | sed -E 's/^ +//; s/  .*//' | grep -oE '(^|[ ,])--?[a-zA-Z][a-zA-Z0-9-]*' | tr -d ' ,' | sort -u)
  [ -n "$opts" ] || fail "$cmd: no options in --help"
  # bash completion of "baiot CMD -"
  comp=$(bash -c 'source "$1"; COMP_WORDS=(baiot "$2" -); COMP_CWORD=2; _baiot; printf "%s\n" "${COMPREPLY[@]}"' \
         _ "$docs/completion/baiot" "$cmd")
  for o in $opts; do
    grep -q -- "$o" <<< "$text" || fail "$page.1 lacks $o (in 'baiot $cmd --help')"
    grep -qx -- "$o" <<< "$comp" || fail "bash completion of 'baiot $cmd -' lacks $o"
    checked=$((checked + 1))
  done
  # the synopsis is the usage line
  usage=$("$bin" "$cmd" --help | head -1 | sed 's/^usage: //')
  grep -qF -- "$usage" <<< "$text" || fail "$page.1: synopsis is not '$usage'"
done
echo "ok: $(echo "$cmds" | wc -l) command pages + baiot.1 render without warnings; $checked options in pages and completion"
# commands complete
comp=$(bash -c 'source "$1"; COMP_WORDS=(baiot "d"); COMP_CWORD=1; _baiot; printf "%s\n" "${COMPREPLY[@]}"' _ "$docs/completion/baiot" | sort | tr '\n' ' ')
[ "$comp" = "demo detect " ] || fail "bash completion of 'baiot d': '$comp'"
echo "ok: bash completes 'baiot d' to: $comp"
if command -v zsh > /dev/null; then
  zsh -n "$docs/completion/_baiot" || fail "zsh cannot parse _baiot"
  echo "ok: zsh parses _baiot"
else
  echo "skip: zsh is not installed: its completion was not parsed"
fi
echo "PASS: docs"
