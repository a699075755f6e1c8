/* reins-test-server.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A loopback HTTP server for wire-format tests. It runs a SoupServer on 127.0.0.1 at a
 * random port, in its own thread with its own GMainContext, so a synchronous client on the
 * test thread can talk to it. A handler describes each reply: status, headers, and body
 * pieces written one by one after pauses, so events can be split across TCP writes.
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _ReinsTestServer ReinsTestServer;
typedef struct _ReinsTestReply  ReinsTestReply;

/* Runs on the server thread. @index counts requests from 0. */
typedef void (*ReinsTestHandler) (const char      *path,
                                  const char      *body,
                                  guint            index,
                                  ReinsTestReply  *reply,
                                  gpointer         user_data);

ReinsTestServer *reins_test_server_new          (ReinsTestHandler   handler,
                                                 gpointer           user_data);
const char      *reins_test_server_get_url      (ReinsTestServer   *self);
guint            reins_test_server_get_count    (ReinsTestServer   *self);
char            *reins_test_server_dup_body     (ReinsTestServer   *self);
char            *reins_test_server_dup_path     (ReinsTestServer   *self);
char            *reins_test_server_dup_header   (ReinsTestServer   *self,
                                                 const char        *name);
void             reins_test_server_free         (ReinsTestServer   *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsTestServer, reins_test_server_free)

void reins_test_reply_set_status (ReinsTestReply *reply,
                                  guint           status);
void reins_test_reply_add_header (ReinsTestReply *reply,
                                  const char     *name,
                                  const char     *value);
/* Writes @data (@length bytes, or up to its NUL when -1) after @delay_ms. */
void reins_test_reply_add        (ReinsTestReply *reply,
                                  guint           delay_ms,
                                  const char     *data,
                                  gssize          length);
/* Returns the piece (transfer full) when it is ready, else NULL. */
typedef char *(*ReinsTestPieceFunc) (gpointer user_data);
void reins_test_reply_add_func   (ReinsTestReply     *reply,
                                  ReinsTestPieceFunc  func,
                                  gpointer            user_data);
/* The request being answered, from within the handler. */
const char *reins_test_reply_get_method (ReinsTestReply *reply);
const char *reins_test_reply_get_query  (ReinsTestReply *reply);
const char *reins_test_reply_get_header (ReinsTestReply *reply,
                                         const char     *name);
/* Ends the reply by dropping the connection (100 ms after the last piece, so that piece
 * is on the wire) instead of finishing the body. */
void reins_test_reply_abort      (ReinsTestReply *reply);

/* Misbehaving model servers, in the OpenAI chat-completions stream format. */
typedef enum
{
  REINS_TEST_FAULT_DRIP,            /* SSE keep-alive comments every 100 ms, for minutes */
  REINS_TEST_FAULT_SILENT,          /* accepts the request and never answers */
  REINS_TEST_FAULT_DEEP,            /* an event nested reins_test_fault_depth levels deep */
  REINS_TEST_FAULT_TRUNCATED_ARGS,  /* tool-call arguments cut off, then finish_reason */
  REINS_TEST_FAULT_SEVERAL_CALLS,   /* three tool calls in one reply */
  REINS_TEST_FAULT_INVALID_ESCAPE,  /* "\201" in the text, not a JSON escape */
  REINS_TEST_FAULT_NUL_PATH,        /* read_file with "\u0000" inside the path */
} ReinsTestFault;

extern guint reins_test_fault_depth;  /* for REINS_TEST_FAULT_DEEP; 100000 by default */

/* Fills @reply with @fault. */
void reins_test_fault_reply (ReinsTestReply *reply,
                             ReinsTestFault  fault);
/* An SSE reply that calls one tool (@arguments is its JSON text, unescaped). */
void reins_test_reply_tool_call (ReinsTestReply *reply,
                                 const char     *name,
                                 const char     *arguments);

G_END_DECLS
