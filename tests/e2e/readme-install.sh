#!/bin/bash
# readme-install.sh - the README's first command installs what the tool needs and builds only
# the tool (issue 18); the test command (tests/run-all.sh, which .ci/run runs) installs the rest.
#
# Checks, from the README and the build files rather than from a list of its own:
#  - the first command installs exactly deps.txt and configures with -DPCR_BUILD_TESTS=OFF;
#  - every pkg-config module the build requires without tests (cmake/PcrDependencies.cmake)
#    comes from a package in deps.txt (dpkg -S on its .pc file), and Criterion's, which only
#    the tests need, from tests/deps.txt, not deps.txt;
#  - run-all.sh installs deps.txt and tests/deps.txt;
#  - the command itself, without its apt-get part, run in a copy of the sources: it configures
#    without Criterion's targets, builds no test, fuzz or benchmark target, and replays t06.
#
# Usage: readme-install.sh SOURCE_DIR
set -uo pipefail

src=$(cd "$1" && pwd)
. "$(dirname "$0")/testlib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

first=$(grep -m1 '^    apt-get update' "$src/README.md" | sed 's/^    //')
check "README's first command installs deps.txt and builds without tests" \
	'[[ $first == "apt-get update && apt-get install -y --no-install-recommends \$(cat deps.txt) && "* ]] &&
	 [[ $first == *"cmake -S . -B build -DPCR_BUILD_TESTS=OFF && "* ]]'

# pkg-config module -> the package that holds its .pc file.
pc_package() {
	local dir
	dir=$(pkg-config --variable=pcfiledir "$1" 2>/dev/null) || return 1
	dpkg -S "$dir/$1.pc" 2>/dev/null | head -n1 | sed 's/:.*//'
}
modules=$(sed -n 's/^[[:space:]]*pkg_check_modules([A-Z0-9_]* REQUIRED IMPORTED_TARGET \([^ >=)]*\).*/\1/p' \
	"$src/cmake/PcrDependencies.cmake")
check "PcrDependencies.cmake names the modules (found: $(echo $modules))" \
	'[ "$(wc -w <<<"$modules")" -ge 9 ] && grep -qx criterion <<<"$modules"'
for m in $modules; do
	pkg=$(pc_package "$m")
	if [ "$m" = criterion ]; then
		check "$m ($pkg) is in tests/deps.txt, not deps.txt" \
			'[ -n "$pkg" ] && grep -qx "$pkg" "$src/tests/deps.txt" && ! grep -qx "$pkg" "$src/deps.txt"'
	else
		check "$m ($pkg) is in deps.txt" '[ -n "$pkg" ] && grep -qx "$pkg" "$src/deps.txt"'
	fi
done
check "the tool's build tools are in deps.txt" \
	'for p in cmake gcc make pkg-config; do grep -qx "$p" "$src/deps.txt" || exit 1; done'
check "run-all.sh (.ci/run) installs deps.txt and tests/deps.txt" \
	'grep -qF "done < <(cat deps.txt tests/deps.txt)" "$src/tests/run-all.sh" &&
	 grep -qx "exec tests/run-all.sh" "$src/.ci/run"'

# The command, from "cmake" on, in a copy of the sources (the apt-get part needs root and a
# network; what it installs is checked above).
mkdir "$tmp/src"
cp -r "$src/CMakeLists.txt" "$src/cmake" "$src/lib" "$src/formats" "$src/cmd" "$src/man" \
	"$src/tests" "$src/testdata" "$tmp/src/"
build_cmd=${first#*deps.txt) && }
(cd "$tmp/src" && eval "$build_cmd") >"$tmp/out" 2>"$tmp/err"
status=$?
check "the command builds the tool and replays t06, which is clean: exit 0 (got $status)" \
	'[ "$status" = 0 ] && grep -q "^verdict: clean" "$tmp/out"'
check "it built no test, fuzz or benchmark target, and configured without Criterion" \
	'[ -x "$tmp/src/build/pagecheck-replay" ] && [ ! -d "$tmp/src/build/tests" ] &&
	 ! grep -q "criterion" "$tmp/src/build/CMakeCache.txt"'

finish readme-install
