/* reins-guard-drift.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Semantic drift: the prompt restates the goal every few steps anyway ("goal_every"); this
 * guard restates it at once, before the next model call, when the last "drift_window"
 * actions (default 3) all seem unrelated to the task: each one's embedding is less similar
 * than "drift_threshold" (default 0.12) to the task and to each of the last 8 observations
 * from before those actions (an agent following a lead it found is on task).
 *
 * After it spoke it waits for as many new actions again, so it restates the task once per
 * stretch of drift, not at every step.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-embedder.h"
#include "reins-guard-drift.h"

#define DEFAULT_THRESHOLD 0.12
#define DEFAULT_WINDOW 3
#define MAX_WINDOW 100
#define TASK_EXCERPT 300
/* The recent findings an action may follow from; bounded so a long run stays cheap. */
#define MAX_ANCHORS 8
#define ANCHOR_CHARS 2000

struct _ReinsGuardDrift
{
  GObject parent_instance;
};

static void guard_iface_init (ReinsGuardInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsGuardDrift, reins_guard_drift, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_GUARD, guard_iface_init))

static const char *
reins_guard_drift_get_name (ReinsGuard *guard)
{
  return "drift";
}

static ReinsVerdict *
reins_guard_drift_before_model (ReinsGuard        *guard,
                                ReinsGuardContext *context,
                                ReinsStep         *step)
{
  double threshold = reins_settings_get_double (context->settings, "drift_threshold",
                                                DEFAULT_THRESHOLD);
  gint64 n_window = reins_settings_get_int (context->settings, "drift_window", DEFAULT_WINDOW);
  GPtrArray *history = context->history;
  const char *task;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) vectors = NULL;
  g_autofree guint *steps = NULL;
  g_autofree char *step_list = NULL;
  g_autofree char *excerpt = NULL;
  g_autofree char *reason = NULL;
  guint n_actions = 0, n_anchors;
  guint first;
  gint last;

  if (context->run == NULL || history == NULL || threshold <= 0 || n_window <= 0)
    return NULL;
  /* A window longer than the history can never fill; a huge one would only waste memory. */
  n_window = MIN (n_window, (gint64) MAX_WINDOW);
  task = reins_run_get_task (context->run);
  if (task == NULL || *task == '\0')
    return NULL;

  /* The last @n_window actions that ran, after the guard last spoke. */
  last = reins_guard_history_last (history, "drift", REINS_VERDICT_CORRECT);
  steps = g_new0 (guint, n_window);
  first = history->len;
  for (guint i = history->len; i > (guint) (last + 1) && n_actions < n_window; i--)
    {
      ReinsStep *earlier = g_ptr_array_index (history, i - 1);
      ReinsAction *action = reins_step_get_action (earlier);

      if (action == NULL || !reins_step_action_ran (earlier) ||
          g_str_equal (reins_action_get_name (action), "finish"))
        continue;
      steps[n_window - 1 - n_actions] = reins_step_get_index (earlier);
      g_ptr_array_add (texts, reins_action_canonical_text (action));
      n_actions++;
      first = i - 1;
    }
  if (n_actions < n_window)
    return NULL;

  /* Anchors: the task and what the agent had found before those actions. */
  g_ptr_array_add (texts, g_strdup (task));
  for (guint i = first, n = 0; i > 0 && n < MAX_ANCHORS; i--)
    {
      ReinsStep *earlier = g_ptr_array_index (history, i - 1);

      if (reins_step_action_ran (earlier) && reins_step_get_observation (earlier) != NULL &&
          !reins_step_get_tool_error (earlier))
        {
          g_ptr_array_add (texts, g_strndup (reins_step_get_observation (earlier), ANCHOR_CHARS));
          n++;
        }
    }
  n_anchors = texts->len - n_actions;
  g_ptr_array_add (texts, NULL);

  vectors = reins_guard_context_embed (context, (const char * const *) texts->pdata);
  for (guint i = 0; i < n_actions; i++)
    {
      GArray *a = g_ptr_array_index (vectors, i);

      for (guint j = 0; j < n_anchors; j++)
        {
          GArray *b = g_ptr_array_index (vectors, n_actions + j);

          if (reins_embedding_cosine ((float *) a->data, (float *) b->data,
                                      MIN (a->len, b->len)) >= threshold)
            return NULL;
        }
    }

  /* Drift is leaving the task: an agent whose actions never looked like the task (a short
   * task, tools whose arguments share no words with it) gives this measure nothing to go on,
   * so the guard speaks only once an earlier action did look like it. */
  {
    g_autoptr(GPtrArray) earlier_texts = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GPtrArray) earlier_vectors = NULL;
    gboolean was_on_task = FALSE;

    g_ptr_array_add (earlier_texts, g_strdup (task));
    for (guint i = first, n = 0; i > 0 && n < MAX_ANCHORS; i--)
      {
        ReinsStep *earlier = g_ptr_array_index (history, i - 1);
        ReinsAction *action = reins_step_get_action (earlier);

        if (action == NULL || g_str_equal (reins_action_get_name (action), "finish"))
          continue;
        g_ptr_array_add (earlier_texts, reins_action_canonical_text (action));
        n++;
      }
    g_ptr_array_add (earlier_texts, NULL);

    earlier_vectors = reins_guard_context_embed (context, (const char * const *) earlier_texts->pdata);
    for (guint i = 1; i + 1 < earlier_texts->len && !was_on_task; i++)
      {
        GArray *t = g_ptr_array_index (earlier_vectors, 0);
        GArray *a = g_ptr_array_index (earlier_vectors, i);

        was_on_task = reins_embedding_cosine ((float *) a->data, (float *) t->data,
                                              MIN (a->len, t->len)) >= threshold;
      }
    if (!was_on_task)
      return NULL;
  }

  step_list = reins_guard_format_steps (steps, n_actions);
  excerpt = g_utf8_substring (task, 0, MIN (g_utf8_strlen (task, -1), TASK_EXCERPT));
  reason = g_strdup_printf (_("The last actions (steps %s) do not seem related to the task. "
                              "Get back to it. The task is: %s%s"),
                            step_list, excerpt,
                            g_utf8_strlen (task, -1) > TASK_EXCERPT ? "…" : "");
  return reins_verdict_new_with_steps ("drift", REINS_VERDICT_CORRECT, reason, steps, n_actions);
}

static void
guard_iface_init (ReinsGuardInterface *iface)
{
  iface->get_name = reins_guard_drift_get_name;
  iface->before_model = reins_guard_drift_before_model;
}

static void
reins_guard_drift_class_init (ReinsGuardDriftClass *klass)
{
}

static void
reins_guard_drift_init (ReinsGuardDrift *self)
{
}

ReinsGuard *
reins_guard_drift_new (void)
{
  return g_object_new (REINS_TYPE_GUARD_DRIFT, NULL);
}
