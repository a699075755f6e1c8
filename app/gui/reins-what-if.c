/* reins-what-if.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What-if: a stored run judged again under other harness settings, off the main thread.
 *
 * The worker reads the run through its own store connection and hands its steps to the
 * replay core (reins_replay_run), which rebuilds each step's phases and asks a fresh harness —
 * no model, no tool. The window gets one small record per step.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-replay.h"
#include "reins-store.h"
#include "reins-what-if.h"

typedef struct
{
  char       *db_path;
  char       *run_id;
  JsonObject *overrides;
} WhatIf;

static void
what_if_free (gpointer data)
{
  WhatIf *what_if = data;

  g_free (what_if->db_path);
  g_free (what_if->run_id);
  g_clear_pointer (&what_if->overrides, json_object_unref);
  g_free (what_if);
}

static void
step_clear (gpointer data)
{
  ReinsWhatIfStep *step = data;

  g_clear_pointer (&step->guard, g_free);
  g_clear_pointer (&step->reason, g_free);
}

static void
what_if_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  WhatIf *what_if = task_data;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) replayed = NULL;
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(GError) error = NULL;
  GArray *result;

  store = reins_store_open (what_if->db_path, &error);
  if (store != NULL)
    run = reins_store_get_run (store, what_if->run_id, &error);
  if (run != NULL)
    steps = reins_store_get_steps (store, what_if->run_id, 1, 0, &error);
  if (steps == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  settings = reins_replay_settings_merge (reins_run_get_settings (run), what_if->overrides);
  replayed = reins_replay_run (run, steps, settings, &error);
  if (replayed == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_array_sized_new (FALSE, TRUE, sizeof (ReinsWhatIfStep), replayed->len);
  g_array_set_clear_func (result, step_clear);
  for (guint i = 0; i < replayed->len; i++)
    {
      ReinsReplayStep *entry = g_ptr_array_index (replayed, i);
      ReinsWhatIfStep step = { 0 };

      step.step = reins_step_get_index (entry->step);
      step.stored_kind = entry->stored_worst ? reins_verdict_get_kind (entry->stored_worst)
                                             : REINS_VERDICT_ALLOW;
      step.replayed_kind = entry->replayed_worst ? reins_verdict_get_kind (entry->replayed_worst)
                                                 : REINS_VERDICT_ALLOW;
      step.changed = entry->changed;
      if (entry->replayed_worst != NULL)
        {
          step.guard = g_strdup (reins_verdict_get_guard (entry->replayed_worst));
          step.reason = g_strdup (reins_verdict_get_reason (entry->replayed_worst));
        }
      g_array_append_val (result, step);
    }
  g_task_return_pointer (task, result, (GDestroyNotify) g_array_unref);
}

/**
 * reins_what_if_async:
 * @overrides: (nullable): settings that replace the run's for this replay (copied)
 */
void
reins_what_if_async (const char          *db_path,
                     const char          *run_id,
                     JsonObject          *overrides,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  WhatIf *what_if = g_new0 (WhatIf, 1);

  what_if->db_path = g_strdup (db_path);
  what_if->run_id = g_strdup (run_id);
  /* A copy of its own: the worker must share nothing with the window. */
  what_if->overrides = reins_replay_settings_merge (overrides, NULL);
  g_task_set_source_tag (task, reins_what_if_async);
  g_task_set_name (task, "[reins] what-if");
  g_task_set_task_data (task, what_if, what_if_free);
  g_task_run_in_thread (task, what_if_thread);
}

/* Returns: (transfer full) (element-type ReinsWhatIfStep): one record per stored step */
GArray *
reins_what_if_finish (GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static const char *
kind_outcome (guint8 kind)
{
  switch (kind)
    {
    case REINS_VERDICT_TERMINATE:
      /* Translators: what a what-if replay says would have happened to a step */
      return _("stopped");
    case REINS_VERDICT_ASK:
      return _("sent to you");
    case REINS_VERDICT_CORRECT:
      return _("corrected");
    default:
      return _("allowed");
    }
}

/* "Step 4 would be sent to you (confidence) — it was allowed." */
char *
reins_what_if_describe (const ReinsWhatIfStep *step)
{
  g_return_val_if_fail (step != NULL, NULL);

  if (step->guard != NULL)
    /* Translators: step number, outcome, guard name, stored outcome */
    return g_strdup_printf (_("Step %u would be %s (%s); it was %s."), step->step,
                            kind_outcome (step->replayed_kind), step->guard,
                            kind_outcome (step->stored_kind));
  /* Translators: step number, stored outcome */
  return g_strdup_printf (_("Step %u would be allowed; it was %s."), step->step,
                          kind_outcome (step->stored_kind));
}

/* One line for the changes: how many steps would be stopped, corrected or sent to a person. */
char *
reins_what_if_summary (GArray *steps)
{
  guint changed = 0, stopped = 0, asked = 0, corrected = 0;

  for (guint i = 0; i < steps->len; i++)
    {
      ReinsWhatIfStep *step = &g_array_index (steps, ReinsWhatIfStep, i);

      if (!step->changed)
        continue;
      changed++;
      if (step->replayed_kind == REINS_VERDICT_TERMINATE)
        stopped++;
      else if (step->replayed_kind == REINS_VERDICT_ASK)
        asked++;
      else if (step->replayed_kind == REINS_VERDICT_CORRECT)
        corrected++;
    }

  if (changed == 0)
    return g_strdup (_("Under these settings every step would be judged as it was."));
  /* Translators: a what-if summary; the placeholders are counts of steps */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Under these settings %u step would change: %u stopped, "
                                       "%u sent to you, %u corrected, the rest allowed.",
                                       "Under these settings %u steps would change: %u stopped, "
                                       "%u sent to you, %u corrected, the rest allowed.",
                                       changed),
                          changed, stopped, asked, corrected);
}
