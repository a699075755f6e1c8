/* reins-run-view.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One run: its header (ReinsRunHeader), the chart, replay and what-if above the steps
 * (ReinsRunInspector), and the timeline of its steps (ReinsTimeline). The view only picks
 * what they show.
 *
 * A stored run the window does not execute is read lazily (ReinsStepModel): a page of steps
 * at a time, as rows ask for them, so a run of 10,000 steps opens at once.
 *
 * A run the window executes is shown live (ReinsLiveSteps): its stored steps, read whole on a
 * worker (reins_store_read_steps_async()), then each step the executor reports, and the step
 * under way as the model streams its thought. The timeline follows the newest step until the
 * person scrolls up.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "reins-guard.h"
#include "reins-live-steps.h"
#include "reins-run-header.h"
#include "reins-run-inspector.h"
#include "reins-run-view-parts-private.h"
#include "reins-run-view-private.h"
#include "reins-run-settings.h"
#include "reins-step-model.h"
#include "reins-step-filter.h"
#include "reins-store-async.h"
#include "reins-timeline.h"

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

/* What a person wrote on a run, as the header shows it */
typedef struct
{
  char *note;
  char *name;
} Annotation;

static void
annotation_free (gpointer data)
{
  Annotation *annotation = data;

  g_free (annotation->note);
  g_free (annotation->name);
  g_free (annotation);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Annotation, annotation_free)

/* On a worker: the run's note and name, each NULL without one. */
static gpointer
read_note (ReinsStore    *store,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(Annotation) annotation = g_new0 (Annotation, 1);

  annotation->note = reins_store_get_note (store, data, &local_error);
  if (local_error == NULL)
    annotation->name = reins_store_get_name (store, data, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&annotation);
}

static void
read_note_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ReinsRunView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(Annotation) annotation = reins_store_read_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->note_cancellable);
  if (annotation == NULL)
    g_debug ("Could not read the note of the run: %s", error->message);
  reins_run_header_set_note (self->header, annotation != NULL ? annotation->note : NULL);
  reins_run_header_set_name (self->header, annotation != NULL ? annotation->name : NULL);
}

/* The header shows the note a person wrote on the run, and its name; they are read off the
 * main thread. */
static void
reins_run_view_read_note (ReinsRunView *self)
{
  g_cancellable_cancel (self->note_cancellable);
  g_clear_object (&self->note_cancellable);
  reins_run_header_set_note (self->header, NULL);
  if (self->run == NULL || self->store == NULL)
    return;

  self->note_cancellable = g_cancellable_new ();
  reins_store_read_async (self->store, read_note, g_strdup (reins_run_get_id (self->run)),
                          g_free, annotation_free, self->note_cancellable, read_note_cb,
                          g_object_ref (self));
}

/**
 * reins_run_view_annotated:
 * @run_id: (nullable): the run whose tags or note changed, or %NULL for any
 *
 * The note in the header is read again when it is the shown run's.
 */
void
reins_run_view_annotated (ReinsRunView *self,
                          const char   *run_id)
{
  g_return_if_fail (REINS_IS_RUN_VIEW (self));

  if (self->run != NULL && (run_id == NULL || g_str_equal (run_id, reins_run_get_id (self->run))))
    reins_run_view_read_note (self);
}

/**
 * reins_run_view_step_rated:
 * @rating: 1, -1, or 0 when the rating was removed
 *
 * A rating was stored for step @index of @run_id: its row shows it, if the run is shown.
 */
void
reins_run_view_step_rated (ReinsRunView *self,
                           const char   *run_id,
                           guint         index,
                           int           rating,
                           const char   *comment)
{
  g_return_if_fail (REINS_IS_RUN_VIEW (self));

  if (self->run != NULL && g_strcmp0 (run_id, reins_run_get_id (self->run)) == 0)
    reins_timeline_set_step_feedback (self->timeline, index, rating, comment);
}

/* A stored run read lazily has only placeholders to filter: it is read whole for a filter,
 * and lazily again without one. A live run has every step already. */
static void
timeline_filter_cb (ReinsRunView  *self,
                    GParamSpec    *pspec,
                    ReinsTimeline *timeline)
{
  gboolean all = g_strcmp0 (reins_timeline_get_filter (timeline), REINS_STEP_FILTER_ALL) == 0;
  guint shown = reins_timeline_get_shown_step (timeline);

  if (self->executor != NULL || self->run == NULL || all == (self->step_model != NULL))
    return;
  reins_run_view_load_steps (self);
  /* The step a person was reading stays marked when it is listed (once read, when the run
   * is read whole) */
  if (shown > 0)
    reins_run_view_show_step (self, shown);
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

static double
run_threshold (ReinsRun *run)
{
  g_autoptr(ReinsRunSettings) settings = NULL;

  settings = reins_run_settings_new_from_json (run != NULL ? reins_run_get_settings (run) : NULL);
  return reins_run_settings_get_confidence_threshold (settings);
}

/* A question was put or answered: the row of its step says so. */
static void
header_waiting_step_cb (ReinsRunView   *self,
                        GParamSpec     *pspec,
                        ReinsRunHeader *header)
{
  reins_timeline_set_waiting_step (self->timeline, reins_run_header_get_waiting_step (header));
}

/* The live run */

static void
live_step_cb (ReinsRunView   *self,
              GParamSpec     *pspec,
              ReinsLiveSteps *live_steps)
{
  reins_timeline_set_live_step (self->timeline, reins_live_steps_get_live_step (live_steps));
}

static void
live_items_changed_cb (ReinsRunView   *self,
                       guint           position,
                       guint           removed,
                       guint           added,
                       ReinsLiveSteps *live_steps)
{
  if (self->executor == NULL || added == 0)
    return;
  gtk_stack_set_visible_child_name (self->stack, "steps");
  reins_timeline_keep_newest (self->timeline);
}

static void
executor_step_finished_cb (ReinsRunView  *self,
                           ReinsStep     *step,
                           ReinsExecutor *executor)
{
  reins_run_view_note_loops (self, step);
}

static void
reins_run_view_disconnect_executor (ReinsRunView *self)
{
  if (self->executor == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->executor, self);
  g_clear_object (&self->executor);
  reins_live_steps_set_executor (self->live_steps, NULL);
  reins_run_header_set_executor (self->header, NULL);
  reins_timeline_set_live (self->timeline, FALSE);
}

/* The end of a live run, once every step it reported is in the timeline: the run as stored
 * at its end replaces the executor's view of it, and the inspector opens. */
static void
live_finished_cb (ReinsRunView   *self,
                  ReinsRun       *run,
                  ReinsLiveSteps *live_steps)
{
  if (g_set_object (&self->run, run))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN]);
  reins_run_header_set_run (self->header, self->run);
  reins_run_inspector_set_run (self->inspector, self->run);
  gtk_widget_set_visible (GTK_WIDGET (self->inspector), TRUE);
}

/* The chart, replay and fork above the timeline (ReinsRunInspector) */

static void
inspector_step_activated_cb (ReinsRunView      *self,
                             guint              step,
                             ReinsRunInspector *inspector)
{
  reins_run_view_show_step (self, step);
}

/* A replay shows steps 1 … position and follows the newest of them; 0 shows the whole run. */
static void
inspector_position_cb (ReinsRunView      *self,
                       GParamSpec        *pspec,
                       ReinsRunInspector *inspector)
{
  guint position = reins_run_inspector_get_position (inspector);

  gtk_slice_list_model_set_size (self->slice, position > 0 ? position : G_MAXUINT);
  reins_timeline_set_live (self->timeline, position > 0 || self->executor != NULL);
  if (position > 0)
    reins_timeline_follow (self->timeline);
}

/* The inspector reads the steps loop verdicts name with its chart: rows read lazily are
 * tinted as a whole run's would be. */
static void
inspector_loading_cb (ReinsRunView      *self,
                      GParamSpec        *pspec,
                      ReinsRunInspector *inspector)
{
  GArray *loops;
  gboolean marks;

  /* The person's ratings and a fork's differences go on the rows of a stored run; while
   * another run is read, the last one's go */
  marks = !reins_run_inspector_get_loading (inspector) && self->executor == NULL;

  reins_timeline_set_marks (self->timeline,
                            marks ? reins_run_inspector_get_feedback (inspector) : NULL,
                            marks ? reins_run_inspector_get_fork_diff (inspector) : NULL);
  if (reins_run_inspector_get_loading (inspector) || self->executor != NULL ||
      (loops = reins_run_inspector_get_loop_steps (inspector)) == NULL || loops->len == 0)
    return;

  reins_timeline_add_loop_steps (self->timeline, (const guint *) (gpointer) loops->data,
                                 loops->len);
}

/* Whether the harness did more than allow step @index: from the chart's numbers of a stored
 * run, else from the step itself (a live run has every step; a placeholder says nothing). */
static gboolean
reins_run_view_step_intervened (ReinsRunView *self,
                                guint         index)
{
  ReinsChart *chart = reins_run_inspector_get_chart (self->inspector);
  g_autoptr(GObject) item = NULL;

  if (self->executor == NULL && index <= reins_chart_get_n_points (chart))
    return reins_chart_get_points (chart)[index - 1].worst > REINS_VERDICT_ALLOW;
  if (index > g_list_model_get_n_items (G_LIST_MODEL (self->slice)))
    return FALSE;
  item = g_list_model_get_item (G_LIST_MODEL (self->slice), index - 1);
  return REINS_IS_STEP (item) &&
         reins_step_get_worst_verdict (REINS_STEP (item)) > REINS_VERDICT_ALLOW;
}

/* j and k: the next or the previous listed step, from the one marked (else the first);
 * n and p: the next or the previous one where the harness intervened. At the end, the
 * marked step stays. */
static void
move_step_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  ReinsRunView *self = REINS_RUN_VIEW (widget);
  guint current = reins_timeline_get_shown_step (self->timeline);
  gboolean forward = g_str_has_prefix (action_name, "run-view.next-");
  gboolean interventions = g_str_has_suffix (action_name, "-intervention");
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->slice));
  guint next = current;

  for (guint i = 0; i <= n_items; i++)
    {
      next = reins_timeline_step_beside (self->timeline, next, forward);
      if (next == 0 || !interventions || reins_run_view_step_intervened (self, next))
        break;
    }
  if (next != 0)
    reins_run_view_show_step (self, next);
}

static void
reins_run_view_dispose (GObject *object)
{
  ReinsRunView *self = (ReinsRunView *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->note_cancellable);
  g_clear_object (&self->note_cancellable);
  reins_run_view_disconnect_executor (self);
  reins_run_view_clear_step_model (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), REINS_TYPE_RUN_VIEW);
  /* Children the template does not name are ours to unparent too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->slice);
  g_clear_object (&self->flat);
  g_clear_object (&self->models);
  if (self->live_steps != NULL)
    g_signal_handlers_disconnect_by_data (self->live_steps, self);
  g_clear_object (&self->live_steps);
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_func (self->run, run_step_count_cb, self);
  g_clear_object (&self->run);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (reins_run_view_parent_class)->dispose (object);
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
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, inspector);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, stack);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, timeline);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, spinner);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, error_page);
  gtk_widget_class_bind_template_callback (widget_class, header_waiting_step_cb);
  gtk_widget_class_bind_template_callback (widget_class, inspector_step_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, inspector_position_cb);
  gtk_widget_class_bind_template_callback (widget_class, inspector_loading_cb);

  gtk_widget_class_install_action (widget_class, "run-view.next-step", NULL, move_step_cb);
  gtk_widget_class_install_action (widget_class, "run-view.previous-step", NULL, move_step_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, 0, "run-view.next-step", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, 0, "run-view.previous-step",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "run-view.next-intervention", NULL,
                                   move_step_cb);
  gtk_widget_class_install_action (widget_class, "run-view.previous-intervention", NULL,
                                   move_step_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, 0, "run-view.next-intervention",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, 0,
                                       "run-view.previous-intervention", NULL);

  g_type_ensure (REINS_TYPE_RUN_HEADER);
  g_type_ensure (REINS_TYPE_RUN_INSPECTOR);
  g_type_ensure (REINS_TYPE_TIMELINE);
}

static void
reins_run_view_init (ReinsRunView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->live_steps = reins_live_steps_new ();
  g_signal_connect_object (self->live_steps, "notify::live-step", G_CALLBACK (live_step_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->live_steps, "items-changed", G_CALLBACK (live_items_changed_cb),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->live_steps, "finished", G_CALLBACK (live_finished_cb), self,
                           G_CONNECT_SWAPPED);

  self->models = g_list_store_new (G_TYPE_LIST_MODEL);
  g_list_store_append (self->models, self->live_steps);
  self->flat = gtk_flatten_list_model_new (g_object_ref (G_LIST_MODEL (self->models)));
  self->slice = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->flat)), 0, G_MAXUINT);
  reins_timeline_set_model (self->timeline, G_LIST_MODEL (self->slice));
  g_signal_connect_object (self->timeline, "notify::filter", G_CALLBACK (timeline_filter_cb),
                           self, G_CONNECT_SWAPPED);
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
      reins_run_view_read_note (self);
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
      reins_timeline_follow (self->timeline);
      if (run != NULL)
        g_signal_connect_object (run, "notify::step-count", G_CALLBACK (run_step_count_cb), self,
                                 G_CONNECT_SWAPPED);
      reins_timeline_set_threshold (self->timeline, run_threshold (run));
      reins_run_header_set_run (self->header, run);
      reins_run_view_read_note (self);
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
  g_signal_connect_object (executor, "step-finished", G_CALLBACK (executor_step_finished_cb),
                           self, G_CONNECT_SWAPPED);

  reins_timeline_set_threshold (self->timeline, run_threshold (run));
  reins_timeline_set_live (self->timeline, TRUE);
  reins_timeline_follow (self->timeline);
  reins_run_header_set_run (self->header, run);
  reins_run_header_set_executor (self->header, executor);
  reins_run_view_read_note (self);
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
  g_return_if_fail (REINS_IS_RUN_VIEW (self));

  if (index > 0 && index <= g_list_model_get_n_items (G_LIST_MODEL (self->slice)))
    {
      if (self->step_model != NULL)
        reins_step_model_prefetch (self->step_model, index - 1);
      reins_run_inspector_set_current_step (self->inspector, index);
    }
  reins_timeline_show_step (self->timeline, index);
}

/* The step marked by reins_run_view_show_step(), or 0. */
guint
reins_run_view_get_highlighted_step (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), 0);

  return reins_timeline_get_shown_step (self->timeline);
}

GtkListView *
reins_run_view_get_list_view (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), NULL);

  return reins_timeline_get_list_view (self->timeline);
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

  return reins_timeline_get_follow (self->timeline) == REINS_TIMELINE_FOLLOWING;
}

/* Whether everything the executor reported is in the timeline, and shown there. */
gboolean
_reins_run_view_get_caught_up (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), FALSE);

  return reins_live_steps_get_caught_up (self->live_steps) &&
         reins_timeline_get_settled (self->timeline);
}

gboolean
_reins_run_view_has_live_step (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), FALSE);

  return reins_live_steps_get_live_step (self->live_steps) != NULL;
}
