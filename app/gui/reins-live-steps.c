/* reins-live-steps.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The steps of a run the window executes, as a list model that grows as it runs.
 *
 * The executor hands its reports to the main thread in batches; a fast run reports hundreds
 * of steps in one. Each batch is applied here as one change of the model, right after the
 * executor's dispatch (a high-priority idle, not a timer: no second layer of delay). Only
 * appending is paced: the list view makes a row for every item appended near what it shows,
 * so at most MAX_APPEND steps go in per frame and the rest wait for the next one.
 *
 * One extra item is the step under way, not stored yet, which grows as the model streams its
 * thought; "live-step" names it. Items are immutable to the rows that show them: a report of
 * a step replaces its item. "finished" says the run ended and everything it reported is in
 * the model.
 */

#include "config.h"

#include <string.h>

#include "reins-format.h"
#include "reins-live-steps.h"

/* The most steps appended at once. */
#define MAX_APPEND 8

struct _ReinsLiveSteps
{
  GObject        parent_instance;

  GListStore    *steps;
  ReinsExecutor *executor;
  char          *run_id;
  ReinsStep     *live_step;     /* the item of the step under way, or NULL */
  GString       *live_text;
  gboolean       live_dirty;
  GPtrArray     *pending;       /* steps reported, not yet in the model */
  ReinsRun      *finished_run;  /* the run as it ended, until the model caught up */
  guint          flush_id;
};

static void reins_live_steps_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsLiveSteps, reins_live_steps, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      reins_live_steps_list_model_init))

enum {
  PROP_0,
  PROP_LIVE_STEP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
reins_live_steps_get_item_type (GListModel *model)
{
  return REINS_TYPE_STEP;
}

static guint
reins_live_steps_get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (REINS_LIVE_STEPS (model)->steps));
}

static gpointer
reins_live_steps_get_item (GListModel *model,
                           guint       position)
{
  return g_list_model_get_item (G_LIST_MODEL (REINS_LIVE_STEPS (model)->steps), position);
}

static void
reins_live_steps_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = reins_live_steps_get_item_type;
  iface->get_n_items = reins_live_steps_get_n_items;
  iface->get_item = reins_live_steps_get_item;
}

static void
steps_changed_cb (ReinsLiveSteps *self,
                  guint           position,
                  guint           removed,
                  guint           added,
                  GListModel     *steps)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static void
reins_live_steps_set_live (ReinsLiveSteps *self,
                           ReinsStep      *step)
{
  if (g_set_object (&self->live_step, step))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE_STEP]);
}

/* The position of the item of step @index, searched from the end where live steps are. */
static gboolean
reins_live_steps_find (ReinsLiveSteps *self,
                       guint           index,
                       guint          *position)
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

/* The end of the run, once every step it reported is in the model. */
static void
reins_live_steps_finish (ReinsLiveSteps *self)
{
  g_autoptr(ReinsRun) run = g_steal_pointer (&self->finished_run);
  g_autoptr(ReinsStep) live = self->live_step != NULL ? g_object_ref (self->live_step) : NULL;
  guint position;

  /* A step under way when the run ended was never stored. */
  self->live_dirty = FALSE;
  reins_live_steps_set_live (self, NULL);
  if (live != NULL && reins_live_steps_find (self, reins_step_get_index (live), &position))
    {
      g_autoptr(ReinsStep) item = g_list_model_get_item (G_LIST_MODEL (self->steps), position);

      if (item == live)
        g_list_store_remove (self->steps, position);
    }
  g_signal_emit (self, signals[FINISHED], 0, run);
}

static gboolean flush_cb (gpointer user_data);

/**
 * reins_live_steps_flush:
 *
 * Applies what the executor reported since the last change in one go (a later report of a
 * step replaces an earlier one), but for steps beyond MAX_APPEND, which wait for the next
 * frame.
 */
void
reins_live_steps_flush (ReinsLiveSteps *self)
{
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();

  g_return_if_fail (REINS_IS_LIVE_STEPS (self));

  g_clear_handle_id (&self->flush_id, g_source_remove);

  if (self->live_dirty && self->live_step != NULL)
    {
      g_autoptr(ReinsStep) step = reins_step_new (self->run_id,
                                                  reins_step_get_index (self->live_step));

      reins_step_set_thought (step, self->live_text->str);
      reins_live_steps_set_live (self, step);
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
      else if (batch->len == 0 && reins_live_steps_find (self, index, &position))
        g_list_store_splice (self->steps, position, 1, (gpointer *) &step, 1);
      else
        g_ptr_array_add (batch, step);
    }

  if (batch->len > MAX_APPEND)
    {
      for (guint i = batch->len; i > MAX_APPEND; i--)
        g_ptr_array_insert (self->pending, 0, g_object_ref (g_ptr_array_index (batch, i - 1)));
      g_ptr_array_set_size (batch, MAX_APPEND);
      /* After the frame that lays the first ones out. */
      self->flush_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, flush_cb, self, NULL);
    }

  if (batch->len > 0)
    g_list_store_splice (self->steps, g_list_model_get_n_items (G_LIST_MODEL (self->steps)), 0,
                         batch->pdata, batch->len);

  if (self->flush_id == 0 && self->finished_run != NULL)
    reins_live_steps_finish (self);
}

static gboolean
flush_cb (gpointer user_data)
{
  ReinsLiveSteps *self = user_data;

  self->flush_id = 0;
  reins_live_steps_flush (self);
  return G_SOURCE_REMOVE;
}

/* The executor's batch is being dispatched: apply it once it is over. */
static void
reins_live_steps_queue_flush (ReinsLiveSteps *self)
{
  if (self->flush_id == 0)
    self->flush_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, flush_cb, self, NULL);
}

static void
executor_step_started_cb (ReinsLiveSteps *self,
                          guint           index,
                          ReinsExecutor  *executor)
{
  g_autoptr(ReinsStep) step = reins_step_new (self->run_id, index);

  g_string_truncate (self->live_text, 0);
  self->live_dirty = FALSE;
  reins_live_steps_set_live (self, step);
  g_ptr_array_add (self->pending, g_object_ref (step));
  reins_live_steps_queue_flush (self);
}

static void
executor_token_cb (ReinsLiveSteps *self,
                   guint           index,
                   const char     *text,
                   ReinsExecutor  *executor)
{
  if (self->live_step == NULL || reins_step_get_index (self->live_step) != index)
    return;

  /* The row shows a bounded excerpt; no need to keep more of a runaway stream. */
  if (self->live_text->len < 4 * REINS_FORMAT_EXCERPT_CHARS)
    g_string_append (self->live_text, text);
  self->live_dirty = TRUE;
  reins_live_steps_queue_flush (self);
}

/* An MCP tool of the running step says how far it is: the latest word goes on its row. */
static void
executor_tool_progress_cb (ReinsLiveSteps *self,
                           guint           index,
                           const char     *text,
                           ReinsExecutor  *executor)
{
  const char *last;

  if (self->live_step == NULL || reins_step_get_index (self->live_step) != index)
    return;
  /* Each report replaces the one before. */
  last = strstr (self->live_text->str, "\n⋯ ");
  if (last != NULL)
    g_string_truncate (self->live_text, last - self->live_text->str);
  if (self->live_text->len < 4 * REINS_FORMAT_EXCERPT_CHARS)
    g_string_append_printf (self->live_text, "\n⋯ %s", text);
  self->live_dirty = TRUE;
  reins_live_steps_queue_flush (self);
}

static void
executor_step_finished_cb (ReinsLiveSteps *self,
                           ReinsStep      *step,
                           ReinsExecutor  *executor)
{
  if (self->live_step != NULL &&
      reins_step_get_index (self->live_step) == reins_step_get_index (step))
    {
      self->live_dirty = FALSE;
      reins_live_steps_set_live (self, NULL);
    }
  g_ptr_array_add (self->pending, g_object_ref (step));
  reins_live_steps_queue_flush (self);
}

/* A status change or a question: whatever came before it shows first. */
static void
executor_changed_cb (ReinsLiveSteps *self,
                     gpointer        arg,
                     ReinsExecutor  *executor)
{
  reins_live_steps_flush (self);
}

static void
executor_finished_cb (ReinsLiveSteps *self,
                      ReinsRun       *run,
                      ReinsExecutor  *executor)
{
  g_set_object (&self->finished_run, run);
  reins_live_steps_queue_flush (self);
}

static void
reins_live_steps_dispose (GObject *object)
{
  ReinsLiveSteps *self = REINS_LIVE_STEPS (object);

  reins_live_steps_set_executor (self, NULL);
  g_clear_object (&self->live_step);

  G_OBJECT_CLASS (reins_live_steps_parent_class)->dispose (object);
}

static void
reins_live_steps_finalize (GObject *object)
{
  ReinsLiveSteps *self = REINS_LIVE_STEPS (object);

  g_clear_object (&self->steps);
  g_string_free (self->live_text, TRUE);
  g_ptr_array_unref (self->pending);
  g_free (self->run_id);

  G_OBJECT_CLASS (reins_live_steps_parent_class)->finalize (object);
}

static void
reins_live_steps_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ReinsLiveSteps *self = REINS_LIVE_STEPS (object);

  switch (prop_id)
    {
    case PROP_LIVE_STEP:
      g_value_set_object (value, self->live_step);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_live_steps_class_init (ReinsLiveStepsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = reins_live_steps_dispose;
  object_class->finalize = reins_live_steps_finalize;
  object_class->get_property = reins_live_steps_get_property;

  /* The item of the step under way, not stored yet, or %NULL. */
  properties[PROP_LIVE_STEP] =
    g_param_spec_object ("live-step", NULL, NULL,
                         REINS_TYPE_STEP,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ReinsLiveSteps::finished:
   * @run: the run as stored at its end
   *
   * The run ended and every step it reported is in the model.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, REINS_TYPE_RUN);
}

static void
reins_live_steps_init (ReinsLiveSteps *self)
{
  self->steps = g_list_store_new (REINS_TYPE_STEP);
  self->live_text = g_string_new (NULL);
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect_object (self->steps, "items-changed", G_CALLBACK (steps_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

ReinsLiveSteps *
reins_live_steps_new (void)
{
  return g_object_new (REINS_TYPE_LIVE_STEPS, NULL);
}

/* Follows what @executor reports (%NULL: nothing any more; what arrived stays). */
void
reins_live_steps_set_executor (ReinsLiveSteps *self,
                               ReinsExecutor  *executor)
{
  g_return_if_fail (REINS_IS_LIVE_STEPS (self));
  g_return_if_fail (!executor || REINS_IS_EXECUTOR (executor));

  if (self->executor == executor)
    return;

  if (self->executor != NULL)
    g_signal_handlers_disconnect_by_data (self->executor, self);
  g_clear_object (&self->executor);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_ptr_array_set_size (self->pending, 0);
  g_clear_object (&self->finished_run);
  self->live_dirty = FALSE;
  reins_live_steps_set_live (self, NULL);
  if (executor == NULL)
    return;

  self->executor = g_object_ref (executor);
  g_free (self->run_id);
  self->run_id = g_strdup (reins_run_get_id (reins_executor_get_run (executor)));
  g_signal_connect_object (executor, "step-started", G_CALLBACK (executor_step_started_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (executor, "token", G_CALLBACK (executor_token_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (executor, "tool-progress", G_CALLBACK (executor_tool_progress_cb),
                           self, G_CONNECT_SWAPPED);
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
}

/**
 * reins_live_steps_add_stored:
 * @steps: (element-type ReinsStep): the run's steps as stored, in order
 *
 * Puts the steps stored before the executor's reports began (read from the store) first;
 * steps reported meanwhile stay after them.
 */
void
reins_live_steps_add_stored (ReinsLiveSteps *self,
                             GPtrArray      *steps)
{
  g_autoptr(GPtrArray) all = NULL;
  guint n_items;
  guint last;

  g_return_if_fail (REINS_IS_LIVE_STEPS (self));
  g_return_if_fail (steps != NULL);

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->steps));
  last = steps->len > 0 ? reins_step_get_index (g_ptr_array_index (steps, steps->len - 1)) : 0;
  all = g_ptr_array_new_full (steps->len, g_object_unref);
  for (guint i = 0; i < steps->len; i++)
    g_ptr_array_add (all, g_object_ref (g_ptr_array_index (steps, i)));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(ReinsStep) step = g_list_model_get_item (G_LIST_MODEL (self->steps), i);

      if (reins_step_get_index (step) > last)
        g_ptr_array_add (all, g_object_ref (step));
    }
  g_list_store_splice (self->steps, 0, n_items, all->pdata, all->len);
}

/* Forgets every step (another run is shown). */
void
reins_live_steps_clear (ReinsLiveSteps *self)
{
  g_return_if_fail (REINS_IS_LIVE_STEPS (self));

  reins_live_steps_set_executor (self, NULL);
  g_list_store_remove_all (self->steps);
}

ReinsStep *
reins_live_steps_get_live_step (ReinsLiveSteps *self)
{
  g_return_val_if_fail (REINS_IS_LIVE_STEPS (self), NULL);

  return self->live_step;
}

/* Whether everything the executor reported is in the model. */
gboolean
reins_live_steps_get_caught_up (ReinsLiveSteps *self)
{
  g_return_val_if_fail (REINS_IS_LIVE_STEPS (self), FALSE);

  return self->pending->len == 0 && self->finished_run == NULL && self->flush_id == 0;
}
