#!/bin/bash
# completion.sh - the bash completion offers the commands, each command's options from its
# --help, and option values; and cmake --install puts it (and the man page) in place.
#
# Usage: completion.sh BINARY COMPLETION_SCRIPT BUILD_DIR
set -uo pipefail

bin=$1
script=$(realpath "$2")
build=$3
. "$(dirname "$0")/testlib.sh"

# complete WORDS...: prints the completions bash offers for the last word, with COMP_WORDS as
# the caller gives them.
complete_words() {
	bash -c '
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_pagecheck_replay
		printf "%s\n" "${COMPREPLY[@]}"' _ "$script" "$@"
}

# complete_line LINE: as complete_words, with LINE split the way bash splits a command line
# for completion (bash(1), COMP_WORDBREAKS): at blanks, and '=' a word of its own, so that
# "--format=k" is "--format" "=" "k" and "--model=" ends in the word "=".
complete_line() {
	local words
	read -ra words <<<"$(sed 's/=/ = /g' <<<"$1")"
	[[ $1 == *" " ]] && words+=("")
	complete_words "${words[@]}"
}

check "complete -p: sourcing the script registers the function for the command" \
	'[ "$(bash -c "source \"$script\"; complete -p pagecheck-replay")" = "complete -F _pagecheck_replay pagecheck-replay" ]'
check "commands" 'complete_words "$bin" di | grep -qx diff && complete_words "$bin" he | grep -qx help'
check "help completes the commands" '[ "$(complete_line "$bin help d")" = diff ]'
check "options of a replay, from --help" \
	'[ "$(complete_words "$bin" --fail | sort -u)" = "--fail-on=" ] &&
	 complete_words "$bin" --valid | grep -qx -- "--validate "'
check "diff options, from diff --help" 'complete_words "$bin" diff --form | grep -qx -- "--format="'
check "every long option of --help is offered" \
	'[ "$(complete_words "$bin" -- | sed "s/[= ]*$//" | sort -u)" = "$("$bin" --help | grep -o -- "--[a-z][a-z0-9-]*" | sort -u)" ]'

# Values after "=", as bash splits them (issue 18: --model=<TAB> and --format=k<TAB> offered
# nothing), as one word where '=' is no word break (then the whole word comes back), and as
# the next word ("--format ktap", which getopt_long takes too).
check "--model=<TAB>: window and kernel" \
	'[ "$(complete_line "$bin --model=" | sort | tr "\n" " ")" = "kernel window " ]'
check "--format=k<TAB>: ktap" '[ "$(complete_line "$bin --format=k")" = ktap ]'
check "diff --format=j<TAB>: json junit" \
	'[ "$(complete_line "$bin diff --format=j" | sort | tr "\n" " ")" = "json junit " ]'
check "--format=j as one word: the whole words" \
	'[ "$(complete_words "$bin" --format=j | sort | tr "\n" " ")" = "--format=json --format=junit " ]'
check "--format k<TAB> (value as the next word): ktap" '[ "$(complete_line "$bin --format k")" = ktap ]'
check "--fail-on=double-alloc,inv<TAB>: the list's last item" \
	'[ "$(complete_line "$bin --fail-on=double-alloc,inv")" = double-alloc,invariant ]'
check "--replay=, --reader=, --threads=, --input-format=" \
	'[ "$(complete_line "$bin --replay=" | sort | tr "\n" " ")" = "auto kmem " ] &&
	 [ "$(complete_line "$bin --reader=fl")" = flyrecord ] &&
	 [ "$(complete_line "$bin --threads=" | sort | tr "\n" " ")" = "1 2 3 4 auto " ] &&
	 [ "$(complete_line "$bin --input-format=p")" = perf.data ]'
check "live --events=mm_page_free_<TAB>: mm_page_free_batched" \
	'[ "$(complete_line "$bin live --events=mm_page_free_")" = mm_page_free_batched ]'
check "--kallsyms=<TAB> and record -o <TAB> complete file names, --modules-dir= directories" \
	'[ "$(cd "$(dirname "$script")" && complete_line "$bin --kallsyms=pagecheck-replay.b")" = pagecheck-replay.bash ] &&
	 [ "$(cd "$(dirname "$script")" && complete_line "$bin record -o pagecheck-replay.b")" = pagecheck-replay.bash ] &&
	 [ -z "$(cd "$(dirname "$script")" && complete_line "$bin --modules-dir=pagecheck-replay.b")" ]'

# Every offered value is one the program takes: none draws a usage error ("Try ... --help").
rec=$(dirname "$script")/../testdata/t06_stack_v7zstd.dat
for opt in model format replay reader threads input-format fail-on; do
	for v in $(complete_line "$bin --$opt="); do
		"$bin" -q "--$opt=$v" "$rec" >/dev/null 2>"${TMPDIR:-/tmp}/completion.$$.err"
		check "the program takes --$opt=$v" '! grep -q "^Try " "${TMPDIR:-/tmp}/completion.$$.err"'
	done
done
rm -f "${TMPDIR:-/tmp}/completion.$$.err"
check "each offered --events name is one live --help names" \
	'(help=$("$bin" live --help); for v in $(complete_line "$bin live --events="); do grep -q -- "$v" <<<"$help" || exit 1; done)'

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
if cmake --install "$build" --prefix "$dest" >/dev/null; then
	check "cmake --install puts binary, man pages and completion in place" \
		'[ -x "$dest/bin/pagecheck-replay" ] && [ -f "$dest/share/man/man1/pagecheck-replay.1" ] &&
		 [ -f "$dest/share/bash-completion/completions/pagecheck-replay" ] &&
		 (for c in diff inject-campaign live record; do
			[ -f "$dest/share/man/man1/pagecheck-replay-$c.1" ] || exit 1
		  done)'
	# help COMMAND opens the installed page (man's pager is cat off a terminal); without the
	# page, the command's --help after a note.
	export MANPAGER=cat PAGER=cat MANWIDTH=80
	check "help diff opens pagecheck-replay-diff(1) from the installed prefix" \
		'MANPATH="$dest/share/man" "$dest/bin/pagecheck-replay" help diff 2>/dev/null |
			grep -q "^PAGECHECK-REPLAY-DIFF(1)"'
	check "help with no command opens pagecheck-replay(1)" \
		'MANPATH="$dest/share/man" "$dest/bin/pagecheck-replay" help 2>/dev/null |
			grep -q "^PAGECHECK-REPLAY(1)"'
	check "help record without the page: record --help, and a note naming the page" \
		'MANPATH=/nonexistent "$dest/bin/pagecheck-replay" help record >"$dest/help.out" 2>"$dest/help.err" &&
		 "$bin" record --help >"$dest/record.help" && cmp -s "$dest/help.out" "$dest/record.help" &&
		 grep -q "no page pagecheck-replay-record" "$dest/help.err"'
	check "help of an unknown command: exit 2" '"$bin" help nosuch 2>/dev/null; [ $? = 2 ]'
else
	check "cmake --install works" false
fi

finish completion
