/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Strict checks of the texts a recording hands to libtraceevent's parsers (tepcheck.c): an
 * event's format, kallsyms, saved cmdlines. libtraceevent trusts them as if they came from the
 * running kernel; a recording may hold anything, so a reader checks each text against what a
 * kernel writes before parsing it.
 */
#ifndef PCR_TEPCHECK_H
#define PCR_TEPCHECK_H

#include <stdbool.h>
#include <stddef.h>

#define PCR_TEPCHECK_WHY 128

/**
 * pcr_tep_printable - whether a text holds only printable ASCII, tabs and newlines
 * @text: the text (need not be NUL-terminated)
 * @len: its length in bytes
 *
 * No NUL that would end libtraceevent's copy early, no control byte.
 *
 * Return: true when every byte is printable ASCII, a tab or a newline.
 */
bool pcr_tep_printable(const char *text, size_t len);

/**
 * pcr_tep_check_event - check an event format text as the kernel writes it
 * @text: the text (need not be NUL-terminated)
 * @len: its length in bytes
 * @name: gets the event's name (from its "name:" line), or "" if the text has none
 * @name_size: the size of @name (at least 1)
 * @why: gets what is wrong, PCR_TEPCHECK_WHY bytes
 *
 * The grammar is that of the kernel's format files: "name: N", "ID: D", "format:", field lines
 * ("\tfield:DECL;\toffset:D;\tsize:D;[\tsigned:0|1;]") and blank lines, then one "print fmt:"
 * line: a string literal and C expressions made of names, numbers, strings, operators and
 * balanced brackets, where every REC->x names a field of the event. Printable ASCII only.
 *
 * Return: 0 when the text follows the grammar, -PCR_ERR_FORMAT when not.
 */
int pcr_tep_check_event(const char *text, size_t len, char *name, size_t name_size, char *why);

/**
 * pcr_tep_check_kallsyms - check a kallsyms text ("ADDR TYPE NAME[\t[MODULE]]" lines)
 * @text: the text
 * @len: its length in bytes
 * @why: gets what is wrong, PCR_TEPCHECK_WHY bytes
 *
 * Return: 0 or -PCR_ERR_FORMAT.
 */
int pcr_tep_check_kallsyms(const char *text, size_t len, char *why);

/**
 * pcr_tep_check_cmdlines - check a saved_cmdlines text ("PID COMM" lines)
 * @text: the text
 * @len: its length in bytes
 * @why: gets what is wrong, PCR_TEPCHECK_WHY bytes
 *
 * Return: 0 or -PCR_ERR_FORMAT.
 */
int pcr_tep_check_cmdlines(const char *text, size_t len, char *why);

#endif
