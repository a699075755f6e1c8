/* reins-run-options.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The choices a person makes for a run, written into the run's settings the same way
 * whether they came from reins-cli's options or the window's New Run dialog.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "reins-pricing.h"
#include "reins-provider-info.h"
#include "reins-provider-inject.h"
#include "reins-run-options.h"
#include "reins-run-settings.h"
#include "reins-tool-registry.h"

/* Every member "not given": a new run takes the defaults, a fork its parent's values. */
void
reins_run_options_init (ReinsRunOptions *o)
{
  g_return_if_fail (o != NULL);

  memset (o, 0, sizeof *o);
  o->max_steps = -1;
  o->goal_every = -1;
  o->tool_timeout = -1;
  o->provider_timeout = -1;
  o->mcp_max_tools = -1;
  o->budget = -1;
  o->threshold = -1;
  o->price_in = -1;
  o->price_out = -1;
  o->sim_accuracy = -1;
  o->seed = -1;
}

static JsonArray *
split_list (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  JsonArray *array = json_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        json_array_add_string_element (array, parts[i]);
    }
  return array;
}

static JsonArray *
strv_array (char **strv)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  return array;
}

/* {"NAME": ["TOOL", …]} from NAME=TOOL,TOOL values. */
static JsonObject *
mcp_tools_object (char   **values,
                  GError **error)
{
  g_autoptr(JsonObject) object = json_object_new ();

  for (guint i = 0; values[i] != NULL; i++)
    {
      const char *equals = strchr (values[i], '=');
      g_autofree char *name = equals != NULL ? g_strndup (values[i], equals - values[i]) : NULL;
      g_autoptr(JsonArray) tools = equals != NULL ? split_list (equals + 1) : NULL;

      if (name == NULL || *g_strstrip (name) == '\0' || json_array_get_length (tools) == 0)
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                       _("“%s” does not choose MCP tools: use NAME=TOOL,TOOL…"), values[i]);
          return NULL;
        }
      json_object_set_array_member (object, name, g_steal_pointer (&tools));
    }
  return g_steal_pointer (&object);
}

/**
 * reins_run_options_default_model:
 *
 * The model a provider uses when none is named.
 */
const char *
reins_run_options_default_model (const char *provider)
{
  const ReinsProviderInfo *info = reins_provider_info_lookup (provider);

  return info != NULL ? reins_provider_info_get_default_model (info) : provider;
}


/* Writes the options into a run's settings: all of them with their defaults for a new run
 * (@defaults), only those given for a resume or a fork, which keeps the rest from its run. */
gboolean
reins_run_options_apply (const ReinsRunOptions  *o,
                         JsonObject             *settings,
                         gboolean                defaults,
                         GError                **error)
{
  if (defaults || o->workspace != NULL)
    {
      g_autofree char *root = g_canonicalize_filename (o->workspace != NULL ? o->workspace : ".",
                                                       NULL);

      if (!g_file_test (root, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                       _("The workspace “%s” is not a folder"), root);
          return FALSE;
        }
      json_object_set_string_member (settings, "workspace", root);
    }

  if (defaults)
    {
      const char *model = o->model != NULL ? o->model : reins_run_options_default_model (o->provider);
      g_autoptr(ReinsPricing) pricing = reins_pricing_new_default ();
      double table_in = 0, table_out = 0;

      if (pricing != NULL)
        reins_pricing_lookup (pricing, o->provider, model, &table_in, &table_out);

      json_object_set_string_member (settings, "provider", o->provider);
      json_object_set_string_member (settings, "model", model);
      json_object_set_double_member (settings, "price_in", o->price_in >= 0 ? o->price_in : table_in);
      json_object_set_double_member (settings, "price_out",
                                     o->price_out >= 0 ? o->price_out : table_out);
      if (g_str_equal (o->provider, "sim"))
        {
          json_object_set_int_member (settings, "seed", MAX (o->seed, 0));
          json_object_set_double_member (settings, "sim_accuracy",
                                         o->sim_accuracy >= 0
                                         ? o->sim_accuracy
                                         : REINS_RUN_SETTINGS_DEFAULT_SIM_ACCURACY);
        }
    }
  else
    {
      if (o->provider != NULL)
        json_object_set_string_member (settings, "provider", o->provider);
      if (o->model != NULL)
        json_object_set_string_member (settings, "model", o->model);
      if (o->price_in >= 0)
        json_object_set_double_member (settings, "price_in", o->price_in);
      if (o->price_out >= 0)
        json_object_set_double_member (settings, "price_out", o->price_out);
      if (o->seed >= 0)
        json_object_set_int_member (settings, "seed", o->seed);
      if (o->sim_accuracy >= 0)
        json_object_set_double_member (settings, "sim_accuracy", o->sim_accuracy);
    }

  if (o->inject_mistakes != NULL)
    {
      if (!reins_inject_parse_spec (o->inject_mistakes, NULL, NULL, error))
        return FALSE;
      json_object_set_string_member (settings, "inject_mistakes", o->inject_mistakes);
      if (defaults || o->seed >= 0)
        json_object_set_int_member (settings, "inject_seed", MAX (o->seed, 0));
    }

  if (o->base_url != NULL)
    json_object_set_string_member (settings, "base_url", o->base_url);
  if (defaults || o->mode != NULL)
    json_object_set_string_member (settings, "mode",
                                   o->mode != NULL ? o->mode : REINS_RUN_SETTINGS_DEFAULT_MODE);
  if (defaults || o->max_steps != -1)
    json_object_set_int_member (settings, "max_steps",
                                o->max_steps != -1 ? o->max_steps
                                                   : REINS_RUN_SETTINGS_DEFAULT_MAX_STEPS);
  if (defaults || o->budget != -1)
    json_object_set_double_member (settings, "budget_usd",
                                   o->budget != -1 ? o->budget
                                                   : REINS_RUN_SETTINGS_DEFAULT_BUDGET_USD);
  if (defaults || o->threshold != -1)
    json_object_set_double_member (settings, "confidence_threshold",
                                   o->threshold != -1
                                   ? o->threshold
                                   : REINS_RUN_SETTINGS_DEFAULT_CONFIDENCE_THRESHOLD);
  if (defaults || o->tools != NULL)
    json_object_set_array_member (settings, "tools",
                                  split_list (o->tools != NULL ? o->tools : REINS_DEFAULT_TOOLS));
  for (guint i = 0; o->mcp != NULL && o->mcp[i] != NULL; i++)
    if (!reins_tool_registry_check_mcp_spec (o->mcp[i], error))
      return FALSE;
  if (defaults || o->mcp != NULL)
    json_object_set_array_member (settings, "mcp", strv_array (o->mcp));
  if (defaults || o->mcp_max_tools != -1)
    json_object_set_int_member (settings, "mcp_max_tools",
                                o->mcp_max_tools != -1 ? o->mcp_max_tools
                                                       : REINS_RUN_SETTINGS_DEFAULT_MCP_MAX_TOOLS);
  if (o->mcp_tools != NULL)
    {
      JsonObject *chosen = mcp_tools_object (o->mcp_tools, error);

      if (chosen == NULL)
        return FALSE;
      json_object_set_object_member (settings, "mcp_tools", chosen);
    }
  if (defaults || o->no_guard != NULL)
    json_object_set_array_member (settings, "disabled_guards", strv_array (o->no_guard));
  if (defaults || o->goal_every != -1)
    json_object_set_int_member (settings, "goal_every",
                                o->goal_every != -1 ? o->goal_every
                                                    : REINS_RUN_SETTINGS_DEFAULT_GOAL_EVERY);
  if (defaults || o->tool_timeout != -1)
    json_object_set_int_member (settings, "tool_timeout_s",
                                o->tool_timeout != -1 ? o->tool_timeout
                                                      : REINS_RUN_SETTINGS_DEFAULT_TOOL_TIMEOUT_S);
  if (defaults || o->provider_timeout != -1)
    json_object_set_int_member (settings, "provider_timeout",
                                o->provider_timeout != -1
                                ? o->provider_timeout
                                : REINS_RUN_SETTINGS_DEFAULT_PROVIDER_TIMEOUT_S);
  if (defaults || o->no_stream)
    json_object_set_boolean_member (settings, "stream", !o->no_stream);

  return TRUE;
}

