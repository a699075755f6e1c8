/* reins-run-restore.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A resumed or forked run goes on where and how it was made: the same provider at the same
 * endpoint, the same model and seed. Falling back to a default there would send the whole
 * conversation (and a key) somewhere the person never chose, so only what the person gives
 * explicitly changes it, and that change is kept in the run (settings "overrides").
 */

#include "config.h"

#include "reins-guard.h"
#include "reins-run-restore.h"

/* Members of a run's settings that are not the person's choices: what the executor or a
 * fork records about the run, never carried over as an override. */
static const char * const not_overridable[] = { "overrides", "mcp_status", NULL };

/* The provider @run was made with (or @overrides name), NULL when the store never said. */
static const char *
stored_provider (ReinsRun   *run,
                 JsonObject *overrides)
{
  const char *name;

  name = overrides != NULL ? reins_settings_get_string (overrides, "provider", NULL) : NULL;
  if (name == NULL)
    name = reins_settings_get_string (reins_run_get_settings (run), "provider", NULL);
  if (name == NULL)
    name = reins_run_get_provider (run);
  return name;
}

/**
 * reins_run_restore_provider_name:
 * @run: a stored run
 * @overrides: (nullable): settings the person gave explicitly
 *
 * The provider a resume or fork of @run talks to, for the caller to find its key.
 */
const char *
reins_run_restore_provider_name (ReinsRun   *run,
                                 JsonObject *overrides)
{
  const char *name;

  g_return_val_if_fail (REINS_IS_RUN (run), NULL);

  name = stored_provider (run, overrides);
  return name != NULL ? name : "sim";
}

/**
 * reins_run_restore_settings:
 * @run: a stored run (for a fork: the new run, with its parent's settings)
 * @overrides: (nullable): settings the person gave explicitly; members replace members
 * @how: "resume" or "fork"
 * @at_step: the first step run under them
 *
 * Puts @overrides into @run's settings, its provider and model with them, and appends to
 * settings "overrides" a record of the change: `{"on", "step", "settings", "previous"}`,
 * where "previous" holds the values replaced (null where there was none).
 */
void
reins_run_restore_settings (ReinsRun   *run,
                            JsonObject *overrides,
                            const char *how,
                            guint       at_step)
{
  JsonObject *settings;
  g_autoptr(GList) members = NULL;
  g_autoptr(JsonObject) given = NULL;
  g_autoptr(JsonObject) previous = NULL;
  JsonObject *record;
  JsonNode *history;

  g_return_if_fail (REINS_IS_RUN (run));
  g_return_if_fail (how != NULL);

  settings = reins_run_get_settings (run);

  /* The provider and model were columns of the run before they were settings. */
  if (!json_object_has_member (settings, "provider") && reins_run_get_provider (run) != NULL)
    json_object_set_string_member (settings, "provider", reins_run_get_provider (run));
  if (!json_object_has_member (settings, "model") && reins_run_get_model (run) != NULL)
    json_object_set_string_member (settings, "model", reins_run_get_model (run));

  if (overrides != NULL)
    members = json_object_get_members (overrides);

  given = json_object_new ();
  previous = json_object_new ();
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *old = json_object_get_member (settings, name);

      if (g_strv_contains (not_overridable, name))
        continue;
      json_object_set_member (previous, name,
                              old != NULL ? reins_json_node_deep_copy (old)
                                          : json_node_new (JSON_NODE_NULL));
      json_object_set_member (given, name,
                              reins_json_node_deep_copy (json_object_get_member (overrides, name)));
      json_object_set_member (settings, name,
                              reins_json_node_deep_copy (json_object_get_member (overrides, name)));
    }

  if (json_object_get_size (given) > 0)
    {
      history = json_object_get_member (settings, "overrides");
      if (history == NULL || !JSON_NODE_HOLDS_ARRAY (history))
        json_object_set_array_member (settings, "overrides", json_array_new ());

      record = json_object_new ();
      json_object_set_string_member (record, "on", how);
      json_object_set_int_member (record, "step", at_step);
      json_object_set_object_member (record, "settings", g_steal_pointer (&given));
      json_object_set_object_member (record, "previous", g_steal_pointer (&previous));
      json_array_add_object_element (json_object_get_array_member (settings, "overrides"), record);
    }

  if (stored_provider (run, NULL) != NULL)
    reins_run_set_provider (run, stored_provider (run, NULL));
  if (reins_settings_get_string (settings, "model", NULL) != NULL)
    reins_run_set_model (run, reins_settings_get_string (settings, "model", NULL));
}

/**
 * reins_run_restore_provider:
 * @run: a run whose settings were restored (reins_run_restore_settings())
 * @base: how to reach the provider beyond the run: the key, a script, timeouts
 *
 * The provider config of @run: its provider, endpoint, model, seed and sim accuracy from
 * its settings; @base's only where the run has none (a store older than these settings).
 *
 * Returns: (transfer full): a new config
 */
ReinsProviderConfig *
reins_run_restore_provider (ReinsRun                  *run,
                            const ReinsProviderConfig *base)
{
  JsonObject *settings;
  ReinsProviderConfig *config;
  const char *value;

  g_return_val_if_fail (REINS_IS_RUN (run), NULL);
  g_return_val_if_fail (base != NULL, NULL);

  settings = reins_run_get_settings (run);
  config = reins_provider_config_copy (base);

  value = stored_provider (run, NULL);
  if (value != NULL)
    {
      g_free (config->name);
      config->name = g_strdup (value);
    }

  /* The endpoint: a stored one is never dropped for the provider's default. */
  value = reins_settings_get_string (settings, "base_url", NULL);
  if (value != NULL)
    {
      g_free (config->base_url);
      config->base_url = g_strdup (value);
    }

  value = reins_settings_get_string (settings, "model", reins_run_get_model (run));
  if (value != NULL)
    {
      g_free (config->model);
      config->model = g_strdup (value);
    }

  if (json_object_has_member (settings, "seed"))
    config->seed = (guint64) MAX (0, reins_settings_get_int (settings, "seed", 0));
  if (json_object_has_member (settings, "sim_accuracy"))
    config->sim_accuracy = reins_settings_get_double (settings, "sim_accuracy", 0.88);

  return config;
}
