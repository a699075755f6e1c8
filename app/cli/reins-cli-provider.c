/* reins-cli-provider.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The provider and run options that `run` and `bench` share: one definition of each option,
 * its check, the window's preferences for what is left out, and the provider configuration
 * and run options they become.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "reins-cli-private.h"
#include "reins-mcp-client.h"
#include "reins-provider-info.h"
#include "reins-provider-inject.h"
#include "reins-run-settings.h"
#include "reins-tool-registry.h"

void
reins_cli_provider_options_init (ReinsCliProviderOptions *o)
{
  memset (o, 0, sizeof *o);
  reins_run_options_init (&o->run);
}

/* The option parser stores strings it allocated in the run options' members. */
void
reins_cli_provider_options_clear (ReinsCliProviderOptions *o)
{
  ReinsRunOptions *r = &o->run;

  g_clear_pointer ((char **) &r->provider, g_free);
  g_clear_pointer ((char **) &r->base_url, g_free);
  g_clear_pointer ((char **) &r->model, g_free);
  g_clear_pointer ((char **) &r->mode, g_free);
  g_clear_pointer ((char **) &r->tools, g_free);
  g_clear_pointer ((char **) &r->workspace, g_free);
  g_clear_pointer ((char **) &r->inject_mistakes, g_free);
  g_clear_pointer (&r->mcp, g_strfreev);
  g_clear_pointer (&r->mcp_tools, g_strfreev);
  g_clear_pointer (&r->no_guard, g_strfreev);
  g_clear_pointer (&o->mcp_client_ids, g_strfreev);
  g_clear_pointer (&o->api_key_env, g_free);
  g_clear_pointer (&o->script, g_free);
  g_clear_pointer (&o->provider_help, g_free);
  g_clear_pointer (&o->key_env_help, g_free);
}

/* "sim, openai, … or scripted [sim]" and "… [OPENAI_API_KEY, ANTHROPIC_API_KEY]". */
static void
make_help (ReinsCliProviderOptions *o)
{
  const ReinsProviderInfo * const *infos = reins_provider_info_get_all ();
  const char * const *names = reins_provider_get_names ();
  guint n = g_strv_length ((char **) names);
  g_autoptr(GString) providers = g_string_new (NULL);
  g_autoptr(GString) envs = g_string_new (NULL);

  for (guint i = 0; i + 1 < n; i++)
    g_string_append_printf (providers, "%s%s", i > 0 ? ", " : "", names[i]);
  for (guint i = 0; infos[i] != NULL; i++)
    if (reins_provider_info_get_key_env (infos[i]) != NULL)
      g_string_append_printf (envs, "%s%s", envs->len > 0 ? ", " : "",
                              reins_provider_info_get_key_env (infos[i]));

  g_free (o->provider_help);
  /* Translators: --provider's help: the providers but the last, the last one, the default */
  o->provider_help = g_strdup_printf (_("%s or %s [%s]"), providers->str, names[n - 1], names[0]);
  g_free (o->key_env_help);
  /* Translators: --api-key-env's help; the placeholder lists the default variables */
  o->key_env_help = g_strdup_printf (_("Environment variable holding the key [%s]"), envs->str);
}

void
reins_cli_provider_options_add_entries (GOptionContext          *context,
                                        ReinsCliProviderOptions *o)
{
  GOptionEntry entries[] = {
    { "provider", 'p', 0, G_OPTION_ARG_STRING, &o->run.provider, NULL, N_("NAME") },
    { "base-url", 'u', 0, G_OPTION_ARG_STRING, &o->run.base_url, N_("The provider’s endpoint"), N_("URL") },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &o->run.model, N_("The model name"), N_("NAME") },
    { "api-key-env", 0, 0, G_OPTION_ARG_STRING, &o->api_key_env, NULL, N_("VAR") },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &o->run.mode, N_("tools (native tool calling) or react (text) [tools]"), N_("MODE") },
    { "max-steps", 0, 0, G_OPTION_ARG_INT, &o->run.max_steps, N_("Most steps a run may take [20]"), N_("N") },
    { "budget", 0, 0, G_OPTION_ARG_DOUBLE, &o->run.budget, N_("Cost limit of the run in USD [1.00]"), N_("USD") },
    { "price-in", 0, 0, G_OPTION_ARG_DOUBLE, &o->run.price_in, N_("USD per million input tokens, over the pricing table"), N_("USD") },
    { "price-out", 0, 0, G_OPTION_ARG_DOUBLE, &o->run.price_out, N_("USD per million output tokens, over the pricing table"), N_("USD") },
    { "confidence-threshold", 0, 0, G_OPTION_ARG_DOUBLE, &o->run.threshold, N_("Below it a step needs a person [0.7]"), N_("F") },
    { "tools", 0, 0, G_OPTION_ARG_STRING, &o->run.tools, N_("Built-in tools to enable [" REINS_DEFAULT_TOOLS "]"), N_("LIST") },
    { "workspace", 0, 0, G_OPTION_ARG_FILENAME, &o->run.workspace, N_("Root that file and shell tools are confined to [.]"), N_("DIR") },
    { "mcp", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->run.mcp, N_("Start an MCP stdio server, or connect to one at an http(s) URL; its tools appear as NAME__TOOL"), N_("NAME=COMMAND|URL") },
    { "mcp-tools", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->run.mcp_tools, N_("Use only these tools of MCP server NAME"), N_("NAME=TOOL,TOOL") },
    { "mcp-client-id", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->mcp_client_ids, N_("The OAuth client id registered for MCP server NAME (its secret, if any, from REINS_MCP_OAUTH_CLIENT_SECRET_NAME)"), N_("NAME=ID") },
    { "mcp-max-tools", 0, 0, G_OPTION_ARG_INT, &o->run.mcp_max_tools, N_("Most tools to use of each MCP server [128]"), N_("N") },
    { "script", 0, 0, G_OPTION_ARG_FILENAME, &o->script, N_("Responses for the scripted provider"), N_("FILE") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o->run.seed, N_("Seed of the sim provider [0]"), N_("N") },
    { "sim-accuracy", 0, 0, G_OPTION_ARG_DOUBLE, &o->run.sim_accuracy, N_("Single-step accuracy of the sim provider [0.88]"), N_("P") },
    { "no-stream", 0, 0, G_OPTION_ARG_NONE, &o->run.no_stream, N_("Ask the provider for whole replies"), NULL },
    { "no-guard", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->run.no_guard, N_("Turn a guard off (max_steps, budget, policy, rate, confidence, tool_result, grounding, loop, drift, nothing_found, critic)"), N_("NAME") },
    { "goal-every", 0, 0, G_OPTION_ARG_INT, &o->run.goal_every, N_("Restate the task to the model every N steps; 0: never [3]"), N_("N") },
    { "tool-timeout", 0, 0, G_OPTION_ARG_INT, &o->run.tool_timeout, N_("Seconds a shell, HTTP or MCP call may take [30]"), N_("S") },
    { "provider-timeout", 0, 0, G_OPTION_ARG_INT, &o->run.provider_timeout, N_("Seconds one model request may take in all, retries and streaming included [300]"), N_("SECONDS") },
    { "inject-mistakes", 0, 0, G_OPTION_ARG_STRING, &o->run.inject_mistakes, N_("Replace a fraction RATE of the model’s replies with mistakes (docs/mistakes.md)"), N_("RATE[:KIND,…]") },
    { NULL }
  };

  make_help (o);
  entries[0].description = o->provider_help;
  entries[3].description = o->key_env_help;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static gboolean G_GNUC_PRINTF (2, 3)
usage (GError     **error,
       const char  *format,
       ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (REINS_ERROR, REINS_ERROR_USAGE, format, args));
  va_end (args);
  return FALSE;
}

/* The checks of the values given; a usage error for the first one out of range. */
gboolean
reins_cli_provider_options_check (ReinsCliProviderOptions  *o,
                                  GError                  **error)
{
  const ReinsRunOptions *r = &o->run;

  if (r->mode != NULL && !g_str_equal (r->mode, "tools") && !g_str_equal (r->mode, "react"))
    return usage (error, _("--mode must be “tools” or “react”, not “%s”"), r->mode);
  if (r->max_steps != -1 && r->max_steps < 1)
    return usage (error, _("--max-steps must be at least 1"));
  if (r->budget != -1 && r->budget <= 0)
    return usage (error, _("--budget must be more than 0"));
  if (r->threshold != -1 && (r->threshold < 0 || r->threshold > 1))
    return usage (error, _("--confidence-threshold must be from 0 to 1"));
  if (r->sim_accuracy != -1 && (r->sim_accuracy < 0 || r->sim_accuracy > 1))
    return usage (error, _("--sim-accuracy must be from 0 to 1"));
  if (r->goal_every < -1)
    return usage (error, _("--goal-every cannot be negative"));
  if (r->tool_timeout != -1 && r->tool_timeout < 1)
    return usage (error, _("--tool-timeout must be at least 1 second"));
  if (r->mcp_max_tools != -1 && (r->mcp_max_tools < 1 || r->mcp_max_tools > 100000))
    return usage (error, _("--mcp-max-tools must be from 1 to 100000"));
  if (r->provider_timeout != -1 && (r->provider_timeout < 1 || r->provider_timeout > 24 * 3600))
    return usage (error, _("--provider-timeout must be from 1 to 86400 seconds"));
  if (r->inject_mistakes != NULL)
    {
      g_autoptr(GError) local = NULL;

      if (!reins_inject_parse_spec (r->inject_mistakes, NULL, NULL, &local))
        return usage (error, "%s", local->message);
    }
  if (r->seed < -1)
    return usage (error, _("--seed cannot be negative"));
  if ((r->price_in != -1 && r->price_in < 0) || (r->price_out != -1 && r->price_out < 0))
    return usage (error, _("Prices cannot be negative"));
  for (guint i = 0; r->no_guard != NULL && r->no_guard[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) reins_harness_guard_names, r->no_guard[i]))
      return usage (error, _("There is no guard “%s”"), r->no_guard[i]);
  for (guint i = 0; o->mcp_client_ids != NULL && o->mcp_client_ids[i] != NULL; i++)
    {
      const char *value = o->mcp_client_ids[i];
      const char *equals = strchr (value, '=');

      if (equals == NULL || equals == value || equals[1] == '\0')
        return usage (error, _("--mcp-client-id must be NAME=ID, not “%s”"), value);
    }
  /* Checked: the servers made from here on use them, over the preferences' ones. */
  reins_cli_settings_use_mcp_clients ();
  for (guint i = 0; o->mcp_client_ids != NULL && o->mcp_client_ids[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (o->mcp_client_ids[i], "=", 2);

      reins_mcp_client_set_default_oauth_client (parts[0], parts[1]);
    }
  return TRUE;
}

/* What the options leave out comes from the preferences of the window, so the CLI and the
 * window start runs alike; the provider is `sim` when nothing names one. */
void
reins_cli_provider_options_fill (ReinsCliProviderOptions *o,
                                 gboolean                 new_run)
{
  ReinsRunOptions *r = &o->run;
  ReinsCliDefaults defaults = { (char **) &r->provider, (char **) &r->base_url,
                                (char **) &r->model, &r->max_steps, &r->goal_every,
                                &r->tool_timeout, &r->budget, &r->threshold, &r->price_in,
                                &r->price_out, &r->no_guard, &r->mcp };

  reins_cli_settings_fill (&defaults, new_run);
  if (r->provider == NULL)
    r->provider = g_strdup ("sim");
}

/* How to reach the provider, its key included; call after _fill(). */
ReinsProviderConfig *
reins_cli_provider_options_config (ReinsCliProviderOptions *o)
{
  const ReinsRunOptions *r = &o->run;
  ReinsProviderConfig *config;
  const char *key_env;

  g_return_val_if_fail (r->provider != NULL, NULL);

  config = reins_provider_config_new (r->provider);
  g_free (config->base_url);
  config->base_url = g_strdup (r->base_url);
  g_free (config->model);
  config->model = g_strdup (r->model);
  g_free (config->script_path);
  config->script_path = g_strdup (o->script);
  config->seed = r->seed >= 0 ? (guint64) r->seed : 0;
  config->sim_accuracy = r->sim_accuracy >= 0 ? r->sim_accuracy
                                               : REINS_RUN_SETTINGS_DEFAULT_SIM_ACCURACY;

  key_env = o->api_key_env != NULL ? o->api_key_env : reins_provider_key_env (r->provider);
  if (key_env != NULL)
    {
      g_free (config->api_key);
      config->api_key = reins_cli_settings_api_key (r->provider, key_env);
    }
  return config;
}
