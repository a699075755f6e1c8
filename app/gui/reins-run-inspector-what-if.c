/* reins-run-inspector-what-if.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inspector's what-if: the run's stored steps judged again under other harness settings
 * (reins_what_if_async()), without the model or any tool; the chart marks the steps whose
 * verdict would change, and the popover (ReinsWhatIfPopover) lists them.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-run-inspector-private.h"
#include "reins-what-if.h"

void
reins_run_inspector_clear_what_if (ReinsRunInspector *self)
{
  g_cancellable_cancel (self->what_if_cancellable);
  g_clear_object (&self->what_if_cancellable);
  g_clear_pointer (&self->what_if, g_array_unref);
  if (self->chart != NULL)
    reins_chart_set_marks (self->chart, NULL, 0);
  if (self->whatif_label != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->whatif_label), FALSE);
  if (self->legend_label != NULL)
    gtk_label_set_label (self->legend_label,
                         _("Bars: confidence · dashed: threshold · line: cost so far "
                           "· marks: harness"));
  if (self->what_if_popover != NULL)
    {
      reins_what_if_popover_set_steps (self->what_if_popover, NULL);
      reins_what_if_popover_set_running (self->what_if_popover, FALSE);
    }
}

static void
what_if_step_activated_cb (ReinsRunInspector  *self,
                           guint               step,
                           ReinsWhatIfPopover *popover)
{
  reins_run_inspector_step_activated (self, step);
}

static void
what_if_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ReinsRunInspector *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) steps = reins_what_if_finish (result, &error);
  g_autofree guint8 *marks = NULL;
  g_autofree char *summary = NULL;
  guint n_points;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }

  g_clear_object (&self->what_if_cancellable);
  reins_what_if_popover_set_running (self->what_if_popover, FALSE);
  if (steps == NULL)
    {
      gtk_label_set_label (self->whatif_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->whatif_label), TRUE);
      reins_run_inspector_notify (self, PROP_WHAT_IF_RUNNING);
      g_object_unref (self);
      return;
    }

  /* The chart marks each step whose verdict changes, coloured by what it would become. */
  n_points = reins_chart_get_n_points (self->chart);
  marks = g_new0 (guint8, MAX (n_points, 1));
  for (guint i = 0; i < steps->len; i++)
    {
      ReinsWhatIfStep *step = &g_array_index (steps, ReinsWhatIfStep, i);

      if (step->changed && step->step >= 1 && step->step <= n_points)
        marks[step->step - 1] = MAX (step->replayed_kind, REINS_VERDICT_CORRECT);
    }
  reins_what_if_popover_set_steps (self->what_if_popover, steps);
  reins_chart_set_marks (self->chart, marks, n_points);
  gtk_label_set_label (self->legend_label,
                       _("Bars: confidence · dashed: threshold · line: cost so far "
                         "· marks: harness, dotted below: what-if"));

  summary = reins_what_if_summary (steps);
  gtk_label_set_label (self->whatif_label, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->whatif_label), TRUE);
  self->what_if = g_steal_pointer (&steps);
  reins_run_inspector_notify (self, PROP_WHAT_IF_RUNNING);
  g_object_unref (self);
}

/**
 * reins_run_inspector_what_if:
 * @overrides: harness settings that replace the run's (e.g. {"confidence_threshold": 0.9})
 *
 * Judges the run's stored steps again under @overrides, without the model or any tool, and
 * shows which would have been stopped, corrected or sent to a person.
 */
void
reins_run_inspector_what_if (ReinsRunInspector *self,
                             JsonObject        *overrides)
{
  g_return_if_fail (REINS_IS_RUN_INSPECTOR (self));

  reins_run_inspector_clear_what_if (self);
  if (self->run == NULL || self->store == NULL)
    return;

  self->what_if_cancellable = g_cancellable_new ();
  reins_what_if_popover_set_running (self->what_if_popover, TRUE);
  reins_what_if_async (reins_store_get_path (self->store), reins_run_get_id (self->run),
                       overrides, self->what_if_cancellable, what_if_done_cb,
                       g_object_ref (self));
  reins_run_inspector_notify (self, PROP_WHAT_IF_RUNNING);
}

gboolean
reins_run_inspector_get_what_if_running (ReinsRunInspector *self)
{
  g_return_val_if_fail (REINS_IS_RUN_INSPECTOR (self), FALSE);

  return self->what_if_cancellable != NULL;
}

/* Returns: (nullable) (element-type ReinsWhatIfStep): the last what-if's steps */
GArray *
reins_run_inspector_get_what_if (ReinsRunInspector *self)
{
  g_return_val_if_fail (REINS_IS_RUN_INSPECTOR (self), NULL);

  return self->what_if;
}

static void
what_if_judge_cb (ReinsRunInspector  *self,
                  ReinsWhatIfPopover *popover)
{
  g_autoptr(JsonObject) overrides = reins_what_if_popover_get_overrides (popover);

  reins_run_inspector_what_if (self, overrides);
}

/* The what-if popover, made and hung on its menu button. */
void
reins_run_inspector_what_if_init (ReinsRunInspector *self)
{
  self->what_if_popover = REINS_WHAT_IF_POPOVER (reins_what_if_popover_new ());
  g_signal_connect_object (self->what_if_popover, "judge", G_CALLBACK (what_if_judge_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->what_if_popover, "step-activated",
                           G_CALLBACK (what_if_step_activated_cb), self, G_CONNECT_SWAPPED);
  gtk_menu_button_set_popover (self->whatif_button, GTK_WIDGET (self->what_if_popover));
}
