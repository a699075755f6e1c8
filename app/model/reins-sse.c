/* reins-sse.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Incremental SSE and NDJSON framing. Lines may end in CRLF, LF or CR, and a CR at the
 * end of one network read may be followed by its LF in the next, so a line is only cut
 * once we know what follows it.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "reins-error.h"
#include "reins-sse.h"

/* A longer line is not a reply but a runaway: refuse it rather than grow without bound. */
#define MAX_LINE (16 * 1024 * 1024)
/* The same for an event of many data lines (as large as an MCP answer over HTTP may be). */
#define MAX_EVENT (64 * 1024 * 1024)

typedef gboolean (*LineFunc) (const char *line, gpointer data, GError **error);

typedef struct
{
  GString  *line;
  gboolean  after_cr;  /* the previous byte ended a line with CR: skip one LF */
} Lines;

static gboolean
lines_feed (Lines       *lines,
            const char  *data,
            gsize        length,
            LineFunc     func,
            gpointer     user_data,
            GError     **error)
{
  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (lines->after_cr)
        {
          lines->after_cr = FALSE;
          if (c == '\n')
            continue;
        }

      if (c == '\n' || c == '\r')
        {
          lines->after_cr = c == '\r';
          /* NUL first: g_utf8_validate() refuses it too, and would name the wrong fault. */
          if (memchr (lines->line->str, '\0', lines->line->len) != NULL)
            {
              g_set_error_literal (error, REINS_ERROR, REINS_ERROR_PROVIDER_PROTOCOL,
                                   _("The server sent a NUL byte in a stream"));
              return FALSE;
            }
          if (!g_utf8_validate (lines->line->str, lines->line->len, NULL))
            {
              g_set_error_literal (error, REINS_ERROR, REINS_ERROR_PROVIDER_PROTOCOL,
                                   _("The server sent text that is not valid UTF-8"));
              return FALSE;
            }
          if (!func (lines->line->str, user_data, error))
            return FALSE;
          g_string_truncate (lines->line, 0);
          continue;
        }

      if (lines->line->len >= MAX_LINE)
        {
          g_set_error_literal (error, REINS_ERROR, REINS_ERROR_PROVIDER_PROTOCOL,
                               _("The server sent an overlong line in a stream"));
          return FALSE;
        }
      g_string_append_c (lines->line, c);
    }
  return TRUE;
}

struct _ReinsSseParser
{
  Lines              lines;
  GString           *data;
  char              *event;
  gboolean           has_data;
  char              *last_id;   /* the last `id:`, for resuming with Last-Event-ID */
  gint64             retry_ms;  /* the last `retry:`, or -1 */
  ReinsSseEventFunc  func;
  gpointer           user_data;
};

static gboolean
sse_line (const char  *line,
          gpointer     user_data,
          GError     **error)
{
  ReinsSseParser *self = user_data;
  const char *colon, *value;
  g_autofree char *field = NULL;

  if (line[0] == '\0')
    {
      gboolean ok = TRUE;

      /* A blank line dispatches the event; one without data is only a keep-alive. */
      if (self->has_data)
        ok = self->func (self->event, self->data->str, self->user_data, error);
      g_string_truncate (self->data, 0);
      g_clear_pointer (&self->event, g_free);
      self->has_data = FALSE;
      return ok;
    }

  if (line[0] == ':')
    return TRUE;  /* a comment */

  colon = strchr (line, ':');
  field = colon != NULL ? g_strndup (line, colon - line) : g_strdup (line);
  value = colon != NULL ? colon + 1 : "";
  if (*value == ' ')
    value++;

  if (strcmp (field, "data") == 0)
    {
      if (self->data->len + strlen (value) + 1 > MAX_EVENT)
        {
          g_set_error_literal (error, REINS_ERROR, REINS_ERROR_PROVIDER_PROTOCOL,
                               _("The server sent an overlong event in a stream"));
          return FALSE;
        }
      if (self->has_data)
        g_string_append_c (self->data, '\n');
      g_string_append (self->data, value);
      self->has_data = TRUE;
    }
  else if (strcmp (field, "event") == 0)
    {
      g_free (self->event);
      self->event = g_strdup (value);
    }
  else if (strcmp (field, "id") == 0)
    {
      g_free (self->last_id);
      self->last_id = g_strdup (value);
    }
  else if (strcmp (field, "retry") == 0)
    {
      guint64 ms;

      /* Only ASCII digits count; anything else is ignored, as the SSE spec says. */
      if (*value != '\0' && strspn (value, "0123456789") == strlen (value) &&
          g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT32, &ms, NULL))
        self->retry_ms = (gint64) ms;
    }
  /* Unknown fields are ignored. */
  return TRUE;
}

ReinsSseParser *
reins_sse_parser_new (ReinsSseEventFunc func,
                      gpointer          user_data)
{
  ReinsSseParser *self = g_new0 (ReinsSseParser, 1);

  self->lines.line = g_string_new (NULL);
  self->data = g_string_new (NULL);
  self->func = func;
  self->user_data = user_data;
  self->retry_ms = -1;
  return self;
}

/* The last event id the stream gave (NULL if none): a stream resumed with Last-Event-ID. */
const char *
reins_sse_parser_get_last_id (ReinsSseParser *self)
{
  return self->last_id != NULL && *self->last_id != '\0' ? self->last_id : NULL;
}

/* The reconnection time the stream asked for, in milliseconds, or -1. */
gint64
reins_sse_parser_get_retry (ReinsSseParser *self)
{
  return self->retry_ms;
}

gboolean
reins_sse_parser_feed (ReinsSseParser  *self,
                       const char      *data,
                       gsize            length,
                       GError         **error)
{
  return lines_feed (&self->lines, data, length, sse_line, self, error);
}

/* TRUE if the stream stopped inside an event, which is then dropped (as the SSE spec says). */
gboolean
reins_sse_parser_has_pending (ReinsSseParser *self)
{
  return self->has_data || self->lines.line->len > 0;
}

void
reins_sse_parser_free (ReinsSseParser *self)
{
  if (self == NULL)
    return;
  g_string_free (self->lines.line, TRUE);
  g_string_free (self->data, TRUE);
  g_free (self->event);
  g_free (self->last_id);
  g_free (self);
}

struct _ReinsLineSplitter
{
  Lines          lines;
  ReinsLineFunc  func;
  gpointer       user_data;
};

static gboolean
ndjson_line (const char  *line,
             gpointer     user_data,
             GError     **error)
{
  ReinsLineSplitter *self = user_data;
  const char *p = line;

  while (g_ascii_isspace (*p))
    p++;
  if (*p == '\0')
    return TRUE;
  return self->func (p, self->user_data, error);
}

ReinsLineSplitter *
reins_line_splitter_new (ReinsLineFunc func,
                         gpointer      user_data)
{
  ReinsLineSplitter *self = g_new0 (ReinsLineSplitter, 1);

  self->lines.line = g_string_new (NULL);
  self->func = func;
  self->user_data = user_data;
  return self;
}

gboolean
reins_line_splitter_feed (ReinsLineSplitter  *self,
                          const char         *data,
                          gsize               length,
                          GError            **error)
{
  return lines_feed (&self->lines, data, length, ndjson_line, self, error);
}

/* A last line without a newline still counts. */
gboolean
reins_line_splitter_finish (ReinsLineSplitter  *self,
                            GError            **error)
{
  if (self->lines.line->len == 0)
    return TRUE;
  return lines_feed (&self->lines, "\n", 1, ndjson_line, self, error);
}

void
reins_line_splitter_free (ReinsLineSplitter *self)
{
  if (self == NULL)
    return;
  g_string_free (self->lines.line, TRUE);
  g_free (self);
}
