#!/bin/bash
# check-man.sh - the man pages against the binary they document.
#
# A page named pagecheck-replay-COMMAND.1 documents 'BINARY COMMAND' and is checked against
# 'BINARY COMMAND --help'; any other page against 'BINARY --help'.
# Fails (exit 1, naming what is wrong) when:
#  - a long option that --help prints has no tag in the man page's OPTIONS section;
#  - the OPTIONS section documents a long option (a .TP/.TQ tag such as
#    '\fB\-\-name\fR=\fIARG\fR' or '.B \-\-name') that --help does not print;
#  - an option's tag, with its short form and argument, does not read exactly as in --help
#    (roff fonts and escapes removed: '\fB\-q\fR, \fB\-\-quiet\fR' reads '-q, --quiet');
#  - 'mandoc -T lint -W warning' prints anything;
#  - one of the exit statuses 0 to 3 that the "Exit status:" paragraph of --help names has no
#    tag in the EXIT STATUS section;
#  - line 4 ("Long options, plain for grep: ...") does not list exactly the long options of
#    --help, in order;
#  - given more than one page: a command of the usage lines of 'BINARY --help' has no page, or
#    'BINARY help COMMAND' does not name the page it would open.
# Prints "ok: PAGE: N options" (N long options in --help) for each page when all hold.
#
# Usage: check-man.sh BINARY MANPAGE...
set -euo pipefail

if [ $# -lt 2 ]; then
	echo "usage: check-man.sh BINARY MANPAGE..." >&2
	exit 2
fi
bin=$1
if [ $# -gt 2 ]; then
	status=0
	for page in "${@:2}"; do
		"$0" "$bin" "$page" || status=1
	done
	# Every command the usage lines name has its page, and help opens it.
	for cmd in $("$bin" --help | sed -n 's/^\(Usage:\)\? *pagecheck-replay \([a-z][a-z-]*\) .*/\2/p'); do
		found=0
		for page in "${@:2}"; do
			[ "$(basename "$page")" = "pagecheck-replay-$cmd.1" ] && found=1
		done
		if [ "$found" = 0 ]; then
			echo "check-man: the command '$cmd' of '$bin --help' has no page pagecheck-replay-$cmd.1"
			status=1
		elif ! PATH=/nonexistent "$bin" help "$cmd" 2>&1 >/dev/null |
			grep -q "cannot show pagecheck-replay-$cmd;"; then
			echo "check-man: '$bin help $cmd' does not name the page pagecheck-replay-$cmd"
			status=1
		fi
	done
	exit $status
fi
man=$2
sub=$(basename "$man" .1)
sub=${sub#pagecheck-replay}
sub=${sub#-}

die() {
	echo "check-man: $*" >&2
	exit 1
}

[ -x "$bin" ] || die "$bin is not an executable"
[ -r "$man" ] || die "cannot read $man"
command -v mandoc >/dev/null || die "mandoc is not installed (tests/deps.txt lists it)"

failures=0
problem() {
	echo "check-man: $*"
	failures=$((failures + 1))
}

# section_tags SECTION: "LINE<TAB>TEXT" for each tag of the man page's SECTION, as plain text.
# A tag is the first non-comment line after .TP or .TQ, or the first argument of .IP.
section_tags() {
	awk -v want="$1" '
	# Splits roff macro arguments (quoted or not; "" inside quotes is one quote) into a[].
	function splitargs(s, a,    n, i, c, inq, cur, have) {
		n = 0; inq = 0; cur = ""; have = 0
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (inq) {
				if (c == "\"" && substr(s, i + 1, 1) == "\"") { cur = cur "\""; i++ }
				else if (c == "\"") inq = 0
				else cur = cur c
			} else if (c == " " || c == "\t") {
				if (have) { a[++n] = cur; cur = ""; have = 0 }
			} else if (c == "\"") {
				inq = 1; have = 1
			} else {
				cur = cur c; have = 1
			}
		}
		if (have)
			a[++n] = cur
		return n
	}
	# Removes fonts and the escapes an option tag uses.
	function plain(s) {
		gsub(/\\f\[[^]]*\]/, "", s)
		gsub(/\\f\([A-Za-z0-9][A-Za-z0-9]/, "", s)
		gsub(/\\f[A-Za-z0-9]/, "", s)
		gsub(/\\-/, "-", s)
		gsub(/\\\(aq/, "\047", s)
		gsub(/\\\(dq/, "\"", s)
		gsub(/\\[ ~]/, " ", s)
		gsub(/\\[&|^:%]/, "", s)
		gsub(/\\e/, "\\", s)
		return s
	}
	# The text a line prints: font macros joined as roff joins them, other macros nothing.
	function text(line,    macro, rest, n, a, i, out, sep) {
		if (line !~ /^[.\047]/)
			return plain(line)
		macro = line
		sub(/^[.\047][ \t]*/, "", macro)
		rest = macro
		sub(/[ \t].*$/, "", macro)
		if (rest == macro)
			rest = ""
		else
			sub(/^[^ \t]+[ \t]+/, "", rest)
		if (macro ~ /^(B|I|SM|SB)$/)
			sep = " "
		else if (macro ~ /^(BR|BI|IB|IR|RB|RI)$/)
			sep = ""
		else
			return ""
		n = splitargs(rest, a)
		out = ""
		for (i = 1; i <= n; i++)
			out = out (i > 1 ? sep : "") a[i]
		return plain(out)
	}
	function trim(s) {
		sub(/^[ \t]+/, "", s)
		sub(/[ \t]+$/, "", s)
		return s
	}
	/^[.\047][ \t]*\\"/ { next }			# comment lines
	/^\.SH([ \t]|$)/ {
		line = $0
		sub(/^\.SH[ \t]*/, "", line)
		n = splitargs(line, a)
		name = ""
		for (i = 1; i <= n; i++)
			name = name (i > 1 ? " " : "") a[i]
		insec = (plain(name) == want)
		found += insec
		tag_next = 0
		next
	}
	!insec { next }
	/^\.(TP|TQ)([ \t]|$)/ { tag_next = 1; next }
	/^\.IP[ \t]/ {
		line = $0
		sub(/^\.IP[ \t]+/, "", line)
		if (splitargs(line, a) >= 1 && trim(plain(a[1])) != "")
			printf "%d\t%s\n", NR, trim(plain(a[1]))
		next
	}
	tag_next {
		tag_next = 0
		printf "%d\t%s\n", NR, trim(text($0))
	}
	END {
		if (!found)
			printf "0\t(no %s section)\n", want
	}
	' "$man"
}

# --- Options: --help against the OPTIONS section ---

help=$("$bin" $sub --help) || die "'$bin $sub --help' failed"

declare -A help_tag=() man_tag=() man_line=()
help_names=()

# An option line of --help: indented by at most 8 columns (deeper lines continue a description),
# starting with '-'; its tag ends at two spaces.
while IFS= read -r line; do
	tag=${line#"${line%%[![:space:]]*}"}
	tag=${tag%%  *}
	IFS=',' read -ra items <<<"$tag"
	for item in "${items[@]}"; do
		item=${item# }
		[[ $item =~ ^--([A-Za-z0-9][A-Za-z0-9-]*) ]] || continue
		name=${BASH_REMATCH[1]}
		help_tag[$name]=$tag
		help_names+=("$name")
	done
done < <(grep -E '^[[:space:]]{1,8}-' <<<"$help")

[ "${#help_names[@]}" -gt 0 ] || die "'$bin --help' prints no long option"

while IFS=$'\t' read -r lineno tag; do
	if [ "$lineno" = 0 ]; then
		problem "$man has no OPTIONS section"
		continue
	fi
	IFS=',' read -ra items <<<"$tag"
	for item in "${items[@]}"; do
		item=${item# }
		[[ $item =~ ^--([A-Za-z0-9][A-Za-z0-9-]*) ]] || continue
		name=${BASH_REMATCH[1]}
		if [ -n "${man_tag[$name]+set}" ]; then
			problem "option --$name is documented twice in OPTIONS ($man lines ${man_line[$name]} and $lineno)"
			continue
		fi
		man_tag[$name]=$tag
		man_line[$name]=$lineno
	done
done < <(section_tags OPTIONS)

for name in "${help_names[@]}"; do
	if [ -z "${man_tag[$name]+set}" ]; then
		problem "option --$name is printed by --help but missing from the OPTIONS section of $man"
	elif [ "${man_tag[$name]}" != "${help_tag[$name]}" ]; then
		problem "option --$name reads '${help_tag[$name]}' in --help but '${man_tag[$name]}' in $man line ${man_line[$name]}"
	fi
done
for name in "${!man_tag[@]}"; do
	if [ -z "${help_tag[$name]+set}" ]; then
		problem "option --$name is documented in $man line ${man_line[$name]} but --help does not print it"
	fi
done

# --- mandoc lint ---

lint=$(mandoc -T lint -W warning "$man" 2>&1) || true
if [ -n "$lint" ]; then
	problem "mandoc -T lint -W warning $man is not silent:"
	printf '  %s\n' "${lint//$'\n'/$'\n  '}"
fi

# --- EXIT STATUS: a tag for each of 0 to 3 that --help names ---

exit_help=$(sed -n '/^Exit status:/,$p' <<<"$help" | tr '\n' ' ')
[ -n "$exit_help" ] || problem "'$bin $sub --help' has no \"Exit status:\" paragraph"
exit_tags=$(section_tags "EXIT STATUS")
if grep -q $'^0\t' <<<"$exit_tags"; then
	problem "$man has no EXIT STATUS section"
else
	for status in 0 1 2 3; do
		grep -qE "(^|[ :,])$status [a-z]" <<<"$exit_help" || continue
		grep -qE $'^[0-9]+\t'"$status"'$' <<<"$exit_tags" ||
			problem "exit status $status has no tag in the EXIT STATUS section of $man"
	done
fi

# --- line 4: the long options, plain for grep ---

want="$(printf -- '--%s\n' "${help_names[@]}" | sort -u | tr '\n' ' ')"
have="$(sed -n '4s/^\.\\" Long options, plain for grep: //p' "$man" | tr ' ' '\n' | sed '/^$/d' | tr '\n' ' ')"
[ "$have" = "$want" ] ||
	problem "$man line 4 lists '$have' but --help has '$want'"

if [ "$failures" -gt 0 ]; then
	echo "check-man: $failures problem(s) in $man"
	exit 1
fi
echo "ok: $man: ${#help_names[@]} options"
