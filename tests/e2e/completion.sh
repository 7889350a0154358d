#!/bin/bash
# completion.sh - the bash completion offers the commands, each command's options from its
# --help, and option values; and cmake --install puts it (and the man page) in place.
#
# Usage: completion.sh BINARY COMPLETION_SCRIPT BUILD_DIR
set -uo pipefail

bin=$1
script=$2
build=$3
. "$(dirname "$0")/testlib.sh"

# complete WORDS...: prints the completions bash offers for the last word.
complete_words() {
	bash -c '
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_pagecheck_replay
		printf "%s\n" "${COMPREPLY[@]}"' _ "$script" "$@"
}

check "commands" 'complete_words "$bin" di | grep -qx diff'
check "options of a replay, from --help" \
	'[ "$(complete_words "$bin" --fail | sort -u)" = "--fail-on=" ] &&
	 complete_words "$bin" --valid | grep -qx -- "--validate "'
check "diff options, from diff --help" 'complete_words "$bin" diff --form | grep -qx -- "--format="'
check "option values" '[ "$(complete_words "$bin" --format=j | sort | tr "\n" " ")" = "json junit " ]'
check "every long option of --help is offered" \
	'[ "$(complete_words "$bin" -- | sed "s/[= ]*$//" | sort -u)" = "$("$bin" --help | grep -o -- "--[a-z][a-z0-9-]*" | sort -u)" ]'

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
if cmake --install "$build" --prefix "$dest" >/dev/null; then
	check "cmake --install puts binary, man page and completion in place" \
		'[ -x "$dest/bin/pagecheck-replay" ] && [ -f "$dest/share/man/man1/pagecheck-replay.1" ] &&
		 [ -f "$dest/share/bash-completion/completions/pagecheck-replay" ]'
else
	check "cmake --install works" false
fi

finish completion
