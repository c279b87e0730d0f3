#!/usr/bin/env bash
# The docs checker itself: on a fixture whose second command fails it must exit
# 1, name the failing command's file:line, not run what follows, and list the
# no-check block; on a fixture that runs it must exit 0.
set -u
src=$1 build=$2
out=$(bash "$src/scripts/check-docs.sh" --build "$build" "$src/tests/docs/broken.md" 2>&1)
rc=$?
fail=0
check() { if ! eval "$1"; then echo "test_check_docs: FAILED: $1"; echo "$out"; fail=1; fi; }
check '[ $rc -eq 1 ]'
check 'grep -q "broken.md:5: exit 1: mnn respond p.xml --load 99:0:1" <<< "$out"'
check '! grep -q "not reached" <<< "$out"'
check 'grep -q "broken.md:10: not run (marked no-check): exit 3" <<< "$out"'
tmp=$(mktemp -d)
printf '```sh\nmnn lattice paper -o p.xml\ncd sub 2>/dev/null || mkdir sub\nls p.xml\n```\n' > "$tmp/ok.md"
out=$(bash "$src/scripts/check-docs.sh" --build "$build" "$tmp/ok.md" 2>&1)
rc=$?
rm -rf "$tmp"
check '[ $rc -eq 0 ]'
check 'grep -q "3 command(s) ran as written" <<< "$out"'
[ $fail -eq 0 ] && echo "test_check_docs: passed"
exit $fail
