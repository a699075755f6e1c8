/* reins-guard-rate.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Per-tool call limits, per run and per sliding window of steps, from the run's settings:
 *
 *   "rate_limits": { "kb_lookup": { "per_run": 50, "per_window": 10, "window": 5 },
 *                    "*":         { "per_run": 200 } }
 *
 * "*" is the default for tools not named; a limit of 0 or none means unlimited. Only calls
 * that ran count. Over a limit the call does not run: the first time the model is corrected,
 * after that a person decides.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-guard-rate.h"

struct _ReinsGuardRate
{
  GObject parent_instance;
};

static void guard_iface_init (ReinsGuardInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsGuardRate, reins_guard_rate, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_GUARD, guard_iface_init))

static const char *
reins_guard_rate_get_name (ReinsGuard *guard)
{
  return "rate";
}

static JsonObject *
limits_for (JsonObject *settings,
            const char *tool)
{
  JsonNode *node = settings != NULL ? json_object_get_member (settings, "rate_limits") : NULL;
  JsonObject *limits;
  JsonNode *entry;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  limits = json_node_get_object (node);
  entry = json_object_get_member (limits, tool);
  if (entry == NULL)
    entry = json_object_get_member (limits, "*");
  if (entry == NULL || !JSON_NODE_HOLDS_OBJECT (entry))
    return NULL;
  return json_node_get_object (entry);
}

static gboolean
is_call_of (ReinsStep  *step,
            const char *tool)
{
  ReinsAction *action = reins_step_get_action (step);

  return action != NULL && g_str_equal (reins_action_get_name (action), tool) &&
         reins_step_action_ran (step);
}

static ReinsVerdict *
reins_guard_rate_before_action (ReinsGuard        *guard,
                                ReinsGuardContext *context,
                                ReinsStep         *step)
{
  ReinsAction *action = reins_step_get_action (step);
  JsonObject *limits;
  GPtrArray *history = context->history;
  guint n = history != NULL ? history->len : 0;
  gint64 per_run, per_window, window;
  guint in_run = 0, in_window = 0;
  g_autofree char *what = NULL;
  g_autofree char *reason = NULL;
  const char *name;

  if (action == NULL)
    return NULL;
  name = reins_action_get_name (action);
  if (g_str_equal (name, "finish"))
    return NULL;
  limits = limits_for (context->settings, name);
  if (limits == NULL)
    return NULL;

  per_run = reins_settings_get_int (limits, "per_run", 0);
  per_window = reins_settings_get_int (limits, "per_window", 0);
  window = reins_settings_get_int (limits, "window", 10);

  for (guint i = 0; i < n; i++)
    {
      ReinsStep *earlier = g_ptr_array_index (history, i);

      if (!is_call_of (earlier, name))
        continue;
      in_run++;
      /* The window is the last @window steps, this one included. */
      if (window > 0 && reins_step_get_index (earlier) + (guint64) window > reins_step_get_index (step))
        in_window++;
    }

  if (per_run > 0 && in_run + 1 > (guint64) per_run)
    what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "“%s” was called %u time in this run; the limit is %u.",
                                         "“%s” was called %u times in this run; the limit is %u.",
                                         in_run),
                            name, in_run, (guint) per_run);
  else if (per_window > 0 && window > 0 && in_window + 1 > (guint64) per_window)
    {
      /* Translators: part of "“kb_lookup” was called 4 times in the last 3 steps; …" */
      g_autofree char *times = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u time",
                                                             "%u times", in_window),
                                                in_window);
      /* Translators: part of "“kb_lookup” was called 4 times in the last 3 steps; …" */
      g_autofree char *steps = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "the last %u step",
                                                             "the last %u steps", window),
                                                (guint) window);

      /* Translators: a tool's name, "4 times", "the last 3 steps" and the limit */
      what = g_strdup_printf (_("“%s” was called %s in %s; the limit is %u."),
                              name, times, steps, (guint) per_window);
    }
  else
    return NULL;

  if (reins_guard_history_count (history, "rate", REINS_VERDICT_CORRECT) == 0)
    {
      reason = g_strdup_printf (_("%s The call was not made. Use what you already have, try "
                                  "another way, or finish."), what);
      return reins_verdict_new ("rate", REINS_VERDICT_CORRECT, reason);
    }

  reason = g_strdup_printf (_("%s The agent was told and calls it again. Approve this call, "
                              "or reject it with a hint."), what);
  return reins_verdict_new ("rate", REINS_VERDICT_ASK, reason);
}

static void
guard_iface_init (ReinsGuardInterface *iface)
{
  iface->get_name = reins_guard_rate_get_name;
  iface->before_action = reins_guard_rate_before_action;
}

static void
reins_guard_rate_class_init (ReinsGuardRateClass *klass)
{
}

static void
reins_guard_rate_init (ReinsGuardRate *self)
{
}

ReinsGuard *
reins_guard_rate_new (void)
{
  return g_object_new (REINS_TYPE_GUARD_RATE, NULL);
}
