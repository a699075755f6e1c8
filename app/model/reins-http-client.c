/* reins-http-client.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the HTTP providers (openai, anthropic, ollama) share, so that each holds only its own
 * wire format: the session, endpoint, key and retry policy made from a provider config, the
 * request that carries them, a JSON POST read whole (embeddings), and the raw reply as it is
 * stored — valid UTF-8, the key redacted.
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "reins-http.h"
#include "reins-provider-info.h"

/**
 * reins_http_client_init:
 * @provider: the provider's id, whose descriptor gives the default endpoint
 * @label: how messages name the server, e.g. "Ollama"
 * @key_header: the header that carries the key ("Authorization", "x-api-key")
 * @key_prefix: what comes before the key in it ("Bearer ", "")
 *
 * Returns: %FALSE with @error set when the endpoint is not an http or https URL; @client is
 *   then still safe to clear
 */
gboolean
reins_http_client_init (ReinsHttpClient            *client,
                        const ReinsProviderConfig  *config,
                        const char                 *provider,
                        const char                 *label,
                        const char                 *key_header,
                        const char                 *key_prefix,
                        GError                    **error)
{
  const ReinsProviderInfo *info = reins_provider_info_lookup (provider);
  const char *base;

  g_return_val_if_fail (client != NULL, FALSE);
  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  base = reins_http_base_url (config, reins_provider_info_get_default_base_url (info), error);
  if (base == NULL)
    return FALSE;

  client->label = label;
  client->session = reins_http_session_new (config);
  client->base_url = g_strdup (base);
  if (config->api_key != NULL && config->api_key[0] != '\0')
    {
      client->api_key = g_strdup (config->api_key);
      client->key_header = key_header;
      client->key_value = g_strconcat (key_prefix, config->api_key, NULL);
    }
  client->max_retries = reins_http_max_retries (config);
  client->retry_base_ms = reins_http_retry_base_ms (config);
  client->request_timeout_s = reins_http_request_timeout (config);
  return TRUE;
}

void
reins_http_client_clear (ReinsHttpClient *client)
{
  g_clear_object (&client->session);
  g_clear_pointer (&client->base_url, g_free);
  reins_http_clear_secret (&client->api_key);
  reins_http_clear_secret (&client->key_value);
}

/**
 * reins_http_client_request:
 * @headers: room for the key's header and the client's extra headers, and a NULL
 *
 * Fills @request for @url with the client's key, retries and deadline (started now).
 */
void
reins_http_client_request (ReinsHttpClient   *client,
                           ReinsHttpRequest  *request,
                           const char        *url,
                           const char        *body,
                           const char       **headers)
{
  guint n = 0;

  /* Without a key, no key header at all (a proxy may add it). */
  if (client->key_value != NULL)
    {
      headers[n++] = client->key_header;
      headers[n++] = client->key_value;
    }
  for (guint i = 0; client->extra_headers != NULL && client->extra_headers[i] != NULL; i++)
    {
      g_assert (n + 1 < REINS_HTTP_MAX_HEADERS);
      headers[n++] = client->extra_headers[i];
    }
  headers[n] = NULL;

  request->label = client->label;
  request->url = url;
  request->body = body;
  request->headers = headers;
  request->secret = client->api_key;
  request->max_retries = client->max_retries;
  request->retry_base_ms = client->retry_base_ms;
  reins_http_start_deadline (request, client->request_timeout_s);
}

/* Returns: (transfer full): the reply to a POST of @body, read whole and parsed, or NULL
 *   with @error set */
JsonNode *
reins_http_client_post_json (ReinsHttpClient  *client,
                             const char       *url,
                             const char       *body,
                             GCancellable     *cancellable,
                             GError          **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GString) raw = g_string_new (NULL);
  const char *headers[REINS_HTTP_MAX_HEADERS];
  ReinsHttpRequest request;

  reins_http_client_request (client, &request, url, body, headers);
  stream = reins_http_post (client->session, &request, NULL, cancellable, error);
  if (stream == NULL || !reins_http_read (stream, &request, NULL, NULL, raw, cancellable, error))
    return NULL;
  return reins_http_parse_json (raw->str, raw->len, &request, error);
}

/* Returns: (transfer full): @raw as a step stores it: valid UTF-8, with no key a server
 *   echoed */
char *
reins_http_client_redact_raw (ReinsHttpClient *client,
                              GString         *raw)
{
  g_autofree char *valid = reins_utf8_make_valid (raw->str, raw->len);

  return reins_http_redact (valid, client->api_key);
}

/* Returns: (transfer full) (element-type float): the numbers of an embedding */
GArray *
reins_http_float_vector (JsonArray *vector)
{
  guint n = json_array_get_length (vector);
  GArray *floats = g_array_sized_new (FALSE, FALSE, sizeof (float), n);

  for (guint j = 0; j < n; j++)
    {
      float v = (float) reins_http_node_number (json_array_get_element (vector, j));

      g_array_append_val (floats, v);
    }
  return floats;
}
