/* reins-mcp-http.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Streamable HTTP transport of MCP (spec 2025-06-18 and 2025-11-25, “basic/transports”;
 * PROTOCOLS.md). Every message the client sends is its own POST, made on a thread of its own
 * with libsoup's synchronous API, so a slow or dead server never blocks the caller: the
 * client waits for the answer exactly as over stdio (reins-mcp-client.c), with its timeout
 * and cancellable. A request is answered by one JSON object or by an SSE stream that may
 * carry the server's own requests and notifications before the answer; a stream that breaks
 * before the answer is resumed with Last-Event-ID after the server's `retry`. The session id
 * of the initialize answer goes on every later message, with MCP-Protocol-Version once it is
 * negotiated; a GET stream brings the messages the server starts, if it offers one; DELETE
 * ends the session on close.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "reins-error.h"
#include "reins-mcp-http-private.h"
#include "reins-sandbox.h"
#include "reins-sse.h"

gboolean
reins_mcp_http_is_url (const char *text)
{
  return text != NULL && (g_str_has_prefix (text, "http://") ||
                          g_str_has_prefix (text, "https://"));
}

ReinsMcpHttp *
reins_mcp_http_new (const char                  *url,
                    const ReinsMcpTransportSink *sink,
                    gpointer                     client)
{
  ReinsMcpHttp *self;
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  g_autofree char *agent = g_strdup_printf ("Reins/%s", PACKAGE_VERSION);

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;

  self = g_new0 (ReinsMcpHttp, 1);
  self->uri = g_steal_pointer (&uri);
  self->sink = sink;
  self->client = client;
  /* No I/O timeout: a stream may rightly stay quiet while a long tool runs. Every request
   * has the client's deadline, which cancels it. */
  /* Streams hold their connections (the GET stream, a call's SSE answer), and the answer to
   * a server's question must not wait behind them: libsoup allows only 2 per host. */
  self->session = soup_session_new_with_options ("user-agent", agent, "timeout", 0,
                                                 "max-conns-per-host", MAX_CONNECTIONS,
                                                 "max-conns", MAX_CONNECTIONS, NULL);
  self->jobs = g_ptr_array_new ();
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  return self;
}

static void
job_free (Job *job)
{
  g_clear_pointer (&job->message, json_node_unref);
  g_clear_object (&job->cancellable);
  g_free (job->last_id);
  g_free (job);
}

/* Whether a session id is fit for a header: visible ASCII only (the spec says so). */
static gboolean
valid_session_id (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 1024)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (*p < 0x21 || *p > 0x7e)
      return FALSE;
  return TRUE;
}

SoupMessage *
reins_mcp_http_new_message (ReinsMcpHttp *self,
                            const char   *method,
                            const char   *accept,
                            const char   *last_id,
                            gboolean     *had_session,
                            char        **used)
{
  SoupMessage *msg;
  SoupMessageHeaders *headers;

  g_mutex_lock (&self->mutex);
  msg = soup_message_new_from_uri (method, strcmp (method, "POST") == 0 && self->post_uri != NULL
                                             ? self->post_uri : self->uri);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", accept);
  if (self->session_id != NULL)
    soup_message_headers_replace (headers, "Mcp-Session-Id", self->session_id);
  if (self->protocol_version != NULL)
    soup_message_headers_replace (headers, "MCP-Protocol-Version", self->protocol_version);
  if (self->authorization != NULL)
    soup_message_headers_replace (headers, "Authorization", self->authorization);
  if (had_session != NULL)
    *had_session = self->session_id != NULL;
  if (used != NULL)
    *used = g_strdup (self->authorization);
  g_mutex_unlock (&self->mutex);
  if (last_id != NULL)
    soup_message_headers_replace (headers, "Last-Event-ID", last_id);
  return msg;
}

void
reins_mcp_http_job_fail (Job        *job,
                         const char *why,
                         gboolean    session_expired)
{
  /* A job cancelled was given up on by the client (timeout, cancel, close). */
  if (job->request_id < 0 || job->answered || g_cancellable_is_cancelled (job->cancellable))
    {
      g_debug ("MCP over HTTP: %s", why);
      return;
    }
  job->http->sink->fail (job->http->client, job->request_id, why, session_expired);
}

/* Hands one parsed message (or each of a batch) to the client. */
static gboolean
deliver (Job       *job,
         JsonNode  *root)
{
  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        deliver (job, json_array_get_element (array, i));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  {
    JsonObject *object = json_node_get_object (root);
    JsonNode *id = json_object_get_member (object, "id");

    if (job->request_id >= 0 && id != NULL && JSON_NODE_HOLDS_VALUE (id) &&
        json_node_get_value_type (id) == G_TYPE_INT64 &&
        json_node_get_int (id) == job->request_id &&
        !json_object_has_member (object, "method"))
      job->answered = TRUE;
  }
  job->http->sink->receive (job->http->client, root);
  return TRUE;
}

gboolean
reins_mcp_http_parse_and_deliver (Job         *job,
                                  const char  *text,
                                  gsize        length,
                                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;

  if (!json_parser_load_from_data (parser, text, length, &local) ||
      json_parser_get_root (parser) == NULL ||
      !deliver (job, json_parser_get_root (parser)))
    {
      g_autofree char *shown = reins_sandbox_escape (text, MIN (length, 120));

      /* REINS_ERROR marks a malformed stream, not worth resuming; I/O errors are
       * G_IO_ERROR or libsoup's. */
      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   _("it sent a message that is not JSON-RPC: “%s”"), shown);
      return FALSE;
    }
  return TRUE;
}

static void
post_job (Job *job)
{
  ReinsMcpHttp *self = job->http;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *used = NULL;
  gsize length;
  char *text = json_to_string (job->message, FALSE);
  gboolean had_session, legacy;
  const char *session_id;
  guint status;

  length = strlen (text);
  bytes = g_bytes_new_take (text, length);
  msg = reins_mcp_http_new_message (self, "POST", "application/json, text/event-stream", NULL, &had_session,
                                    &used);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);

  stream = soup_session_send (self->session, msg, job->cancellable, &error);
  if (stream == NULL)
    {
      g_autofree char *why = g_strdup_printf (_("it cannot be reached: %s"), error->message);

      reins_mcp_http_job_fail (job, why, FALSE);
      return;
    }

  status = soup_message_get_status (msg);
  g_debug ("MCP over HTTP: job %" G_GINT64_FORMAT " status %u", job->request_id, status);
  session_id = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                             "Mcp-Session-Id");
  if (SOUP_STATUS_IS_SUCCESSFUL (status) && valid_session_id (session_id))
    {
      g_mutex_lock (&self->mutex);
      if (g_strcmp0 (self->session_id, session_id) != 0)
        {
          g_free (self->session_id);
          self->session_id = g_strdup (session_id);
        }
      g_mutex_unlock (&self->mutex);
    }

  if (status == SOUP_STATUS_NOT_FOUND && had_session)
    {
      reins_mcp_http_job_fail (job, _("its session expired"), TRUE);
      return;
    }
  if ((status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN) &&
      job->request_id >= 0 && !job->answered && !g_cancellable_is_cancelled (job->cancellable))
    {
      const char *challenge = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                            "WWW-Authenticate");

      /* The client decides: a 403 that asks for no scope is only a refusal. */
      self->sink->unauthorized (self->client, job->request_id, status, challenge, used);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autofree char *why = reins_mcp_http_describe_status (msg, stream, job->cancellable);

      reins_mcp_http_job_fail (job, why, FALSE);
      return;
    }
  if (job->request_id < 0)
    return;  /* a notification or an answer: 202 Accepted, nothing to read */
  g_mutex_lock (&self->mutex);
  legacy = self->post_uri != NULL;
  g_mutex_unlock (&self->mutex);
  if (legacy)
    return;  /* the legacy transport answers on its GET stream */
  if (status == SOUP_STATUS_ACCEPTED)
    {
      reins_mcp_http_job_fail (job, _("it accepted the request but sent no answer"), FALSE);
      return;
    }

  if (reins_mcp_http_is_event_stream (msg))
    {
      if (!reins_mcp_http_read_events (job, stream, &error) && error->domain == REINS_ERROR)
        {
          reins_mcp_http_job_fail (job, error->message, FALSE);
          return;
        }
      g_input_stream_close (stream, NULL, NULL);
      if (!job->answered && !g_cancellable_is_cancelled (job->cancellable))
        {
          if (job->last_id == NULL)
            reins_mcp_http_job_fail (job, _("its stream ended before the answer"), FALSE);
          else
            reins_mcp_http_resume (job);
        }
      return;
    }

  {
    const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                              NULL);
    gboolean too_big;
    g_autofree char *body = NULL;

    if (type == NULL || g_ascii_strcasecmp (type, "application/json") != 0)
      {
        g_autofree char *shown = reins_sandbox_escape (type != NULL ? type : "(none)", -1);
        g_autofree char *why = g_strdup_printf (_("it answered with content type %s, not JSON "
                                                  "or an event stream"), shown);

        reins_mcp_http_job_fail (job, why, FALSE);
        return;
      }
    body = reins_mcp_http_read_all (stream, job->cancellable, MAX_BODY, &too_big, &error);
    if (body == NULL)
      {
        g_autofree char *why = g_strdup_printf (_("its answer could not be read: %s"),
                                                error->message);

        reins_mcp_http_job_fail (job, why, FALSE);
        return;
      }
    if (too_big)
      {
        reins_mcp_http_job_fail (job, _("its answer is larger than 64 MiB"), FALSE);
        return;
      }
    if (!reins_mcp_http_parse_and_deliver (job, body, strlen (body), &error))
      {
        reins_mcp_http_job_fail (job, error->message, FALSE);
        return;
      }
    if (!job->answered)
      reins_mcp_http_job_fail (job, _("its answer is not the answer to the request"), FALSE);
  }
}

/* The GET stream of messages the server starts, while the session lasts. */
static void
settle_stream (ReinsMcpHttp *self)
{
  g_mutex_lock (&self->mutex);
  self->stream_settled = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

static void
stream_job (Job *job)
{
  ReinsMcpHttp *self = job->http;

  for (guint attempt = 0; attempt <= MAX_RESUMES; attempt++)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GError) error = NULL;

      if (attempt > 0 &&
          !reins_mcp_http_job_wait (job, job->retry_ms >= 0 ? MIN (job->retry_ms, MAX_RETRY_MS)
                                                            : DEFAULT_RETRY_MS))
        return;
      msg = reins_mcp_http_new_message (self, "GET", "text/event-stream", job->legacy ? NULL : job->last_id,
                                        NULL, NULL);
      stream = soup_session_send (self->session, msg, job->cancellable, &error);
      settle_stream (self);
      if (stream == NULL)
        return;
      /* 405: the server offers no such stream. */
      if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)) || !reins_mcp_http_is_event_stream (msg))
        {
          g_debug ("MCP over HTTP: no GET stream (HTTP %u)", soup_message_get_status (msg));
          return;
        }
      if (!reins_mcp_http_read_events (job, stream, &error) && error->domain == REINS_ERROR)
        return;  /* malformed: not worth resuming */
      /* A legacy stream is its session: another would be another session. */
      if (g_cancellable_is_cancelled (job->cancellable) || job->legacy)
        return;
      g_input_stream_close (stream, NULL, NULL);
    }
}

static gpointer
job_thread (gpointer data)
{
  Job *job = data;

  if (job->message != NULL)
    post_job (job);
  else
    stream_job (job);

  if (job->message == NULL)
    settle_stream (job->http);
  g_mutex_lock (&job->http->mutex);
  job->done = TRUE;
  g_cond_broadcast (&job->http->cond);
  g_mutex_unlock (&job->http->mutex);
  return NULL;
}

/* Takes the finished jobs out of the list, for joining without the mutex. */
static GPtrArray *
take_done_locked (ReinsMcpHttp *self,
                  gboolean      all)
{
  GPtrArray *done = g_ptr_array_new ();

  for (guint i = 0; i < self->jobs->len;)
    {
      Job *job = g_ptr_array_index (self->jobs, i);

      if (all || job->done)
        {
          g_ptr_array_add (done, job);
          g_ptr_array_remove_index_fast (self->jobs, i);
        }
      else
        i++;
    }
  return done;
}

static void
join_jobs (GPtrArray *jobs)
{
  for (guint i = 0; i < jobs->len; i++)
    {
      Job *job = g_ptr_array_index (jobs, i);

      g_thread_join (job->thread);
      job_free (job);
    }
  g_ptr_array_unref (jobs);
}

static void
start_job (ReinsMcpHttp *self,
           JsonNode     *message,
           gint64        request_id,
           gboolean      legacy)
{
  Job *job = g_new0 (Job, 1);
  GPtrArray *done;

  job->http = self;
  job->legacy = legacy;
  job->message = message != NULL ? json_node_copy (message) : NULL;
  job->request_id = request_id;
  job->cancellable = g_cancellable_new ();
  job->retry_ms = -1;

  g_mutex_lock (&self->mutex);
  if (self->closed)
    {
      g_mutex_unlock (&self->mutex);
      reins_mcp_http_job_fail (job, _("the connection was closed"), FALSE);
      job_free (job);
      return;
    }
  done = take_done_locked (self, FALSE);
  g_ptr_array_add (self->jobs, job);
  job->thread = g_thread_new ("mcp-http", job_thread, job);
  g_mutex_unlock (&self->mutex);

  join_jobs (done);
}

/**
 * reins_mcp_http_send:
 * @request_id: the id of @message if it is a request, else -1
 *
 * POSTs @message on a thread of its own; never blocks. What the server says comes back
 * through the sink: the answer, or a failure of the request.
 */
void
reins_mcp_http_send (ReinsMcpHttp *self,
                     JsonNode     *message,
                     gint64        request_id)
{
  start_job (self, message, request_id, FALSE);
}

/* The client gave up on @request_id: its POST stops. */
void
reins_mcp_http_cancel (ReinsMcpHttp *self,
                       gint64        request_id)
{
  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (self->jobs, i);

      if (job->message != NULL && job->request_id == request_id)
        g_cancellable_cancel (job->cancellable);
    }
  g_mutex_unlock (&self->mutex);
}

void
reins_mcp_http_set_protocol_version (ReinsMcpHttp *self,
                                     const char   *version)
{
  g_mutex_lock (&self->mutex);
  g_free (self->protocol_version);
  self->protocol_version = g_strdup (version);
  g_mutex_unlock (&self->mutex);
}

/* The Authorization header of every later message (`Bearer …`), or NULL for none. */
void
reins_mcp_http_set_authorization (ReinsMcpHttp *self,
                                  const char   *header)
{
  g_mutex_lock (&self->mutex);
  g_free (self->authorization);
  self->authorization = g_strdup (header);
  g_mutex_unlock (&self->mutex);
}

/* After a 404: the next initialize starts a new session. */
void
reins_mcp_http_forget_session (ReinsMcpHttp *self)
{
  g_mutex_lock (&self->mutex);
  g_clear_pointer (&self->session_id, g_free);
  g_clear_pointer (&self->protocol_version, g_free);
  g_mutex_unlock (&self->mutex);
}

char *
reins_mcp_http_dup_session_id (ReinsMcpHttp *self)
{
  char *id;

  g_mutex_lock (&self->mutex);
  id = g_strdup (self->session_id);
  g_mutex_unlock (&self->mutex);
  return id;
}

/**
 * reins_mcp_http_open_stream:
 * @timeout_ms: how long to wait for the server's answer to the GET
 *
 * Opens the GET stream for messages the server starts (a server without one says 405), and
 * waits until the server answered it: a server may drop what it has to say while no stream
 * is open, such as a question in the middle of the first call.
 */
void
reins_mcp_http_open_stream (ReinsMcpHttp *self,
                            guint         timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  gboolean legacy;

  g_mutex_lock (&self->mutex);
  legacy = self->post_uri != NULL;
  g_mutex_unlock (&self->mutex);
  if (legacy)
    return;  /* its one stream is open already */
  start_job (self, NULL, -1, FALSE);
  g_mutex_lock (&self->mutex);
  while (!self->stream_settled && g_cond_wait_until (&self->cond, &self->mutex, end))
    ;
  g_mutex_unlock (&self->mutex);
}

/**
 * reins_mcp_http_open_legacy:
 * @timeout_ms: how long to wait for the endpoint
 *
 * Falls back to the HTTP+SSE transport of 2024-11-05: a GET stream whose first event names
 * the endpoint to POST to; the answers come on that stream.
 *
 * Returns: whether the server named its endpoint
 */
gboolean
reins_mcp_http_open_legacy (ReinsMcpHttp *self,
                            guint         timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  gboolean found;

  start_job (self, NULL, -1, TRUE);
  g_mutex_lock (&self->mutex);
  while (self->post_uri == NULL && g_cond_wait_until (&self->cond, &self->mutex, end))
    {
      gboolean running = FALSE;

      /* Stop waiting once the stream ended without naming one. */
      for (guint i = 0; i < self->jobs->len; i++)
        {
          Job *job = g_ptr_array_index (self->jobs, i);

          running |= job->legacy && !job->done;
        }
      if (!running)
        break;
    }
  found = self->post_uri != NULL;
  g_mutex_unlock (&self->mutex);
  return found;
}

/**
 * reins_mcp_http_flush:
 * @timeout_ms: how long to wait at most
 *
 * Waits until the notifications and answers sent so far were taken by the server, so that
 * what follows comes after them (notifications/initialized before any request).
 */
void
reins_mcp_http_flush (ReinsMcpHttp *self,
                      guint         timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;

  g_mutex_lock (&self->mutex);
  for (;;)
    {
      gboolean busy = FALSE;

      for (guint i = 0; i < self->jobs->len && !busy; i++)
        {
          Job *job = g_ptr_array_index (self->jobs, i);

          busy = job->message != NULL && job->request_id < 0 && !job->done;
        }
      if (!busy || !g_cond_wait_until (&self->cond, &self->mutex, end))
        break;
    }
  g_mutex_unlock (&self->mutex);
}

/**
 * reins_mcp_http_close:
 *
 * Stops every POST and the GET stream, and ends the session with DELETE. Safe to call more
 * than once.
 */
void
reins_mcp_http_close (ReinsMcpHttp *self)
{
  GPtrArray *jobs;
  g_autofree char *session_id = NULL;

  g_mutex_lock (&self->mutex);
  self->closed = TRUE;
  for (guint i = 0; i < self->jobs->len; i++)
    g_cancellable_cancel (((Job *) g_ptr_array_index (self->jobs, i))->cancellable);
  jobs = take_done_locked (self, TRUE);
  session_id = g_steal_pointer (&self->session_id);
  g_mutex_unlock (&self->mutex);

  join_jobs (jobs);

  if (session_id != NULL)
    {
      /* A session of its own with a short timeout: closing must not hang on a dead server. */
      g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", DELETE_TIMEOUT_S,
                                                                      NULL);
      g_autoptr(SoupMessage) msg = soup_message_new_from_uri ("DELETE", self->uri);
      g_autoptr(GBytes) reply = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Mcp-Session-Id",
                                    session_id);
      g_mutex_lock (&self->mutex);
      if (self->authorization != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                      self->authorization);
      if (self->protocol_version != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (msg),
                                      "MCP-Protocol-Version", self->protocol_version);
      g_mutex_unlock (&self->mutex);
      reply = soup_session_send_and_read (session, msg, NULL, NULL);
    }
}

void
reins_mcp_http_free (ReinsMcpHttp *self)
{
  if (self == NULL)
    return;
  reins_mcp_http_close (self);
  g_ptr_array_unref (self->jobs);
  g_object_unref (self->session);
  g_uri_unref (self->uri);
  g_clear_pointer (&self->post_uri, g_uri_unref);
  g_free (self->session_id);
  g_free (self->protocol_version);
  g_free (self->authorization);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}
