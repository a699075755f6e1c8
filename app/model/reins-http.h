/* reins-http.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the HTTP providers share: a session per provider, a POST with retries, back-off
 * with jitter and Retry-After, errors mapped to REINS_ERROR_PROVIDER_*, and keeping the
 * API key out of every message.
 */

#pragma once

#include <libsoup/soup.h>

#include "reins-provider.h"

G_BEGIN_DECLS

typedef struct
{
  const char         *label;        /* "OpenAI", "Anthropic", … for messages */
  const char         *url;
  const char         *body;         /* JSON, sent as application/json */
  const char * const *headers;      /* (nullable) name, value, name, value, …, NULL */
  const char         *secret;       /* (nullable) redacted from every message */
  guint               max_retries;
  guint               retry_base_ms;
  gint64              deadline;     /* monotonic µs the whole request must end by; 0: none */
  guint               deadline_s;   /* the same, as the seconds allowed, for messages */
} ReinsHttpRequest;

SoupSession  *reins_http_session_new       (const ReinsProviderConfig *config);
guint         reins_http_max_retries       (const ReinsProviderConfig *config);
const char   *reins_http_base_url          (const ReinsProviderConfig *config,
                                            const char         *fallback,
                                            GError            **error);
void          reins_http_clear_secret      (char              **secret);
guint         reins_http_retry_base_ms     (const ReinsProviderConfig *config);
guint         reins_http_request_timeout   (const ReinsProviderConfig *config);
void          reins_http_start_deadline    (ReinsHttpRequest   *request,
                                            guint               timeout_s);
char         *reins_http_join_url          (const char         *base,
                                            const char         *path);
GInputStream *reins_http_post              (SoupSession        *session,
                                            const ReinsHttpRequest *request,
                                            guint              *retries,
                                            GCancellable       *cancellable,
                                            GError            **error);

/* Called with each piece read from the stream; return FALSE with @error set to stop. */
typedef gboolean (*ReinsHttpChunkFunc) (const char  *data,
                                        gsize        length,
                                        gpointer     user_data,
                                        GError     **error);

gboolean      reins_http_read              (GInputStream       *stream,
                                            const ReinsHttpRequest *request,
                                            ReinsHttpChunkFunc  func,
                                            gpointer            user_data,
                                            GString            *raw,
                                            GCancellable       *cancellable,
                                            GError            **error);
GStrv         reins_http_list_models       (SoupSession        *session,
                                            const ReinsHttpRequest *request,
                                            const char         *list_member,
                                            const char         *name_member,
                                            GCancellable       *cancellable,
                                            GError            **error);
char         *reins_http_redact            (const char         *text,
                                            const char         *secret);
void          reins_http_set_error         (GError            **error,
                                            const ReinsHttpRequest *request,
                                            ReinsError          code,
                                            const char         *format,
                                            ...) G_GNUC_PRINTF (4, 5);
char         *reins_http_error_message     (const char         *body,
                                            gsize               length);
gboolean      reins_http_parse_retry_after (SoupMessageHeaders *headers,
                                            gint64              now_unix,
                                            guint              *delay_ms);
gboolean      reins_http_sleep             (guint               ms,
                                            GCancellable       *cancellable,
                                            GError            **error);

/* Room for the headers of a client's request: the key's, two extra, and the NULL. */
#define REINS_HTTP_MAX_HEADERS 7

/* What every HTTP provider holds: its session, endpoint, key and retry policy
 * (reins-http-client.c). */
typedef struct
{
  const char  *label;             /* for messages */
  SoupSession *session;
  char        *base_url;
  char        *api_key;           /* NULL when there is none; redacted from every message */
  const char  *key_header;        /* the header that carries the key, e.g. Authorization */
  char        *key_value;         /* its value, e.g. "Bearer KEY"; NULL without a key */
  const char * const *extra_headers; /* (nullable) name, value, …, NULL: sent with each request */
  guint        max_retries;
  guint        retry_base_ms;
  guint        request_timeout_s;
} ReinsHttpClient;

gboolean      reins_http_client_init       (ReinsHttpClient    *client,
                                            const ReinsProviderConfig *config,
                                            const char         *provider,
                                            const char         *label,
                                            const char         *key_header,
                                            const char         *key_prefix,
                                            GError            **error);
void          reins_http_client_clear      (ReinsHttpClient    *client);
void          reins_http_client_request    (ReinsHttpClient    *client,
                                            ReinsHttpRequest   *request,
                                            const char         *url,
                                            const char         *body,
                                            const char        **headers);
JsonNode     *reins_http_client_post_json  (ReinsHttpClient    *client,
                                            const char         *url,
                                            const char         *body,
                                            GCancellable       *cancellable,
                                            GError            **error);
char         *reins_http_client_redact_raw (ReinsHttpClient    *client,
                                            GString            *raw);
GArray       *reins_http_float_vector      (JsonArray          *vector);

G_END_DECLS

G_BEGIN_DECLS

ReinsAction  *reins_http_tool_call_new     (const char         *call_id,
                                            const char         *name,
                                            const char         *arguments_json,
                                            const char         *finish_reason);
double        reins_http_node_number       (JsonNode           *node);
const char   *reins_http_node_string       (JsonNode           *node);
JsonObject   *reins_http_member_object     (JsonObject         *object,
                                            const char         *name);
JsonArray    *reins_http_member_array      (JsonObject         *object,
                                            const char         *name);
JsonObject   *reins_http_array_object      (JsonArray          *array,
                                            guint               index);
JsonNode     *reins_http_parse_json        (const char         *text,
                                            gssize              length,
                                            const ReinsHttpRequest *request,
                                            GError            **error);

G_END_DECLS
