#!/bin/bash
# update-goldens.sh - rewrite the golden reports of reports-identical.sh from a build.
#
# Usage: tests/e2e/update-goldens.sh BUILD_DIR [SHARED_TESTDATA]
#
# For a deliberate change of what a report says (a verdict rule, a new counter): build, run this,
# read 'git diff tests/e2e/golden' (the .out.gz files: 'git diff --text' after
# 'git config diff.gz.textconv "gzip -dc"', see tests/e2e/golden/README.md) and commit the golden
# files with the change that explains them. SHARED_TESTDATA defaults to ../shared/testdata beside
# the clone. The recording lists are those of tests/e2e/CMakeLists.txt (e2e_reports_identical_*).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$1
shared=${2:-$top/../shared/testdata}
bin=$build/pagecheck-replay
[ -x "$bin" ] || { echo "no $bin: build first"; exit 2; }
"$here/reports-identical.sh" --update "$bin" "$here/golden/testdata" "$top/testdata" \
	'*.dat' '*.perf.data' '*.txt.zst' 'text/*'
"$here/reports-identical.sh" --update "$bin" "$here/golden/rfc" "$top/testdata" 'rfc/*.dat'
[ -d "$shared" ] || { echo "no $shared: its golden files are left as they are"; exit 1; }
"$here/reports-identical.sh" --update "$bin" "$here/golden/shared" "$shared" \
	'*.dat' '*.perf.data' 'boot/*.dat'
