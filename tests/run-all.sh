#!/bin/bash
# run-all.sh - install what the build needs, then build pagecheck-replay twice and run the whole
# test suite in each build: once with warnings as errors (build/), once under AddressSanitizer
# and UndefinedBehaviorSanitizer (build-asan/); then the replays that read on a thread of their
# own (--threads=2 against 1, on every trace.dat; live against a file recording, as root) under
# ThreadSanitizer (build-tsan/). This is the README's test command; .ci/run runs it.
#
# What the tool needs is deps.txt (the README's first command installs only that), what the
# tests need besides is tests/deps.txt; both are installed here.
#
# Usage: tests/run-all.sh        (as root, or with sudo available for apt-get)
set -euo pipefail

cd "$(dirname "$0")/.."

missing=()
while read -r pkg; do
	[ -n "$pkg" ] || continue
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$pkg")
done < <(cat deps.txt tests/deps.txt)
if [ "${#missing[@]}" -gt 0 ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "run-all: installing ${missing[*]}"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
		"${missing[@]}"
fi

jobs=$(nproc)

echo "run-all: build with -Werror"
cmake -S . -B build -DPCR_WERROR=ON
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "run-all: build with AddressSanitizer and UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DPCR_WERROR=ON -DPCR_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
cmake --build build-asan -j"$jobs"
ctest --test-dir build-asan --output-on-failure -j"$jobs"

echo "run-all: the two-thread replays under ThreadSanitizer"
cmake -S . -B build-tsan -DPCR_WERROR=ON -DPCR_TSAN=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build-tsan -j"$jobs" --target pagecheck-replay
ctest --test-dir build-tsan --output-on-failure -j"$jobs" -R 'e2e_reader_compare|e2e_pgd_mmdrop|e2e_live_vs_file_stacks'
