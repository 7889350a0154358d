/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libxml2's text writer, loaded when a JUnit report is written and not at every start.
 *
 * Why: libxml2 brings ICU and libstdc++; linked, loading them was 2.4 ms of every run (a
 * replay of a small recording took 11 ms), whatever the report's format (README "Speed").
 */
#ifndef PCR_CMD_XMLAPI_H
#define PCR_CMD_XMLAPI_H

#include <libxml/xmlwriter.h>

/* The soname Debian's libxml2 (2.9) ships; libxml2-dev's headers are its API. */
#define PCR_XML_SONAME "libxml2.so.2"

/**
 * struct pcr_xml - the libxml2 functions the JUnit writers call, with their declared types
 * @handle: the loaded library
 */
struct pcr_xml {
	void *handle;
	__typeof__(&xmlBufferCreate) buffer_create;
	__typeof__(&xmlBufferFree) buffer_free;
	__typeof__(&xmlBufferContent) buffer_content;
	__typeof__(&xmlBufferLength) buffer_length;
	__typeof__(&xmlNewTextWriterMemory) new_writer;
	__typeof__(&xmlFreeTextWriter) free_writer;
	__typeof__(&xmlTextWriterSetIndent) set_indent;
	__typeof__(&xmlTextWriterSetIndentString) set_indent_string;
	__typeof__(&xmlTextWriterStartDocument) start_document;
	__typeof__(&xmlTextWriterEndDocument) end_document;
	__typeof__(&xmlTextWriterStartElement) start_element;
	__typeof__(&xmlTextWriterEndElement) end_element;
	__typeof__(&xmlTextWriterWriteAttribute) write_attribute;
	__typeof__(&xmlTextWriterWriteElement) write_element;
	__typeof__(&xmlTextWriterWriteString) write_string;
};

/**
 * pcr_xml_load - load libxml2 and find its writer's functions
 * @x: receives them
 *
 * On failure, says on standard error what is missing and how to get it. The library stays
 * loaded for the rest of the process.
 *
 * Return: 0, or -PCR_ERR_IO when libxml2 cannot be loaded.
 */
int pcr_xml_load(struct pcr_xml *x);

#endif /* PCR_CMD_XMLAPI_H */
