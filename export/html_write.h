/* Small writers for the report's HTML page: escaped text, table rows of a name
 * and a value, figures. Output goes to a FILE the page's atomic file owns (write
 * errors are caught when it is committed). */
#ifndef MNN_HTML_WRITE_H
#define MNN_HTML_WRITE_H

#include <stdio.h>

/* s with <, >, & and " escaped (NULL writes nothing). */
void mnn_html_esc(FILE *fp, const char *s);
/* <tr><th>name</th><td>value</td></tr>, both escaped. */
void mnn_html_row_text(FILE *fp, const char *name, const char *value);
/* A number with %.6g and a unit ("—" when not finite). */
void mnn_html_row_num(FILE *fp, const char *name, double value, const char *unit);
void mnn_html_row_long(FILE *fp, const char *name, long value);
/* <figure> with the picture (a path relative to the page), its size in CSS pixels
 * and a caption; nothing when src is NULL. */
void mnn_html_figure(FILE *fp, const char *src, int width, int height, const char *caption);

#endif
