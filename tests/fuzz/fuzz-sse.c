/* fuzz-sse.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SSE parser and the line splitter: whatever the bytes and however the network cuts
 * them, the same events come out, each valid UTF-8 without NUL.
 */

#include "config.h"

#include <string.h>

#include "fuzz-target.h"
#include "reins-sse.h"

static gboolean
event_cb (const char  *event,
          const char  *data,
          gpointer     user_data,
          GError     **error)
{
  GString *log = user_data;

  fuzz_check (data != NULL);
  fuzz_check (g_utf8_validate (data, -1, NULL));
  fuzz_check (event == NULL || g_utf8_validate (event, -1, NULL));
  g_string_append_printf (log, "%s\x1f%s\x1e", event != NULL ? event : "(null)", data);
  return TRUE;
}

static gboolean
line_cb (const char  *line,
         gpointer     user_data,
         GError     **error)
{
  fuzz_check (line != NULL && line[0] != '\0');
  fuzz_check (g_utf8_validate (line, -1, NULL));
  g_string_append_printf (user_data, "%s\x1e", line);
  return TRUE;
}

/* Feeds @data whole or in pieces of @piece bytes; returns what came out. */
static gboolean
run_sse (const char *data,
         gsize       size,
         gsize       piece,
         GString    *log)
{
  g_autoptr(ReinsSseParser) parser = reins_sse_parser_new (event_cb, log);
  g_autoptr(GError) error = NULL;

  for (gsize at = 0; at < size; at += piece)
    if (!reins_sse_parser_feed (parser, data + at, MIN (piece, size - at), &error))
      {
        fuzz_check (error != NULL);
        return FALSE;
      }
  (void) reins_sse_parser_has_pending (parser);
  return TRUE;
}

static gboolean
run_lines (const char *data,
           gsize       size,
           gsize       piece,
           GString    *log)
{
  g_autoptr(ReinsLineSplitter) splitter = reins_line_splitter_new (line_cb, log);
  g_autoptr(GError) error = NULL;

  for (gsize at = 0; at < size; at += piece)
    if (!reins_line_splitter_feed (splitter, data + at, MIN (piece, size - at), &error))
      {
        fuzz_check (error != NULL);
        return FALSE;
      }
  if (!reins_line_splitter_finish (splitter, &error))
    {
      fuzz_check (error != NULL);
      return FALSE;
    }
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GString) whole = g_string_new (NULL);
  g_autoptr(GString) pieces = g_string_new (NULL);
  gsize piece;
  gboolean ok_whole, ok_pieces;

  /* The first byte chooses how the network cuts the rest. */
  if (size == 0)
    return 0;
  piece = 1 + data[0] % 17;
  data++;
  size--;

  ok_whole = run_sse ((const char *) data, size, MAX (size, 1), whole);
  ok_pieces = run_sse ((const char *) data, size, piece, pieces);
  fuzz_check (ok_whole == ok_pieces);
  fuzz_check (g_string_equal (whole, pieces));

  g_string_truncate (whole, 0);
  g_string_truncate (pieces, 0);
  ok_whole = run_lines ((const char *) data, size, MAX (size, 1), whole);
  ok_pieces = run_lines ((const char *) data, size, piece, pieces);
  fuzz_check (ok_whole == ok_pieces);
  fuzz_check (g_string_equal (whole, pieces));
  return 0;
}
