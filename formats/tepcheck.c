// SPDX-License-Identifier: GPL-2.0
/*
 * Strict checks of event formats, kallsyms and saved cmdlines before libtraceevent parses
 * them (tepcheck.h).
 *
 * Why: libtraceevent 1.7.1 (Debian 12) crashes on some format texts no kernel writes. The one
 * tests/fuzz/fuzz_perfdata found (tests/fuzz/corpus/perfdata/crash-print-flags-fuzzed, and
 * crash-print-flags-no-field-exact, a real recording with one letter changed): in
 * process_entry() of event-parse.c, when the first argument of __print_flags() or
 * __print_symbolic() is REC->x and the event has no field x, tep_find_any_field() returns NULL
 * and the next line sets arg->field.field->flags through it (a read of address 0x38; seen in
 * the disassembly of libtraceevent.so.1 1:1.7.1-1, which Debian ships without symbols).
 * Minimal input:
 *
 *	name: e
 *	ID: 1
 *	format:
 *		field:unsigned short common_type;	offset:0;	size:2;	signed:0;
 *
 *		field:unsigned long g;	offset:8;	size:8;	signed:0;
 *
 *	print fmt: "%s", __print_flags(REC->nosuch, "|", {1, "x"})
 *
 * A second crash (corpus/perfdata/crash-two-operands, after 714,515 runs): a NULL read at
 * libtraceevent.so.1+0x8eb2 on "REC->pfn != -1UL ? REC->pfn : 0l REC->order", two operands
 * with no operator between them. A third (crash-fpe-arrow): a division by zero at +0x8dbe on
 * "R/EC->order". A fourth and a fifth (tests/fuzz/corpus_tracedat/crash-index-then-dot and
 * crash-cond-then-assign, fuzz_tracedat, about 225,000 runs) were the second's NULL read:
 * process_op() of event-parse.c parses "X[...]" and "A ? B : C" without setting its local
 * "right", and when the operator token after "]" or after C is one get_op_prio() does not know
 * (".", "->", "[", "=", "+=", ";", "{", ...) it goes on with process_op(event, right = NULL):
 * "REC->caller[1]. (void *)REC->caller[2]", "REC->x ? A : ((void *)0)=%d", and also
 * "REC->x ? 1 : REC->caller[1]" (the "[" after C). "0l REC->order" is a case of it ("0l REC"
 * is one atom there, then "->"), and so is "LOC REC->order" (crash-ident-rec, fuzz_tracedat
 * run 13 after 3,750,494 runs: any name before REC). Other malformed texts made it leak (a
 * token strdup()ed in the print fmt parser: "(%UL)", "~\"x\"", "unsigned [har x"). Rather than
 * guess at each such path, a text is parsed only if it has the shape of the kernel's own
 * (kernel/trace/trace_events.c, f_show()): every line known, every REC->x a field, every
 * bracket closed. A recording whose formats fail the check is refused, not half-read.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcr_formats.h"
#include "tepcheck.h"

#define MAX_FIELDS 256
#define MAX_DEPTH 64
#define MAX_NAME 128

struct span {
	const char *p;
	size_t n;
};

static int bad(char *why, const char *what, size_t line)
{
	snprintf(why, PCR_TEPCHECK_WHY, "line %zu: %s", line, what);
	return -PCR_ERR_FORMAT;
}

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Not strchr() of the digits: a kallsyms text is millions of them (tdcheck.c checks it). */
static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool pcr_tep_printable(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((text[i] < 0x20 || text[i] > 0x7e) && text[i] != '\t' && text[i] != '\n')
			return false;
	return true;
}

/* Cuts the next line (without its '\n') from *pos; false at the end of the text. */
static bool next_line(const char *text, size_t len, size_t *pos, struct span *line)
{
	const char *nl;

	if (*pos >= len)
		return false;
	line->p = text + *pos;
	nl = memchr(line->p, '\n', len - *pos);
	line->n = nl ? (size_t)(nl - line->p) : len - *pos;
	*pos += line->n + (nl ? 1 : 0);
	return true;
}

static bool take(struct span *s, const char *lit)
{
	size_t n = strlen(lit);

	if (s->n < n || memcmp(s->p, lit, n))
		return false;
	s->p += n;
	s->n -= n;
	return true;
}

/* A decimal number of 1 to @max_digits digits, at most @max. */
static bool take_number(struct span *s, unsigned long max)
{
	unsigned long v = 0;
	size_t i = 0;

	while (i < s->n && is_digit(s->p[i]) && i < 10)
		v = v * 10 + (unsigned long)(s->p[i++] - '0');
	if (!i || (i < s->n && is_digit(s->p[i])) || v > max)
		return false;
	s->p += i;
	s->n -= i;
	return true;
}

/* "\tfield:DECL;\toffset:D;\tsize:D;[\tsigned:0|1;]" with DECL "type ... name[N]". */
static int check_field(struct span s, struct span *name, size_t line, char *why)
{
	const char *decl, *end, *semi;
	size_t n;

	if (!take(&s, "\tfield:"))
		return bad(why, "a line that is no field", line);
	take(&s, " ");	/* header_page writes "field: u64 timestamp;" */
	decl = s.p;
	semi = end = memchr(s.p, ';', s.n);
	if (!end || end == decl || end - decl > MAX_NAME)
		return bad(why, "a field declaration without ';' or of more than 128 bytes", line);
	for (n = 0; decl + n < end; n++) {
		if (decl[n] == '[') {
			/* "type name[N]" or "__data_loc type[] name": a word in brackets */
			if (!n || !is_ident(decl[n - 1]))
				return bad(why, "a field declaration with a misplaced '['", line);
			while (decl + n + 1 < end && is_ident(decl[n + 1]))
				n++;
			if (decl + n + 1 >= end || decl[n + 1] != ']' ||
			    (decl + n + 2 < end && decl[n + 2] != ' '))
				return bad(why, "a field declaration with an open '['", line);
			n++;
		} else if (!is_ident(decl[n]) && !strchr(" *", decl[n])) {
			return bad(why, "a field declaration with a character no C type has", line);
		}
	}
	/* The name: the last identifier before any [N] suffixes. */
	while (end > decl && (end[-1] == ']' || end[-1] == ' ')) {
		if (end[-1] == ']')
			while (end > decl && end[-1] != '[')
				end--;
		if (end > decl)
			end--;
	}
	name->n = 0;
	while (end > decl && is_ident(end[-1])) {
		end--;
		name->n++;
	}
	name->p = end;
	if (!name->n || !is_ident_start(name->p[0]))
		return bad(why, "a field without a name", line);
	s.n -= (size_t)(semi - s.p) + 1;
	s.p = semi + 1;
	if (!take(&s, "\toffset:") || !take_number(&s, 65535) || !take(&s, ";\tsize:") ||
	    !take_number(&s, 65535) || !take(&s, ";"))
		return bad(why, "a field without offset and size", line);
	if (s.n && (!take(&s, "\tsigned:") || !take_number(&s, 1) || !take(&s, ";")))
		return bad(why, "a field with a bad 'signed:'", line);
	if (s.n)
		return bad(why, "text after a field's 'signed:'", line);
	return 0;
}

static bool is_field(const struct span *fields, size_t nr, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (fields[i].n == n && !memcmp(fields[i].p, p, n))
			return true;
	return false;
}

/* Skips a "..." or '...' literal at s[*i]; false when it does not close on the line. */
static bool skip_literal(struct span s, size_t *i)
{
	char quote = s.p[(*i)++];

	while (*i < s.n && s.p[*i] != quote)
		*i += s.p[*i] == '\\' ? 2 : 1;
	if (*i >= s.n)
		return false;
	(*i)++;
	return true;
}

/*
 * The length of the operator token libtraceevent 1.7.1 reads at @p (its __read_token():
 * "->", a doubled "+-|&<>", "<<=" and ">>=", or a single character, each of "!=<>|&+-" and
 * the doubled "<<" ">>" taking a following '='); 0 when @p holds no operator character.
 */
static size_t lte_op_len(const char *p, size_t n)
{
	size_t len = 1;

	if (!n || !strchr("+-*/%&|^~!<>=?:.[]{};", p[0]))
		return 0;
	if (p[0] == '-' && n > 1 && p[1] == '>')
		return 2;
	if (strchr("+-|&<>", p[0]) && n > 1 && p[1] == p[0]) {
		len = 2;
		if (p[0] != '<' && p[0] != '>')
			return len;
	} else if (!strchr("+-|&<>!=", p[0])) {
		return len;
	}
	return len + (len < n && p[len] == '=');
}

/* Whether libtraceevent's get_op_prio() knows the operator token (or it is ':'). */
static bool lte_op_known(const char *p, size_t len)
{
	static const char *const known[] = { "++", "--", ">>", "<<", ">=", "<=", "==", "!=",
					     "&&", "||" };
	size_t k;

	if (len == 1)
		return strchr("~!*/%+-<>&^|?:", p[0]) != NULL;
	for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
		if (len == 2 && !memcmp(p, known[k], 2))
			return true;
	return false;
}

static int unknown_op(char *why, bool after_index, size_t line)
{
	return bad(why, after_index ?
		   "an operator libtraceevent does not know after an index's ']'" :
		   "an operator libtraceevent does not know after the operand of a '? :'", line);
}

/*
 * Whether the right operand of a '/' or '%' at s[i] cannot be a constant 0. libtraceevent 1.7.1
 * folds an operator over two constants while it parses (consolidate_op_arg(), strtoull() of
 * each: an identifier or a string is 0) and so divides by zero on "1 / x", "1 % 0x0",
 * "1 / (void *)", "1 / 2 * 0" (its right operand is "2 * 0"). Safe: a field, a function, a
 * cast, a unary operator, a bracket reading a field, or a nonzero number (or sizeof()) that no
 * '*', '/' or '%' follows. Kernels divide fields by numbers and sizeof() only.
 */
static bool divisor_safe(struct span s, size_t i)
{
	char num[24];
	size_t j, n, depth = 0;
	bool rec = false;

	while (i < s.n && s.p[i] == ' ')
		i++;
	if (i >= s.n || strchr("-+!~", s.p[i]))
		return true;
	if (s.p[i] == '(') {
		for (j = i; j < s.n; j++) {
			if (s.p[j] == '"' || s.p[j] == '\'') {
				if (!skip_literal(s, &j))
					return false;
				j--;
			} else if (s.p[j] == '(') {
				depth++;
			} else if (s.p[j] == ')' && !--depth) {
				break;
			} else if (is_ident_start(s.p[j]) && (!j || !is_ident(s.p[j - 1])) &&
				   j + 3 <= s.n && !memcmp(s.p + j, "REC", 3)) {
				rec = true;
			}
		}
		for (j++; j < s.n && s.p[j] == ' '; j++)
			;
		return rec || (j < s.n && (is_ident(s.p[j]) || s.p[j] == '('));
	}
	for (j = i; j < s.n && is_ident(s.p[j]); j++)
		;
	if (j == i)
		return false;
	if (j - i == 3 && !memcmp(s.p + i, "REC", 3))
		return true;
	if (j - i == 6 && !memcmp(s.p + i, "sizeof", 6)) {
		while (j < s.n && s.p[j] != ')')
			j++;
		j++;
	} else if (is_ident_start(s.p[i])) {
		return j < s.n && s.p[j] == '(';
	} else {
		n = j - i < sizeof(num) ? j - i : sizeof(num) - 1;
		memcpy(num, s.p + i, n);
		num[n] = '\0';
		if (!strtoull(num, NULL, 0))
			return false;
	}
	while (j < s.n && s.p[j] == ' ')
		j++;
	return j >= s.n || !strchr("*/%", s.p[j]);
}

/* The identifier or the one other character at s[*i], blanks skipped; *i goes past it. */
static struct span next_word(struct span s, size_t *i)
{
	struct span w;

	while (*i < s.n && (s.p[*i] == ' ' || s.p[*i] == '\t'))
		(*i)++;
	w.p = s.p + *i;
	for (w.n = 0; *i < s.n && is_ident(s.p[*i]); w.n++)
		(*i)++;
	if (!w.n && *i < s.n) {
		w.n = 1;
		(*i)++;
	}
	return w;
}

static bool word_is(struct span w, const char *lit)
{
	return w.n == strlen(lit) && !memcmp(w.p, lit, w.n);
}

enum sizeof_kind { SIZEOF_PARSED, SIZEOF_READS_FREED, SIZEOF_FAILS };

/*
 * What libtraceevent 1.7.1's process_sizeof() does with the "sizeof" at s[i - 6]. Where it
 * takes the type whole, "int", "unsigned int", "long long", "unsigned long long" or
 * "REC->x", it frees that last token, reads the next one elsewhere and compares the freed
 * one with ")" (upstream a4b1ba5 in 1.7.2; ASan reports a heap-use-after-free, and where
 * the allocator does not hand the chunk straight back the error path frees it twice).
 * "long", "unsigned long" and "unsigned" parse; any other type fails the whole print fmt.
 */
static enum sizeof_kind sizeof_kind(struct span s, size_t i)
{
	struct span w = next_word(s, &i);

	if (!word_is(w, "("))
		return SIZEOF_PARSED;
	w = next_word(s, &i);
	if (word_is(w, "unsigned")) {
		w = next_word(s, &i);
		if (!w.n || !is_ident(w.p[0]))
			return SIZEOF_PARSED;
	}
	if (word_is(w, "int") || word_is(w, "REC"))
		return SIZEOF_READS_FREED;
	if (word_is(w, "long"))
		return word_is(next_word(s, &i), "long") ? SIZEOF_READS_FREED : SIZEOF_PARSED;
	return SIZEOF_FAILS;
}

/*
 * What follows "print fmt: ": a string literal and comma-separated C expressions (see
 * tepcheck.h). The kernel prints the format string as the event wrote it, so a string may hold
 * newlines (ext4's do); outside strings the print fmt is one line.
 */
static int check_print_fmt(struct span s, const struct span *fields, size_t nr, size_t line,
			   char *why)
{
	char stack[MAX_DEPTH];
	/*
	 * libtraceevent 1.7.1 reads NULL when an operator it does not know follows the ']' of
	 * an index (after_index) or the first operand after a '? :' at this depth (in_else).
	 */
	bool in_else[MAX_DEPTH + 1] = { false };
	bool after_index = false;
	/* libtraceevent gives up at the '{' of "({ ... })" and never parses inside it */
	bool block[MAX_DEPTH];
	size_t blocks = 0;
	/*
	 * At each depth: two names in a row (a type: "unsigned long", "struct page") and an
	 * operator other than '*'. Both in one "( )" is no cast a kernel writes, and libtraceevent
	 * 1.7.1 leaks a token on "(s|ruct page *)" (fuzz_tracedat run 15).
	 */
	bool type_words[MAX_DEPTH + 1] = { false }, operators[MAX_DEPTH + 1] = { false };
	/*
	 * libtraceevent has failed the print fmt at a "({" or a sizeof() it cannot parse, and
	 * parses nothing after it: 6.18's dma:dma_map_sg and dma_sync_sg_* write a
	 * "sizeof(unsigned int)" (read freed, see sizeof_kind()) only after both.
	 */
	bool given_up = false;
	/*
	 * Before the first ',' libtraceevent parses no expression: it fails on what follows the
	 * format string ("instr="%s" addr=0x%llx" in arm64's emulation:instruction_emulation).
	 */
	bool args = false;
	size_t i = 0, depth = 0, k, t;
	bool empty_arg = false;
	bool operand = false;	/* an operand must come next: after '(', ',', an operator */
	bool stars = false;	/* the last token was '*'s: "(void *)" may close */
	bool unary = false;	/* the last token was a unary operator */
	int value = 0;		/* the last token was a number or REC->x (1), a string (2), a name (3) */

	if (!s.n || s.p[0] != '"' || !skip_literal(s, &i))
		return bad(why, "a print fmt that does not start with a closed string", line);
	while (i < s.n) {
		char c = s.p[i];

		if (c == ' ' || c == '\t') {
			i++;
			continue;
		}
		/* the brackets and ';' are operator tokens to libtraceevent, ',' and ')' not */
		if ((after_index || in_else[depth]) && args && !blocks && strchr("[{};", c))
			return unknown_op(why, after_index, line);
		if (!strchr("+-*/%&|^~!<>=?:.", c))
			after_index = false;
		if (!strchr("+-*/%&|^~!<>=?:.", c) && c != ')')
			stars = false;
		if (!strchr("+-*/%&|^~!<>=?:.\"'", c))
			unary = false;
		/*
		 * libtraceevent 1.7.1 crashes on "0l REC->x" (found by fuzz_perfdata) and on
		 * "LOC REC->x" (fuzz_tracedat, crash-ident-rec): it joins the two into one atom.
		 * A name before another name is a type ("unsigned long"), before REC never.
		 */
		if ((value && value != 3 && is_ident(c)) ||
		    (value == 3 && i + 3 <= s.n && !memcmp(s.p + i, "REC", 3) &&
		     (i + 3 == s.n || !is_ident(s.p[i + 3]))) ||
		    (value == 1 && (c == '"' || c == '\'')))
			return bad(why, "two operands without an operator in the print fmt", line);
		type_words[depth] = type_words[depth] || (value == 3 && is_ident_start(c));
		value = 0;
		if (c == '"' || c == '\'') {
			/* libtraceevent 1.7.1 leaks on ~"x" (found by fuzz_perfdata) */
			if (unary)
				return bad(why, "a unary operator before a print fmt string", line);
			if (!skip_literal(s, &i))
				return bad(why, "a print fmt string that does not close", line);
			empty_arg = operand = false;
			value = 2;
		} else if (is_ident_start(c)) {
			size_t start = i;

			while (i < s.n && is_ident(s.p[i]))
				i++;
			empty_arg = operand = false;
			if (i - start == 6 && !memcmp(s.p + start, "sizeof", 6) && args &&
			    !given_up) {
				enum sizeof_kind kind = sizeof_kind(s, i);

				if (kind == SIZEOF_READS_FREED)
					return bad(why, "a sizeof() libtraceevent 1.7.1 reads after freeing it (int, long long or REC->x)",
						   line);
				given_up = kind == SIZEOF_FAILS;
			}
			if (i - start != 3 || memcmp(s.p + start, "REC", 3)) {
				value = 3;
				continue;
			}
			/* REC->x, or (REC)->x as ftrace's func_repeats writes it */
			if (i < s.n && s.p[i] == ')') {
				if (!depth || stack[--depth] != ')')
					return bad(why, "a print fmt bracket that does not match",
						   line);
				i++;
			}
			while (i < s.n && s.p[i] == ' ')
				i++;
			if (i + 2 > s.n || memcmp(s.p + i, "->", 2))
				return bad(why, "REC without '->' in the print fmt", line);
			i += 2;
			while (i < s.n && s.p[i] == ' ')
				i++;
			start = i;
			while (i < s.n && is_ident(s.p[i]))
				i++;
			/* libtraceevent 1.7.1 crashes on __print_flags(REC->x) without a field x. */
			if (!is_field(fields, nr, s.p + start, i - start))
				return bad(why, "the print fmt names a field (REC->...) the event lacks",
					   line);
			value = 1;
		} else if (is_digit(c)) {
			while (i < s.n && (is_ident(s.p[i]) || s.p[i] == '.'))
				i++;
			empty_arg = operand = false;
			value = 1;
		} else if (strchr("([{", c)) {
			if (depth == MAX_DEPTH)
				return bad(why, "brackets nested more than 64 deep", line);
			for (k = i; k && (s.p[k - 1] == ' ' || s.p[k - 1] == '\t'); k--)
				;
			block[depth] = c == '{' && k && s.p[k - 1] == '(';
			blocks += block[depth];
			given_up = given_up || block[depth];
			stack[depth++] = c == '(' ? ')' : c == '[' ? ']' : '}';
			in_else[depth] = type_words[depth] = operators[depth] = false;
			empty_arg = operand = true;
			i++;
		} else if (strchr(")]}", c)) {
			if (c == ')' && type_words[depth] && operators[depth])
				return bad(why, "an operator other than '*' in a cast's type", line);
			if (!depth || stack[--depth] != c)
				return bad(why, "a print fmt bracket that does not match", line);
			blocks -= block[depth];
			if (empty_arg && c == ')' && i && s.p[i - 1] == ',')
				return bad(why, "an empty argument in the print fmt", line);
			/* f() and (void *) are fine, "(a +)" is not */
			if (operand && !empty_arg && !stars)
				return bad(why, "an operator without its right operand", line);
			empty_arg = operand = false;
			after_index = c == ']';
			i++;
		} else if (c == ',' || c == ';') {
			in_else[depth] = false;
			args = args || (c == ',' && !depth);
			/* ';' ends statements in the ({ ... }) blocks of some print fmts */
			if (empty_arg && i && s.p[i - 1] == ',')
				return bad(why, "an empty argument in the print fmt", line);
			if (operand && !empty_arg && c == ',')
				return bad(why, "an operator without its right operand", line);
			/* a statement may be the last of its block: "; })" */
			empty_arg = operand = c == ',';
			i++;
		} else if (strchr("+-*/%&|^~!<>=?:.", c)) {
			/*
			 * A run of operator characters: a binary operator and unary ones after
			 * it ("<<", "&~", "!= -"), or unary ones alone where an operand is due.
			 * libtraceevent 1.7.1 leaks on a binary operator with no left operand.
			 */
			size_t start = i;

			while (i < s.n && strchr("+-*/%&|^~!<>=?:.", s.p[i]))
				i++;
			if (operand && !strchr("-+!~*&", s.p[start]))
				return bad(why, "an operator without its left operand", line);
			/* REC->x takes its own '->'; libtraceevent 1.7.1 divides by 0 on "R/EC->x" */
			if (memmem(s.p + start, i - start, "->", 2))
				return bad(why, "'->' after something other than REC", line);
			/* the run as libtraceevent's tokens: the first after ']' or '? : C' */
			for (k = start; k < i; k += t) {
				t = lte_op_len(s.p + k, i - k);
				/* the last token a '/' or '%': no unary operator after it */
				if (k + t == i && t == 1 && strchr("/%", s.p[k]) && args &&
				    !divisor_safe(s, i))
					return bad(why, "a '/' or '%' by what may be a constant 0",
						   line);
				if ((after_index || in_else[depth]) && args && !blocks &&
				    !lte_op_known(s.p + k, t))
					return unknown_op(why, after_index, line);
				after_index = false;
				in_else[depth] = t == 1 && s.p[k] == ':';
			}
			/* Counted within the run: the text need not end in a NUL (issue 17). */
			for (stars = true, k = start; k < i; k++)
				stars = stars && s.p[k] == '*';
			operators[depth] = operators[depth] || !stars;
			unary = operand;
			empty_arg = false;
			operand = true;
			continue;
		} else {
			return bad(why, "a character no C expression has in the print fmt", line);
		}
	}
	if (depth)
		return bad(why, "a print fmt bracket that does not close", line);
	if (empty_arg)
		return bad(why, "the print fmt ends in ','", line);
	if (operand)
		return bad(why, "an operator without its right operand", line);
	return 0;
}

int pcr_tep_check_event(const char *text, size_t len, char *name, size_t name_size, char *why)
{
	struct span line, fields[MAX_FIELDS], s;
	size_t pos = 0, nr = 0, lineno = 1, i;
	int ret;

	name[0] = '\0';
	if (!pcr_tep_printable(text, len))
		return bad(why, "a byte that is not printable ASCII", 0);
	if (!next_line(text, len, &pos, &line) || !take(&line, "name: ") || !line.n ||
	    line.n >= MAX_NAME)
		return bad(why, "no 'name: ' line", lineno);
	for (i = 0; i < line.n; i++)
		if (!is_ident(line.p[i]))
			return bad(why, "an event name that is no identifier", lineno);
	snprintf(name, name_size, "%.*s", (int)line.n, line.p);
	lineno++;
	if (!next_line(text, len, &pos, &line) || !take(&line, "ID: ") ||
	    !take_number(&line, 65535) || line.n)
		return bad(why, "no 'ID: ' line with an event id up to 65535", lineno);
	lineno++;
	if (!next_line(text, len, &pos, &line) || line.n != 7 || memcmp(line.p, "format:", 7))
		return bad(why, "no 'format:' line", lineno);
	for (;;) {
		lineno++;
		if (!next_line(text, len, &pos, &line))
			return bad(why, "no 'print fmt: ' line", lineno);
		if (!line.n)
			continue;
		s = line;
		if (take(&s, "print fmt: "))
			break;
		if (nr == MAX_FIELDS)
			return bad(why, "more than 256 fields", lineno);
		ret = check_field(line, &fields[nr], lineno, why);
		if (ret)
			return ret;
		nr++;
	}
	/* The print fmt runs to the end of the text, less its last newlines. */
	s.n = len - (size_t)(s.p - text);
	while (s.n && s.p[s.n - 1] == '\n')
		s.n--;
	return check_print_fmt(s, fields, nr, lineno, why);
}

/*
 * A byte of a kallsyms name or module: printable ASCII or a tab. The check of the whole text
 * comes first in its result: a kallsyms with both a bad line and a bad byte is told as the
 * latter, as when the text was scanned for printable bytes before its lines.
 */
static inline bool kallsyms_byte_ok(char c)
{
	return (c >= 0x20 && c <= 0x7e) || c == '\t';
}

/* A kallsyms line found bad: unless a byte of the text is not printable, which is told first. */
static int kallsyms_bad(const char *text, size_t len, char *why, const char *what, size_t lineno)
{
	if (!pcr_tep_printable(text, len))
		return bad(why, "a byte that is not printable ASCII", 0);
	return bad(why, what, lineno);
}

/*
 * One pass over the text (5.4 MB on a 6.18 kernel), each byte looked at once: a scan for
 * printable bytes and then one of the lines took twice as long (README "Speed").
 */
int pcr_tep_check_kallsyms(const char *text, size_t len, char *why)
{
	const char *p = text, *end = text + len;
	size_t lineno = 0;

	while (p < end) {
		const char *name;
		size_t i;

		lineno++;
		for (i = 0; p < end && i <= 16 && is_hex(*p); i++, p++)
			;
		if (!i || i > 16 || end - p < 3 || p[0] != ' ' || !is_ident_start(p[1]) ||
		    p[2] != ' ')
			return kallsyms_bad(text, len, why,
					    "a kallsyms line that is not 'ADDRESS TYPE NAME'", lineno);
		for (p += 3; p < end && *p != '\t' && *p != '\n'; p++) {
			if (*p == ' ')
				return kallsyms_bad(text, len, why,
						    "a kallsyms symbol name with a space", lineno);
			if (!kallsyms_byte_ok(*p))
				return bad(why, "a byte that is not printable ASCII", 0);
		}
		if (p < end && *p == '\t') {
			/* "\t[NAME]" up to the line's end */
			name = p;
			for (p++; p < end && *p != '\n'; p++)
				if (!kallsyms_byte_ok(*p))
					return bad(why, "a byte that is not printable ASCII", 0);
			if (p - name < 4 || name[1] != '[' || p[-1] != ']')
				return kallsyms_bad(text, len, why,
						    "a kallsyms module that is not '\\t[NAME]'",
						    lineno);
		}
		if (p < end)
			p++;	/* the newline */
	}
	return 0;
}

int pcr_tep_check_cmdlines(const char *text, size_t len, char *why)
{
	struct span line;
	size_t pos = 0, lineno = 0;

	if (!pcr_tep_printable(text, len))
		return bad(why, "a byte that is not printable ASCII", 0);
	while (next_line(text, len, &pos, &line)) {
		lineno++;
		if (!take_number(&line, 4194304) || !take(&line, " ") || !line.n || line.n > 64)
			return bad(why, "a saved cmdline that is not 'PID COMM'", lineno);
	}
	return 0;
}
