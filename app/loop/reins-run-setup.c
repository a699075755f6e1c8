/* reins-run-setup.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The constructors take runs the caller holds already (a fork's parent is the run shown; a
 * resumed run is read once by its caller), so making a setup reads no store on the calling
 * thread. What needs the store or the network (the stored steps, MCP servers, the provider)
 * is made by the worker, through the functions below.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "reins-provider-inject.h"
#include "reins-run-restore.h"
#include "reins-run-setup.h"
#include "reins-run-settings.h"

/**
 * reins_run_setup_new:
 * @run: a new run; its settings say how to run it (mode, tools, workspace, limits, guards)
 * @provider: how to reach the model; the key in it is never stored
 * @db_path: (nullable): the store, or %NULL for the default
 */
ReinsRunSetup *
reins_run_setup_new (ReinsRun                  *run,
                     const ReinsProviderConfig *provider,
                     const char                *db_path)
{
  ReinsRunSetup *self;

  g_return_val_if_fail (REINS_IS_RUN (run), NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  self = g_new0 (ReinsRunSetup, 1);
  self->kind = REINS_RUN_SETUP_NEW;
  self->run = reins_run_copy (run);
  self->provider = reins_provider_config_copy (provider);
  self->db_path = g_strdup (db_path);
  return self;
}

/* A setup for @run, whose settings were restored: its provider is the run's own, reached
 * as @provider says (the key, a script, timeouts). */
static ReinsRunSetup *
setup_restored (ReinsRun                  *run,
                ReinsRunSetupKind          kind,
                const ReinsProviderConfig *provider,
                const char                *db_path)
{
  g_autoptr(ReinsProviderConfig) config = reins_run_restore_provider (run, provider);
  ReinsRunSetup *self = reins_run_setup_new (run, config, db_path);

  self->kind = kind;
  return self;
}

/**
 * reins_run_setup_new_resume:
 * @stored: the run as stored, `interrupted` or `paused`
 * @overrides: (nullable): settings the person gave explicitly for the rest of the run
 *   (members replace members; recorded in settings "overrides")
 * @provider: how to reach the run's provider: the key, a script, timeouts. The provider,
 *   endpoint, model, seed and accuracy are the run's own (docs/run.md), not @provider's.
 */
ReinsRunSetup *
reins_run_setup_new_resume (ReinsRun                  *stored,
                            JsonObject                *overrides,
                            const ReinsProviderConfig *provider,
                            const char                *db_path,
                            GError                   **error)
{
  g_autoptr(ReinsRun) run = NULL;
  ReinsRunStatus status;

  g_return_val_if_fail (REINS_IS_RUN (stored), NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  status = reins_run_get_status (stored);
  if (status != REINS_RUN_STATUS_INTERRUPTED && status != REINS_RUN_STATUS_PAUSED)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("Run %s is %s; only an interrupted or paused run can be resumed."),
                   reins_run_get_id (stored), reins_run_status_to_string (status));
      return NULL;
    }

  run = reins_run_copy (stored);
  reins_run_restore_settings (run, overrides, "resume", reins_run_get_step_count (run) + 1);
  return setup_restored (run, REINS_RUN_SETUP_RESUME, provider, db_path);
}

/**
 * reins_run_setup_new_fork:
 * @parent: the run forked, as stored
 * @from_step: the first step to run live; steps 1 … @from_step-1 are kept as they are
 *   stored, and their tools are not run again
 * @settings: (nullable): settings to change from the parent's (members replace members;
 *   recorded in settings "overrides")
 * @provider: how to reach the provider: the key, a script, timeouts. The provider,
 *   endpoint, model, seed and accuracy are the parent's unless @settings change them.
 *
 * A new run that continues @parent from one of its steps.
 */
ReinsRunSetup *
reins_run_setup_new_fork (ReinsRun                  *parent,
                          guint                      from_step,
                          JsonObject                *settings,
                          const ReinsProviderConfig *provider,
                          const char                *db_path,
                          GError                   **error)
{
  g_autoptr(ReinsRun) run = NULL;
  ReinsRunSetup *self;
  guint n_steps;

  g_return_val_if_fail (REINS_IS_RUN (parent), NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  n_steps = reins_run_get_step_count (parent);
  if (from_step < 1 || from_step > n_steps + 1)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   g_dngettext (GETTEXT_PACKAGE, "Run %s has %u step; a fork can start from step 1 to %u.",
                                "Run %s has %u steps; a fork can start from step 1 to %u.",
                                n_steps),
                   reins_run_get_id (parent), n_steps, n_steps + 1);
      return NULL;
    }

  run = reins_run_new (reins_run_get_task (parent));
  reins_run_set_provider (run, reins_run_get_provider (parent));
  reins_run_set_model (run, reins_run_get_model (parent));
  reins_run_set_settings (run, reins_run_get_settings (parent));
  reins_run_restore_settings (run, settings, "fork", from_step);
  reins_run_set_parent (run, reins_run_get_id (parent), from_step);

  self = setup_restored (run, REINS_RUN_SETUP_FORK, provider, db_path);
  self->fork_step = from_step;
  return self;
}

void
reins_run_setup_free (ReinsRunSetup *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->run);
  g_clear_pointer (&self->provider, reins_provider_config_free);
  g_clear_pointer (&self->critic, reins_provider_config_free);
  g_clear_pointer (&self->db_path, g_free);
  g_free (self);
}

/**
 * reins_run_setup_merge_settings:
 * @base: (nullable): settings
 * @overrides: (nullable): settings set over them, member by member
 *
 * Returns: (transfer full): a deep copy of @base with the members of @overrides set over it
 */
JsonObject *
reins_run_setup_merge_settings (JsonObject *base,
                                JsonObject *overrides)
{
  JsonObject *merged = json_object_new ();
  JsonObject *layers[] = { base, overrides };

  for (guint i = 0; i < G_N_ELEMENTS (layers); i++)
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *node;

      if (layers[i] == NULL)
        continue;
      json_object_iter_init (&iter, layers[i]);
      while (json_object_iter_next (&iter, &member, &node))
        json_object_set_member (merged, member, json_node_copy (node));
    }
  return merged;
}

/* Element @i of @array if it is a string, else NULL: settings may come from any file. */
static const char *
string_element (JsonArray *array,
                guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * reins_run_setup_tool_list:
 * @builtin_only: leave out the tools of MCP servers (NAME__TOOL)
 *
 * Returns: (transfer full): the tools of settings "tools", comma-separated, or the default
 *   tools when the settings name none
 */
char *
reins_run_setup_tool_list (JsonObject *settings,
                           gboolean    builtin_only)
{
  JsonNode *tools = settings != NULL ? json_object_get_member (settings, "tools") : NULL;
  GString *list = g_string_new (NULL);

  if (tools == NULL || !JSON_NODE_HOLDS_ARRAY (tools))
    {
      g_string_append (list, REINS_DEFAULT_TOOLS);
      return g_string_free (list, FALSE);
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (tools)); i++)
    {
      const char *name = string_element (json_node_get_array (tools), i);

      if (name == NULL || (builtin_only && strstr (name, "__") != NULL))
        continue;
      if (list->len > 0)
        g_string_append_c (list, ',');
      g_string_append (list, name);
    }
  return g_string_free (list, FALSE);
}

/**
 * reins_run_setup_load_resume:
 * @store: the worker's store
 * @steps: (out) (element-type ReinsStep): the run's stored steps, in order
 *
 * Reads the run being resumed as it is stored, with the settings, provider and model the
 * setup restored (the person's overrides among them).
 *
 * Returns: (transfer full): the run, or %NULL with @error set
 */
ReinsRun *
reins_run_setup_load_resume (ReinsRunSetup  *self,
                             ReinsStore     *store,
                             GPtrArray     **steps,
                             GError        **error)
{
  g_autoptr(ReinsRun) stored = NULL;

  g_return_val_if_fail (self != NULL && self->kind == REINS_RUN_SETUP_RESUME, NULL);
  g_return_val_if_fail (steps != NULL, NULL);

  stored = reins_store_get_run (store, reins_run_get_id (self->run), error);
  if (stored == NULL)
    return NULL;
  *steps = reins_store_get_steps (store, reins_run_get_id (self->run), 1, 0, error);
  if (*steps == NULL)
    return NULL;

  reins_run_set_settings (stored, reins_run_get_settings (self->run));
  reins_run_set_provider (stored, reins_run_get_provider (self->run));
  reins_run_set_model (stored, reins_run_get_model (self->run));
  reins_run_set_finished_at (stored, 0);
  return g_steal_pointer (&stored);
}

/**
 * reins_run_setup_make_provider:
 * @settings: the run's settings: "provider_timeout" (seconds, the run's total request
 *   deadline) and the fault injection of reins-provider-inject.h
 *
 * Returns: (transfer full): the run's provider, or %NULL with @error set
 */
ReinsProvider *
reins_run_setup_make_provider (ReinsRunSetup  *self,
                               JsonObject     *settings,
                               GError        **error)
{
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_copy (self->provider);
  gint64 timeout = reins_settings_get_int (settings, "provider_timeout", 0);
  ReinsProvider *provider;

  if (timeout > 0)
    config->request_timeout_s = (guint) MIN (timeout, 24 * 3600);
  provider = reins_provider_new_for_config (config, error);
  if (provider == NULL)
    return NULL;
  return reins_provider_inject_wrap_for_settings (provider, settings, error);
}

/**
 * reins_run_setup_critic_config:
 * @run: the run as the worker has it
 *
 * The critic's provider: the one set for it, else the run's with the settings'
 * "critic_provider", "critic_model", "critic_base_url" and "sim_critic_accuracy" over it.
 * Its own short deadline ("critic_timeout_s") and one retry keep a slow critic from
 * holding up the run.
 *
 * Returns: (transfer full): a new config
 */
ReinsProviderConfig *
reins_run_setup_critic_config (ReinsRunSetup *self,
                               ReinsRun      *run)
{
  JsonObject *settings = reins_run_get_settings (run);
  const char *name = reins_settings_get_string (settings, "critic_provider", NULL);
  const char *model = reins_settings_get_string (settings, "critic_model", NULL);
  const char *base_url = reins_settings_get_string (settings, "critic_base_url", NULL);
  ReinsProviderConfig *config;

  if (self->critic != NULL)
    config = reins_provider_config_copy (self->critic);
  else
    {
      config = reins_provider_config_copy (self->provider);
      if (name != NULL && g_strcmp0 (name, config->name) != 0)
        {
          /* Another provider: none of the run's endpoint, model or key applies. */
          g_free (config->name);
          config->name = g_strdup (name);
          g_clear_pointer (&config->base_url, g_free);
          g_clear_pointer (&config->model, g_free);
          g_clear_pointer (&config->api_key, g_free);
        }
      else if (config->model == NULL)
        config->model = g_strdup (reins_run_get_model (run));
    }
  if (model != NULL)
    {
      g_free (config->model);
      config->model = g_strdup (model);
    }
  if (base_url != NULL)
    {
      g_free (config->base_url);
      config->base_url = g_strdup (base_url);
    }
  config->sim_critic_accuracy = reins_settings_get_double (settings, "sim_critic_accuracy",
                                                           config->sim_critic_accuracy);
  config->timeout_s = (guint) CLAMP (reins_settings_get_int (settings, "critic_timeout_s", 30),
                                     1, 600);
  config->max_retries = 1;
  config->stream_delay_ms = 0;
  return config;
}

static void
set_mcp_status (JsonObject *settings,
                const char *spec,
                const char *status)
{
  g_autofree char *name = g_strndup (spec, strcspn (spec, "=:"));
  JsonNode *node = json_object_get_member (settings, "mcp_status");

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    json_object_set_object_member (settings, "mcp_status", json_object_new ());
  json_object_set_string_member (json_object_get_object_member (settings, "mcp_status"),
                                 name, status);
}

/* The tools chosen for the MCP server of @spec ("mcp_tools": {NAME: [TOOL, …]}), or NULL. */
static char **
mcp_allowed_tools (JsonObject *settings,
                   const char *spec)
{
  g_autofree char *name = g_strndup (spec, strcspn (spec, "=:"));
  JsonNode *choice = json_object_get_member (settings, "mcp_tools");
  JsonNode *list;
  g_autoptr(GStrvBuilder) builder = NULL;

  if (choice == NULL || !JSON_NODE_HOLDS_OBJECT (choice))
    return NULL;
  list = json_object_get_member (json_node_get_object (choice), name);
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    return NULL;
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      const char *tool = string_element (json_node_get_array (list), i);

      if (tool != NULL)
        g_strv_builder_add (builder, tool);
    }
  return g_strv_builder_end (builder);
}

static void
add_mcp_server (ReinsToolRegistry *registry,
                JsonObject        *settings,
                const char        *spec,
                GCancellable      *cancellable)
{
  g_auto(GStrv) allowed = mcp_allowed_tools (settings, spec);
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  gint64 max_tools = reins_settings_get_int (settings, "mcp_max_tools",
                                             REINS_RUN_SETTINGS_DEFAULT_MCP_MAX_TOOLS);

  /* A dead or silent MCP server costs its tools, never the run. What happened is kept in
   * the run's settings ("mcp_status"), for the window to show. */
  if (!reins_tool_registry_add_mcp_server_full (registry, spec,
                                                (guint) CLAMP (max_tools, 1, 100000),
                                                (const char * const *) allowed,
                                                &warning, cancellable, &error))
    {
      g_message ("MCP server “%s” is not available; the run goes on without its tools: %s",
                 spec, error->message);
      set_mcp_status (settings, spec, error->message);
    }
  else if (warning != NULL)
    {
      g_autofree char *status = g_strdup_printf ("running; %s", warning);

      g_message ("MCP server “%s”: %s", spec, warning);
      set_mcp_status (settings, spec, status);
    }
  else
    {
      set_mcp_status (settings, spec, "running");
    }
}

/**
 * reins_run_setup_make_tools:
 * @settings: the run's settings ("tools", "mcp", "mcp_tools", "mcp_max_tools"); what
 *   became of each MCP server is written to its "mcp_status"
 * @workspace: the MCP servers' root
 *
 * Starts the run's MCP servers: call on the worker.
 *
 * Returns: (transfer full): the run's tools, or %NULL with @error set
 */
ReinsToolRegistry *
reins_run_setup_make_tools (JsonObject    *settings,
                            const char    *workspace,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autofree char *list = reins_run_setup_tool_list (settings, FALSE);
  JsonNode *mcp = json_object_get_member (settings, "mcp");
  ReinsToolRegistry *registry;

  registry = reins_tool_registry_new_builtin (list, error);
  if (registry == NULL)
    return NULL;
  reins_tool_registry_set_mcp_root (registry, workspace);

  if (mcp != NULL && JSON_NODE_HOLDS_ARRAY (mcp))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (mcp)); i++)
      {
        const char *spec = string_element (json_node_get_array (mcp), i);

        if (spec != NULL)
          add_mcp_server (registry, settings, spec, cancellable);
      }

  return registry;
}

/**
 * reins_run_setup_make_harness:
 *
 * Returns: (transfer full): the guards of @settings, as a live run, a replay or a what-if
 *   judges with them
 */
ReinsHarness *
reins_run_setup_make_harness (JsonObject *settings)
{
  return reins_harness_new_for_settings (settings);
}
