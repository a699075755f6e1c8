/* test-sse.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SSE and NDJSON framing, fed in pieces of every size.
 */

#include "config.h"

#include <string.h>

#include "reins-error.h"
#include "reins-sse.h"

static gboolean
collect_event (const char  *event,
               const char  *data,
               gpointer     user_data,
               GError     **error)
{
  g_ptr_array_add (user_data, g_strdup_printf ("%s=%s", event != NULL ? event : "-", data));
  return TRUE;
}

static gboolean
collect_line (const char  *line,
              gpointer     user_data,
              GError     **error)
{
  g_ptr_array_add (user_data, g_strdup (line));
  return TRUE;
}

static const char *sse_text =
  ": comment\r\n"
  "\r\n"
  "event: message_start\r\n"
  "data: {\"a\":1}\r\n"
  "\r\n"
  "data:no-space\n"
  "data:  two spaces\n"
  "id: 3\n"
  "unknown\n"
  "\n"
  "event: ping\r"
  "data: {}\r"
  "\r"
  "data: ü\n"
  "\n"
  "event: lonely\n"
  "\n"
  "data: [DONE]\n"
  "\n"
  "data: cut off";

static void
check_events (GPtrArray *events)
{
  const char *expected[] = {
    "message_start={\"a\":1}",
    "-=no-space\n two spaces",
    "ping={}",
    "-=ü",
    "-=[DONE]",
  };

  g_assert_cmpuint (events->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_ptr_array_index (events, i), ==, expected[i]);
}

static void
test_sse_pieces (void)
{
  gsize len = strlen (sse_text);

  /* Every piece size, so every event, line and CRLF is cut somewhere. */
  for (gsize piece = 1; piece <= len; piece++)
    {
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(ReinsSseParser) parser = reins_sse_parser_new (collect_event, events);
      g_autoptr(GError) error = NULL;

      for (gsize at = 0; at < len; at += piece)
        {
          g_assert_true (reins_sse_parser_feed (parser, sse_text + at, MIN (piece, len - at),
                                                &error));
          g_assert_no_error (error);
        }
      check_events (events);
      /* The stream stopped inside an event: the caller can tell. */
      g_assert_true (reins_sse_parser_has_pending (parser));
    }
}

static void
test_sse_bad (void)
{
  const char *bad[] = {
    "data: \xff\xfe\n\n",
    "data: a\0b\n\n",
  };
  gsize lengths[] = { strlen (bad[0]), 11 };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(ReinsSseParser) parser = reins_sse_parser_new (collect_event, events);
      g_autoptr(GError) error = NULL;

      g_assert_false (reins_sse_parser_feed (parser, bad[i], lengths[i], &error));
      g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_PROTOCOL);
      g_assert_cmpuint (events->len, ==, 0);
    }
}

/* An event of many data lines, none of them too long, is bounded as a whole; one just
 * under the bound is read. */
static void
test_sse_overlong_event (void)
{
  g_autofree char *line = NULL;
  gsize line_length = 1024 * 1024;

  line = g_malloc (line_length + 1);
  memcpy (line, "data: ", 6);
  memset (line + 6, 'x', line_length - 7);
  line[line_length - 1] = '\n';
  line[line_length] = '\0';

  for (guint lines = 63; lines <= 65; lines += 2)
    {
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(ReinsSseParser) parser = reins_sse_parser_new (collect_event, events);
      g_autoptr(GError) error = NULL;
      gboolean ok = TRUE;

      for (guint i = 0; i < lines && ok; i++)
        ok = reins_sse_parser_feed (parser, line, line_length, &error);
      if (ok)
        ok = reins_sse_parser_feed (parser, "\n", 1, &error);
      if (lines == 63)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (events->len, ==, 1);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_PROTOCOL);
          g_assert_cmpuint (events->len, ==, 0);
        }
    }
}

static gboolean
stop_event (const char  *event,
            const char  *data,
            gpointer     user_data,
            GError     **error)
{
  g_set_error_literal (error, REINS_ERROR, REINS_ERROR_PROVIDER, "stop");
  return FALSE;
}

static void
test_sse_stop (void)
{
  g_autoptr(ReinsSseParser) parser = reins_sse_parser_new (stop_event, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (reins_sse_parser_feed (parser, "data: x\n\ndata: y\n\n", 18, &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER);
}

/* The id and retry fields, for resuming a stream (MCP Streamable HTTP). */
static void
test_sse_id_retry (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(ReinsSseParser) parser = reins_sse_parser_new (collect_event, events);
  g_autoptr(GError) error = NULL;
  const char *text = "retry: 250\nid: e1\ndata: a\n\nretry: 12x\nretry:\nid: e2\ndata: b\n\n";

  g_assert_null (reins_sse_parser_get_last_id (parser));
  g_assert_cmpint (reins_sse_parser_get_retry (parser), ==, -1);
  g_assert_true (reins_sse_parser_feed (parser, text, strlen (text), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (reins_sse_parser_get_last_id (parser), ==, "e2");
  /* A retry that is not all digits is ignored; the last good one stays. */
  g_assert_cmpint (reins_sse_parser_get_retry (parser), ==, 250);

  /* An empty id resets it. */
  g_assert_true (reins_sse_parser_feed (parser, "id\n\n", 5, &error));
  g_assert_null (reins_sse_parser_get_last_id (parser));
}

static void
test_ndjson (void)
{
  const char *text = "{\"a\":1}\n\n  \r\n{\"b\":2}\r\n{\"c\":\"ü\"}\r{\"d\":4}";
  gsize len = strlen (text);

  for (gsize piece = 1; piece <= len; piece++)
    {
      g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(ReinsLineSplitter) splitter = reins_line_splitter_new (collect_line, lines);
      g_autoptr(GError) error = NULL;

      for (gsize at = 0; at < len; at += piece)
        g_assert_true (reins_line_splitter_feed (splitter, text + at, MIN (piece, len - at),
                                                 &error));
      g_assert_cmpuint (lines->len, ==, 3);
      /* The last line has no newline: finish delivers it. */
      g_assert_true (reins_line_splitter_finish (splitter, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (lines->len, ==, 4);
      g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "{\"a\":1}");
      g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, "{\"c\":\"ü\"}");
      g_assert_cmpstr (g_ptr_array_index (lines, 3), ==, "{\"d\":4}");
    }

  {
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(ReinsLineSplitter) splitter = reins_line_splitter_new (collect_line, lines);
    g_autoptr(GError) error = NULL;

    g_assert_false (reins_line_splitter_feed (splitter, "{\"a\":\"\xc3\"}\n", 10, &error));
    g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_PROTOCOL);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reins/model/sse/pieces", test_sse_pieces);
  g_test_add_func ("/reins/model/sse/bad", test_sse_bad);
  g_test_add_func ("/reins/model/sse/overlong-event", test_sse_overlong_event);
  g_test_add_func ("/reins/model/sse/stop", test_sse_stop);
  g_test_add_func ("/reins/model/sse/ndjson", test_ndjson);
  g_test_add_func ("/reins/model/sse/id-retry", test_sse_id_retry);

  return g_test_run ();
}
