/* reins-cli-guards.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The options that set the harness's guards, shared by `run` and `replay` (a what-if replay
 * is the same run judged under other guard settings).
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "reins-cli-private.h"

void
reins_cli_guard_options_init (ReinsCliGuardOptions *o)
{
  memset (o, 0, sizeof *o);
  o->loop_threshold = -1;
  o->token_budget = -1;
  o->time_budget = -1;
  o->drift_threshold = -1;
  o->drift_window = -1;
  o->grounding_corrections = -1;
}

void
reins_cli_guard_options_clear (ReinsCliGuardOptions *o)
{
  g_clear_pointer (&o->polling_tools, g_free);
  g_clear_pointer (&o->rate_limits, g_strfreev);
  g_clear_pointer (&o->tool_policy, g_strfreev);
  g_clear_pointer (&o->embeddings, g_free);
  g_clear_pointer (&o->confidence_asks, g_free);
  g_clear_pointer (&o->critic, g_free);
}

void
reins_cli_guard_options_add_entries (GOptionContext       *context,
                                     ReinsCliGuardOptions *o)
{
  GOptionEntry entries[] = {
    { "loop-threshold", 0, 0, G_OPTION_ARG_DOUBLE, &o->loop_threshold, N_("loop: cosine above which three actions in a row are the same [0.92]"), N_("F") },
    { "polling-tools", 0, 0, G_OPTION_ARG_STRING, &o->polling_tools, N_("loop: tools that may repeat while their result changes"), N_("LIST") },
    { "rate-limit", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->rate_limits, N_("rate: at most N calls of TOOL per run, or N per W steps (TOOL may be *)"), N_("TOOL=N[/W]") },
    { "token-budget", 0, 0, G_OPTION_ARG_INT64, &o->token_budget, N_("budget: most tokens (in + out) a run may use; 0: no limit [0]"), N_("N") },
    { "time-budget", 0, 0, G_OPTION_ARG_DOUBLE, &o->time_budget, N_("budget: most seconds a run may take; 0: no limit [0]"), N_("S") },
    { "drift-threshold", 0, 0, G_OPTION_ARG_DOUBLE, &o->drift_threshold, N_("drift: similarity to the task under which actions are off task [0.12]"), N_("F") },
    { "drift-window", 0, 0, G_OPTION_ARG_INT, &o->drift_window, N_("drift: how many off-task actions in a row restate the task [3]"), N_("N") },
    { "tool-policy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->tool_policy, N_("policy: auto (run), ask (a person approves) or deny (never run) for TOOL"), N_("TOOL=POLICY") },
    { "confidence-asks", 0, 0, G_OPTION_ARG_STRING, &o->confidence_asks, N_("confidence: risky (ask below the threshold only for actions that change something) or always [risky]"), N_("WHEN") },
    { "grounding-corrections", 0, 0, G_OPTION_ARG_INT, &o->grounding_corrections, N_("grounding: how often an unsupported answer goes back to the model before a person is asked [3]"), N_("N") },
    { "embeddings", 0, 0, G_OPTION_ARG_STRING, &o->embeddings, N_("loop, drift: builtin (hashed n-grams) or provider (its embeddings endpoint) [builtin]"), N_("KIND") },
    { "critic", 0, 0, G_OPTION_ARG_STRING, &o->critic, N_("critic: off, finish (a model judges each final answer) or every (also each step) [off]"), N_("MODE") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static JsonObject *
object_member (JsonObject *settings,
               const char *member)
{
  JsonNode *node = json_object_get_member (settings, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    json_object_set_object_member (settings, member, json_object_new ());
  return json_object_get_object_member (settings, member);
}

static gboolean
parse_count (const char *text,
             gint64     *out)
{
  char *end = NULL;
  gint64 value;

  if (text == NULL || *text == '\0')
    return FALSE;
  value = g_ascii_strtoll (text, &end, 10);
  if (end == text || value < 0 || value > G_MAXINT)
    return FALSE;
  *out = value;
  return end != NULL && (*end == '\0' || *end == '/');
}

static gboolean
apply_rate_limit (JsonObject  *settings,
                  const char  *spec,
                  GError     **error)
{
  const char *eq = strchr (spec, '=');
  g_autofree char *tool = NULL;
  const char *slash;
  JsonObject *limits;
  gint64 n = 0, w = 0;

  if (eq == NULL || eq == spec || !parse_count (eq + 1, &n))
    goto bad;
  tool = g_strndup (spec, eq - spec);
  slash = strchr (eq + 1, '/');
  if (slash != NULL && (!parse_count (slash + 1, &w) || w < 1))
    goto bad;

  limits = object_member (object_member (settings, "rate_limits"), tool);
  if (slash != NULL)
    {
      json_object_set_int_member (limits, "per_window", n);
      json_object_set_int_member (limits, "window", w);
    }
  else
    {
      json_object_set_int_member (limits, "per_run", n);
    }
  return TRUE;

bad:
  g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
               _("--rate-limit wants TOOL=N or TOOL=N/W (N calls per W steps), not “%s”"), spec);
  return FALSE;
}

/* Sets the guard options that were given into @settings. */
gboolean
reins_cli_guard_options_apply (ReinsCliGuardOptions  *o,
                               JsonObject            *settings,
                               GError               **error)
{
  if (o->loop_threshold != -1 && (o->loop_threshold <= 0 || o->loop_threshold > 1))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("--loop-threshold must be more than 0 and at most 1"));
      return FALSE;
    }
  if (o->drift_threshold != -1 && (o->drift_threshold < 0 || o->drift_threshold > 1))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE, _("--drift-threshold must be from 0 to 1"));
      return FALSE;
    }
  if (o->drift_window != -1 && o->drift_window < 1)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE, _("--drift-window must be at least 1"));
      return FALSE;
    }
  if (o->token_budget < -1 || (o->time_budget != -1 && o->time_budget < 0))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE, _("Budgets cannot be negative"));
      return FALSE;
    }
  if (o->embeddings != NULL && !g_str_equal (o->embeddings, "builtin") &&
      !g_str_equal (o->embeddings, "provider"))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("--embeddings must be builtin or provider, not “%s”"), o->embeddings);
      return FALSE;
    }

  if (o->confidence_asks != NULL && !g_str_equal (o->confidence_asks, "risky") &&
      !g_str_equal (o->confidence_asks, "always"))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("--confidence-asks must be risky or always, not “%s”"), o->confidence_asks);
      return FALSE;
    }
  if (o->grounding_corrections < -1 || o->grounding_corrections > 100)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("--grounding-corrections must be from 0 to 100"));
      return FALSE;
    }

  if (o->confidence_asks != NULL)
    json_object_set_string_member (settings, "confidence_asks", o->confidence_asks);
  if (o->grounding_corrections != -1)
    json_object_set_int_member (settings, "grounding_corrections", o->grounding_corrections);
  if (o->critic != NULL && !g_str_equal (o->critic, "off") &&
      !g_str_equal (o->critic, "finish") && !g_str_equal (o->critic, "every"))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("--critic must be off, finish or every, not “%s”"), o->critic);
      return FALSE;
    }

  if (o->critic != NULL)
    json_object_set_string_member (settings, "critic", o->critic);
  if (o->loop_threshold != -1)
    json_object_set_double_member (settings, "loop_threshold", o->loop_threshold);
  if (o->polling_tools != NULL)
    {
      g_auto(GStrv) names = g_strsplit (o->polling_tools, ",", -1);
      JsonArray *array = json_array_new ();

      for (guint i = 0; names[i] != NULL; i++)
        if (*g_strstrip (names[i]) != '\0')
          json_array_add_string_element (array, names[i]);
      json_object_set_array_member (settings, "polling_tools", array);
    }
  for (guint i = 0; o->rate_limits != NULL && o->rate_limits[i] != NULL; i++)
    if (!apply_rate_limit (settings, o->rate_limits[i], error))
      return FALSE;
  if (o->token_budget != -1)
    json_object_set_int_member (settings, "token_budget", o->token_budget);
  if (o->time_budget != -1)
    json_object_set_double_member (settings, "time_budget_s", o->time_budget);
  if (o->drift_threshold != -1)
    json_object_set_double_member (settings, "drift_threshold", o->drift_threshold);
  if (o->drift_window != -1)
    json_object_set_int_member (settings, "drift_window", o->drift_window);
  for (guint i = 0; o->tool_policy != NULL && o->tool_policy[i] != NULL; i++)
    {
      const char *spec = o->tool_policy[i];
      const char *eq = strchr (spec, '=');
      g_autofree char *tool = NULL;

      if (eq == NULL || eq == spec ||
          (!g_str_equal (eq + 1, "auto") && !g_str_equal (eq + 1, "ask") &&
           !g_str_equal (eq + 1, "deny")))
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                       _("--tool-policy wants TOOL=auto, TOOL=ask or TOOL=deny, not “%s”"), spec);
          return FALSE;
        }
      tool = g_strndup (spec, eq - spec);
      json_object_set_string_member (object_member (settings, "tool_policy"), tool, eq + 1);
    }
  if (o->embeddings != NULL)
    json_object_set_string_member (settings, "embeddings", o->embeddings);

  return TRUE;
}

void
reins_cli_what_if_options_init (ReinsCliWhatIfOptions *o)
{
  memset (o, 0, sizeof *o);
  reins_cli_guard_options_init (&o->guards);
  o->threshold = -1;
  o->budget = -1;
  o->max_steps = -1;
}

void
reins_cli_what_if_options_clear (ReinsCliWhatIfOptions *o)
{
  reins_cli_guard_options_clear (&o->guards);
  g_clear_pointer (&o->no_guard, g_strfreev);
}

void
reins_cli_what_if_options_add_entries (GOptionContext        *context,
                                       ReinsCliWhatIfOptions *o)
{
  GOptionEntry entries[] = {
    { "confidence-threshold", 0, 0, G_OPTION_ARG_DOUBLE, &o->threshold, N_("confidence: below it a step needs a person [the run’s]"), N_("F") },
    { "budget", 0, 0, G_OPTION_ARG_DOUBLE, &o->budget, N_("budget: cost limit in USD [the run’s]"), N_("USD") },
    { "max-steps", 0, 0, G_OPTION_ARG_INT, &o->max_steps, N_("max_steps: most steps [the run’s]"), N_("N") },
    { "no-guard", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->no_guard, N_("Turn a guard off (max_steps, budget, policy, rate, confidence, tool_result, grounding, loop, drift, nothing_found)"), N_("NAME") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  reins_cli_guard_options_add_entries (context, &o->guards);
}

/* Prints what is wrong; FALSE is a usage error. */
gboolean
reins_cli_what_if_options_check (ReinsCliWhatIfOptions *o)
{
  g_autoptr(JsonObject) scratch = json_object_new ();
  g_autoptr(GError) error = NULL;

  if (o->threshold != -1 && (o->threshold < 0 || o->threshold > 1))
    {
      reins_cli_print_error (_("--confidence-threshold must be from 0 to 1"));
      return FALSE;
    }
  if ((o->budget != -1 && o->budget <= 0) || (o->max_steps != -1 && o->max_steps < 1))
    {
      reins_cli_print_error (_("--budget must be more than 0 and --max-steps at least 1"));
      return FALSE;
    }
  for (guint i = 0; o->no_guard != NULL && o->no_guard[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) reins_harness_guard_names, o->no_guard[i]))
      {
        reins_cli_print_error (_("There is no guard “%s”"), o->no_guard[i]);
        return FALSE;
      }
  if (!reins_cli_guard_options_apply (&o->guards, scratch, &error))
    {
      reins_cli_print_error ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
reins_cli_what_if_options_apply (ReinsCliWhatIfOptions  *o,
                                 JsonObject             *settings,
                                 GError                **error)
{
  if (o->threshold != -1)
    json_object_set_double_member (settings, "confidence_threshold", o->threshold);
  if (o->budget != -1)
    json_object_set_double_member (settings, "budget_usd", o->budget);
  if (o->max_steps != -1)
    json_object_set_int_member (settings, "max_steps", o->max_steps);
  if (o->no_guard != NULL)
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; o->no_guard[i] != NULL; i++)
        json_array_add_string_element (array, o->no_guard[i]);
      json_object_set_array_member (settings, "disabled_guards", array);
    }
  return reins_cli_guard_options_apply (&o->guards, settings, error);
}
