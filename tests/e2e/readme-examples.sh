#!/bin/bash
# readme-examples.sh - every marked example of the README is what the tool prints now.
#
# An example is marked in README.md by two HTML comments (invisible on a rendered page) around
# an indented code block:
#
#   <!-- example: ID [dir: DIR] cmd: COMMAND -->
#
#       $ COMMAND
#       OUTPUT...
#
#   <!-- end example -->
#
# COMMAND runs under bash in DIR (relative to the top of the clone; default the top), with the
# build's pagecheck-replay first in PATH; its standard output, each line indented by four
# spaces, follows the "$ COMMAND" line. Fails (naming the example, with a diff) when a block
# differs from that, when a command prints nothing or cannot run (exit 126 or 127), or when a
# marker is malformed; exit 77 when no example could run (no ../shared/testdata beside the
# clone).
#
# --update rewrites the blocks from the tool instead (after a deliberate change of its output:
# tests/e2e/update-readme-examples.sh BUILD_DIR, then review 'git diff README.md').
#
# Usage: readme-examples.sh [--update] BUILD_DIR [README]
set -uo pipefail

update=0
if [ "${1:-}" = --update ]; then
	update=1
	shift
fi
[ $# -ge 1 ] || { echo "usage: readme-examples.sh [--update] BUILD_DIR [README]" >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd) || exit 2
readme=${2:-$top/README.md}
[ -x "$build/pagecheck-replay" ] || { echo "no $build/pagecheck-replay: build first" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mapfile -t lines <"$readme"
out=()
problems=0 ran=0 examples=0 skipped=0
marker='^<!-- example: ([A-Za-z0-9_.-]+) (dir: ([^ ]+) )?cmd: (.*) -->$'
i=0
n=${#lines[@]}
while [ "$i" -lt "$n" ]; do
	line=${lines[$i]}
	if [[ $line == "<!-- example:"* ]] && ! [[ $line =~ $marker ]]; then
		echo "readme-examples: $readme line $((i + 1)): a malformed marker: $line"
		problems=$((problems + 1))
	fi
	if ! [[ $line =~ $marker ]]; then
		out+=("$line")
		i=$((i + 1))
		continue
	fi
	id=${BASH_REMATCH[1]}
	dir=${BASH_REMATCH[3]:-.}
	cmd=${BASH_REMATCH[4]}
	examples=$((examples + 1))
	start=$i
	end=$((i + 1))
	while [ "$end" -lt "$n" ] && [ "${lines[$end]}" != "<!-- end example -->" ]; do
		end=$((end + 1))
	done
	if [ "$end" -ge "$n" ]; then
		echo "readme-examples: $readme line $((start + 1)): example $id has no '<!-- end example -->'"
		problems=$((problems + 1))
		out+=("${lines[@]:start}")
		break
	fi
	old=("${lines[@]:start+1:end-start-1}")
	if [ ! -d "$top/$dir" ]; then
		echo "readme-examples: example $id: no folder $dir: left as it is"
		skipped=$((skipped + 1))
		out+=("${lines[@]:start:end-start+1}")
		i=$((end + 1))
		continue
	fi
	(cd "$top/$dir" && PATH="$build:$PATH" bash -c "set -o pipefail; $cmd") \
		>"$tmp/out" 2>"$tmp/err"
	status=$?
	ran=$((ran + 1))
	new=("" "    \$ $cmd")
	while IFS= read -r o; do
		new+=("    $o")
	done <"$tmp/out"
	new+=("")
	if [ "$status" = 126 ] || [ "$status" = 127 ] || [ ! -s "$tmp/out" ]; then
		echo "readme-examples: example $id ($cmd) printed nothing or could not run (exit $status):"
		sed 's/^/  /' "$tmp/err"
		problems=$((problems + 1))
	fi
	if [ "$update" = 1 ]; then
		out+=("$line" "${new[@]}" "<!-- end example -->")
	else
		if [ "$(printf '%s\n' "${old[@]}")" != "$(printf '%s\n' "${new[@]}")" ]; then
			echo "readme-examples: example $id ($readme line $((start + 1))) differs from what the tool prints now:"
			diff -u <(printf '%s\n' "${old[@]}") <(printf '%s\n' "${new[@]}") |
				sed '1,2d; s/^/  /'
			problems=$((problems + 1))
		fi
		out+=("${lines[@]:start:end-start+1}")
	fi
	i=$((end + 1))
done

if [ "$update" = 1 ]; then
	printf '%s\n' "${out[@]}" >"$tmp/readme" && cat "$tmp/readme" >"$readme"
	echo "readme-examples: $ran of $examples examples rewritten in $readme ($skipped left as they were)"
	[ "$problems" -eq 0 ]
	exit
fi
[ "$examples" -gt 0 ] || { echo "readme-examples: no example marked in $readme"; exit 1; }
if [ "$ran" -eq 0 ]; then
	echo "readme-examples: none of the $examples examples could run"
	exit 77
fi
echo "readme-examples: $ran of $examples examples checked, $problems problem(s)"
[ "$problems" -eq 0 ] && [ "$skipped" -eq 0 ]
