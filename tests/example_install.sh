#!/usr/bin/env bash
# The installed library as a program outside the tree sees it: install the
# build into a scratch tree (meson install --destdir), build examples/example.c
# with nothing but `pkg-config --cflags --libs tandem` pointed at that tree
# (PKG_CONFIG_SYSROOT_DIR, PKG_CONFIG_PATH), run it with LD_LIBRARY_PATH at the
# installed library on a sample document pair, twice, and check what it says.
# usage: example_install.sh BUILD_DIR SOURCE_DIR CC SANITIZE
set -euo pipefail
build=$1 src=$2 cc=$3 sanitize=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest

fail() { echo "example_install: $*" >&2; exit 1; }

meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >"$tmp/install.log" 2>&1 \
  || { cat "$tmp/install.log" >&2; fail "meson install failed"; }
pc=$(find "$dest" -name tandem.pc -print -quit)
[ -n "$pc" ] || fail "no tandem.pc under $dest"
libdir=$(dirname "$(find "$dest" -name 'libtandem.so' -print -quit)")
[ -f "$(find "$dest" -path '*/include/tandem/tandem.h' -print -quit)" ] || fail "tandem.h not installed"

export PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_PATH=$(dirname "$pc")
flags=$(pkg-config --cflags --libs tandem) || fail "pkg-config --cflags --libs tandem failed"
case $flags in *"$dest"*) ;; *) fail "pkg-config flags do not point into the scratch tree: $flags" ;; esac
extra=()
[ "$sanitize" = none ] || extra=("-fsanitize=$sanitize")
# shellcheck disable=SC2086
$cc -std=c11 -Wall -Wextra -Wpedantic -Werror "${extra[@]}" "$src/examples/example.c" $flags \
  -o "$tmp/example" || fail "the example does not build against the installed tree"

cp "$src/bitexts/sturm.de" "$src/bitexts/sturm.en" "$tmp/"
run() { (cd "$tmp" && TANDEM_TM="$tmp/tm.db" LD_LIBRARY_PATH="$libdir" ./example sturm.de sturm.en); }
out1=$(run) || fail "the example failed"
out2=$(run) || fail "the example failed the second time"
printf '%s\n--\n%s\n' "$out1" "$out2"

# It used the installed library, not one from the build tree.
ldd_out=$(cd "$tmp" && LD_LIBRARY_PATH="$libdir" ldd ./example | grep libtandem) || fail "example not linked with libtandem"
case $ldd_out in *"$libdir"*) ;; *) fail "libtandem not taken from the scratch tree: $ldd_out" ;; esac

grep -qx "tandem [0-9]*\.[0-9]*\.[0-9]*" <<<"$out1" || fail "no version line"
grep -qx "14 + 14 sentences, [0-9]* beads" <<<"$out1" || fail "unexpected sentence counts"
added=$(sed -n 's/^units added \([0-9]*\), already present 0$/\1/p' <<<"$out1")
[ -n "$added" ] && [ "$added" -gt 5 ] || fail "first run stored too few units"
grep -qx "units added 0, already present $added" <<<"$out2" || fail "second run stored the units again"
first=$(head -n 1 "$tmp/sturm.de" | cut -c1-20)
grep -q "^lookup: $first" <<<"$out1" || fail "looked up something else than the first sentence"
grep -q "^100%: " <<<"$out1" || fail "the first sentence is not found at 100 %"
echo "example_install: ok"
