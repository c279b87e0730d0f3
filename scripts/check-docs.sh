#!/usr/bin/env bash
# Runs every command of the documentation as written, so that the docs stay true.
#
#   scripts/check-docs.sh [--build DIR] [--list] [FILE.md ...]
#
# Every fenced block whose info string is `sh` (```sh) in README.md and docs/**/*.md
# (or the FILEs given) is run, line by line (a line ending in \ continues), in a
# scratch copy of the repository, with HOME set to a scratch folder and `mnn`
# installed on PATH (cmake --install of the build, as `make install` does). The
# blocks of one file run in order in one shell, so a later block sees the files
# and the current folder an earlier one left; every file starts afresh.
#
# A block that must not run here (it installs packages, runs the whole test suite,
# or takes many minutes) says so in its info string: ```sh no-check. Such blocks
# are listed, never skipped silently. Blocks in other languages (```xml, ```c,
# plain ```) are not commands and are not run: put synopses with placeholders there.
#
# The first command that fails stops its file; the script prints
#   check-docs: FILE:LINE: exit N: COMMAND
# with the end of the command's output, and exits 1 after all files ran.
# --list prints the commands (and the no-check blocks) without running them.
# --build DIR: the build folder to use (default: build); it must be built.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
build="$here/build"
list=0
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$(cd "$2" && pwd) || exit 2; shift 2 ;;
    --list) list=1; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "check-docs: error: unknown option '$1': run scripts/check-docs.sh --help" >&2; exit 2 ;;
    *) files+=("$1"); shift ;;
  esac
done
cd "$here" || exit 1
if [ ${#files[@]} -eq 0 ]; then
  shopt -s nullglob globstar
  files=(README.md docs/**/*.md)
fi

# extract FILE: prints "LINE<TAB>run|no-check<TAB>COMMAND" per command (continued
# lines joined), from the ```sh blocks of FILE
extract() {
  awk '
    function flush() { if (cmd != "") { print start "\t" mode "\t" cmd; cmd = "" } }
    /^[ \t]*```/ {
      if (state) { if (state == 1) flush(); state = 0; next }   # a closing fence
      info = $0; sub(/^[ \t]*```[ \t]*/, "", info); split(info, words, /[ \t]+/)
      state = words[1] == "sh" ? 1 : 2
      mode = info ~ /(^|[ \t])no-check([ \t]|$)/ ? "no-check" : "run"
      next
    }
    state == 1 {
      line = $0
      if (cmd == "") { if (line ~ /^[ \t]*(#.*)?$/) next; start = NR }
      cont = sub(/\\[ \t]*$/, "", line)
      cmd = cmd (cmd == "" ? "" : " ") line
      if (!cont) flush()
    }
' "$1"
}

scratch=$(mktemp -d /tmp/mnn-check-docs.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
failed=0 ran=0 unchecked=0

if [ $list -eq 0 ]; then
  if [ ! -x "$build/pipeline/mnn" ]; then
    echo "check-docs: error: $build/pipeline/mnn is not built: run make first" >&2
    exit 1
  fi
  if ! cmake --install "$build" --prefix "$scratch/prefix" > "$scratch/install.log" 2>&1; then
    echo "check-docs: error: cmake --install $build failed: $(tail -n 1 "$scratch/install.log")" >&2
    exit 1
  fi
fi

for f in "${files[@]}"; do
  [ -f "$f" ] || { echo "check-docs: error: $f: no such file" >&2; failed=1; continue; }
  cmds=$(extract "$f")
  [ -n "$cmds" ] || continue
  while IFS=$'\t' read -r line mode cmd; do
    if [ "$mode" = no-check ]; then
      echo "check-docs: $f:$line: not run (marked no-check): $cmd"
      unchecked=$((unchecked + 1))
    elif [ $list -eq 1 ]; then
      echo "$f:$line: $cmd"
    fi
  done <<< "$cmds"
  [ $list -eq 1 ] && continue
  grep -q $'\trun\t' <<< "$cmds" || continue

  # a fresh copy of the repository (tracked and new files), the build linked in
  work="$scratch/work"
  rm -rf "$work" "$scratch/home"
  mkdir -p "$work" "$scratch/home"
  git ls-files -z --cached --others --exclude-standard 2>/dev/null | grep -zv '^build' |
    xargs -0 cp --parents -t "$work" 2>/dev/null || cp -a "$here/." "$work"
  rm -rf "$work/build" && ln -s "$build" "$work/build"

  # one shell per file: each command reports its file:line when it fails
  script="$scratch/run.sh"
  {
    echo "cd '$work' || exit 1"
    while IFS=$'\t' read -r line mode cmd; do
      [ "$mode" = run ] || continue
      printf 'printf "%%s\\n" %q\n' "\$ $cmd"
      printf '{ %s\n} || { echo "%s:%s: exit $?: "%q >&3; exit 1; }\n' "$cmd" "$f" "$line" "$cmd"
    done <<< "$cmds"
  } > "$script"
  n=$(grep -c $'\trun\t' <<< "$cmds")
  start=$(date +%s)
  HOME="$scratch/home" PATH="$scratch/prefix/bin:$PATH" bash "$script" > "$scratch/out.log" 2>&1 3> "$scratch/fail"
  if [ -s "$scratch/fail" ]; then
    echo "check-docs: $(cat "$scratch/fail")"
    tail -n 8 "$scratch/out.log" | sed 's/^/    /'
    failed=1
  else
    ran=$((ran + n))
    echo "check-docs: $f: $n command(s) ran ($(( $(date +%s) - start )) s)"
  fi
done

[ $list -eq 1 ] && exit 0
echo "check-docs: $ran command(s) ran as written, $unchecked marked no-check"
exit $failed
