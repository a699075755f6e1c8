/* reins-sse.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Framing of streamed replies: Server-Sent Events (OpenAI, Anthropic) and newline-delimited
 * JSON (Ollama). Bytes go in as they arrive from the network, in pieces of any size; whole
 * events or lines come out.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @event is NULL when the event had no `event:` field. Return FALSE with @error set to stop. */
typedef gboolean (*ReinsSseEventFunc) (const char  *event,
                                       const char  *data,
                                       gpointer     user_data,
                                       GError     **error);

typedef struct _ReinsSseParser ReinsSseParser;

ReinsSseParser *reins_sse_parser_new    (ReinsSseEventFunc   func,
                                         gpointer            user_data);
gboolean        reins_sse_parser_feed   (ReinsSseParser     *self,
                                         const char         *data,
                                         gsize               length,
                                         GError            **error);
gboolean        reins_sse_parser_has_pending (ReinsSseParser *self);
const char     *reins_sse_parser_get_last_id (ReinsSseParser *self);
gint64          reins_sse_parser_get_retry   (ReinsSseParser *self);
void            reins_sse_parser_free   (ReinsSseParser     *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsSseParser, reins_sse_parser_free)

/* One complete, non-empty line, without its line ending. */
typedef gboolean (*ReinsLineFunc) (const char  *line,
                                   gpointer     user_data,
                                   GError     **error);

typedef struct _ReinsLineSplitter ReinsLineSplitter;

ReinsLineSplitter *reins_line_splitter_new    (ReinsLineFunc       func,
                                               gpointer            user_data);
gboolean           reins_line_splitter_feed   (ReinsLineSplitter  *self,
                                               const char         *data,
                                               gsize               length,
                                               GError            **error);
gboolean           reins_line_splitter_finish (ReinsLineSplitter  *self,
                                               GError            **error);
void               reins_line_splitter_free   (ReinsLineSplitter  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsLineSplitter, reins_line_splitter_free)

G_END_DECLS
