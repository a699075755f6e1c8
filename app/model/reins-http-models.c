/* reins-http-models.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model list of an HTTP provider ("Test connection"): one GET, no retries, and whatever
 * goes wrong said in one sentence a person can act on — the server cannot be reached, the
 * key is refused, or the answer is not what a provider sends. The key travels only in its
 * header and is redacted from every message.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "reins-http.h"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * reins_http_list_models:
 * @request: the GET: its URL, headers and secret (the body is not sent)
 * @list_member: the reply's member that holds the models ("data", "models")
 * @name_member: each model's member that names it ("id", "name")
 *
 * Returns: (transfer full): the names, sorted, or NULL with @error set
 */
GStrv
reins_http_list_models (SoupSession             *session,
                        const ReinsHttpRequest  *request,
                        const char              *list_member,
                        const char              *name_member,
                        GCancellable            *cancellable,
                        GError                 **error)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  SoupMessageHeaders *headers;
  JsonArray *list = NULL;
  const char *data;
  guint status;
  gsize size;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (request != NULL && request->url != NULL, NULL);

  message = soup_message_new (SOUP_METHOD_GET, request->url);
  if (message == NULL)
    {
      reins_http_set_error (error, request, REINS_ERROR_USAGE, _("“%s” is not a valid URL."),
                            request->url);
      return NULL;
    }
  headers = soup_message_get_request_headers (message);
  for (guint i = 0; request->headers != NULL && request->headers[i] != NULL; i += 2)
    if (request->headers[i + 1] != NULL)
      soup_message_headers_replace (headers, request->headers[i], request->headers[i + 1]);

  body = soup_session_send_and_read (session, message, cancellable, &local_error);
  if (body == NULL)
    {
      reins_http_set_error (error, request, REINS_ERROR_PROVIDER_UNREACHABLE,
                            _("Cannot reach %s: %s"), request->url, local_error->message);
      return NULL;
    }

  status = soup_message_get_status (message);
  data = g_bytes_get_data (body, &size);
  if (status < 200 || status >= 300)
    {
      g_autofree char *detail = reins_http_error_message (data, size);
      const char *colon = detail[0] != '\0' ? ": " : ".";

      if (status == 401 || status == 403)
        reins_http_set_error (error, request, REINS_ERROR_PROVIDER_AUTH,
                              _("The server refused the key (HTTP %u)%s%s"), status, colon,
                              detail);
      else
        reins_http_set_error (error, request, REINS_ERROR_PROVIDER,
                              _("The server answered HTTP %u%s%s"), status, colon, detail);
      return NULL;
    }

  if (data != NULL && g_utf8_validate (data, size, NULL))
    root = reins_json_parse_bounded (data, size, REINS_JSON_MAX_DEPTH, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    list = reins_http_member_array (json_node_get_object (root), list_member);
  if (list == NULL)
    {
      reins_http_set_error (error, request, REINS_ERROR_PROVIDER,
                            _("%s answered, but not with a list of models: is this the right "
                              "URL?"), request->url);
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *item = reins_http_array_object (list, i);
      const char *name = item != NULL ? json_object_get_string_member_with_default (item,
                                                                                    name_member,
                                                                                    NULL)
                                      : NULL;

      if (name != NULL)
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}
