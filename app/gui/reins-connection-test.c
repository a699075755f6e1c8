/* reins-connection-test.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Test connection" in the preferences: ask a provider which models it has.
 *
 * OpenAI-compatible servers answer GET {base}/models with {"data":[{"id":…}]}, Anthropic
 * GET {base}/v1/models with the same shape, Ollama GET {base}/api/tags with
 * {"models":[{"name":…}]}. Whatever goes wrong is said in one sentence a person can act on:
 * the server cannot be reached, the key is refused, or the answer is not what a provider
 * sends. The key is sent only in its header and never appears in a message.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "reins-connection-test.h"
#include "reins-error.h"
#include "reins-json-util.h"

static const char *
default_base_url (const char *provider)
{
  if (g_strcmp0 (provider, "openai") == 0)
    return "https://api.openai.com/v1";
  if (g_strcmp0 (provider, "anthropic") == 0)
    return "https://api.anthropic.com";
  if (g_strcmp0 (provider, "ollama") == 0)
    return "http://localhost:11434";
  return NULL;
}

static char *
error_message_of (GBytes *body)
{
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonNode *error;

  if (data == NULL || !g_utf8_validate (data, size, NULL) ||
      (root = reins_json_parse_bounded (data, size, REINS_JSON_MAX_DEPTH, NULL)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  error = json_object_get_member (json_node_get_object (root), "error");
  if (error == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (error) && json_node_get_value_type (error) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (error));
  if (JSON_NODE_HOLDS_OBJECT (error))
    return g_strdup (json_object_get_string_member_with_default (json_node_get_object (error),
                                                                 "message", NULL));
  return NULL;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * reins_connection_test_sync:
 * @base_url: (nullable): the endpoint, or NULL / "" for the provider's default
 * @api_key: (nullable): the key (not needed by Ollama)
 *
 * Blocks: call it off the main thread.
 *
 * Returns: (transfer full): the model names, sorted
 */
GStrv
reins_connection_test_sync (const char    *provider,
                            const char    *base_url,
                            const char    *api_key,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  const char *list_member, *name_member;
  JsonNode *list;
  guint status;
  gsize size;

  g_return_val_if_fail (provider != NULL, NULL);

  if (default_base_url (provider) == NULL)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("The provider “%s” has no connection to test."), provider);
      return NULL;
    }
  base = g_strdup (base_url != NULL && base_url[0] != '\0' ? base_url
                                                           : default_base_url (provider));
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';

  if (g_str_equal (provider, "ollama"))
    {
      url = g_strconcat (base, "/api/tags", NULL);
      list_member = "models";
      name_member = "name";
    }
  else
    {
      if ((api_key == NULL || api_key[0] == '\0'))
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_AUTH,
                       _("No API key: enter one above (it is kept in the keyring), or set %s."),
                       g_str_equal (provider, "openai") ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY");
          return NULL;
        }
      url = g_str_equal (provider, "anthropic") ? g_strconcat (base, "/v1/models", NULL)
                                                : g_strconcat (base, "/models", NULL);
      list_member = "data";
      name_member = "id";
    }

  message = soup_message_new (SOUP_METHOD_GET, url);
  if (message == NULL)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("“%s” is not a valid URL."), base);
      return NULL;
    }
  if (g_str_equal (provider, "openai"))
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", api_key, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", bearer);
    }
  else if (g_str_equal (provider, "anthropic"))
    {
      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "x-api-key", api_key);
      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "anthropic-version", "2023-06-01");
    }

  session = soup_session_new_with_options ("timeout", 15, "idle-timeout", 15, NULL);
  body = soup_session_send_and_read (session, message, cancellable, &local_error);
  if (body == NULL)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_UNREACHABLE,
                   _("Cannot reach %s: %s"), base, local_error->message);
      return NULL;
    }

  status = soup_message_get_status (message);
  if (status == 401 || status == 403)
    {
      g_autofree char *detail = error_message_of (body);
      g_set_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_AUTH,
                   _("The server refused the key (HTTP %u)%s%s"), status,
                   detail ? ": " : ".", detail ? detail : "");
      return NULL;
    }
  if (status < 200 || status >= 300)
    {
      g_autofree char *detail = error_message_of (body);
      g_set_error (error, REINS_ERROR, REINS_ERROR_PROVIDER,
                   _("The server answered HTTP %u%s%s"), status,
                   detail ? ": " : ".", detail ? detail : "");
      return NULL;
    }

  size = g_bytes_get_size (body);
  if (!g_utf8_validate (g_bytes_get_data (body, NULL), size, NULL) ||
      (root = reins_json_parse_bounded (g_bytes_get_data (body, NULL), size,
                                        REINS_JSON_MAX_DEPTH, NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root) ||
      (list = json_object_get_member (json_node_get_object (root), list_member)) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_PROVIDER,
                   _("%s answered, but not with a list of models: is this the right URL?"), base);
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (list), i);
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      name = json_object_get_string_member_with_default (json_node_get_object (item),
                                                         name_member, NULL);
      if (name != NULL)
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

typedef struct
{
  char *provider;
  char *base_url;
  char *api_key;
} TestData;

static void
test_data_free (gpointer data)
{
  TestData *test = data;

  g_free (test->provider);
  g_free (test->base_url);
  g_free (test->api_key);
  g_free (test);
}

static void
test_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TestData *test = task_data;
  GError *error = NULL;
  GStrv names = reins_connection_test_sync (test->provider, test->base_url, test->api_key,
                                            cancellable, &error);

  if (names == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, names, (GDestroyNotify) g_strfreev);
}

void
reins_connection_test_async (const char          *provider,
                             const char          *base_url,
                             const char          *api_key,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  TestData *test = g_new0 (TestData, 1);

  test->provider = g_strdup (provider);
  test->base_url = g_strdup (base_url);
  test->api_key = g_strdup (api_key);
  g_task_set_source_tag (task, reins_connection_test_async);
  g_task_set_name (task, "[reins] test connection");
  g_task_set_task_data (task, test, test_data_free);
  g_task_run_in_thread (task, test_thread);
}

GStrv
reins_connection_test_finish (GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
