/* reins-mcp-http-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the two files of the Streamable HTTP transport share: the transport, its jobs (one
 * POST or the GET stream each), and the helpers of reins-mcp-http.c (messages, delivery)
 * and reins-mcp-http-read.c (reading answers, resuming).
 */

#pragma once

#include <libsoup/soup.h>

#include "reins-mcp-transport.h"

G_BEGIN_DECLS

/* A reply larger than this is refused rather than held in memory. */
#define MAX_BODY          (64 * 1024 * 1024)
#define MAX_ERROR_TEXT    300
/* How often a broken stream is resumed, and how long to wait before each try. */
#define MAX_RESUMES       5
#define DEFAULT_RETRY_MS  1000
#define MAX_RETRY_MS      10000
#define DELETE_TIMEOUT_S  5
#define MAX_CONNECTIONS   32

struct _ReinsMcpHttp
{
  GUri                        *uri;
  const ReinsMcpTransportSink *sink;
  gpointer                     client;
  SoupSession                 *session;

  GMutex                       mutex;   /* guards what follows */
  GCond                        cond;    /* a job ended, or the GET stream settled */
  gboolean                     stream_settled;
  GUri                        *post_uri;   /* the legacy transport's endpoint, or NULL */
  char                        *session_id;
  char                        *protocol_version;
  char                        *authorization;  /* the Authorization header, or NULL */
  GPtrArray                   *jobs;    /* Job*: running, or finished and not joined yet */
  gboolean                     closed;
};

/* One POST (a message of the client) or the GET stream, on its own thread. */
typedef struct
{
  ReinsMcpHttp *http;
  JsonNode     *message;     /* NULL for the GET stream */
  gint64        request_id;  /* -1 unless @message is a request */
  GCancellable *cancellable;
  GThread      *thread;
  gboolean      done;
  gboolean      answered;    /* the answer to @request_id came */
  char         *last_id;     /* of the stream being read */
  gint64        retry_ms;
  gboolean      legacy;      /* the GET stream of the legacy HTTP+SSE transport */
} Job;


/* reins-mcp-http.c */
SoupMessage *reins_mcp_http_new_message       (ReinsMcpHttp  *self,
                                               const char    *method,
                                               const char    *accept,
                                               const char    *last_id,
                                               gboolean      *had_session,
                                               char         **used);
void         reins_mcp_http_job_fail          (Job           *job,
                                               const char    *why,
                                               gboolean       session_expired);
gboolean     reins_mcp_http_parse_and_deliver (Job           *job,
                                               const char    *text,
                                               gsize          length,
                                               GError       **error);

/* reins-mcp-http-read.c */
gboolean  reins_mcp_http_read_events     (Job           *job,
                                          GInputStream  *stream,
                                          GError       **error);
char     *reins_mcp_http_read_all        (GInputStream  *stream,
                                          GCancellable  *cancellable,
                                          gsize          limit,
                                          gboolean      *too_big,
                                          GError       **error);
gboolean  reins_mcp_http_job_wait        (Job           *job,
                                          gint64         ms);
gboolean  reins_mcp_http_is_event_stream (SoupMessage   *msg);
char     *reins_mcp_http_describe_status (SoupMessage   *msg,
                                          GInputStream  *stream,
                                          GCancellable  *cancellable);
void      reins_mcp_http_resume          (Job           *job);

G_END_DECLS
