/* reins-run-view.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One stored run: its task and totals over the timeline of its steps.
 *
 * A run's steps may hold megabytes of observations, so they are read on a worker thread with
 * its own connection to the store (a ReinsStore belongs to one thread), then handed to the
 * main thread as one model update. Picking another run cancels a read still under way.
 *
 * A stored run the window does not execute is read lazily instead (ReinsStepModel): a page of
 * steps at a time, as rows ask for them, so a run of 10,000 steps opens at once.
 *
 * A run the window executes is shown live: the executor's signals append committed steps,
 * and one extra item — the step under way, not yet stored — grows as the model streams its
 * thought. The view follows the newest step until the person scrolls up.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "reins-context-menu.h"
#include "reins-format.h"
#include "reins-guard.h"
#include "reins-run-header.h"
#include "reins-run-inspector.h"
#include "reins-run-view-private.h"
#include "reins-step-model.h"
#include "reins-step-row-private.h"
#include "reins-store-async.h"

/* How often a live run's reports reach the timeline, at most. */
#define LIVE_FLUSH_MS  40
/* The most steps appended to the timeline at once. */
#define MAX_APPEND     24

struct _ReinsRunView
{
  GtkWidget      parent_instance;

  ReinsStore    *store;
  ReinsRun      *run;
  GListStore    *steps;
  GCancellable  *cancellable;
  ReinsExecutor *executor;
  ReinsStep     *live_step;     /* the item of the step under way, or NULL */
  guint          waiting_step;  /* the step a person's answer is awaited on, or 0 */
  GString       *live_text;
  gboolean       live_dirty;
  GPtrArray     *pending;       /* steps reported, not yet in the model */
  ReinsRun      *finished_run;  /* the run as it ended, once the model caught up */
  guint          flush_id;
  GHashTable    *loop_steps;    /* step numbers a loop verdict named */
  double         threshold;
  gboolean       following;
  gboolean       scrolling;
  gboolean       user_scrolling;

  ReinsRunHeader *header;
  GtkStack      *stack;
  GtkListView   *step_list;
  GtkSpinner    *spinner;
  AdwStatusPage *error_page;
  GtkScrolledWindow *scroller;
  GtkWidget     *jump_button;

  /* Issue 8: the list shows one of two models — self->steps (a live run, read whole) or a
   * ReinsStepModel (a stored run, read lazily) — flattened into a model that stays the same
   * object, sliced for a replay, with a selection that marks a search hit or a chart click. */
  GListStore          *models;
  GtkFlattenListModel *flat;
  ReinsStepModel      *step_model;
  GtkSliceListModel   *slice;
  GtkSingleSelection  *selection;
  guint                highlight_step;
  ReinsRunInspector   *inspector;
};

G_DEFINE_FINAL_TYPE (ReinsRunView, reins_run_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_RUN,
  PROP_LOADING,
  PROP_EXECUTOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean reins_run_view_note_loops      (ReinsRunView *self,
                                                ReinsStep    *step);

/* Remembers the steps a loop verdict of @step names, so their rows are highlighted;
 * returns whether a step already shown is among them. */
static gboolean
reins_run_view_note_loops (ReinsRunView *self,
                           ReinsStep    *step)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);
  gboolean changed = FALSE;

  for (guint i = 0; verdicts != NULL && i < verdicts->len; i++)
    {
      ReinsVerdict *verdict = g_ptr_array_index (verdicts, i);
      const guint *steps;
      guint n_steps = 0;

      if (reins_verdict_get_kind (verdict) == REINS_VERDICT_ALLOW ||
          g_strcmp0 (reins_verdict_get_guard (verdict), "loop") != 0)
        continue;

      steps = reins_verdict_get_steps (verdict, &n_steps);
      if (n_steps == 0)
        {
          g_hash_table_add (self->loop_steps, GUINT_TO_POINTER (reins_step_get_index (step)));
          continue;
        }
      for (guint j = 0; j < n_steps; j++)
        {
          if (g_hash_table_add (self->loop_steps, GUINT_TO_POINTER (steps[j])) &&
              steps[j] != reins_step_get_index (step))
            changed = TRUE;
        }
    }
  return changed;
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
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
      guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->steps));
      guint last = steps->len > 0 ? reins_step_get_index (g_ptr_array_index (steps, steps->len - 1))
                                  : 0;

      /* A live run went on while its steps were read: keep what arrived after them. */
      for (guint i = 0; i < n_items; i++)
        {
          g_autoptr(ReinsStep) step = g_list_model_get_item (G_LIST_MODEL (self->steps), i);

          if (reins_step_get_index (step) > last)
            g_ptr_array_add (steps, g_object_ref (step));
        }
      for (guint i = 0; i < steps->len; i++)
        reins_run_view_note_loops (self, g_ptr_array_index (steps, i));
      g_list_store_splice (self->steps, 0, n_items, steps->pdata, steps->len);
      gtk_stack_set_visible_child_name (self->stack,
                                        steps->len > 0 || self->executor != NULL ? "steps"
                                                                                 : "no-steps");
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
reins_run_view_clear_step_model (ReinsRunView *self)
{
  if (self->step_model != NULL)
    g_signal_handlers_disconnect_by_func (self->step_model, step_model_loading_cb, self);
  g_clear_object (&self->step_model);
}

/* A stored run that goes on elsewhere (reins-cli) grows: its new steps are added. */
static void
run_step_count_cb (ReinsRunView *self,
                   GParamSpec   *pspec,
                   ReinsRun     *run)
{
  guint n_steps = reins_run_get_step_count (run);

  if (self->step_model == NULL || self->executor != NULL)
    return;
  reins_step_model_set_n_steps (self->step_model, n_steps);
  gtk_stack_set_visible_child_name (self->stack, n_steps > 0 ? "steps" : "no-steps");
}

/* Shows @model in the list (self->steps, or a ReinsStepModel). */
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
  /* The first page (or the one of the step to show) is asked for now. */
  reins_step_model_prefetch (model, self->highlight_step > 0 ? self->highlight_step - 1 : 0);
  reins_run_view_show_model (self, G_LIST_MODEL (model));
  gtk_stack_set_visible_child_name (self->stack, n_steps > 0 ? "steps" : "no-steps");
  if (reins_step_model_get_loading (model))
    gtk_spinner_start (self->spinner);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
reins_run_view_load_steps (ReinsRunView *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_list_store_remove_all (self->steps);
  g_hash_table_remove_all (self->loop_steps);
  reins_run_view_clear_step_model (self);
  self->highlight_step = 0;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  reins_run_view_show_model (self, G_LIST_MODEL (self->steps));

  if (self->run == NULL || self->store == NULL)
    {
      reins_run_view_set_loading (self, FALSE);
      return;
    }

  if (self->executor == NULL)
    {
      reins_run_view_load_lazily (self);
      return;
    }

  /* A live run: what is stored already, whole, then what the executor reports. */
  self->cancellable = g_cancellable_new ();
  reins_store_read_steps_async (self->store, reins_run_get_id (self->run), 1, 0,
                                self->cancellable, load_steps_cb, g_object_ref (self));
  reins_run_view_set_loading (self, TRUE);
}

static double
run_threshold (ReinsRun *run)
{
  JsonObject *settings = run != NULL ? reins_run_get_settings (run) : NULL;

  return settings != NULL ? reins_settings_get_double (settings, "confidence_threshold", 0.7)
                          : 0.7;
}

static gboolean
reins_run_view_is_waiting_on (ReinsRunView *self,
                              ReinsStep    *step)
{
  return step != NULL && self->waiting_step > 0 && reins_step_get_index (step) == self->waiting_step;
}

static void
update_waiting_rows (ReinsRunView *self,
                     GtkWidget    *widget)
{
  if (REINS_IS_STEP_ROW (widget))
    {
      ReinsStepRow *row = REINS_STEP_ROW (widget);

      reins_step_row_set_waiting (row, reins_run_view_is_waiting_on (self,
                                                                      reins_step_row_get_step (row)));
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    update_waiting_rows (self, child);
}

/* A question was put or answered: the row of its step says so. */
static void
header_waiting_step_cb (ReinsRunView   *self,
                        GParamSpec     *pspec,
                        ReinsRunHeader *header)
{
  self->waiting_step = reins_run_header_get_waiting_step (header);
  update_waiting_rows (self, GTK_WIDGET (self->step_list));
}

/* Timeline: following the newest step */

static void
reins_run_view_scroll_to_end (ReinsRunView *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->steps));

  self->scrolling = TRUE;
  /* The list view places itself by an anchor item: move that, then to the very end. */
  if (n_items > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->step_list), "list.scroll-to-item", "u",
                                n_items - 1);
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
  self->scrolling = FALSE;
}

static void
reins_run_view_set_following (ReinsRunView *self,
                              gboolean      following)
{
  self->following = following;
  gtk_widget_set_visible (self->jump_button, !following && self->executor != NULL);
}

/* The list moves its adjustment itself as rows come and go, so only the person's own
 * scrolling (wheel, touchpad, the scrollbar) stops following; coming back to the end
 * resumes it. */
static void
vadjustment_value_changed_cb (ReinsRunView  *self,
                              GtkAdjustment *adj)
{
  gboolean at_end;

  if (self->scrolling)
    return;

  at_end = gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
           gtk_adjustment_get_upper (adj) - 24;
  if (at_end)
    reins_run_view_set_following (self, TRUE);
  else if (self->user_scrolling)
    reins_run_view_set_following (self, FALSE);
}

static gboolean
scroll_cb (ReinsRunView             *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  if (dy < 0)
    reins_run_view_set_following (self, FALSE);
  return FALSE;
}

static void
scrollbar_pressed_cb (ReinsRunView *self)
{
  self->user_scrolling = TRUE;
}

static void
scrollbar_released_cb (ReinsRunView *self)
{
  self->user_scrolling = FALSE;
}

static void
vadjustment_upper_cb (ReinsRunView  *self,
                      GParamSpec    *pspec,
                      GtkAdjustment *adj)
{
  if (self->following && self->executor != NULL)
    reins_run_view_scroll_to_end (self);
}

static void
reins_run_view_jump_to_latest (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  ReinsRunView *self = REINS_RUN_VIEW (widget);

  reins_run_view_set_following (self, TRUE);
  reins_run_view_scroll_to_end (self);
}

/* Timeline: the live run's items */

/* The position of the item of step @index, searched from the end where live steps are. */
static gboolean
reins_run_view_find_step (ReinsRunView *self,
                          guint         index,
                          guint        *position)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->steps));

  for (guint i = n_items; i > 0; i--)
    {
      g_autoptr(ReinsStep) step = g_list_model_get_item (G_LIST_MODEL (self->steps), i - 1);

      if (reins_step_get_index (step) == index)
        {
          *position = i - 1;
          return TRUE;
        }
      if (reins_step_get_index (step) < index)
        break;
    }
  return FALSE;
}

static gboolean flush_cb              (gpointer      user_data);
static void     reins_run_view_finish (ReinsRunView *self);

/* Applies what the executor reported since the last flush in one go: a fast run reports
 * hundreds of steps per main-loop iteration, and one model update for all of them keeps the
 * window responsive. A later report of a step replaces an earlier one. */
static void
reins_run_view_flush (ReinsRunView *self)
{
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  guint n_items;

  g_clear_handle_id (&self->flush_id, g_source_remove);

  if (self->live_dirty && self->live_step != NULL)
    {
      /* Items are immutable to the rows that show them: a new one replaces the old. */
      g_autoptr(ReinsStep) step = reins_step_new (reins_run_get_id (self->run),
                                                  reins_step_get_index (self->live_step));

      reins_step_set_thought (step, self->live_text->str);
      g_set_object (&self->live_step, step);
      g_ptr_array_add (self->pending, g_object_ref (step));
    }
  self->live_dirty = FALSE;

  pending = g_steal_pointer (&self->pending);
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < pending->len; i++)
    {
      ReinsStep *step = g_ptr_array_index (pending, i);
      guint index = reins_step_get_index (step);
      guint position;

      if (batch->len > 0 &&
          reins_step_get_index (g_ptr_array_index (batch, batch->len - 1)) == index)
        g_ptr_array_index (batch, batch->len - 1) = step;
      else if (batch->len == 0 && reins_run_view_find_step (self, index, &position))
        g_list_store_splice (self->steps, position, 1, (gpointer *) &step, 1);
      else
        g_ptr_array_add (batch, step);
    }

  /* The list view makes a row for every item appended near what it shows, so a long batch
   * goes in by slices, with a frame between them; the rest waits for the next one. */
  if (batch->len > MAX_APPEND)
    {
      for (guint i = batch->len; i > MAX_APPEND; i--)
        g_ptr_array_insert (self->pending, 0, g_object_ref (g_ptr_array_index (batch, i - 1)));
      g_ptr_array_set_size (batch, MAX_APPEND);
      self->flush_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, flush_cb, self, NULL);
    }

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->steps));
  if (batch->len > 0)
    g_list_store_splice (self->steps, n_items, 0, batch->pdata, batch->len);
  if (pending->len > 0)
    gtk_stack_set_visible_child_name (self->stack, "steps");

  if (self->flush_id == 0 && self->finished_run != NULL)
    reins_run_view_finish (self);
  if (self->following && pending->len > 0)
    reins_run_view_scroll_to_end (self);
}

static gboolean
flush_cb (gpointer user_data)
{
  ReinsRunView *self = user_data;

  self->flush_id = 0;
  reins_run_view_flush (self);
  return G_SOURCE_REMOVE;
}

static void
reins_run_view_queue_flush (ReinsRunView *self)
{
  if (self->flush_id == 0)
    self->flush_id = g_timeout_add_full (G_PRIORITY_DEFAULT, LIVE_FLUSH_MS, flush_cb, self, NULL);
}

static void
executor_step_started_cb (ReinsRunView  *self,
                          guint          index,
                          ReinsExecutor *executor)
{
  g_autoptr(ReinsStep) step = reins_step_new (reins_run_get_id (self->run), index);

  g_string_truncate (self->live_text, 0);
  self->live_dirty = FALSE;
  g_set_object (&self->live_step, step);
  g_ptr_array_add (self->pending, g_object_ref (step));
  reins_run_view_queue_flush (self);
}

static void
executor_token_cb (ReinsRunView  *self,
                   guint          index,
                   const char    *text,
                   ReinsExecutor *executor)
{
  if (self->live_step == NULL || reins_step_get_index (self->live_step) != index)
    return;

  /* The row shows a bounded excerpt; no need to keep more of a runaway stream. */
  if (self->live_text->len < 4 * REINS_FORMAT_EXCERPT_CHARS)
    g_string_append (self->live_text, text);
  self->live_dirty = TRUE;
  reins_run_view_queue_flush (self);
}

static void
executor_step_finished_cb (ReinsRunView  *self,
                           ReinsStep     *step,
                           ReinsExecutor *executor)
{
  if (self->live_step != NULL &&
      reins_step_get_index (self->live_step) == reins_step_get_index (step))
    {
      g_clear_object (&self->live_step);
      self->live_dirty = FALSE;
    }

  if (reins_run_view_note_loops (self, step))
    {
      /* Earlier steps joined a loop: their rows are bound again to show it. */
      guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->steps));

      if (n_items > 0)
        g_list_model_items_changed (G_LIST_MODEL (self->steps), 0, n_items, n_items);
    }
  g_ptr_array_add (self->pending, g_object_ref (step));
  reins_run_view_queue_flush (self);
}

static void
executor_changed_cb (ReinsRunView  *self,
                     gpointer       arg,
                     ReinsExecutor *executor)
{
  reins_run_view_flush (self);
}

/* The end of a live run, once every step it reported is in the timeline. */
static void
reins_run_view_finish (ReinsRunView *self)
{
  g_autoptr(ReinsRun) run = g_steal_pointer (&self->finished_run);
  ReinsStep *live = self->live_step;

  /* A step under way when the run ended was never stored. */
  self->live_step = NULL;
  self->live_dirty = FALSE;
  if (live != NULL)
    {
      guint position;

      if (reins_run_view_find_step (self, reins_step_get_index (live), &position))
        {
          g_autoptr(ReinsStep) item = g_list_model_get_item (G_LIST_MODEL (self->steps), position);

          if (item == live)
            g_list_store_remove (self->steps, position);
        }
      g_object_unref (live);
    }
  /* The run as stored at its end replaces the executor's view of it. */
  if (g_set_object (&self->run, run))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN]);
  reins_run_header_set_run (self->header, self->run);
  reins_run_inspector_set_run (self->inspector, self->run);
  gtk_widget_set_visible (GTK_WIDGET (self->inspector), TRUE);
}

static void
executor_finished_cb (ReinsRunView  *self,
                      ReinsRun      *run,
                      ReinsExecutor *executor)
{
  g_set_object (&self->finished_run, run);
  reins_run_view_queue_flush (self);
}

static void
reins_run_view_disconnect_executor (ReinsRunView *self)
{
  if (self->executor == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->executor, self);
  g_clear_object (&self->executor);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_ptr_array_set_size (self->pending, 0);
  g_clear_object (&self->finished_run);
  g_clear_object (&self->live_step);
  reins_run_header_set_executor (self->header, NULL);
}

static void
fork_from_here_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   GtkWidget       *row)
{
  ReinsStep *step = reins_step_row_get_step (REINS_STEP_ROW (row));
  g_autoptr(GMenu) menu = NULL;
  g_autoptr(GMenuItem) item = NULL;

  if (step == NULL)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);

  menu = g_menu_new ();
  item = g_menu_item_new (_("_Fork from Here…"), NULL);
  g_menu_item_set_action_and_target_value (item, "win.fork-from",
                                           g_variant_new_uint32 (reins_step_get_index (step)));
  g_menu_append_item (menu, item);
  reins_context_menu_popup (row, G_MENU_MODEL (menu), x, y);
}

/* Timeline: rows */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              ReinsRunView             *self)
{
  GtkWidget *row = reins_step_row_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  /* Issue 8: a right click offers to fork the run from this step. */
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (fork_from_here_cb), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
  gtk_list_item_set_child (item, row);
}

/* Whether the timeline's item at @position is a stored step not read yet (the list shows
 * one model at a time, from its start). */
static gboolean
reins_run_view_is_placeholder (ReinsRunView *self,
                               guint         position)
{
  g_autoptr(GListModel) shown = NULL;

  if (self->step_model == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->models)) == 0)
    return FALSE;
  shown = g_list_model_get_item (G_LIST_MODEL (self->models), 0);
  return shown == G_LIST_MODEL (self->step_model) &&
         !reins_step_model_is_loaded (self->step_model, position);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             ReinsRunView             *self)
{
  ReinsStepRow *row = REINS_STEP_ROW (gtk_list_item_get_child (item));
  ReinsStep *step = gtk_list_item_get_item (item);

  reins_step_row_set_display (row, self->threshold,
                              g_hash_table_contains (self->loop_steps,
                                                     GUINT_TO_POINTER (reins_step_get_index (step))),
                              step == self->live_step);
  reins_step_row_set_waiting (row, reins_run_view_is_waiting_on (self, step));
  reins_step_row_set_loading (row, reins_run_view_is_placeholder (self,
                                                                  gtk_list_item_get_position (item)));
  reins_step_row_set_step (row, step);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               ReinsRunView             *self)
{
  reins_step_row_set_step (REINS_STEP_ROW (gtk_list_item_get_child (item)), NULL);
}

/* Issue 8: the chart, replay and fork above the timeline (ReinsRunInspector) -------------- */

/* A page read replaces placeholders with the stored steps, which drops the selection that
 * marks a step: it is put back. */
static void
shown_items_changed_cb (ReinsRunView *self,
                        guint         position,
                        guint         removed,
                        guint         added,
                        GListModel   *model)
{
  guint n_items = g_list_model_get_n_items (model);

  if (self->highlight_step > 0 && self->highlight_step <= n_items &&
      gtk_single_selection_get_selected (self->selection) != self->highlight_step - 1)
    gtk_single_selection_set_selected (self->selection, self->highlight_step - 1);
}

static void
inspector_step_activated_cb (ReinsRunView      *self,
                             guint              step,
                             ReinsRunInspector *inspector)
{
  reins_run_view_show_step (self, step);
}

/* A replay shows steps 1 … position and follows the newest; 0 shows the whole run. */
static void
inspector_position_cb (ReinsRunView      *self,
                       GParamSpec        *pspec,
                       ReinsRunInspector *inspector)
{
  guint position = reins_run_inspector_get_position (inspector);

  gtk_slice_list_model_set_size (self->slice, position > 0 ? position : G_MAXUINT);
  if (position > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->step_list), "list.scroll-to-item", "u",
                                position - 1);
}

/* The inspector reads every step of a stored run for its chart; the steps a loop verdict
 * names come with it, so rows read lazily are highlighted as a whole run's would be. */
static void
inspector_loading_cb (ReinsRunView      *self,
                      GParamSpec        *pspec,
                      ReinsRunInspector *inspector)
{
  GArray *loops;
  guint n_items;

  if (reins_run_inspector_get_loading (inspector) || self->executor != NULL ||
      (loops = reins_run_inspector_get_loop_steps (inspector)) == NULL || loops->len == 0)
    return;

  for (guint i = 0; i < loops->len; i++)
    g_hash_table_add (self->loop_steps, GUINT_TO_POINTER (g_array_index (loops, guint, i)));
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->flat));
  g_list_model_items_changed (G_LIST_MODEL (self->flat), 0, n_items, n_items);
}

static void
reins_run_view_dispose (GObject *object)
{
  ReinsRunView *self = (ReinsRunView *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  reins_run_view_disconnect_executor (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), REINS_TYPE_RUN_VIEW);
  /* Children the template does not name are ours to unparent too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  reins_run_view_clear_step_model (self);
  g_clear_object (&self->selection);
  g_clear_object (&self->slice);
  g_clear_object (&self->flat);
  g_clear_object (&self->models);
  g_clear_object (&self->steps);
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_func (self->run, run_step_count_cb, self);
  g_clear_object (&self->run);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (reins_run_view_parent_class)->dispose (object);
}

static void
reins_run_view_finalize (GObject *object)
{
  ReinsRunView *self = (ReinsRunView *)object;

  g_string_free (self->live_text, TRUE);
  g_ptr_array_unref (self->pending);
  g_hash_table_unref (self->loop_steps);

  G_OBJECT_CLASS (reins_run_view_parent_class)->finalize (object);
}

static void
reins_run_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ReinsRunView *self = REINS_RUN_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_RUN:
      g_value_set_object (value, self->run);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, reins_run_view_get_loading (self));
      break;

    case PROP_EXECUTOR:
      g_value_set_object (value, self->executor);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_run_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ReinsRunView *self = REINS_RUN_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      reins_run_view_set_store (self, g_value_get_object (value));
      break;

    case PROP_RUN:
      reins_run_view_set_run (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_run_view_class_init (ReinsRunViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reins_run_view_dispose;
  object_class->finalize = reins_run_view_finalize;
  object_class->get_property = reins_run_view_get_property;
  object_class->set_property = reins_run_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         REINS_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RUN] =
    g_param_spec_object ("run", NULL, NULL,
                         REINS_TYPE_RUN,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_EXECUTOR] =
    g_param_spec_object ("executor", NULL, NULL,
                         REINS_TYPE_EXECUTOR,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-run-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, header);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, stack);
  gtk_widget_class_bind_template_callback (widget_class, header_waiting_step_cb);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, step_list);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, spinner);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, error_page);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, scroller);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, jump_button);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, inspector);
  gtk_widget_class_bind_template_callback (widget_class, inspector_step_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, inspector_position_cb);
  gtk_widget_class_bind_template_callback (widget_class, inspector_loading_cb);

  gtk_widget_class_install_action (widget_class, "view.jump-to-latest", NULL,
                                   reins_run_view_jump_to_latest);

  g_type_ensure (REINS_TYPE_STEP_ROW);
  g_type_ensure (REINS_TYPE_RUN_INSPECTOR);
  g_type_ensure (REINS_TYPE_RUN_HEADER);
}

static void
reins_run_view_init (ReinsRunView *self)
{
  GtkListItemFactory *factory;
  GtkEventController *controller;
  GtkGesture *gesture;
  GtkAdjustment *adj;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->steps = g_list_store_new (REINS_TYPE_STEP);
  self->live_text = g_string_new (NULL);
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  self->loop_steps = g_hash_table_new (NULL, NULL);
  self->threshold = 0.7;
  self->following = TRUE;

  /* Rows need the view's state (threshold, loops, the live step) when they are bound. */
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->step_list, factory);
  g_object_unref (factory);
  self->models = g_list_store_new (G_TYPE_LIST_MODEL);
  g_list_store_append (self->models, self->steps);
  self->flat = gtk_flatten_list_model_new (g_object_ref (G_LIST_MODEL (self->models)));
  self->slice = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->flat)), 0, G_MAXUINT);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->slice)));
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (shown_items_changed_cb),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_list_view_set_model (self->step_list, GTK_SELECTION_MODEL (self->selection));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (scroll_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), controller);
  gesture = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect_object (gesture, "pressed", G_CALLBACK (scrollbar_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "released", G_CALLBACK (scrollbar_released_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "stopped", G_CALLBACK (scrollbar_released_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (gtk_scrolled_window_get_vscrollbar (self->scroller),
                             GTK_EVENT_CONTROLLER (gesture));

  adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (adj, "value-changed", G_CALLBACK (vadjustment_value_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adj, "notify::upper", G_CALLBACK (vadjustment_upper_cb), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
reins_run_view_new (void)
{
  return g_object_new (REINS_TYPE_RUN_VIEW, NULL);
}

ReinsStore *
reins_run_view_get_store (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), NULL);

  return self->store;
}

void
reins_run_view_set_store (ReinsRunView *self,
                          ReinsStore   *store)
{
  g_return_if_fail (REINS_IS_RUN_VIEW (self));
  g_return_if_fail (!store || REINS_IS_STORE (store));

  if (g_set_object (&self->store, store))
    {
      reins_run_inspector_set_store (self->inspector, store);
      reins_run_view_load_steps (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }
}

ReinsRun *
reins_run_view_get_run (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), NULL);

  return self->run;
}

void
reins_run_view_set_run (ReinsRunView *self,
                        ReinsRun     *run)
{
  g_return_if_fail (REINS_IS_RUN_VIEW (self));
  g_return_if_fail (!run || REINS_IS_RUN (run));

  if (self->run == run && self->executor == NULL)
    return;

  if (self->run != NULL)
    g_signal_handlers_disconnect_by_func (self->run, run_step_count_cb, self);
  if (g_set_object (&self->run, run) || self->executor != NULL)
    {
      reins_run_view_disconnect_executor (self);
      reins_run_view_set_following (self, TRUE);
      self->highlight_step = 0;
      if (run != NULL)
        g_signal_connect_object (run, "notify::step-count", G_CALLBACK (run_step_count_cb), self,
                                 G_CONNECT_SWAPPED);
      self->threshold = run_threshold (run);
      reins_run_header_set_run (self->header, run);
      reins_run_inspector_set_run (self->inspector, run);
      gtk_widget_set_visible (GTK_WIDGET (self->inspector), run != NULL);
      reins_run_view_load_steps (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXECUTOR]);
    }
}

/* Shows the run @executor runs, live: its stored steps, then each step as it happens. */
void
reins_run_view_set_executor (ReinsRunView  *self,
                             ReinsExecutor *executor)
{
  ReinsRun *run;

  g_return_if_fail (REINS_IS_RUN_VIEW (self));
  g_return_if_fail (REINS_IS_EXECUTOR (executor));

  if (self->executor == executor)
    return;

  run = reins_executor_get_run (executor);
  reins_run_view_disconnect_executor (self);
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_func (self->run, run_step_count_cb, self);
  g_set_object (&self->run, run);
  /* The chart, replay and fork are for runs that have ended. */
  reins_run_inspector_set_run (self->inspector, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->inspector), FALSE);
  self->executor = g_object_ref (executor);
  self->threshold = run_threshold (run);

  g_signal_connect_object (executor, "step-started", G_CALLBACK (executor_step_started_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (executor, "token", G_CALLBACK (executor_token_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (executor, "step-finished", G_CALLBACK (executor_step_finished_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (executor, "status-changed", G_CALLBACK (executor_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (executor, "approval-requested", G_CALLBACK (executor_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (executor, "approval-resolved", G_CALLBACK (executor_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (executor, "finished", G_CALLBACK (executor_finished_cb), self,
                           G_CONNECT_SWAPPED);

  reins_run_view_set_following (self, TRUE);
  reins_run_header_set_run (self->header, run);
  reins_run_header_set_executor (self->header, executor);
  /* What is stored already (nothing for a new run) is read as for any run. */
  reins_run_view_load_steps (self);
  if (reins_run_get_step_count (run) == 0)
    gtk_stack_set_visible_child_name (self->stack, "steps");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXECUTOR]);
}

ReinsExecutor *
reins_run_view_get_executor (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), NULL);

  return self->executor;
}

/* Whether the steps of the run are still being read. */
gboolean
reins_run_view_get_loading (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), FALSE);

  return self->cancellable != NULL ||
         (self->step_model != NULL && reins_step_model_get_loading (self->step_model));
}

/* The steps of the run, in order; the same model from run to run. A stored run's items not
 * read yet are placeholders holding only their index (see ReinsStepModel). */
GListModel *
reins_run_view_get_steps (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), NULL);

  return G_LIST_MODEL (self->flat);
}

/**
 * reins_run_view_show_step:
 * @index: a step number (from 1), or 0 to mark none
 *
 * Scrolls to a step and marks it (a search hit, a chart click).
 */
void
reins_run_view_show_step (ReinsRunView *self,
                          guint         index)
{
  guint n_items;

  g_return_if_fail (REINS_IS_RUN_VIEW (self));

  self->highlight_step = index;
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->slice));
  if (index == 0 || index > n_items)
    {
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      return;
    }

  if (self->step_model != NULL)
    reins_step_model_prefetch (self->step_model, index - 1);
  reins_run_inspector_set_current_step (self->inspector, index);
  reins_run_view_set_following (self, FALSE);
  gtk_single_selection_set_selected (self->selection, index - 1);
  gtk_widget_activate_action (GTK_WIDGET (self->step_list), "list.scroll-to-item", "u", index - 1);
}

/* The step marked by reins_run_view_show_step(), or 0. */
guint
reins_run_view_get_highlighted_step (ReinsRunView *self)
{
  guint selected;

  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), 0);

  selected = gtk_single_selection_get_selected (self->selection);
  return selected == GTK_INVALID_LIST_POSITION ? 0 : selected + 1;
}

GtkListView *
reins_run_view_get_list_view (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), NULL);

  return self->step_list;
}

ReinsRunInspector *
reins_run_view_get_inspector (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), NULL);

  return self->inspector;
}

/* What the timeline shows: every step, or during a replay the first ones. */
GListModel *
reins_run_view_get_shown_steps (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), NULL);

  return G_LIST_MODEL (self->slice);
}

gboolean
_reins_run_view_get_approval_bar_shown (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), FALSE);

  return reins_run_header_get_approval_bar_shown (self->header);
}

gboolean
_reins_run_view_get_following (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), FALSE);

  return self->following;
}

/* Whether everything the executor reported is in the timeline. */
gboolean
_reins_run_view_get_caught_up (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), FALSE);

  return self->pending->len == 0 && self->finished_run == NULL && self->flush_id == 0;
}

gboolean
_reins_run_view_has_live_step (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), FALSE);

  return self->live_step != NULL;
}
