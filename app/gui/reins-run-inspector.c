/* reins-run-inspector.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Above a run's timeline: its chart, and the controls to replay, re-evaluate and fork it.
 * This file holds the object, the chart's numbers and the run's lineage; the replay is in
 * reins-run-inspector-replay.c, the what-if in reins-run-inspector-what-if.c.
 *
 * The chart needs a few numbers of every step, without their text; the store reads them on
 * a worker thread (reins_run_overview_read_async()), so a run of 10,000 steps never blocks a
 * frame. Replay plays the stored steps back from the store only: the timeline shows steps
 * 1 … position, and nothing calls the model or a tool.
 */

#include "config.h"

#include "reins-run-inspector-private.h"
#include "reins-run-overview.h"
#include "reins-run-settings.h"

G_DEFINE_FINAL_TYPE (ReinsRunInspector, reins_run_inspector, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

enum {
  STEP_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void reins_run_inspector_show_lineage (ReinsRunInspector   *self,
                                              GPtrArray           *forks,
                                              const ReinsForkDiff *diff);

static void
read_overview_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ReinsRunInspector) self = user_data;
  g_autoptr(ReinsRunOverview) overview = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree ReinsChartPoint *points = NULL;
  guint n_points = 0;

  overview = reins_run_overview_read_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loop_steps, g_array_unref);
  g_clear_pointer (&self->fork_diff, reins_fork_diff_free);
  g_clear_pointer (&self->feedback, g_ptr_array_unref);
  if (overview == NULL)
    g_debug ("Cannot chart the run: %s", error->message);
  else
    {
      self->loop_steps = g_steal_pointer (&overview->loops);
      self->fork_diff = g_steal_pointer (&overview->fork_diff);
      self->feedback = g_steal_pointer (&overview->feedback);
      reins_run_inspector_show_lineage (self, overview->forks, self->fork_diff);
      n_points = overview->points->len;
      points = g_new0 (ReinsChartPoint, MAX (n_points, 1));
      for (guint i = 0; i < n_points; i++)
        {
          ReinsStepPoint *point = &g_array_index (overview->points, ReinsStepPoint, i);

          points[i].confidence = point->confidence;
          points[i].cost_total = point->cost_total_usd;
          points[i].worst = point->worst;
        }
    }
  reins_chart_set_points (self->chart, points, n_points);

  gtk_adjustment_set_upper (self->adjustment, MAX (1, reins_chart_get_n_points (self->chart)));
  if (self->replaying)
    reins_chart_set_cursor (self->chart, self->position);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Where the run comes from and where it went, as links that open them. */
static void
reins_run_inspector_show_lineage (ReinsRunInspector   *self,
                                  GPtrArray           *forks,
                                  const ReinsForkDiff *diff)
{
  g_autofree char *markup = NULL;

  g_clear_pointer (&self->fork_ids, g_strfreev);
  markup = reins_run_lineage_markup (self->run, forks, diff, &self->fork_ids);
  gtk_label_set_markup (self->lineage_label, markup);
  gtk_widget_set_visible (GTK_WIDGET (self->lineage_label), markup[0] != '\0');
}

static gboolean
lineage_link_cb (ReinsRunInspector *self,
                 const char        *uri,
                 GtkLabel          *label)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.select-run", "s", uri);
  return TRUE;
}

static void
reins_run_inspector_read (ReinsRunInspector *self)
{
  JsonObject *settings;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loop_steps, g_array_unref);
  g_clear_pointer (&self->fork_diff, reins_fork_diff_free);
  g_clear_pointer (&self->feedback, g_ptr_array_unref);
  reins_chart_set_points (self->chart, NULL, 0);
  reins_run_inspector_show_lineage (self, NULL, NULL);
  reins_run_inspector_clear_what_if (self);
  gtk_widget_set_visible (GTK_WIDGET (self->whatif_label), FALSE);

  if (self->run == NULL || self->store == NULL)
    return;

  settings = reins_run_get_settings (self->run);
  if (settings != NULL)
    {
      g_autoptr(ReinsRunSettings) run_settings = reins_run_settings_new_from_json (settings);

      reins_what_if_popover_set_settings (self->what_if_popover, settings);
      reins_chart_set_threshold (self->chart,
                                 reins_run_settings_get_confidence_threshold (run_settings));
      reins_chart_set_budget (self->chart, reins_run_settings_get_budget_usd (run_settings));
    }

  self->cancellable = g_cancellable_new ();
  reins_run_overview_read_async (self->store, reins_run_get_id (self->run), self->cancellable,
                                 read_overview_cb, g_object_ref (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
chart_step_activated_cb (ReinsRunInspector *self,
                         guint              step,
                         ReinsChart        *chart)
{
  if (self->replaying)
    reins_run_inspector_set_position (self, step);
  reins_run_inspector_step_activated (self, step);
}

void
reins_run_inspector_notify (ReinsRunInspector *self,
                            guint              prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* A step was picked (on the chart, in the what-if): it is the current step, and said. */
void
reins_run_inspector_step_activated (ReinsRunInspector *self,
                                    guint              step)
{
  self->current_step = step;
  g_signal_emit (self, signals[STEP_ACTIVATED], 0, step);
}

static void
reins_run_inspector_dispose (GObject *object)
{
  ReinsRunInspector *self = (ReinsRunInspector *)object;
  GtkWidget *child;

  g_clear_handle_id (&self->play_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  reins_run_inspector_clear_what_if (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), REINS_TYPE_RUN_INSPECTOR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->run);
  g_clear_object (&self->store);
  g_clear_pointer (&self->loop_steps, g_array_unref);
  g_clear_pointer (&self->fork_diff, reins_fork_diff_free);
  g_clear_pointer (&self->feedback, g_ptr_array_unref);
  g_clear_pointer (&self->fork_ids, g_strfreev);

  G_OBJECT_CLASS (reins_run_inspector_parent_class)->dispose (object);
}

static void
reins_run_inspector_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ReinsRunInspector *self = REINS_RUN_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, reins_run_inspector_get_loading (self));
      break;

    case PROP_REPLAYING:
      g_value_set_boolean (value, self->replaying);
      break;

    case PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;

    case PROP_PLAYING:
      g_value_set_boolean (value, self->play_source != 0);
      break;

    case PROP_WHAT_IF_RUNNING:
      g_value_set_boolean (value, self->what_if_cancellable != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_run_inspector_class_init (ReinsRunInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reins_run_inspector_dispose;
  object_class->get_property = reins_run_inspector_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_REPLAYING] =
    g_param_spec_boolean ("replaying", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /* During a replay, the last step shown (from 1); 0 otherwise. */
  properties[PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_WHAT_IF_RUNNING] =
    g_param_spec_boolean ("what-if-running", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ReinsRunInspector::step-activated:
   * @step: a step picked on the chart, from 1
   */
  signals[STEP_ACTIVATED] =
    g_signal_new ("step-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-run-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsRunInspector, chart);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunInspector, replay_button);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunInspector, play_button);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunInspector, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunInspector, scrubber);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunInspector, adjustment);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunInspector, position_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunInspector, whatif_button);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunInspector, fork_button);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunInspector, whatif_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunInspector, lineage_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunInspector, legend_label);
  gtk_widget_class_bind_template_callback (widget_class, lineage_link_cb);
  gtk_widget_class_bind_template_callback (widget_class, chart_step_activated_cb);
  reins_run_inspector_replay_class_init (widget_class);

  g_type_ensure (REINS_TYPE_CHART);
}

static void
reins_run_inspector_init (ReinsRunInspector *self)
{
  self->speed = 2;
  gtk_widget_init_template (GTK_WIDGET (self));
  reins_run_inspector_what_if_init (self);
  reins_run_inspector_update_controls (self);
}

GtkWidget *
reins_run_inspector_new (void)
{
  return g_object_new (REINS_TYPE_RUN_INSPECTOR, NULL);
}

void
reins_run_inspector_set_store (ReinsRunInspector *self,
                               ReinsStore        *store)
{
  g_return_if_fail (REINS_IS_RUN_INSPECTOR (self));

  if (g_set_object (&self->store, store))
    reins_run_inspector_read (self);
}

void
reins_run_inspector_set_run (ReinsRunInspector *self,
                             ReinsRun          *run)
{
  g_return_if_fail (REINS_IS_RUN_INSPECTOR (self));

  if (self->run == run)
    return;
  g_set_object (&self->run, run);
  self->current_step = 0;
  reins_run_inspector_set_replaying (self, FALSE);
  reins_run_inspector_read (self);
}

ReinsRun *
reins_run_inspector_get_run (ReinsRunInspector *self)
{
  g_return_val_if_fail (REINS_IS_RUN_INSPECTOR (self), NULL);

  return self->run;
}

/* Whether the chart's numbers are still being read. */
gboolean
reins_run_inspector_get_loading (ReinsRunInspector *self)
{
  g_return_val_if_fail (REINS_IS_RUN_INSPECTOR (self), FALSE);

  return self->cancellable != NULL;
}

/* On a short window the timeline needs the height more than the chart does: the chart and
 * its legend fold away; replay, what-if and fork stay. */
void
reins_run_inspector_set_compact (ReinsRunInspector *self,
                                 gboolean           compact)
{
  g_return_if_fail (REINS_IS_RUN_INSPECTOR (self));

  gtk_widget_set_visible (GTK_WIDGET (self->chart), !compact);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->legend_label)), !compact);
}

gboolean
reins_run_inspector_get_compact (ReinsRunInspector *self)
{
  g_return_val_if_fail (REINS_IS_RUN_INSPECTOR (self), FALSE);

  return !gtk_widget_get_visible (GTK_WIDGET (self->chart));
}

ReinsChart *
reins_run_inspector_get_chart (ReinsRunInspector *self)
{
  g_return_val_if_fail (REINS_IS_RUN_INSPECTOR (self), NULL);

  return self->chart;
}

/* The step a person looks at (a search hit, a chart click): what "Fork…" starts from. */
void
reins_run_inspector_set_current_step (ReinsRunInspector *self,
                                      guint              step)
{
  g_return_if_fail (REINS_IS_RUN_INSPECTOR (self));

  self->current_step = step;
}

guint
reins_run_inspector_get_current_step (ReinsRunInspector *self)
{
  g_return_val_if_fail (REINS_IS_RUN_INSPECTOR (self), 0);

  if (self->replaying && self->position > 0)
    return self->position;
  return self->current_step;
}

/* The steps loop verdicts named (guint), once the run is read; may repeat a step. */
GArray *
reins_run_inspector_get_loop_steps (ReinsRunInspector *self)
{
  g_return_val_if_fail (REINS_IS_RUN_INSPECTOR (self), NULL);

  return self->loop_steps;
}

/* For a fork, how its steps differ from the parent's, once it is read; else %NULL. */
const ReinsForkDiff *
reins_run_inspector_get_fork_diff (ReinsRunInspector *self)
{
  g_return_val_if_fail (REINS_IS_RUN_INSPECTOR (self), NULL);

  return self->fork_diff;
}

/* (element-type ReinsStepFeedback) (nullable): the person's ratings of the run's steps,
 * once it is read. */
GPtrArray *
reins_run_inspector_get_feedback (ReinsRunInspector *self)
{
  g_return_val_if_fail (REINS_IS_RUN_INSPECTOR (self), NULL);

  return self->feedback;
}

/* The ids of the runs forked from this one, once it is read. */
const char * const *
reins_run_inspector_get_fork_ids (ReinsRunInspector *self)
{
  g_return_val_if_fail (REINS_IS_RUN_INSPECTOR (self), NULL);

  return (const char * const *) self->fork_ids;
}

