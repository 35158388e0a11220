/*
 * Glossary writers: TSV as OmegaT reads it, and TBX (TBX-Basic, martif).
 */
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <string.h>

#include "tandem/error.h"
#include "tandem/tandem.h"
#include "tandem/terms.h"

static int write_error(void)
{
	return td_error_set(TD_EIO, "terms: writing the glossary failed");
}

/* A field without tabs or line breaks (they would split the TSV record). */
static void put_field(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static void comment(char *buf, size_t n, const td_glossary_entry *e)
{
	if (e->target)
		snprintf(buf, n, "%lld units; translated so in %lld; confidence %.2f",
			(long long)e->count, (long long)e->target_count, e->score);
	else
		snprintf(buf, n, "%lld units; no translation found", (long long)e->count);
}

int td_glossary_write_tsv(FILE *f, const td_glossary *g)
{
	char note[160];
	size_t i;

	for (i = 0; i < g->n; i++) {
		comment(note, sizeof(note), &g->v[i]);
		put_field(f, g->v[i].term);
		fputc('\t', f);
		put_field(f, g->v[i].target ? g->v[i].target : "");
		fputc('\t', f);
		put_field(f, note);
		fputc('\n', f);
	}
	if (fflush(f) != 0 || ferror(f))
		return write_error();
	return 0;
}

static int lang_set(xmlTextWriterPtr w, const char *lang, const char *term)
{
	if (xmlTextWriterStartElement(w, BAD_CAST "langSet") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "xml:lang", BAD_CAST lang) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "tig") < 0 ||
	    xmlTextWriterWriteElement(w, BAD_CAST "term", BAD_CAST term) < 0 ||
	    xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}

static int write_tbx(xmlTextWriterPtr w, const td_glossary *g)
{
	char id[32], note[160], desc[128];
	size_t i;

	snprintf(desc, sizeof(desc), "Terms and translations found in a translation memory by tandem %s",
		td_version());
	if (xmlTextWriterSetIndent(w, 1) < 0 ||
	    xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "martif") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "TBX-Basic") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "xml:lang", BAD_CAST g->src_lang) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "martifHeader") < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "fileDesc") < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "sourceDesc") < 0 ||
	    xmlTextWriterWriteElement(w, BAD_CAST "p", BAD_CAST desc) < 0 ||
	    xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndElement(w) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "encodingDesc") < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "p") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "XCSURI") < 0 ||
	    xmlTextWriterWriteString(w, BAD_CAST "TBXBasicXCSV02.xcs") < 0 ||
	    xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndElement(w) < 0 ||
	    xmlTextWriterEndElement(w) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "text") < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "body") < 0)
		return -1;
	for (i = 0; i < g->n; i++) {
		const td_glossary_entry *e = &g->v[i];
		snprintf(id, sizeof(id), "t%zu", i + 1);
		comment(note, sizeof(note), e);
		if (xmlTextWriterStartElement(w, BAD_CAST "termEntry") < 0 ||
		    xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST id) < 0 ||
		    xmlTextWriterWriteElement(w, BAD_CAST "note", BAD_CAST note) < 0 ||
		    lang_set(w, g->src_lang, e->term) < 0 ||
		    (e->target && lang_set(w, g->tgt_lang, e->target) < 0) ||
		    xmlTextWriterEndElement(w) < 0)
			return -1;
	}
	if (xmlTextWriterEndDocument(w) < 0 || xmlTextWriterFlush(w) < 0)
		return -1;
	return 0;
}

int td_glossary_write_tbx(FILE *f, const td_glossary *g)
{
	xmlOutputBufferPtr buf = xmlOutputBufferCreateFile(f, NULL);
	xmlTextWriterPtr w;
	int rc;

	if (!buf)
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	w = xmlNewTextWriter(buf); /* owns buf from here on */
	if (!w) {
		xmlOutputBufferClose(buf);
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	}
	rc = write_tbx(w, g);
	xmlFreeTextWriter(w);
	if (rc < 0 || fflush(f) != 0 || ferror(f))
		return write_error();
	return 0;
}
