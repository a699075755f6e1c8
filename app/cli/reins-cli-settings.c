/* reins-cli-settings.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * reins-cli reads the window's preferences: GSettings for what the command line leaves out,
 * the keyring (when libsecret is built in and a secret service runs) for API keys, with the
 * environment variables as the fallback. Options on the command line always win.
 *
 * The schema may not be installed (a build tree, a server): then nothing is read.
 */

#include "config.h"

#include <string.h>

#include "reins-cli-private.h"
#include "reins-mcp-client.h"
#include "reins-provider-info.h"
#ifdef HAVE_LIBSECRET
#include "reins-secrets.h"
#endif

static GSettings *
open_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL || g_getenv ("REINS_CLI_NO_SETTINGS") != NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

/* The OAuth clients the preferences give MCP servers ("mcp-client-ids"), for the servers
 * this process makes; --mcp-client-id, given after, wins. */
void
reins_cli_settings_use_mcp_clients (void)
{
  g_autoptr(GSettings) settings = open_settings ();
  g_autoptr(GVariant) ids = NULL;

  if (settings == NULL)
    return;
  ids = g_settings_get_value (settings, "mcp-client-ids");
  reins_mcp_client_replace_default_oauth_clients (ids);
}

/**
 * reins_cli_settings_fill:
 * @new_run: whether the limits are filled too (a fork and a resume keep their run's)
 *
 * Fills what is still unset (NULL, or -1) from the preferences.
 */
void
reins_cli_settings_fill (ReinsCliDefaults *d,
                         gboolean          new_run)
{
  g_autoptr(GSettings) settings = open_settings ();
  g_autofree char *key = NULL;

  if (settings == NULL)
    return;

  if (*d->provider == NULL && new_run)
    *d->provider = g_settings_get_string (settings, "default-provider");

  if (*d->provider != NULL && reins_provider_info_lookup (*d->provider) != NULL &&
      reins_provider_info_has_endpoint (reins_provider_info_lookup (*d->provider)))
    {
      g_autofree char *url_key = g_strconcat (*d->provider, "-base-url", NULL);
      g_autofree char *model_key = g_strconcat (*d->provider, "-model", NULL);
      g_autofree char *url = g_settings_get_string (settings, url_key);
      g_autofree char *model = g_settings_get_string (settings, model_key);

      if (*d->base_url == NULL && url[0] != '\0')
        *d->base_url = g_steal_pointer (&url);
      if (*d->model == NULL && model[0] != '\0' && new_run)
        *d->model = g_steal_pointer (&model);
    }

  if (!new_run)
    return;

  if (*d->max_steps == -1)
    *d->max_steps = (int) g_settings_get_uint (settings, "max-steps");
  if (*d->budget == -1)
    *d->budget = g_settings_get_double (settings, "budget-usd");
  if (*d->threshold == -1)
    *d->threshold = g_settings_get_double (settings, "confidence-threshold");
  if (*d->goal_every == -1)
    *d->goal_every = (int) g_settings_get_uint (settings, "goal-every");
  if (*d->tool_timeout == -1)
    *d->tool_timeout = (int) g_settings_get_uint (settings, "tool-timeout");
  if (g_settings_get_boolean (settings, "price-override"))
    {
      if (*d->price_in == -1)
        *d->price_in = g_settings_get_double (settings, "price-in-usd");
      if (*d->price_out == -1)
        *d->price_out = g_settings_get_double (settings, "price-out-usd");
    }
  if (*d->no_guard == NULL)
    {
      g_auto(GStrv) disabled = g_settings_get_strv (settings, "disabled-guards");

      if (disabled[0] != NULL)
        *d->no_guard = g_steal_pointer (&disabled);
    }
  if (*d->mcp == NULL)
    {
      g_autoptr(GVariant) servers = g_settings_get_value (settings, "mcp-servers");
      g_autoptr(GStrvBuilder) specs = g_strv_builder_new ();
      g_auto(GStrv) result = NULL;
      GVariantIter iter;
      const char *name, *command;
      gboolean enabled;

      g_variant_iter_init (&iter, servers);
      while (g_variant_iter_next (&iter, "(&s&sb)", &name, &command, &enabled))
        if (enabled)
          {
            g_autofree char *spec = g_strdup_printf ("%s=%s", name, command);
            g_strv_builder_add (specs, spec);
          }
      result = g_strv_builder_end (specs);
      if (result[0] != NULL)
        *d->mcp = g_steal_pointer (&result);
    }
}

/* Adds to a new run's settings what only the preferences say: the per-tool policy, the
 * loop sensitivity and whether low-confidence reads ask (unless an option set them). */
void
reins_cli_settings_apply (JsonObject *run_settings)
{
  g_autoptr(GSettings) settings = open_settings ();
  g_autoptr(GVariant) policy = NULL;

  if (settings == NULL)
    return;

  policy = g_settings_get_value (settings, "tool-policy");
  if (g_variant_n_children (policy) > 0 && !json_object_has_member (run_settings, "tool_policy"))
    {
      JsonObject *object = json_object_new ();
      GVariantIter iter;
      const char *tool, *value;

      g_variant_iter_init (&iter, policy);
      while (g_variant_iter_next (&iter, "{&s&s}", &tool, &value))
        json_object_set_string_member (object, tool, value);
      json_object_set_object_member (run_settings, "tool_policy", object);
    }
  if (!json_object_has_member (run_settings, "loop_threshold"))
    json_object_set_double_member (run_settings, "loop_threshold",
                                   g_settings_get_double (settings, "loop-threshold"));
  if (!json_object_has_member (run_settings, "confidence_asks") &&
      g_settings_get_boolean (settings, "confidence-ask-reads"))
    json_object_set_string_member (run_settings, "confidence_asks", "always");
}

/* The key for @provider: the keyring's (where the window's preferences are installed), else
 * the environment variable @env (may be NULL). */
char *
reins_cli_settings_api_key (const char *provider,
                            const char *env)
{
#ifdef HAVE_LIBSECRET
  g_autoptr(GSettings) settings = open_settings ();

  /* Only where the preferences are installed: a bare build or server has no keyring to ask,
   * and asking D-Bus would start one. */
  return reins_secrets_get_api_key_full (provider, env, settings != NULL, NULL);
#else
  return env != NULL ? g_strdup (g_getenv (env)) : NULL;
#endif
}
