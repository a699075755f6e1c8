/* reins-connection-test.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Test connection" in the preferences: ask a provider which models it has.
 *
 * The provider's own code (app/model) knows how to ask its server; this file adds the key
 * check with words for the preferences, and runs the request off the main thread.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-connection-test.h"
#include "reins-error.h"
#include "reins-provider-info.h"

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
  const ReinsProviderInfo *info;

  g_return_val_if_fail (provider != NULL, NULL);

  info = reins_provider_info_lookup (provider);
  if (info == NULL)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("The provider “%s” has no connection to test."), provider);
      return NULL;
    }
  if (reins_provider_info_needs_key (info) && (api_key == NULL || api_key[0] == '\0'))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_AUTH,
                   _("No API key: enter one above (it is kept in the keyring), or set %s."),
                   reins_provider_info_get_key_env (info));
      return NULL;
    }
  return reins_provider_info_list_models (info, base_url, api_key, cancellable, error);
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
