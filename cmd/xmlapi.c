// SPDX-License-Identifier: GPL-2.0
/*
 * libxml2 loaded on demand (see xmlapi.h).
 */
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "pcr_formats.h"
#include "xmlapi.h"

/* Each function by name; POSIX's way to store dlsym()'s object pointer as a function's. */
#define XML_FN(field, name) { offsetof(struct pcr_xml, field), #name }

static const struct {
	size_t offset;
	const char *name;
} xml_fns[] = {
	XML_FN(buffer_create, xmlBufferCreate),
	XML_FN(buffer_free, xmlBufferFree),
	XML_FN(buffer_content, xmlBufferContent),
	XML_FN(buffer_length, xmlBufferLength),
	XML_FN(new_writer, xmlNewTextWriterMemory),
	XML_FN(free_writer, xmlFreeTextWriter),
	XML_FN(set_indent, xmlTextWriterSetIndent),
	XML_FN(set_indent_string, xmlTextWriterSetIndentString),
	XML_FN(start_document, xmlTextWriterStartDocument),
	XML_FN(end_document, xmlTextWriterEndDocument),
	XML_FN(start_element, xmlTextWriterStartElement),
	XML_FN(end_element, xmlTextWriterEndElement),
	XML_FN(write_attribute, xmlTextWriterWriteAttribute),
	XML_FN(write_element, xmlTextWriterWriteElement),
	XML_FN(write_string, xmlTextWriterWriteString),
};

/*
 * libxml2 is never dlclose()d: it allocates its global state at first use and keeps it for the
 * process, as when it is linked; unmapped, LeakSanitizer reports that state as leaked.
 */
int pcr_xml_load(struct pcr_xml *x)
{
	size_t i;

	memset(x, 0, sizeof(*x));
	x->handle = dlopen(PCR_XML_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!x->handle) {
		fprintf(stderr, "pagecheck-replay: the JUnit report needs libxml2 (%s): %s; install it (Debian: apt-get install libxml2) or choose another --format\n",
			PCR_XML_SONAME, dlerror());
		return -PCR_ERR_IO;
	}
	for (i = 0; i < sizeof(xml_fns) / sizeof(xml_fns[0]); i++) {
		void *fn = dlsym(x->handle, xml_fns[i].name);

		if (!fn) {
			fprintf(stderr, "pagecheck-replay: %s has no %s: the JUnit report needs libxml2 2.9 or later\n",
				PCR_XML_SONAME, xml_fns[i].name);
			return -PCR_ERR_IO;
		}
		memcpy((char *)x + xml_fns[i].offset, &fn, sizeof(fn));
	}
	return 0;
}
