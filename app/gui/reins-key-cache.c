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
#include "reins-secrets.h"

/* "otlp": the OpenTelemetry collector's key (reins-otlp-live.c). */
static const char * const providers[] = { "openai", "anthropic", "otlp", NULL };

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
  for (guint i = 0; providers[i] != NULL; i++)
    reins_secrets_lookup_key_async (providers[i], NULL, key_read_cb, g_strdup (providers[i]));
}

/* Returns: (nullable): @provider's key — the keyring's, else its environment variable's */
char *
reins_key_cache_get (const char *provider)
{
  const char *env = reins_secrets_env_for_provider (provider);
  const char *key = keys != NULL ? g_hash_table_lookup (keys, provider) : NULL;

  if (key != NULL)
    return g_strdup (key);
  if (env != NULL && g_getenv (env) != NULL && g_getenv (env)[0] != '\0')
    return g_strdup (g_getenv (env));
  return NULL;
}
