/* Small writers for the report's HTML page (html_write.h). */
#include "html_write.h"

#include <math.h>

void mnn_html_esc(FILE *fp, const char *s) {
  for (; s && *s; ++s) {
    switch (*s) {
      case '<': fputs("&lt;", fp); break;
      case '>': fputs("&gt;", fp); break;
      case '&': fputs("&amp;", fp); break;
      case '"': fputs("&quot;", fp); break;
      default: fputc(*s, fp);
    }
  }
}

void mnn_html_row_text(FILE *fp, const char *name, const char *value) {
  fputs("<tr><th>", fp);
  mnn_html_esc(fp, name);
  fputs("</th><td>", fp);
  mnn_html_esc(fp, value);
  fputs("</td></tr>\n", fp);
}

void mnn_html_row_num(FILE *fp, const char *name, double value, const char *unit) {
  char buf[64];
  if (isfinite(value)) snprintf(buf, sizeof buf, "%.6g%s%s", value, unit && *unit ? " " : "", unit ? unit : "");
  else snprintf(buf, sizeof buf, "—");
  mnn_html_row_text(fp, name, buf);
}

void mnn_html_row_long(FILE *fp, const char *name, long value) {
  char buf[32];
  snprintf(buf, sizeof buf, "%ld", value);
  mnn_html_row_text(fp, name, buf);
}

void mnn_html_figure(FILE *fp, const char *src, int width, int height, const char *caption) {
  if (!src) return;
  fprintf(fp, "<figure style=\"width:%dpx\"><img src=\"", width);
  mnn_html_esc(fp, src);
  fprintf(fp, "\" width=\"%d\" height=\"%d\" alt=\"", width, height);
  mnn_html_esc(fp, caption);
  fputs("\"><figcaption>", fp);
  mnn_html_esc(fp, caption);
  fputs("</figcaption></figure>\n", fp);
}
