/* reins-http.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Synchronous HTTP for the providers, on the worker thread: soup_session_send() and reads
 * of the body stream in pieces, so that cancellation aborts a blocked read at once and
 * streamed tokens reach the caller as they arrive.
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "reins-http.h"

#define DEFAULT_TIMEOUT_S 120
/* The whole of one model request: a server that drips keep-alives must not hold a run. */
#define DEFAULT_REQUEST_TIMEOUT_S 300
#define DEFAULT_RETRIES 3
#define DEFAULT_RETRY_BASE_MS 500
#define MAX_BACKOFF_MS 30000
/* Retry-After is honoured up to this; longer waits are not worth blocking a run on. */
#define MAX_RETRY_AFTER_MS 60000
/* A reply larger than this is refused rather than held in memory. */
#define MAX_BODY (64 * 1024 * 1024)
#define MAX_ERROR_BODY (64 * 1024)

SoupSession *
reins_http_session_new (const ReinsProviderConfig *config)
{
  guint timeout = config->timeout_s > 0 ? config->timeout_s : DEFAULT_TIMEOUT_S;
  g_autofree char *agent = g_strdup_printf ("Reins/%s", PACKAGE_VERSION);

  /* A silent connection must not outlast the whole request's deadline either. */
  timeout = MIN (timeout, reins_http_request_timeout (config));

  /* Configured once, here: libsoup ≥ 3.2 then allows sending from any (one) thread. */
  return soup_session_new_with_options ("timeout", timeout,
                                        "user-agent", agent,
                                        NULL);
}

/**
 * reins_http_base_url:
 * @fallback: the provider's default endpoint
 *
 * The configured endpoint, or @fallback when none is set.
 *
 * Returns: (transfer none) (nullable): the endpoint, or %NULL with @error set when it is not
 *   an http or https URL
 */
const char *
reins_http_base_url (const ReinsProviderConfig  *config,
                     const char                 *fallback,
                     GError                    **error)
{
  const char *base = config->base_url != NULL && config->base_url[0] != '\0'
                       ? config->base_url : fallback;
  g_autoptr(GUri) uri = g_uri_parse (base, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("“%s” is not an http or https URL"), base);
      return NULL;
    }
  return base;
}

/* Frees a key (or a header that holds one) after overwriting it, so it does not linger in
 * freed memory. */
void
reins_http_clear_secret (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

guint
reins_http_max_retries (const ReinsProviderConfig *config)
{
  return config->max_retries == G_MAXUINT ? DEFAULT_RETRIES : MIN (config->max_retries, 10);
}

guint
reins_http_retry_base_ms (const ReinsProviderConfig *config)
{
  const char *env = g_getenv ("REINS_RETRY_BASE_MS");

  if (config->retry_base_ms > 0)
    return config->retry_base_ms;
  if (env != NULL && env[0] != '\0')
    return (guint) CLAMP (g_ascii_strtoull (env, NULL, 10), 1, MAX_BACKOFF_MS);
  return DEFAULT_RETRY_BASE_MS;
}

/* Seconds one whole request may take (retries and the streamed reply included). */
guint
reins_http_request_timeout (const ReinsProviderConfig *config)
{
  return config->request_timeout_s > 0 ? config->request_timeout_s : DEFAULT_REQUEST_TIMEOUT_S;
}

/**
 * reins_http_start_deadline:
 * @timeout_s: from reins_http_request_timeout()
 *
 * Starts the clock of @request: reins_http_post() and reins_http_read() give up with
 * %REINS_ERROR_PROVIDER_TIMEOUT once @timeout_s have passed, however the server keeps the
 * connection busy.
 */
void
reins_http_start_deadline (ReinsHttpRequest *request,
                           guint             timeout_s)
{
  request->deadline_s = timeout_s;
  request->deadline = timeout_s > 0
                        ? g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC : 0;
}

static gboolean
deadline_passed (const ReinsHttpRequest  *request,
                 GError                 **error)
{
  if (request->deadline == 0 || g_get_monotonic_time () < request->deadline)
    return FALSE;
  reins_http_set_error (error, request, REINS_ERROR_PROVIDER_TIMEOUT,
                        _("%s did not complete its reply within %u s (the provider timeout; "
                          "see --provider-timeout)"), request->label, request->deadline_s);
  return TRUE;
}

char *
reins_http_join_url (const char *base,
                     const char *path)
{
  gsize len = strlen (base);

  while (len > 0 && base[len - 1] == '/')
    len--;
  return g_strdup_printf ("%.*s%s", (int) len, base, path);
}

/**
 * reins_http_redact:
 * @secret: (nullable): the API key
 *
 * Returns: (transfer full): @text with every occurrence of @secret replaced
 */
char *
reins_http_redact (const char *text,
                   const char *secret)
{
  g_autoptr(GString) out = g_string_new (text != NULL ? text : "");

  /* A key shorter than this would redact ordinary words; nobody issues such keys. */
  if (secret != NULL && strlen (secret) >= 4)
    g_string_replace (out, secret, "[redacted]", 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
reins_http_set_error (GError                 **error,
                      const ReinsHttpRequest  *request,
                      ReinsError               code,
                      const char              *format,
                      ...)
{
  g_autofree char *message = NULL;
  g_autofree char *safe = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  safe = reins_http_redact (message, request->secret);
  g_set_error_literal (error, REINS_ERROR, code, safe);
}

/**
 * reins_http_error_message:
 *
 * The useful part of an error body: `error.message` (OpenAI, Anthropic, llama.cpp),
 * `error` as a string (Ollama), or the start of the text.
 *
 * Returns: (transfer full): valid UTF-8, never %NULL
 */
char *
reins_http_error_message (const char *body,
                          gsize       length)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = reins_utf8_make_valid (body, MIN (length, 400));

  if (length > 0 && g_utf8_validate (body, length, NULL) &&
      (root = reins_json_parse_bounded (body, length, REINS_JSON_MAX_DEPTH, NULL)) != NULL &&
      JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *o = json_node_get_object (root);
      JsonNode *e = json_object_get_member (o, "error");

      if (e != NULL && JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
        return g_strdup (json_node_get_string (e));
      if (e != NULL && JSON_NODE_HOLDS_OBJECT (e))
        {
          JsonObject *eo = json_node_get_object (e);
          const char *message = json_object_get_string_member_with_default (eo, "message", NULL);
          const char *type = json_object_get_string_member_with_default (eo, "type", NULL);

          if (message != NULL && type != NULL)
            return g_strdup_printf ("%s (%s)", message, type);
          if (message != NULL)
            return g_strdup (message);
        }
      if (json_object_has_member (o, "message") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (o, "message")))
        return g_strdup (json_object_get_string_member_with_default (o, "message", ""));
    }

  g_strstrip (text);
  return g_steal_pointer (&text);
}

/**
 * reins_http_parse_retry_after:
 * @now_unix: the current time, for the HTTP-date form
 *
 * Reads `retry-after-ms` (OpenAI) or `retry-after` (seconds or an HTTP date).
 *
 * Returns: %TRUE if the server asked for a wait of 0 < v ≤ 60 s, in @delay_ms
 */
gboolean
reins_http_parse_retry_after (SoupMessageHeaders *headers,
                              gint64              now_unix,
                              guint              *delay_ms)
{
  const char *ms = soup_message_headers_get_one (headers, "retry-after-ms");
  const char *s = soup_message_headers_get_one (headers, "retry-after");
  double value = -1;

  if (ms != NULL)
    {
      char *end = NULL;
      double v = g_ascii_strtod (ms, &end);

      if (end != ms && *end == '\0')
        value = v;
    }

  if (value < 0 && s != NULL)
    {
      char *end = NULL;
      double v = g_ascii_strtod (s, &end);

      if (end != s && *end == '\0')
        value = v * 1000;
      else
        {
          g_autoptr(GDateTime) date = soup_date_time_new_from_http_string (s);

          if (date != NULL)
            value = (double) (g_date_time_to_unix (date) - now_unix) * 1000;
        }
    }

  if (!(value > 0 && value <= MAX_RETRY_AFTER_MS))
    return FALSE;
  *delay_ms = (guint) value;
  return TRUE;
}

/* Waits, in short slices so that cancellation is prompt. */
gboolean
reins_http_sleep (guint          ms,
                  GCancellable  *cancellable,
                  GError       **error)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * G_TIME_SPAN_MILLISECOND;
  gint64 now;

  while ((now = g_get_monotonic_time ()) < end)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (MIN (10 * G_TIME_SPAN_MILLISECOND, end - now));
    }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static gboolean
status_is_retryable (guint status)
{
  return status == 408 || status == 409 || status == 429 || (status >= 500 && status <= 599);
}

/* Maps a transport error; TRUE if trying again may help. */
static gboolean
map_io_error (const ReinsHttpRequest  *request,
              GError                  *in,
              GError                 **error)
{
  if (g_error_matches (in, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_error_copy (in));
      return FALSE;
    }
  if (g_error_matches (in, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      if (deadline_passed (request, error))
        return FALSE;
      reins_http_set_error (error, request, REINS_ERROR_PROVIDER_TIMEOUT,
                            _("%s did not answer in time (%s)"), request->label, in->message);
      return FALSE;
    }
  if (in->domain == REINS_ERROR)
    {
      g_propagate_error (error, g_error_copy (in));
      return FALSE;
    }

  reins_http_set_error (error, request, REINS_ERROR_PROVIDER_UNREACHABLE,
                        _("Cannot reach %s at %s: %s"), request->label, request->url,
                        in->message);
  /* A name that does not resolve or a TLS failure will not fix itself in a second. */
  return in->domain == G_IO_ERROR;
}

static char *
read_error_body (GInputStream *stream,
                 GCancellable *cancellable,
                 gsize        *length)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  guint8 buffer[4096];
  gssize n;

  while (body->len < MAX_ERROR_BODY &&
         (n = g_input_stream_read (stream, buffer, sizeof buffer, cancellable, NULL)) > 0)
    g_byte_array_append (body, buffer, n);
  *length = body->len;
  g_byte_array_append (body, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&body), FALSE);
}

static void
set_status_error (GError                 **error,
                  const ReinsHttpRequest  *request,
                  guint                    status,
                  const char              *reason,
                  const char              *detail)
{
  if (status == 401 || status == 403)
    reins_http_set_error (error, request, REINS_ERROR_PROVIDER_AUTH,
                          _("%s refused the API key (HTTP %u): %s. Check the key in the "
                            "environment variable or the preferences."),
                          request->label, status, detail);
  else if (status == 429)
    reins_http_set_error (error, request, REINS_ERROR_PROVIDER_RATE_LIMITED,
                          _("%s is rate-limiting requests (HTTP 429): %s"),
                          request->label, detail);
  else if (status == 408 || status == 504)
    reins_http_set_error (error, request, REINS_ERROR_PROVIDER_TIMEOUT,
                          _("%s timed out (HTTP %u): %s"), request->label, status, detail);
  else if (status >= 400 && status < 500 && !status_is_retryable (status))
    /* The server was reached and understood enough to refuse what was sent: a wrong model
     * name, URL or parameter, not an outage. */
    reins_http_set_error (error, request, REINS_ERROR_PROVIDER_PROTOCOL,
                          _("%s refused the request (HTTP %u %s): %s"), request->label, status,
                          reason != NULL ? reason : "", detail);
  else
    reins_http_set_error (error, request, REINS_ERROR_PROVIDER,
                          _("%s answered HTTP %u %s: %s"), request->label, status,
                          reason != NULL ? reason : "", detail);
}

static guint
backoff_ms (const ReinsHttpRequest *request,
            guint                   attempt)
{
  double base = (double) request->retry_base_ms * (double) (1u << MIN (attempt, 16));

  /* Jitter spreads out clients that failed together. */
  return (guint) MIN (base * g_random_double_range (0.5, 1.5), MAX_BACKOFF_MS);
}

/**
 * reins_http_post:
 * @retries: (out) (optional): how many times the request was retried
 *
 * POSTs @request, retrying 408, 409, 429, 5xx (529 included) and transport failures up to
 * `max_retries` times with exponential back-off and jitter, or after the server's
 * Retry-After when it is 0 < v ≤ 60 s. Other statuses are not retried.
 *
 * Returns: (transfer full): the body of a 2xx answer, or %NULL with @error set
 */
GInputStream *
reins_http_post (SoupSession             *session,
                 const ReinsHttpRequest  *request,
                 guint                   *retries,
                 GCancellable            *cancellable,
                 GError                 **error)
{
  g_autoptr(GBytes) body = g_bytes_new (request->body, strlen (request->body));

  if (retries != NULL)
    *retries = 0;

  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", request->url);
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GError) local_error = NULL;
      gboolean retry = FALSE;
      guint delay = 0;
      guint status;

      if (deadline_passed (request, error))
        return NULL;
      if (msg == NULL)
        {
          reins_http_set_error (error, request, REINS_ERROR_USAGE,
                                _("“%s” is not a valid URL for %s"), request->url,
                                request->label);
          return NULL;
        }

      soup_message_set_request_body_from_bytes (msg, "application/json", body);
      for (guint i = 0; request->headers != NULL && request->headers[i] != NULL &&
                        request->headers[i + 1] != NULL; i += 2)
        soup_message_headers_replace (soup_message_get_request_headers (msg),
                                      request->headers[i], request->headers[i + 1]);

      stream = soup_session_send (session, msg, cancellable, &local_error);
      if (stream == NULL)
        {
          retry = map_io_error (request, local_error, error);
        }
      else
        {
          status = soup_message_get_status (msg);
          if (status >= 200 && status < 300)
            return g_steal_pointer (&stream);
          else
            {
              gsize length = 0;
              g_autofree char *text = read_error_body (stream, cancellable, &length);
              g_autofree char *detail = reins_http_error_message (text, length);

              set_status_error (error, request, status, soup_message_get_reason_phrase (msg),
                                detail);
              retry = status_is_retryable (status);
              if (retry)
                {
                  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

                  if (!reins_http_parse_retry_after (soup_message_get_response_headers (msg),
                                                     g_date_time_to_unix (now), &delay))
                    delay = 0;
                }
            }
        }

      if (!retry || attempt >= request->max_retries)
        return NULL;

      if (delay == 0)
        delay = backoff_ms (request, attempt);
      /* A wait past the deadline would only end in a timeout: report the real failure. */
      if (request->deadline != 0 &&
          g_get_monotonic_time () + (gint64) delay * G_TIME_SPAN_MILLISECOND >= request->deadline)
        return NULL;
      g_debug ("%s: retrying in %u ms after: %s", request->label, delay,
               error != NULL && *error != NULL ? (*error)->message : "");
      if (error != NULL)
        g_clear_error (error);
      if (!reins_http_sleep (delay, cancellable, error))
        return NULL;
      if (retries != NULL)
        (*retries)++;
    }
}

/**
 * reins_http_read:
 * @raw: (nullable): receives everything read, for the store
 *
 * Reads @stream to its end in pieces, handing each to @func (if not NULL) as it arrives.
 */
gboolean
reins_http_read (GInputStream            *stream,
                 const ReinsHttpRequest  *request,
                 ReinsHttpChunkFunc       func,
                 gpointer                 user_data,
                 GString                 *raw,
                 GCancellable            *cancellable,
                 GError                 **error)
{
  char buffer[8192];
  gsize total = 0;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      gssize n = g_input_stream_read (stream, buffer, sizeof buffer, cancellable, &local_error);

      if (n < 0)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
              g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            map_io_error (request, local_error, error);
          else
            reins_http_set_error (error, request, REINS_ERROR_PROVIDER_PROTOCOL,
                                  _("The reply from %s broke off: %s"), request->label,
                                  local_error->message);
          return FALSE;
        }
      if (n == 0)
        return TRUE;
      /* Checked after every piece, keep-alive comments included. */
      if (deadline_passed (request, error))
        return FALSE;

      total += n;
      if (total > MAX_BODY)
        {
          reins_http_set_error (error, request, REINS_ERROR_PROVIDER_PROTOCOL,
                                _("The reply from %s is too large"), request->label);
          return FALSE;
        }
      if (raw != NULL)
        g_string_append_len (raw, buffer, n);
      if (func != NULL && !func (buffer, n, user_data, error))
        return FALSE;
    }
}

/* JSON text that stops inside a string or before its brackets close: a reply cut off. */
static gboolean
json_text_is_incomplete (const char *p)
{
  gboolean in_string = FALSE;
  gint depth = 0;

  for (; *p != '\0'; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] == '\0')
            break;
          if (*p == '\\')
            p++;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == '{' || *p == '[')
        depth++;
      else if ((*p == '}' || *p == ']') && depth > 0)
        depth--;
    }
  return in_string || depth > 0;
}

/**
 * reins_http_tool_call_new:
 * @arguments_json: (nullable): the arguments as the model wrote them
 * @finish_reason: (nullable): why the reply ended, as the server said
 *
 * Arguments that are not a JSON object are the model's mistake, not the server's: the
 * call is kept with `{"_invalid_arguments": TEXT, "_invalid_reason": WHY}` (and, for a
 * syntax error, `"_invalid_detail"`: the reader's words) so the tool's validation can refuse
 * it and the model can be told, instead of failing the whole step. WHY is "truncated" (the
 * reply ended inside them), "nul" (a `\u0000` escape, which would cut a path short) or
 * "syntax".
 *
 * Returns: (transfer full): the action
 */
ReinsAction *
reins_http_tool_call_new (const char *call_id,
                          const char *name,
                          const char *arguments_json,
                          const char *finish_reason)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) invalid = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *p = arguments_json != NULL ? arguments_json : "";
  const char *reason = "syntax";

  while (g_ascii_isspace (*p))
    p++;
  if (*p == '\0')
    return reins_action_new_with_id (name, NULL, call_id);

  if (reins_json_text_has_nul (p))
    reason = "nul";
  else if ((root = reins_json_parse_bounded (p, -1, REINS_JSON_MAX_DEPTH, &parse_error)) != NULL &&
           JSON_NODE_HOLDS_OBJECT (root))
    return reins_action_new_with_id (name, json_node_get_object (root), call_id);
  else if (g_strcmp0 (finish_reason, "length") == 0 ||
           g_strcmp0 (finish_reason, "max_tokens") == 0 || json_text_is_incomplete (p))
    reason = "truncated";

  invalid = json_object_new ();
  json_object_set_string_member (invalid, "_invalid_arguments", arguments_json);
  json_object_set_string_member (invalid, "_invalid_reason", reason);
  if (g_str_equal (reason, "syntax"))
    json_object_set_string_member (invalid, "_invalid_detail",
                                   parse_error != NULL ? parse_error->message
                                                       : _("The arguments are not a JSON object"));
  return reins_action_new_with_id (name, invalid, call_id);
}

/**
 * reins_http_parse_json:
 *
 * Returns: (transfer full): the root node, or %NULL with a PROVIDER_PROTOCOL @error
 */
JsonNode *
reins_http_parse_json (const char              *text,
                       gssize                   length,
                       const ReinsHttpRequest  *request,
                       GError                 **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize len = length < 0 ? strlen (text) : (gsize) length;
  g_autofree char *masked = NULL;

  /* A NUL would end a string silently (a path would lose its tail): it becomes U+FFFD,
   * which the sandbox refuses in a path. */
  if (g_strstr_len (text, len, "\\u0000") != NULL)
    {
      masked = g_strndup (text, len);
      reins_json_text_mask_nul (masked, len);
      text = masked;
    }
  JsonNode *root;

  if (!g_utf8_validate (text, len, NULL))
    {
      reins_http_set_error (error, request, REINS_ERROR_PROVIDER_PROTOCOL,
                            _("%s sent a reply that is not valid UTF-8"), request->label);
      return NULL;
    }
  root = reins_json_parse_bounded (text, len, REINS_JSON_MAX_DEPTH, &local_error);
  if (root == NULL)
    {
      reins_http_set_error (error, request, REINS_ERROR_PROVIDER_PROTOCOL,
                            _("%s sent a reply that could not be read: %s"), request->label,
                            local_error->message);
      return NULL;
    }
  return root;
}

/* Lenient readers for replies: a missing or mistyped member is NULL (or NaN), not a crash. */

double
reins_http_node_number (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NAN;
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE ||
      json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_double (node);
  return NAN;
}

const char *
reins_http_node_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
reins_http_member_object (JsonObject *o,
                          const char *name)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
reins_http_member_array (JsonObject *o,
                         const char *name)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

JsonObject *
reins_http_array_object (JsonArray *array,
                         guint      index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}
