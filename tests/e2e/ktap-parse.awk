# ktap-parse.awk - a KTAP version 1 parser written from the kernel's
# Documentation/dev-tools/ktap.rst, for the tests: it checks the structure of one top-level
# KTAP document and prints "tests=N passed=P failed=F xfail=X skipped=S".
#
# What it enforces, per the specification:
# - the first line is the version line "KTAP version 1" (or "TAP version 13" / "14");
# - one plan line "1..N" at this level, before or after the results;
# - result lines "ok|not ok NUMBER [DESCRIPTION] [# DIRECTIVE [DIAGNOSTIC]]", numbered from 1
#   without gaps, N of them in all;
# - the description is any words without "#";
# - a directive is SKIP, TODO, XFAIL, TIMEOUT or ERROR; SKIP (on "ok" or "not ok") is a skip,
#   XFAIL an expected failure that does not fail the run; KTAP does not recognize TODO, so a
#   parser falls back to the ok / not ok result, and so does this one; TIMEOUT and ERROR must
#   be on "not ok";
# - a "# Totals: pass:P fail:F xfail:X xpass:XP skip:S error:E" line (kselftest's
#   ksft_print_cnts()) must agree with the results; with -v totals=1 it is required.
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
/^# Totals: / {
	if (totals_seen++)
		fail("a second Totals line")
	if ($0 !~ /^# Totals: pass:[0-9]+ fail:[0-9]+ xfail:[0-9]+ xpass:[0-9]+ skip:[0-9]+ error:[0-9]+$/)
		fail("a Totals line not as kselftest prints it")
	split($0, kv, /[: ]+/)
	t_pass = kv[4]; t_fail = kv[6]; t_xfail = kv[8]; t_xpass = kv[10]; t_skip = kv[12]
	t_error = kv[14]
	next
}
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
	desc = line
	sub(/^[0-9]+ ?/, "", desc)
	if (index(desc, "#")) {
		rest = substr(desc, index(desc, "#") + 1)
		desc = substr(desc, 1, index(desc, "#") - 1)
		if (rest !~ /^ /)
			fail("no space after the \"#\" separator")
		if (match(rest, /^ [A-Z]+( |$)/))
			directive = substr(rest, 2, RLENGTH - 1)
		sub(/ $/, "", directive)
	}
	if (desc !~ /^([^ #][^#]*[^ #]|[^ #])? ?$/)
		fail("a description with leading or doubled blanks")
	if (directive != "" && directive !~ /^(SKIP|TODO|XFAIL|TIMEOUT|ERROR)$/)
		fail("unknown directive " directive)
	if (directive ~ /^(TIMEOUT|ERROR)$/ && ok)
		fail(directive " on an ok result")
	if (directive == "SKIP")
		skipped++
	else if (directive == "XFAIL")
		xfail++
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
	if (totals && !totals_seen) {
		print "ktap-parse: no \"# Totals:\" line" > "/dev/stderr"
		exit 1
	}
	if (totals_seen && (t_pass != passed || t_fail != failed || t_xfail != xfail ||
			    t_xpass != 0 || t_skip != skipped || t_error != 0)) {
		printf "ktap-parse: Totals pass:%d fail:%d xfail:%d xpass:%d skip:%d error:%d, but the results are pass:%d fail:%d xfail:%d skip:%d\n",
			t_pass, t_fail, t_xfail, t_xpass, t_skip, t_error, passed, failed, xfail,
			skipped > "/dev/stderr"
		exit 1
	}
	printf "tests=%d passed=%d failed=%d xfail=%d skipped=%d\n", results, passed, failed,
		xfail, skipped
}
