/* reins-run-settings.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run's settings as typed values, with every default in one place.
 *
 * A run's settings are JSON because they are stored, exported and merged as such; whoever
 * needs a value reads it through this type, so the default a missing key stands for is
 * written once, in reins-run-settings.h. A value of the wrong type reads as the default, a
 * count below zero as zero.
 */

#include "config.h"

#include "reins-json-util.h"
#include "reins-run-settings.h"

struct _ReinsRunSettings
{
  char     *mode;
  guint     max_steps;
  double    budget_usd;
  double    confidence_threshold;
  double    loop_threshold;
  guint     goal_every;
  guint     tool_timeout_s;
  guint     provider_timeout_s;
  guint     mcp_max_tools;
  double    sim_accuracy;
  gboolean  stream;
};

G_DEFINE_BOXED_TYPE (ReinsRunSettings, reins_run_settings, reins_run_settings_copy,
                     reins_run_settings_free)

/* Returns: (transfer full): the settings of a new run nobody chose anything for */
ReinsRunSettings *
reins_run_settings_new (void)
{
  return reins_run_settings_new_from_json (NULL);
}

static double
number_or (JsonObject *settings,
           const char *member,
           double      fallback)
{
  double value = fallback;

  if (settings == NULL || !reins_json_get_double (settings, member, &value, NULL, NULL))
    return fallback;
  return value;
}

static guint
count_or (JsonObject *settings,
          const char *member,
          guint       fallback)
{
  return (guint) CLAMP (number_or (settings, member, fallback), 0, G_MAXUINT);
}

/**
 * reins_run_settings_new_from_json:
 * @settings: (nullable): a run's settings (reins_run_get_settings())
 *
 * Returns: (transfer full): the values of @settings, with the defaults for what it lacks
 */
ReinsRunSettings *
reins_run_settings_new_from_json (JsonObject *settings)
{
  ReinsRunSettings *self = g_new0 (ReinsRunSettings, 1);
  gboolean stream = TRUE;

  if (settings == NULL || !reins_json_get_string (settings, "mode", &self->mode, NULL) ||
      self->mode == NULL)
    {
      g_free (self->mode);
      self->mode = g_strdup (REINS_RUN_SETTINGS_DEFAULT_MODE);
    }
  self->max_steps = count_or (settings, "max_steps", REINS_RUN_SETTINGS_DEFAULT_MAX_STEPS);
  self->budget_usd = number_or (settings, "budget_usd", REINS_RUN_SETTINGS_DEFAULT_BUDGET_USD);
  self->confidence_threshold = number_or (settings, "confidence_threshold",
                                          REINS_RUN_SETTINGS_DEFAULT_CONFIDENCE_THRESHOLD);
  self->loop_threshold = number_or (settings, "loop_threshold",
                                    REINS_RUN_SETTINGS_DEFAULT_LOOP_THRESHOLD);
  self->goal_every = count_or (settings, "goal_every", REINS_RUN_SETTINGS_DEFAULT_GOAL_EVERY);
  self->tool_timeout_s = count_or (settings, "tool_timeout_s",
                                   REINS_RUN_SETTINGS_DEFAULT_TOOL_TIMEOUT_S);
  self->provider_timeout_s = count_or (settings, "provider_timeout",
                                       REINS_RUN_SETTINGS_DEFAULT_PROVIDER_TIMEOUT_S);
  self->mcp_max_tools = count_or (settings, "mcp_max_tools",
                                  REINS_RUN_SETTINGS_DEFAULT_MCP_MAX_TOOLS);
  self->sim_accuracy = number_or (settings, "sim_accuracy",
                                  REINS_RUN_SETTINGS_DEFAULT_SIM_ACCURACY);
  if (settings != NULL && reins_json_get_bool (settings, "stream", &stream, NULL))
    self->stream = stream;
  else
    self->stream = TRUE;
  return self;
}

ReinsRunSettings *
reins_run_settings_copy (const ReinsRunSettings *self)
{
  ReinsRunSettings *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->mode = g_strdup (self->mode);
  return copy;
}

void
reins_run_settings_free (ReinsRunSettings *self)
{
  if (self == NULL)
    return;

  g_free (self->mode);
  g_free (self);
}

/* Returns: "tools" (native tool calls) or "react" (text), or whatever else was stored */
const char *
reins_run_settings_get_mode (const ReinsRunSettings *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->mode;
}

guint
reins_run_settings_get_max_steps (const ReinsRunSettings *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->max_steps;
}

double
reins_run_settings_get_budget_usd (const ReinsRunSettings *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->budget_usd;
}

double
reins_run_settings_get_confidence_threshold (const ReinsRunSettings *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->confidence_threshold;
}

double
reins_run_settings_get_loop_threshold (const ReinsRunSettings *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->loop_threshold;
}

/* Returns: every how many steps the task is restated to the model; 0: never */
guint
reins_run_settings_get_goal_every (const ReinsRunSettings *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->goal_every;
}

guint
reins_run_settings_get_tool_timeout_s (const ReinsRunSettings *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->tool_timeout_s;
}

/* Returns: the seconds one model request may take in all, retries and streaming included */
guint
reins_run_settings_get_provider_timeout_s (const ReinsRunSettings *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->provider_timeout_s;
}

guint
reins_run_settings_get_mcp_max_tools (const ReinsRunSettings *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->mcp_max_tools;
}

double
reins_run_settings_get_sim_accuracy (const ReinsRunSettings *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->sim_accuracy;
}

gboolean
reins_run_settings_get_stream (const ReinsRunSettings *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->stream;
}
