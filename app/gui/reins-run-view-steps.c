/* reins-run-view-steps.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the run view reads the steps it lists: a stored run the window does not execute
 * lazily (ReinsStepModel, a page at a time as rows ask), a run the window executes or a
 * filtered one whole on a worker (reins_store_read_steps_async()) into ReinsLiveSteps; the
 * one shown replaces the other in one change. The steps loop verdicts name are tinted.
 */

#include "config.h"

#include <adwaita.h>

#include "reins-run-view-parts-private.h"
#include "reins-step-filter.h"
#include "reins-store-async.h"

/* The steps a loop verdict of @step names (or @step itself) are tinted on the timeline. */
void
reins_run_view_note_loops (ReinsRunView *self,
                           ReinsStep    *step)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);

  for (guint i = 0; verdicts != NULL && i < verdicts->len; i++)
    {
      ReinsVerdict *verdict = g_ptr_array_index (verdicts, i);
      const guint *steps;
      guint n_steps = 0;
      guint index = reins_step_get_index (step);

      if (reins_verdict_get_kind (verdict) == REINS_VERDICT_ALLOW ||
          g_strcmp0 (reins_verdict_get_guard (verdict), "loop") != 0)
        continue;

      steps = reins_verdict_get_steps (verdict, &n_steps);
      if (n_steps == 0)
        reins_timeline_add_loop_steps (self->timeline, &index, 1);
      else
        reins_timeline_add_loop_steps (self->timeline, steps, n_steps);
    }
}

static void
reins_run_view_set_loading (ReinsRunView *self,
                            gboolean      loading)
{
  if (loading)
    {
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, "loading");
    }
  else
    gtk_spinner_stop (self->spinner);
  g_object_notify (G_OBJECT (self), "loading");
}

static void
load_steps_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ReinsRunView) self = user_data;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GError) error = NULL;

  steps = reins_store_read_steps_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* This read was for the run still shown: the one after it cancels it first. */
  g_clear_object (&self->cancellable);

  if (steps == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else
    {
      for (guint i = 0; i < steps->len; i++)
        reins_run_view_note_loops (self, g_ptr_array_index (steps, i));
      reins_live_steps_add_stored (self->live_steps, steps);
      gtk_stack_set_visible_child_name (self->stack,
                                        g_list_model_get_n_items (G_LIST_MODEL (self->live_steps)) > 0 ||
                                        self->executor != NULL ? "steps" : "no-steps");
    }

  reins_run_view_set_loading (self, FALSE);
}

static void
step_model_loading_cb (ReinsRunView   *self,
                       GParamSpec     *pspec,
                       ReinsStepModel *model)
{
  if (!reins_step_model_get_loading (model))
    gtk_spinner_stop (self->spinner);
  g_object_notify (G_OBJECT (self), "loading");
}

void
reins_run_view_clear_step_model (ReinsRunView *self)
{
  if (self->step_model != NULL)
    g_signal_handlers_disconnect_by_func (self->step_model, step_model_loading_cb, self);
  g_clear_object (&self->step_model);
  reins_timeline_set_lazy_model (self->timeline, NULL);
}

/* Shows @model in the list (the live steps, or a ReinsStepModel). */
static void
reins_run_view_show_model (ReinsRunView *self,
                           GListModel   *model)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->models));

  if (n == 1)
    {
      g_autoptr(GListModel) shown = g_list_model_get_item (G_LIST_MODEL (self->models), 0);

      if (shown == model)
        return;
    }
  g_list_store_splice (self->models, 0, n, (gpointer *) &model, 1);
}

/* A stored run the window does not execute: its steps are read as rows ask for them. */
static void
reins_run_view_load_lazily (ReinsRunView *self)
{
  g_autoptr(ReinsStepModel) model = NULL;
  guint n_steps = reins_run_get_step_count (self->run);

  model = reins_step_model_new (self->store, reins_run_get_id (self->run), n_steps);
  self->step_model = g_object_ref (model);
  g_signal_connect_object (model, "notify::loading", G_CALLBACK (step_model_loading_cb), self,
                           G_CONNECT_SWAPPED);
  /* The first page is asked for now, before a row asks. */
  reins_step_model_prefetch (model, 0);
  reins_timeline_set_lazy_model (self->timeline, model);
  reins_run_view_show_model (self, G_LIST_MODEL (model));
  gtk_stack_set_visible_child_name (self->stack, n_steps > 0 ? "steps" : "no-steps");
  if (reins_step_model_get_loading (model))
    gtk_spinner_start (self->spinner);
  g_object_notify (G_OBJECT (self), "loading");
}

/* The list view keeps its row widgets for the items that stay: a stored run replaces the
 * one shown in one change, without an empty list between them. */
void
reins_run_view_load_steps (ReinsRunView *self)
{
  g_autoptr(ReinsStepModel) old_model = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  reins_timeline_clear_loop_steps (self->timeline);
  reins_timeline_show_step (self->timeline, 0);

  if (self->step_model != NULL)
    g_signal_handlers_disconnect_by_func (self->step_model, step_model_loading_cb, self);
  old_model = g_steal_pointer (&self->step_model);

  /* A filter looks into every step: a stored run is then read whole, as a live one is. */
  if (self->run != NULL && self->store != NULL && self->executor == NULL &&
      g_strcmp0 (reins_timeline_get_filter (self->timeline), REINS_STEP_FILTER_ALL) == 0)
    {
      reins_run_view_load_lazily (self);
      reins_live_steps_clear (self->live_steps);
      return;
    }

  reins_timeline_set_lazy_model (self->timeline, NULL);
  reins_live_steps_clear (self->live_steps);
  reins_run_view_show_model (self, G_LIST_MODEL (self->live_steps));
  if (self->run == NULL || self->store == NULL)
    {
      reins_run_view_set_loading (self, FALSE);
      return;
    }

  /* A live run: what is stored already, whole, then what the executor reports. */
  reins_live_steps_set_executor (self->live_steps, self->executor);
  self->cancellable = g_cancellable_new ();
  reins_store_read_steps_async (self->store, reins_run_get_id (self->run), 1, 0,
                                self->cancellable, load_steps_cb, g_object_ref (self));
  reins_run_view_set_loading (self, TRUE);
}
