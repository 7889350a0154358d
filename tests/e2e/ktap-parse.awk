# ktap-parse.awk - a KTAP version 1 parser written from the kernel's
# Documentation/dev-tools/ktap.rst, for the tests: it checks the structure of one top-level
# KTAP document and prints "tests=N passed=P failed=F todo=T skipped=S".
#
# What it enforces, per the specification:
# - the first line is the version line "KTAP version 1" (or "TAP version 13" / "14");
# - one plan line "1..N" at this level, before or after the results;
# - result lines "ok|not ok NUMBER [DESCRIPTION] [# DIRECTIVE [DIAGNOSTIC]]", numbered from 1
#   without gaps, N of them in all;
# - a directive is SKIP or TODO (XFAIL, TIMEOUT and ERROR too, as kselftest writes them):
#   "not ok ... # TODO" is a known failure that does not fail the run, "ok ... # SKIP" a skip;
# - diagnostic lines start with "#"; nested tests (indented by two spaces, with their own
#   version line) are accepted and not counted at this level; any other line is an error.
# Exit 0 when the document is well formed, 1 with a message on stderr when not.
function fail(msg) {
	printf "ktap-parse: line %d: %s: %s\n", NR, msg, $0 > "/dev/stderr"
	bad = 1
	exit 1
}

NR == 1 {
	if ($0 !~ /^(KTAP version 1|TAP version 1[34])$/)
		fail("no version line")
	next
}
/^  / { next }				# a nested test: its own document
/^#/ { next }				# diagnostic
/^$/ { next }
/^1\.\.[0-9]+$/ {
	if (plan != "")
		fail("a second plan")
	plan = substr($0, 4) + 0
	next
}
/^(ok|not ok) [0-9]+( |$)/ {
	line = $0
	ok = line ~ /^ok /
	sub(/^(ok|not ok) /, "", line)
	number = line
	sub(/ .*$/, "", number)
	if (number + 0 != results + 1)
		fail("test " number " where " results + 1 " was due")
	results++
	directive = ""
	if (match(line, / # [A-Z]+/))
		directive = substr(line, RSTART + 3, RLENGTH - 3)
	if (directive != "" && directive !~ /^(SKIP|TODO|XFAIL|TIMEOUT|ERROR)$/)
		fail("unknown directive " directive)
	if (directive == "SKIP")
		skipped++
	else if (directive == "TODO" || directive == "XFAIL")
		todo++
	else if (ok)
		passed++
	else
		failed++
	next
}
{ fail("not a KTAP line") }

END {
	if (bad)
		exit 1
	if (NR == 0) {
		print "ktap-parse: empty document" > "/dev/stderr"
		exit 1
	}
	if (plan == "") {
		print "ktap-parse: no plan line" > "/dev/stderr"
		exit 1
	}
	if (plan != results) {
		printf "ktap-parse: plan 1..%d but %d results\n", plan, results > "/dev/stderr"
		exit 1
	}
	printf "tests=%d passed=%d failed=%d todo=%d skipped=%d\n", results, passed, failed,
		todo, skipped
}
