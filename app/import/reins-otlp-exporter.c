/* reins-otlp-exporter.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Live OTLP/HTTP export. The thread that runs (the main thread, where an executor emits its
 * signals) only takes a reference to the step and a copy of the run and queues them; the
 * exporter's own thread writes the spans (reins-otlp.c) and POSTs them, one batch at a time,
 * in order. Span ids follow from the run and the step, so a batch sent twice after a lost
 * reply is the same spans again, which a collector takes as one.
 *
 * Header values (API keys) are never logged: the messages name the endpoint and the status.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "reins-error.h"
#include "reins-otlp.h"
#include "reins-otlp-exporter.h"

/* Tries of one batch before it is given up, and the back-off's bounds. */
#define MAX_ATTEMPTS 8
#define DEFAULT_BASE_MS 500
#define MAX_DELAY_MS (30 * 1000)
#define MAX_RETRY_AFTER_MS (60 * 1000)
#define DEFAULT_TIMEOUT_MS (10 * 1000)

typedef struct
{
  ReinsRun       *run;
  GPtrArray      *steps;
  ReinsOtlpParts  parts;
} Batch;

struct _ReinsOtlpExporter
{
  GObject        parent_instance;

  char          *url;
  guint          timeout_ms;
  guint          base_ms;
  GCancellable  *cancellable;   /* cancelled when a flush's deadline passes */

  GMutex         lock;          /* guards everything below */
  GCond          cond;
  GPtrArray     *headers;       /* name, value, name, value… */
  gboolean       content;
  guint          queue_size;
  GQueue         queue;         /* Batch */
  GThread       *thread;
  gboolean       in_flight;     /* the thread holds a batch */
  gboolean       stopping;      /* the thread drops what is left and ends */
  gboolean       closed;        /* flushed: batches added now are dropped */
  gint64         flush_deadline; /* monotonic; 0 until a flush begins */
  ReinsOtlpExporterStats stats;
  guint          full_warnings; /* messages about a full queue so far */
};

G_DEFINE_FINAL_TYPE (ReinsOtlpExporter, reins_otlp_exporter, G_TYPE_OBJECT)

static void
batch_free (Batch *batch)
{
  g_clear_object (&batch->run);
  g_clear_pointer (&batch->steps, g_ptr_array_unref);
  g_free (batch);
}

/* The spans a batch would hold, for the counts of what was dropped unsent. */
static guint
batch_n_spans (Batch *batch)
{
  guint n = (batch->parts & REINS_OTLP_RUN_SPAN) ? 1 : 0;

  if (batch->parts & REINS_OTLP_STEP_SPANS)
    for (guint i = 0; i < batch->steps->len; i++)
      n += reins_step_get_action (g_ptr_array_index (batch->steps, i)) != NULL ? 2 : 1;
  return n;
}

static void
reins_otlp_exporter_stop (ReinsOtlpExporter *self)
{
  GThread *thread;

  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  self->closed = TRUE;
  thread = g_steal_pointer (&self->thread);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  g_cancellable_cancel (self->cancellable);
  if (thread != NULL)
    g_thread_join (thread);
}

static void
reins_otlp_exporter_finalize (GObject *object)
{
  ReinsOtlpExporter *self = (ReinsOtlpExporter *)object;

  reins_otlp_exporter_stop (self);
  g_queue_clear_full (&self->queue, (GDestroyNotify) batch_free);
  g_clear_pointer (&self->headers, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->url, g_free);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (reins_otlp_exporter_parent_class)->finalize (object);
}

static void
reins_otlp_exporter_class_init (ReinsOtlpExporterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reins_otlp_exporter_finalize;
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);
  guint64 parsed;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT, &parsed, NULL))
    return (guint) parsed;
  return fallback;
}

static void
reins_otlp_exporter_init (ReinsOtlpExporter *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->queue);
  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->queue_size = REINS_OTLP_EXPORTER_QUEUE;
  self->cancellable = g_cancellable_new ();
  /* OTEL_EXPORTER_OTLP_TIMEOUT is the time one request may take, in milliseconds. */
  self->timeout_ms = env_uint ("OTEL_EXPORTER_OTLP_TIMEOUT", DEFAULT_TIMEOUT_MS);
  /* The tests shorten the back-off as they do the providers'. */
  self->base_ms = env_uint ("REINS_RETRY_BASE_MS", DEFAULT_BASE_MS);
}

static gboolean usage_error (GError     **error,
                             const char  *format,
                             ...) G_GNUC_PRINTF (2, 3);

static gboolean
usage_error (GError     **error,
             const char  *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (REINS_ERROR, REINS_ERROR_USAGE, format, args));
  va_end (args);
  return FALSE;
}

/**
 * reins_otlp_exporter_traces_url:
 * @endpoint: an OTLP/HTTP base URL, as OTEL_EXPORTER_OTLP_ENDPOINT
 *
 * Returns: (transfer full): the URL traces are posted to: @endpoint with `/v1/traces`
 *   appended, unless it ends so already
 */
char *
reins_otlp_exporter_traces_url (const char  *endpoint,
                                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *path = NULL;
  const char *scheme;

  g_return_val_if_fail (endpoint != NULL, NULL);

  uri = g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      usage_error (error, _("“%s” is not an http:// or https:// URL of an OTLP collector"),
                   endpoint);
      return NULL;
    }
  if (g_str_has_suffix (g_uri_get_path (uri), "/v1/traces"))
    return g_uri_to_string (uri);

  path = g_strdup (g_uri_get_path (uri));
  while (g_str_has_suffix (path, "/"))
    path[strlen (path) - 1] = '\0';
  {
    g_autofree char *joined = g_strconcat (path, "/v1/traces", NULL);
    g_autoptr(GUri) full = g_uri_build (G_URI_FLAGS_NONE, scheme, g_uri_get_userinfo (uri),
                                        g_uri_get_host (uri), g_uri_get_port (uri), joined,
                                        g_uri_get_query (uri), NULL);

    return g_uri_to_string (full);
  }
}

static ReinsOtlpExporter *
exporter_new_for_url (const char  *url,
                      GError     **error)
{
  ReinsOtlpExporter *self;
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      usage_error (error, _("“%s” is not an http:// or https:// URL of an OTLP collector"), url);
      return NULL;
    }
  self = g_object_new (REINS_TYPE_OTLP_EXPORTER, NULL);
  self->url = g_strdup (url);
  return self;
}

/**
 * reins_otlp_exporter_new:
 * @endpoint: the collector's base URL (`/v1/traces` is added to it)
 *
 * Returns: (transfer full): an exporter, or %NULL with @error set for a URL that is not
 *   http:// or https://
 */
ReinsOtlpExporter *
reins_otlp_exporter_new (const char  *endpoint,
                         GError     **error)
{
  g_autofree char *url = NULL;

  g_return_val_if_fail (endpoint != NULL, NULL);

  url = reins_otlp_exporter_traces_url (endpoint, error);
  return url != NULL ? exporter_new_for_url (url, error) : NULL;
}

/**
 * reins_otlp_exporter_new_from_env:
 *
 * The exporter the OpenTelemetry environment variables describe:
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the URL as it is) or OTEL_EXPORTER_OTLP_ENDPOINT (a
 * base URL), with the headers of OTEL_EXPORTER_OTLP_HEADERS and
 * OTEL_EXPORTER_OTLP_TRACES_HEADERS.
 *
 * Returns: (transfer full) (nullable): the exporter; %NULL when no endpoint is set, or with
 *   @error set when a variable is malformed
 */
ReinsOtlpExporter *
reins_otlp_exporter_new_from_env (GError **error)
{
  g_autoptr(ReinsOtlpExporter) self = NULL;
  const char *traces = g_getenv ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  const char *base = g_getenv ("OTEL_EXPORTER_OTLP_ENDPOINT");

  if (traces != NULL && *traces != '\0')
    self = exporter_new_for_url (traces, error);
  else if (base != NULL && *base != '\0')
    self = reins_otlp_exporter_new (base, error);
  else
    return NULL;
  if (self == NULL)
    return NULL;
  if (!reins_otlp_exporter_add_headers (self, g_getenv ("OTEL_EXPORTER_OTLP_HEADERS"), error) ||
      !reins_otlp_exporter_add_headers (self, g_getenv ("OTEL_EXPORTER_OTLP_TRACES_HEADERS"),
                                        error))
    return NULL;
  return g_steal_pointer (&self);
}

static gboolean
valid_header_name (const char *name)
{
  if (name == NULL || *name == '\0')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* Sets (replaces) a header sent with every request. */
void
reins_otlp_exporter_set_header (ReinsOtlpExporter *self,
                                const char        *name,
                                const char        *value)
{
  g_return_if_fail (REINS_IS_OTLP_EXPORTER (self));
  g_return_if_fail (valid_header_name (name));
  g_return_if_fail (value != NULL);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i + 1 < self->headers->len; i += 2)
    if (g_ascii_strcasecmp (g_ptr_array_index (self->headers, i), name) == 0)
      {
        g_ptr_array_remove_range (self->headers, i, 2);
        break;
      }
  g_ptr_array_add (self->headers, g_strdup (name));
  g_ptr_array_add (self->headers, g_strdup (value));
  g_mutex_unlock (&self->lock);
}

/**
 * reins_otlp_exporter_add_header:
 * @name_value: `NAME=VALUE`
 *
 * Returns: %FALSE with @error set when @name_value is no header (the value is not
 *   repeated in the message: it may be a key)
 */
gboolean
reins_otlp_exporter_add_header (ReinsOtlpExporter  *self,
                                const char         *name_value,
                                GError            **error)
{
  const char *equals;
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  g_return_val_if_fail (REINS_IS_OTLP_EXPORTER (self), FALSE);
  g_return_val_if_fail (name_value != NULL, FALSE);

  equals = strchr (name_value, '=');
  if (equals == NULL)
    return usage_error (error, "%s", _("An OTLP header is NAME=VALUE, and this one has no “=”"));
  name = g_strstrip (g_strndup (name_value, equals - name_value));
  value = g_strstrip (g_strdup (equals + 1));
  /* Not repeated either: a header written "Authorization: Bearer KEY=…" would show the key. */
  if (!valid_header_name (name))
    return usage_error (error, "%s", _("An OTLP header's name may hold only letters, digits "
                                       "and !#$%&'*+-.^_`|~"));
  if (strpbrk (value, "\r\n") != NULL)
    return usage_error (error, _("The value of the OTLP header “%s” holds a line break"), name);
  reins_otlp_exporter_set_header (self, name, value);
  return TRUE;
}

/**
 * reins_otlp_exporter_add_headers:
 * @list: (nullable): `NAME=VALUE,NAME=VALUE…`, the values percent-encoded, as
 *   OTEL_EXPORTER_OTLP_HEADERS
 */
gboolean
reins_otlp_exporter_add_headers (ReinsOtlpExporter  *self,
                                 const char         *list,
                                 GError            **error)
{
  g_auto(GStrv) items = NULL;

  g_return_val_if_fail (REINS_IS_OTLP_EXPORTER (self), FALSE);

  if (list == NULL)
    return TRUE;
  items = g_strsplit (list, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *decoded = NULL;

      if (*g_strstrip (items[i]) == '\0')
        continue;
      decoded = g_uri_unescape_string (items[i], NULL);
      if (decoded == NULL)
        return usage_error (error, "%s", _("An OTLP header of the list is badly percent-encoded"));
      if (!reins_otlp_exporter_add_header (self, decoded, error))
        return FALSE;
    }
  return TRUE;
}

/* Whether prompts, answers, tool arguments and results are sent (off by default). */
void
reins_otlp_exporter_set_content (ReinsOtlpExporter *self,
                                 gboolean           content)
{
  g_return_if_fail (REINS_IS_OTLP_EXPORTER (self));

  g_mutex_lock (&self->lock);
  self->content = !!content;
  g_mutex_unlock (&self->lock);
}

/* How many batches may wait; when one more comes, the oldest is dropped. */
void
reins_otlp_exporter_set_queue_size (ReinsOtlpExporter *self,
                                    guint              size)
{
  g_return_if_fail (REINS_IS_OTLP_EXPORTER (self));
  g_return_if_fail (size > 0);

  g_mutex_lock (&self->lock);
  self->queue_size = size;
  g_mutex_unlock (&self->lock);
}

const char *
reins_otlp_exporter_get_url (ReinsOtlpExporter *self)
{
  g_return_val_if_fail (REINS_IS_OTLP_EXPORTER (self), NULL);

  return self->url;
}

void
reins_otlp_exporter_get_stats (ReinsOtlpExporter      *self,
                               ReinsOtlpExporterStats *stats)
{
  g_return_if_fail (REINS_IS_OTLP_EXPORTER (self));
  g_return_if_fail (stats != NULL);

  g_mutex_lock (&self->lock);
  *stats = self->stats;
  g_mutex_unlock (&self->lock);
}

/* Retry-After: seconds, or an HTTP date. Returns milliseconds, or -1 without one. */
static gint64
retry_after_ms (SoupMessage *message)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                    "Retry-After");
  guint64 seconds;

  if (value == NULL)
    return -1;
  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &seconds, NULL))
    return MIN ((gint64) seconds * 1000, MAX_RETRY_AFTER_MS);
  {
    g_autoptr(GDateTime) date = soup_date_time_new_from_http_string (value);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    if (date == NULL)
      return -1;
    return CLAMP (g_date_time_difference (date, now) / 1000, 0, MAX_RETRY_AFTER_MS);
  }
}

typedef enum
{
  SENT_DELIVERED,
  SENT_REJECTED,
  SENT_GIVEN_UP,
} Sent;

/* The exporter's thread, unlocked: posts @payload until the collector takes it, refuses it,
 * or the tries or the time run out. */
static Sent
send_batch (ReinsOtlpExporter *self,
            SoupSession       *session,
            GBytes            *payload)
{
  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(SoupMessage) message = soup_message_new ("POST", self->url);
      g_autoptr(GBytes) reply = NULL;
      g_autoptr(GError) error = NULL;
      SoupMessageHeaders *headers = soup_message_get_request_headers (message);
      guint status;
      gint64 delay_ms, until;

      g_mutex_lock (&self->lock);
      for (guint i = 0; i + 1 < self->headers->len; i += 2)
        soup_message_headers_replace (headers, g_ptr_array_index (self->headers, i),
                                      g_ptr_array_index (self->headers, i + 1));
      g_mutex_unlock (&self->lock);
      soup_message_set_request_body_from_bytes (message, "application/json", payload);

      reply = soup_session_send_and_read (session, message, self->cancellable, &error);
      status = soup_message_get_status (message);
      if (reply != NULL && SOUP_STATUS_IS_SUCCESSFUL (status))
        return SENT_DELIVERED;
      if (g_cancellable_is_cancelled (self->cancellable))
        return SENT_GIVEN_UP;
      if (reply != NULL && status != 429 && (status < 500 || status > 599))
        {
          g_message ("OTLP export to %s: the collector refused a batch (HTTP %u); it is dropped",
                     self->url, status);
          return SENT_REJECTED;
        }
      if (attempt + 1 >= MAX_ATTEMPTS)
        {
          g_message ("OTLP export to %s: a batch is dropped after %u tries (%s)", self->url,
                     MAX_ATTEMPTS, error != NULL ? error->message : soup_status_get_phrase (status));
          return SENT_GIVEN_UP;
        }

      /* Exponential back-off with jitter (a half to one and a half of it), or as long as the
       * collector asks. */
      delay_ms = reply != NULL ? retry_after_ms (message) : -1;
      if (delay_ms < 0)
        delay_ms = (gint64) (MIN ((gint64) self->base_ms << MIN (attempt, 20), MAX_DELAY_MS) *
                             g_random_double_range (0.5, 1.5));
      until = g_get_monotonic_time () + delay_ms * 1000;

      /* Once the flush at the end has begun, a collector that could not be reached is not
       * tried again, nor one whose wait would outlast the flush's deadline: the process is
       * not kept for a collector that is down. */
      g_mutex_lock (&self->lock);
      self->stats.retries++;
      while (!self->stopping && g_get_monotonic_time () < until &&
             !(self->flush_deadline > 0 && (reply == NULL || until > self->flush_deadline)))
        g_cond_wait_until (&self->cond, &self->lock, until);
      if (self->stopping ||
          (self->flush_deadline > 0 && (reply == NULL || until > self->flush_deadline)))
        {
          g_mutex_unlock (&self->lock);
          return SENT_GIVEN_UP;
        }
      g_mutex_unlock (&self->lock);
    }
}

static gpointer
exporter_thread (gpointer data)
{
  ReinsOtlpExporter *self = data;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();

  /* The session's sources go to a context of this thread's, never to the main one. */
  g_main_context_push_thread_default (context);
  session = soup_session_new_with_options ("timeout", MAX (1u, (self->timeout_ms + 999) / 1000),
                                           "user-agent", "reins/" PACKAGE_VERSION,
                                           NULL);

  g_mutex_lock (&self->lock);
  for (;;)
    {
      Batch *batch;
      g_autofree char *text = NULL;
      g_autoptr(GBytes) payload = NULL;
      gboolean content;
      guint n_spans = 0;
      Sent sent;

      while (g_queue_is_empty (&self->queue) && !self->stopping)
        g_cond_wait (&self->cond, &self->lock);
      if (self->stopping)
        break;
      batch = g_queue_pop_head (&self->queue);
      self->in_flight = TRUE;
      content = self->content;
      g_mutex_unlock (&self->lock);

      text = reins_otlp_export_parts (batch->run, batch->steps, batch->parts, content, FALSE,
                                      &n_spans);
      {
        gsize length = strlen (text);

        payload = g_bytes_new_take (g_steal_pointer (&text), length);
      }
      batch_free (batch);
      sent = send_batch (self, session, payload);

      g_mutex_lock (&self->lock);
      self->in_flight = FALSE;
      if (sent == SENT_DELIVERED)
        self->stats.delivered += n_spans;
      else
        self->stats.dropped += n_spans;
      if (sent == SENT_REJECTED)
        self->stats.rejected += n_spans;
      g_cond_broadcast (&self->cond);
    }

  /* Stopped: what is left is dropped and counted. */
  while (!g_queue_is_empty (&self->queue))
    {
      Batch *batch = g_queue_pop_head (&self->queue);

      self->stats.dropped += batch_n_spans (batch);
      batch_free (batch);
    }
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  return NULL;
}

/**
 * reins_otlp_exporter_add:
 * @run: the run; copied
 * @steps: (element-type ReinsStep): its steps to send (with %REINS_OTLP_STEP_SPANS), or the
 *   person's turns among them (with %REINS_OTLP_RUN_SPAN); referenced, never changed
 *
 * Queues spans to send, and returns at once. When the queue is full, the oldest batch waiting
 * is dropped and counted.
 */
void
reins_otlp_exporter_add (ReinsOtlpExporter *self,
                         ReinsRun          *run,
                         GPtrArray         *steps,
                         ReinsOtlpParts     parts)
{
  Batch *batch;
  Batch *dropped = NULL;

  g_return_if_fail (REINS_IS_OTLP_EXPORTER (self));
  g_return_if_fail (REINS_IS_RUN (run));
  g_return_if_fail (steps != NULL);

  batch = g_new0 (Batch, 1);
  batch->run = reins_run_copy (run);
  batch->steps = g_ptr_array_new_full (steps->len, g_object_unref);
  for (guint i = 0; i < steps->len; i++)
    g_ptr_array_add (batch->steps, g_object_ref (g_ptr_array_index (steps, i)));
  batch->parts = parts;

  g_mutex_lock (&self->lock);
  if (self->closed)
    {
      self->stats.dropped += batch_n_spans (batch);
      g_mutex_unlock (&self->lock);
      batch_free (batch);
      return;
    }
  if (g_queue_get_length (&self->queue) >= self->queue_size)
    {
      dropped = g_queue_pop_head (&self->queue);
      self->stats.dropped += batch_n_spans (dropped);
      /* Said on the first drop, then at each power of two, not for every batch. */
      self->full_warnings++;
      if ((self->full_warnings & (self->full_warnings - 1)) == 0)
        g_message ("OTLP export to %s: the queue is full; %u spans dropped so far", self->url,
                   self->stats.dropped);
    }
  g_queue_push_tail (&self->queue, batch);
  if (self->thread == NULL)
    self->thread = g_thread_new ("reins-otlp", exporter_thread, self);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  if (dropped != NULL)
    batch_free (dropped);
}

/**
 * reins_otlp_exporter_flush:
 * @timeout_ms: how long to wait at most
 *
 * Waits until every batch queued is sent, or given up, or @timeout_ms has passed; then the
 * exporter stops: what is still queued or in flight is dropped and counted, and batches added
 * later are dropped. While it waits, a batch is not tried again after a lost connection, nor
 * after a 429 or 5xx whose back-off would end past the deadline.
 *
 * Returns: whether every span added was delivered
 */
gboolean
reins_otlp_exporter_flush (ReinsOtlpExporter *self,
                           guint              timeout_ms)
{
  gint64 deadline;
  gboolean all;

  g_return_val_if_fail (REINS_IS_OTLP_EXPORTER (self), FALSE);

  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  g_mutex_lock (&self->lock);
  self->flush_deadline = deadline;
  g_cond_broadcast (&self->cond);
  while (self->thread != NULL && (!g_queue_is_empty (&self->queue) || self->in_flight) &&
         g_get_monotonic_time () < deadline)
    g_cond_wait_until (&self->cond, &self->lock, deadline);
  g_mutex_unlock (&self->lock);

  reins_otlp_exporter_stop (self);

  g_mutex_lock (&self->lock);
  all = self->stats.dropped == 0;
  g_mutex_unlock (&self->lock);
  return all;
}

typedef struct
{
  ReinsOtlpExporter *exporter;
  GPtrArray         *steps;  /* the run's, for the person's turns on the run's span */
} Watch;

static void
watch_free (Watch *watch)
{
  g_object_unref (watch->exporter);
  g_ptr_array_unref (watch->steps);
  g_free (watch);
}

static void
watch_step_finished_cb (ReinsExecutor *executor,
                        ReinsStep     *step,
                        Watch         *watch)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();

  g_ptr_array_add (watch->steps, g_object_ref (step));
  g_ptr_array_add (one, step);
  reins_otlp_exporter_add (watch->exporter, reins_executor_get_run (executor), one,
                           REINS_OTLP_STEP_SPANS);
}

static void
watch_finished_cb (ReinsExecutor *executor,
                   ReinsRun      *run,
                   Watch         *watch)
{
  reins_otlp_exporter_add (watch->exporter, run, watch->steps, REINS_OTLP_RUN_SPAN);
}

/**
 * reins_otlp_exporter_watch:
 *
 * Sends the spans of each step of @executor's run as the step ends, and the run's span when
 * the run ends. The executor keeps a reference to @self.
 */
void
reins_otlp_exporter_watch (ReinsOtlpExporter *self,
                           ReinsExecutor     *executor)
{
  Watch *watch;

  g_return_if_fail (REINS_IS_OTLP_EXPORTER (self));
  g_return_if_fail (REINS_IS_EXECUTOR (executor));

  watch = g_new0 (Watch, 1);
  watch->exporter = g_object_ref (self);
  watch->steps = g_ptr_array_new_with_free_func (g_object_unref);
  /* Both handlers go when the executor does; the second one frees what they share. */
  g_signal_connect (executor, "step-finished", G_CALLBACK (watch_step_finished_cb), watch);
  g_signal_connect_data (executor, "finished", G_CALLBACK (watch_finished_cb), watch,
                         (GClosureNotify) (void (*) (void)) watch_free, 0);
}
