/* reins-secrets.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Provider API keys in the system keyring (libsecret), with the environment as fallback.
 *
 * One secret per provider, found by the attributes {application: io.github.reins.Reins,
 * provider: NAME}. Keys never go to GSettings, the run store or a log.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "reins-provider-info.h"
#include "reins-secrets.h"

static const SecretSchema *
reins_secrets_schema (void)
{
  static const SecretSchema schema = {
    "io.github.reins.Reins.ApiKey", SECRET_SCHEMA_NONE,
    {
      { "application", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

/* Whether a secret service runs on the session bus (it does not over SSH or in CI). */
gboolean
reins_secrets_available (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  if (g_getenv ("REINS_NO_KEYRING") != NULL)
    return FALSE;
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 2000,
                                       NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  /* Only a running one: a daemon D-Bus would start on demand has no unlocked login keyring
   * (and would be started in every test's session). */
  return has_owner;
}

char *
reins_secrets_lookup_key (const char    *provider,
                          GCancellable  *cancellable,
                          GError       **error)
{
  char *secret;
  char *key;

  g_return_val_if_fail (provider != NULL, NULL);

  secret = secret_password_lookup_sync (reins_secrets_schema (), cancellable, error,
                                        "application", APPLICATION_ID,
                                        "provider", provider,
                                        NULL);
  if (secret == NULL)
    return NULL;
  key = g_strdup (secret);
  secret_password_free (secret);
  return key;
}

gboolean
reins_secrets_store_key (const char    *provider,
                         const char    *key,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *label = NULL;

  g_return_val_if_fail (provider != NULL, FALSE);

  if (key == NULL || key[0] == '\0')
    return reins_secrets_clear_key (provider, cancellable, error);

  /* Translators: the name of a key in the keyring; the placeholder is a provider */
  label = g_strdup_printf (_("Reins API key for %s"), provider);
  return secret_password_store_sync (reins_secrets_schema (), SECRET_COLLECTION_DEFAULT, label,
                                     key, cancellable, error,
                                     "application", APPLICATION_ID,
                                     "provider", provider,
                                     NULL);
}

gboolean
reins_secrets_clear_key (const char    *provider,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (provider != NULL, FALSE);

  secret_password_clear_sync (reins_secrets_schema (), cancellable, &local_error,
                              "application", APPLICATION_ID,
                              "provider", provider,
                              NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * reins_secrets_choose_key:
 * @keyring_key: (nullable): what the keyring holds for the provider
 * @env: (nullable): the environment variable to fall back on
 * @source: (out) (optional): "keyring", "environment" or NULL when there is no key
 *
 * The one rule for which key a provider gets: the keyring's, else the environment's. An
 * empty key counts as none.
 *
 * Returns: (transfer full) (nullable): the key
 */
char *
reins_secrets_choose_key (const char  *keyring_key,
                          const char  *env,
                          const char **source)
{
  const char *value = env != NULL ? g_getenv (env) : NULL;

  if (source != NULL)
    *source = NULL;
  if (keyring_key != NULL && keyring_key[0] != '\0')
    {
      if (source != NULL)
        *source = "keyring";
      return g_strdup (keyring_key);
    }
  if (value != NULL && value[0] != '\0')
    {
      if (source != NULL)
        *source = "environment";
      return g_strdup (value);
    }
  return NULL;
}

/* The keyring's key, when a secret service runs and has one; failures only say why. */
static char *
lookup_if_available (const char   *provider,
                     GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  char *key;

  if (!reins_secrets_available ())
    return NULL;
  key = reins_secrets_lookup_key (provider, cancellable, &error);
  if (error != NULL)
    g_debug ("No key from the keyring for %s: %s", provider, error->message);
  return key;
}

static void
clear_key (char **key)
{
  if (*key != NULL)
    memset (*key, 0, strlen (*key));
  g_clear_pointer (key, g_free);
}

/**
 * reins_secrets_get_api_key_full:
 * @env: (nullable): the environment variable to fall back on
 * @use_keyring: whether to ask the keyring at all
 * @source: (out) (optional): "keyring", "environment" or NULL when there is no key
 *
 * reins_secrets_choose_key() with what the keyring holds for @provider. Blocks on D-Bus:
 * the window uses reins_secrets_get_api_key_async().
 *
 * Returns: (nullable): the key
 */
char *
reins_secrets_get_api_key_full (const char  *provider,
                                const char  *env,
                                gboolean     use_keyring,
                                const char **source)
{
  g_autofree char *stored = NULL;
  char *key;

  if (source != NULL)
    *source = NULL;
  if (provider == NULL)
    return NULL;

  if (use_keyring)
    stored = lookup_if_available (provider, NULL);
  key = reins_secrets_choose_key (stored, env, source);
  clear_key (&stored);
  return key;
}

/**
 * reins_secrets_get_api_key:
 * @source: (out) (optional): "keyring", "environment" or NULL when there is no key
 *
 * The key to use for @provider: the keyring's when a secret service has one, else the
 * provider's environment variable. Blocks on D-Bus: call it off the main thread in the window.
 *
 * Returns: (nullable): the key
 */
char *
reins_secrets_get_api_key (const char  *provider,
                           const char **source)
{
  return reins_secrets_get_api_key_full (provider, reins_provider_key_env (provider),
                                         TRUE, source);
}

static void
get_api_key_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  g_task_return_pointer (task, reins_secrets_get_api_key (task_data, NULL), g_free);
}

/* Runs @thread_func with @provider on a worker thread (the window never waits on D-Bus). */
static void
run_for_provider (const char          *provider,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data,
                  gpointer             source_tag,
                  GTaskThreadFunc      thread_func)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, g_strdup (provider), g_free);
  g_task_run_in_thread (task, thread_func);
}

/* reins_secrets_get_api_key() on a worker thread. */
void
reins_secrets_get_api_key_async (const char          *provider,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  run_for_provider (provider, cancellable, callback, user_data, reins_secrets_get_api_key_async,
                    get_api_key_thread);
}

/* Returns: (nullable): the key, or NULL with @error set only when cancelled */
char *
reins_secrets_get_api_key_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  char *key = NULL;

  if (reins_secrets_available ())
    key = reins_secrets_lookup_key (task_data, cancellable, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, g_free);
}

/* Looks the key up on a worker thread (the window never waits on D-Bus). */
void
reins_secrets_lookup_key_async (const char          *provider,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  run_for_provider (provider, cancellable, callback, user_data, reins_secrets_lookup_key_async,
                    lookup_thread);
}

char *
reins_secrets_lookup_key_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  char *provider;
  char *key;
} StoreKey;

static void
store_key_free (gpointer data)
{
  StoreKey *store = data;

  g_free (store->provider);
  if (store->key != NULL)
    memset (store->key, 0, strlen (store->key));
  g_free (store->key);
  g_free (store);
}

static void
store_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  StoreKey *store = task_data;
  GError *error = NULL;

  if (!reins_secrets_available ())
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("No keyring (secret service) is running, so the key cannot "
                                 "be saved. Set %s in the environment instead."),
                               reins_provider_key_env (store->provider)
                               ? reins_provider_key_env (store->provider) : "");
      return;
    }
  if (!reins_secrets_store_key (store->provider, store->key, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
reins_secrets_store_key_async (const char          *provider,
                               const char          *key,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  StoreKey *store = g_new0 (StoreKey, 1);

  store->provider = g_strdup (provider);
  store->key = g_strdup (key);
  g_task_set_source_tag (task, reins_secrets_store_key_async);
  g_task_set_task_data (task, store, store_key_free);
  g_task_run_in_thread (task, store_thread);
}

gboolean
reins_secrets_store_key_finish (GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static const SecretSchema *
reins_secrets_mcp_schema (void)
{
  static const SecretSchema schema = {
    "io.github.reins.Reins.McpToken", SECRET_SCHEMA_NONE,
    {
      { "application", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "mcp-server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

/**
 * reins_secrets_lookup_mcp_state:
 * @url: the MCP server's URL
 *
 * The OAuth tokens saved for an MCP server (reins-mcp-oauth.c), or NULL when there are
 * none or no keyring runs. Blocks on D-Bus: called on the run's worker thread.
 */
char *
reins_secrets_lookup_mcp_state (const char *url,
                                gpointer    user_data)
{
  g_autoptr(GError) error = NULL;
  char *secret;
  char *state;

  if (url == NULL || !reins_secrets_available ())
    return NULL;
  secret = secret_password_lookup_sync (reins_secrets_mcp_schema (), NULL, &error,
                                        "application", APPLICATION_ID,
                                        "mcp-server", url,
                                        NULL);
  if (secret == NULL)
    {
      if (error != NULL)
        g_debug ("No MCP tokens from the keyring: %s", error->message);
      return NULL;
    }
  state = g_strdup (secret);
  secret_password_free (secret);
  return state;
}

/**
 * reins_secrets_store_mcp_state:
 * @state: (nullable): what to keep; NULL forgets it
 *
 * Keeps an MCP server's OAuth tokens in the keyring. Without a keyring nothing is kept:
 * tokens then last as long as the run, and are never written to a file.
 */
void
reins_secrets_store_mcp_state (const char *url,
                               const char *state,
                               gpointer    user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  if (url == NULL || !reins_secrets_available ())
    return;
  if (state == NULL)
    secret_password_clear_sync (reins_secrets_mcp_schema (), NULL, &error,
                                "application", APPLICATION_ID, "mcp-server", url, NULL);
  else
    {
      /* Translators: the name of a secret in the keyring; the placeholder is a URL */
      label = g_strdup_printf (_("Reins authorization for the MCP server at %s"), url);
      secret_password_store_sync (reins_secrets_mcp_schema (), SECRET_COLLECTION_DEFAULT,
                                  label, state, NULL, &error,
                                  "application", APPLICATION_ID, "mcp-server", url, NULL);
    }
  if (error != NULL)
    g_debug ("The MCP tokens could not be kept in the keyring: %s", error->message);
}
