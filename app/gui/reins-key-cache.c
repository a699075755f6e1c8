/* reins-key-cache.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The providers' API keys as the window knows them: read from the keyring off the main thread.
 *
 * Starting a run must not wait on D-Bus, so the keyring is read when the window opens and
 * again when the preferences save a key; a run takes the key read last, or the provider's
 * environment variable when the keyring has none (or no keyring runs).
 */

#include "config.h"

#include "reins-key-cache.h"
#include "reins-provider-info.h"
#include "reins-secrets.h"

/* Besides the providers' keys: the OpenTelemetry collector's (reins-otlp-live.c). */
#define OTLP_KEY_NAME "otlp"

/* provider → key, on the main thread only */
static GHashTable *keys;

static void
key_read_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autofree char *provider = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = reins_secrets_lookup_key_finish (result, &error);

  if (error != NULL)
    g_debug ("No key for %s from the keyring: %s", provider, error->message);
  if (keys == NULL)
    keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (key != NULL && key[0] != '\0')
    g_hash_table_insert (keys, g_steal_pointer (&provider), g_steal_pointer (&key));
  else
    g_hash_table_remove (keys, provider);
}

/* Reads the keys from the keyring again, in the background. */
void
reins_key_cache_refresh (void)
{
  const ReinsProviderInfo * const *infos = reins_provider_info_get_all ();

  for (guint i = 0; infos[i] != NULL; i++)
    if (reins_provider_info_get_key_env (infos[i]) != NULL)
      {
        const char *provider = reins_provider_info_get_id (infos[i]);

        reins_secrets_lookup_key_async (provider, NULL, key_read_cb, g_strdup (provider));
      }
  reins_secrets_lookup_key_async (OTLP_KEY_NAME, NULL, key_read_cb, g_strdup (OTLP_KEY_NAME));
}

/* Returns: (nullable): @provider's key — the keyring's, else its environment variable's */
char *
reins_key_cache_get (const char *provider)
{
  const char *key = keys != NULL ? g_hash_table_lookup (keys, provider) : NULL;

  return reins_secrets_choose_key (key, reins_provider_key_env (provider), NULL);
}
