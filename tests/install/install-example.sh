#!/bin/bash
# install-example.sh - the installed library is usable on its own.
#
# Usage: install-example.sh BUILD_DIR SOURCE_DIR [EXTRA_CFLAGS...]
#
# Installs the build into a temporary prefix (cmake --install --prefix), then:
#  - every installed header compiles alone with -std=c11 -pedantic -Werror (and -Wall -Wextra);
#  - examples/replay-stream.c builds with 'cc ... $(pkg-config --cflags --libs pagecheck)'
#    (PKG_CONFIG_PATH at the prefix) and prints the violations and counters worked out by hand
#    in its comment;
#  - the same example builds through the CMake package (find_package(pagecheck)).
# EXTRA_CFLAGS: what the library was built with that a program linking it needs too (the
# sanitizers of a PCR_SANITIZE build).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../e2e/testlib.sh
. "$here/../e2e/testlib.sh"

build=$1
src=$2
shift 2
extra=("$@")
cc=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pcrinstall.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

if ! cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1; then
	cat "$tmp/install.log"
	echo "FAIL: cmake --install"
	exit 1
fi
libdir=$(dirname "$(find "$prefix" -name pagecheck.pc -path '*/pkgconfig/*' | head -1)")
libdir=${libdir%/pkgconfig}
check "the archive is installed" "[ -f '$libdir/libpagecheck.a' ]"
check "pagecheck.pc is installed" "[ -f '$libdir/pkgconfig/pagecheck.pc' ]"
check "the CMake package is installed" \
	"[ -f '$libdir/cmake/pagecheck/pagecheckConfig.cmake' ] &&
	 [ -f '$libdir/cmake/pagecheck/pagecheckTargets.cmake' ]"

# The headers: exactly the public ones, each alone.
headers=$(cd "$prefix/include" && ls)
check "the installed headers are pagecheck.h and pagecheck_version.h ($(echo $headers))" \
	"[ '$(echo $headers)' = 'pagecheck.h pagecheck_version.h' ]"
for h in $headers; do
	# The typedef keeps a header of macros only from being an empty translation unit.
	check "$h compiles alone with -std=c11 -pedantic -Werror" \
		"printf '#include <$h>\\ntypedef int pcr_header_alone;\\n' | $cc -std=c11 -pedantic -Werror -Wall -Wextra \
		 -I'$prefix/include' -fsyntax-only -x c - 2>'$tmp/$h.err' || { cat '$tmp/$h.err'; false; }"
done
version=$(sed -n 's/^project(pagecheck-replay VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
check "pkg-config gives project()'s version $version" \
	"[ \"\$(PKG_CONFIG_PATH='$libdir/pkgconfig' pkg-config --modversion pagecheck)\" = '$version' ]"

# What examples/replay-stream.c must print (its comment derives it).
cat >"$tmp/expected" <<OUT
pagecheck $version
DOUBLE-FREE pfn 100 at 3000 ns
DOUBLE-ALLOC pfn 201 at 5000 ns
alloc events 3, free events 2, violations 2
OUT

# shellcheck disable=SC2046
if PKG_CONFIG_PATH="$libdir/pkgconfig" $cc "${extra[@]}" "$src/examples/replay-stream.c" \
	$(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs pagecheck) \
	-o "$tmp/replay-stream" 2>"$tmp/cc.err"; then
	"$tmp/replay-stream" >"$tmp/pc.out" 2>&1
	check "the example built with pkg-config prints the expected lines" \
		"cmp -s '$tmp/expected' '$tmp/pc.out' || diff '$tmp/expected' '$tmp/pc.out'"
else
	cat "$tmp/cc.err"
	check "the example builds with pkg-config --cflags --libs pagecheck" false
fi

mkdir -p "$tmp/cmake-src"
cat >"$tmp/cmake-src/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(replay_stream C)
find_package(pagecheck $version REQUIRED)
add_executable(replay-stream $src/examples/replay-stream.c)
target_compile_options(replay-stream PRIVATE ${extra[*]})
target_link_options(replay-stream PRIVATE ${extra[*]})
target_link_libraries(replay-stream PRIVATE pagecheck::pagecheck)
CMAKE
if cmake -S "$tmp/cmake-src" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" \
	>"$tmp/cmake.log" 2>&1 && cmake --build "$tmp/cmake-build" >>"$tmp/cmake.log" 2>&1; then
	"$tmp/cmake-build/replay-stream" >"$tmp/cmake.out" 2>&1
	check "the example built with find_package(pagecheck) prints the expected lines" \
		"cmp -s '$tmp/expected' '$tmp/cmake.out' || diff '$tmp/expected' '$tmp/cmake.out'"
else
	tail -20 "$tmp/cmake.log"
	check "the example builds with find_package(pagecheck)" false
fi
finish install-example
