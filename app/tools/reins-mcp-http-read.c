/* reins-mcp-http-read.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading what an MCP server answers over Streamable HTTP (reins-mcp-http.c): an SSE body
 * event by event (and the legacy transport's endpoint event), a JSON body whole, the
 * status of a refusal in words, and resuming a stream that broke before the answer.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "reins-error.h"
#include "reins-mcp-http-private.h"
#include "reins-sandbox.h"
#include "reins-sse.h"

/* The legacy transport (2024-11-05) says where to POST in its stream's first event. Only
 * an endpoint of the same origin is taken: the messages must not go elsewhere. */
static void
set_endpoint (ReinsMcpHttp *self,
              const char   *data)
{
  g_autoptr(GUri) uri = g_uri_parse_relative (self->uri, data, SOUP_HTTP_URI_FLAGS, NULL);

  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), g_uri_get_scheme (self->uri)) != 0 ||
      g_strcmp0 (g_uri_get_host (uri), g_uri_get_host (self->uri)) != 0 ||
      g_uri_get_port (uri) != g_uri_get_port (self->uri))
    {
      g_debug ("MCP over HTTP: an endpoint elsewhere is ignored: %s", data);
      return;
    }
  g_mutex_lock (&self->mutex);
  if (self->post_uri == NULL)
    self->post_uri = g_steal_pointer (&uri);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

static gboolean
event_cb (const char  *event,
          const char  *data,
          gpointer     user_data,
          GError     **error)
{
  Job *job = user_data;

  if (job->legacy && g_strcmp0 (event, "endpoint") == 0)
    {
      set_endpoint (job->http, data);
      return TRUE;
    }
  /* Only `message` events (the default) carry JSON-RPC; an empty one primes the stream
   * with an id to resume from (2025-11-25). */
  if ((event != NULL && strcmp (event, "message") != 0) || *data == '\0')
    return TRUE;
  return reins_mcp_http_parse_and_deliver (job, data, strlen (data), error);
}

/* Reads an SSE body to its end. FALSE with @error set when it cannot be read on. */
gboolean
reins_mcp_http_read_events (Job           *job,
                            GInputStream  *stream,
                            GError       **error)
{
  g_autoptr(ReinsSseParser) parser = reins_sse_parser_new (event_cb, job);
  char buf[16384];
  gboolean ok = TRUE;

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buf, sizeof buf, job->cancellable, error);

      if (n < 0)
        {
          ok = FALSE;
          break;
        }
      if (n == 0 || !reins_sse_parser_feed (parser, buf, n, error))
        {
          ok = n == 0;
          break;
        }
      /* Nothing more is needed once the answer came: the server may keep the stream. */
      if (job->answered)
        break;
    }

  if (reins_sse_parser_get_last_id (parser) != NULL)
    {
      g_free (job->last_id);
      job->last_id = g_strdup (reins_sse_parser_get_last_id (parser));
    }
  if (reins_sse_parser_get_retry (parser) >= 0)
    job->retry_ms = reins_sse_parser_get_retry (parser);
  return ok;
}

char *
reins_mcp_http_read_all (GInputStream  *stream,
                         GCancellable  *cancellable,
                         gsize          limit,
                         gboolean      *too_big,
                         GError       **error)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  char buf[16384];

  *too_big = FALSE;
  for (;;)
    {
      gssize n = g_input_stream_read (stream, buf, sizeof buf, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (body->len + (gsize) n > limit)
        {
          *too_big = TRUE;
          break;
        }
      g_byte_array_append (body, (const guint8 *) buf, n);
    }
  g_byte_array_append (body, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&body), FALSE);
}

/* Waits @ms unless the job is cancelled first. */
gboolean
reins_mcp_http_job_wait (Job   *job,
                         gint64 ms)
{
  GPollFD pfd;

  if (g_cancellable_make_pollfd (job->cancellable, &pfd))
    {
      g_poll (&pfd, 1, (int) ms);
      g_cancellable_release_fd (job->cancellable);
    }
  return !g_cancellable_is_cancelled (job->cancellable);
}

gboolean
reins_mcp_http_is_event_stream (SoupMessage *msg)
{
  const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                            NULL);

  return type != NULL && g_ascii_strcasecmp (type, "text/event-stream") == 0;
}

char *
reins_mcp_http_describe_status (SoupMessage  *msg,
                                GInputStream *stream,
                                GCancellable *cancellable)
{
  gboolean too_big;
  g_autofree char *text = reins_mcp_http_read_all (stream, cancellable, MAX_ERROR_TEXT, &too_big, NULL);
  g_autofree char *shown = NULL;

  if (text != NULL && g_utf8_validate (text, -1, NULL))
    {
      shown = reins_sandbox_escape_text (text, -1);
      g_strdelimit (shown, "\r\n\t", ' ');
      g_strstrip (shown);
    }
  if (shown != NULL && *shown != '\0')
    return g_strdup_printf (_("it answered HTTP %u %s: %s"), soup_message_get_status (msg),
                            soup_message_get_reason_phrase (msg), shown);
  return g_strdup_printf (_("it answered HTTP %u %s"), soup_message_get_status (msg),
                          soup_message_get_reason_phrase (msg));
}

/* Resumes a request's stream that broke before the answer: GET with Last-Event-ID. */
void
reins_mcp_http_resume (Job *job)
{
  ReinsMcpHttp *self = job->http;

  for (guint attempt = 0; attempt < MAX_RESUMES && !job->answered; attempt++)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GError) error = NULL;
      gint64 wait = job->retry_ms >= 0 ? MIN (job->retry_ms, MAX_RETRY_MS) : DEFAULT_RETRY_MS;

      if (!reins_mcp_http_job_wait (job, wait))
        return;
      msg = reins_mcp_http_new_message (self, "GET", "text/event-stream", job->last_id, NULL, NULL);
      stream = soup_session_send (self->session, msg, job->cancellable, &error);
      if (stream == NULL)
        continue;
      if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)) || !reins_mcp_http_is_event_stream (msg))
        {
          g_autofree char *why = reins_mcp_http_describe_status (msg, stream, job->cancellable);
          g_autofree char *full = g_strdup_printf (_("its stream broke and could not be "
                                                     "resumed: %s"), why);

          reins_mcp_http_job_fail (job, full, FALSE);
          return;
        }
      if (!reins_mcp_http_read_events (job, stream, &error) && error->domain == REINS_ERROR)
        {
          reins_mcp_http_job_fail (job, error->message, FALSE);
          return;
        }
      g_input_stream_close (stream, NULL, NULL);
    }
  if (!job->answered)
    reins_mcp_http_job_fail (job, _("its stream ended before the answer"), FALSE);
}
