# testlib.sh - what the end-to-end test scripts share; source it after 'set -uo pipefail'.
#
# check DESCRIPTION EXPRESSION: evaluate EXPRESSION (a shell command list); count a case, and a
# failure with the description when it is false.
# finish NAME: print "NAME: P passed, F failed" (the line CTest's log shows) and return 1 when
# anything failed.
# run NAME ARGS...: runs $bin ARGS, stdout to $tmp/NAME, stderr to $tmp/NAME.err, the exit status
# to $tmp/NAME.rc; rc NAME prints that status.

fails=0
cases=0

check() {
	cases=$((cases + 1))
	if ! eval "$2"; then
		echo "FAIL: $1"
		fails=$((fails + 1))
	fi
}

finish() {
	echo "$1: $((cases - fails)) passed, $fails failed"
	[ "$fails" -eq 0 ]
}

run() {
	local name=$1
	shift
	# Every block and counter, as the checks read them; diff has its own report.
	case $1 in
	diff) "$bin" "$@" ;;
	*) "$bin" --stats --show-undecidable --examples=all "$@" ;;
	esac >"$tmp/$name" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
}

rc() { cat "$tmp/$1.rc"; }
