#!/bin/bash
# update-readme-examples.sh - rewrite the README's marked examples from the tool's output (see
# readme-examples.sh), after a deliberate change of that output; review 'git diff README.md'.
# An example whose command now prints nothing is reported (exit 1): fix its cmd: in the marker.
#
# Usage: tests/e2e/update-readme-examples.sh BUILD_DIR [README]
set -uo pipefail
[ $# -ge 1 ] || { echo "usage: update-readme-examples.sh BUILD_DIR [README]" >&2; exit 2; }
exec "$(dirname "$0")/readme-examples.sh" --update "$@"
