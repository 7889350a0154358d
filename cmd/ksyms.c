// SPDX-License-Identifier: GPL-2.0
/*
 * Where a replay's kernel symbols come from. perf record stores no kallsyms (its tracing data
 * holds an empty one since perf 5.x): perf script names the frames with the running kernel's
 * /proc/kallsyms after checking the build id. The same is done here, and a --kallsyms copy is
 * checked against the recording's kernel map instead of printing names of another kernel.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "ksyms.h"

/* perf's kernel map ends at _edata, or at _etext when kallsyms has no data symbols. */
#define MAX_KERNEL_TEXT (1ull << 30)

/* Whether the map's end is a text end perf could have taken from @table. */
static bool map_end_fits(const struct pcr_kallsyms *table, const struct pcr_source_info *info)
{
	uint64_t end;

	if (!info->kernel_text_end || info->kernel_text_end <= info->kernel_text ||
	    info->kernel_text_end - info->kernel_text > MAX_KERNEL_TEXT)
		return true;	/* no end recorded (an older perf maps to the top) */
	return (!pcr_kallsyms_address(table, "_etext", &end) && end == info->kernel_text_end) ||
	       (!pcr_kallsyms_address(table, "_edata", &end) && end == info->kernel_text_end);
}

static void running_build_id(char *id, size_t size)
{
	char errmsg[PCR_ERRMSG_LEN];
	size_t len;
	char *notes;

	id[0] = '\0';
	if (pcr_read_file("/sys/kernel/notes", &notes, &len, errmsg))
		return;
	if (pcr_notes_build_id((const unsigned char *)notes, len, id, size))
		id[0] = '\0';
	free(notes);
}

int pcr_ksyms_running(const struct pcr_source_info *info, struct pcr_kallsyms **out, char *note,
		      size_t size)
{
	char recorded[128], id[2 * 64 + 1], errmsg[PCR_ERRMSG_LEN];
	struct pcr_kallsyms *table = NULL;
	struct utsname un;
	bool same_release, same_build;
	uint64_t text, delta;
	size_t len;
	char *kallsyms;
	int ret;

	*out = NULL;
	note[0] = '\0';
	if (!info->kernel_text_sym || uname(&un))
		return 0;
	same_release = info->kernel && !pcr_uname_release(info->kernel, recorded, sizeof(recorded)) &&
		       !strcmp(recorded, un.release);
	running_build_id(id, sizeof(id));
	if (info->build_id && id[0] && strcmp(id, info->build_id)) {
		/* Only a near miss is explained: a recording of another kernel says the usual. */
		if (same_release)
			snprintf(note, size,
				 "none (frames print as addresses: the running kernel has the recording's release %s, but build id %s, not the recording's %s)",
				 recorded, id, info->build_id);
		return 0;
	}
	same_build = info->build_id && id[0];
	if (!same_build && !same_release)
		return 0;
	ret = pcr_read_file("/proc/kallsyms", &kallsyms, &len, errmsg);
	if (ret == -PCR_ERR_NOMEM)
		return ret;
	if (!ret) {
		ret = pcr_kallsyms_parse(&table, kallsyms, len);
		free(kallsyms);
		if (ret == -PCR_ERR_NOMEM)
			return ret;
	}
	if (ret) {
		snprintf(note, size,
			 "none (frames print as addresses: the running kernel is the recording's, but /proc/kallsyms shows no addresses: read it as root, with kernel.kptr_restrict below 2)");
		return 0;
	}
	if (pcr_kallsyms_address(table, info->kernel_text_sym, &text) ||
	    (!same_build && (text != info->kernel_text || !map_end_fits(table, info)))) {
		snprintf(note, size,
			 "none (frames print as addresses: the running kernel has the recording's release, but not its kernel map, and the recording lists no build id to tell more)");
		pcr_kallsyms_free(table);
		return 0;
	}
	if (text != info->kernel_text) {
		/* The same build, booted elsewhere (KASLR): moved as perf script moves it. */
		delta = info->kernel_text - text;
		pcr_kallsyms_relocate(table, delta);
		snprintf(note, size,
			 "/proc/kallsyms, moved by %s0x%" PRIx64 " (the running kernel: the recording's build id, but booted elsewhere: %s at 0x%" PRIx64 " here, 0x%" PRIx64 " in the recording's kernel map; module frames print as addresses)",
			 delta >> 63 ? "-" : "", delta >> 63 ? -delta : delta,
			 info->kernel_text_sym, text, info->kernel_text);
		*out = table;
		return 0;
	}
	snprintf(note, size,
		 "/proc/kallsyms (the running kernel: %s, %s at 0x%" PRIx64 " as in the recording's kernel map)",
		 same_build ? "the recording's build id" :
		 "the recording's release and kernel text; the recording lists no build id",
		 info->kernel_text_sym, text);
	*out = table;
	return 0;
}

int pcr_ksyms_check(const char *path, const struct pcr_kallsyms *table,
		    const struct pcr_source_info *info, const struct pcr_depot *depot, char *note,
		    size_t size, char *errmsg)
{
	char recorded[128], id[2 * 64 + 1], *real = realpath(path, NULL);
	const char *sym = info->kernel_text_sym;
	bool running = real && !strcmp(real, "/proc/kallsyms");
	struct pcr_kallsyms_frames f;
	uint64_t text, etext;
	struct utsname un;

	free(real);
	/* The running kernel's own: its build id and release say whether it is the recorded one. */
	if (running && info->build_id) {
		running_build_id(id, sizeof(id));
		if (id[0] && strcmp(id, info->build_id))
			return pcr_errmsg(errmsg, -PCR_ERR_INVAL,
					  "%s: the running kernel's, whose build id is %s, but the recording's kernel has build id %s (perf buildid-list shows it): another kernel; pass a copy of /proc/kallsyms made on the traced machine in the boot recorded, or leave --kallsyms out",
					  path, id, info->build_id);
	}
	if (running && info->kernel && !uname(&un) &&
	    !pcr_uname_release(info->kernel, recorded, sizeof(recorded)) &&
	    strcmp(recorded, un.release))
		return pcr_errmsg(errmsg, -PCR_ERR_INVAL,
				  "%s: the running kernel's, release %s, but the recording was made on %s (its uname): another kernel; pass a copy of /proc/kallsyms made on the traced machine in the boot recorded, or leave --kallsyms out",
				  path, un.release, recorded);
	if (sym) {
		if (pcr_kallsyms_address(table, sym, &text))
			return pcr_errmsg(errmsg, -PCR_ERR_INVAL,
					  "%s: no %s symbol, so it cannot be checked against the recording's kernel map ([kernel.kallsyms]%s at 0x%" PRIx64 "); pass a whole copy of the traced machine's /proc/kallsyms, read as root",
					  path, sym, sym, info->kernel_text);
		if (text != info->kernel_text)
			return pcr_errmsg(errmsg, -PCR_ERR_INVAL,
					  "%s: %s at 0x%" PRIx64 ", but the recording's kernel map ([kernel.kallsyms]%s) starts at 0x%" PRIx64 ": the kallsyms of another kernel or of another boot (KASLR); pass a copy of /proc/kallsyms made on the traced machine in the boot recorded, or leave --kallsyms out",
					  path, sym, text, sym, info->kernel_text);
		if (!map_end_fits(table, info))
			return pcr_errmsg(errmsg, -PCR_ERR_INVAL,
					  "%s: its kernel text ends at 0x%" PRIx64 " (_etext), but the recording's kernel map ends at 0x%" PRIx64 ": the kallsyms of another build of the kernel; pass a copy of /proc/kallsyms made on the traced machine in the boot recorded, or leave --kallsyms out",
					  path, pcr_kallsyms_address(table, "_etext", &etext) ? 0 : etext,
					  info->kernel_text_end);
	} else if (pcr_kallsyms_address(table, "_text", &text) &&
		   pcr_kallsyms_address(table, "_stext", &text)) {
		snprintf(note, size, "%s (unchecked: no _text in it, and the recording has no kernel map)",
			 path);
		return 0;
	}
	if (pcr_kallsyms_address(table, "_etext", &etext)) {
		snprintf(note, size, "%s (%s; no _etext in it to check the stack frames)", path,
			 sym ? "matches the recording's kernel map" : "unchecked: the recording has no kernel map");
		return 0;
	}
	pcr_kallsyms_frames(table, depot, text, etext, &f);
	if (f.outside)
		return pcr_errmsg(errmsg, -PCR_ERR_INVAL,
				  "%s: %" PRIu64 " of the recording's %" PRIu64 " kernel stack frames (the first 0x%" PRIx64 ") lie neither in its kernel text [0x%" PRIx64 ", 0x%" PRIx64 ") nor in a module's symbol: the kallsyms of another kernel or of another boot (KASLR), or taken after a module was unloaded; pass a copy of /proc/kallsyms made on the traced machine in the boot recorded, or leave --kallsyms out",
				  path, f.outside, f.frames, f.first_outside, text, etext);
	if (!f.frames)
		snprintf(note, size, "%s (%s)", path, sym ? "matches the recording's kernel map" :
			 "unchecked: the recording has no kernel map and no stack frames");
	else
		snprintf(note, size,
			 "%s (%s; its text or modules hold all %" PRIu64 " frames of the distinct stacks)",
			 path, sym ? "matches the recording's kernel map" :
			 "the recording has no kernel map to check it against", f.frames);
	return 0;
}
