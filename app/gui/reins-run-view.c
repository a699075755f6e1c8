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
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "reins-format.h"
#include "reins-run-view.h"
#include "reins-run-inspector.h"
#include "reins-step-model.h"
#include "reins-step-row.h"

struct _ReinsRunView
{
  GtkWidget      parent_instance;

  ReinsStore    *store;
  ReinsRun      *run;
  /* One ReinsStepModel (the run's steps, read lazily), flattened into a model that stays the
   * same object from run to run. */
  GListStore          *models;
  GtkFlattenListModel *steps;
  ReinsStepModel      *step_model;
  GtkSliceListModel   *slice;
  GtkSingleSelection  *selection;
  guint                highlight_step;
  ReinsRunInspector   *inspector;

  GtkLabel      *task_label;
  GtkLabel      *status_label;
  GtkLabel      *model_label;
  GtkLabel      *totals_label;
  GtkLabel      *outcome_label;
  GtkStack      *stack;
  GtkListView   *step_list;
  GtkSpinner    *spinner;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (ReinsRunView, reins_run_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_RUN,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
reins_run_view_set_loading (ReinsRunView *self,
                            gboolean      loading)
{
  if (loading)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
step_model_loading_cb (ReinsRunView   *self,
                       GParamSpec     *pspec,
                       ReinsStepModel *model)
{
  reins_run_view_set_loading (self, reins_step_model_get_loading (model));
}

/* A run's steps are read lazily, a page at a time, as rows ask for them (ReinsStepModel):
 * opening a run of 10,000 steps reads only what is on screen. */
static void
reins_run_view_load_steps (ReinsRunView *self)
{
  g_autoptr(ReinsStepModel) model = NULL;
  guint n_steps;

  if (self->step_model != NULL)
    g_signal_handlers_disconnect_by_func (self->step_model, step_model_loading_cb, self);
  g_clear_object (&self->step_model);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);

  if (self->run == NULL || self->store == NULL)
    {
      g_list_store_remove_all (self->models);
      reins_run_view_set_loading (self, FALSE);
      return;
    }

  n_steps = reins_run_get_step_count (self->run);
  model = reins_step_model_new (reins_store_get_path (self->store),
                                reins_run_get_id (self->run), n_steps);
  self->step_model = g_object_ref (model);
  g_signal_connect_object (model, "notify::loading", G_CALLBACK (step_model_loading_cb), self,
                           G_CONNECT_SWAPPED);
  /* The first page is asked for now, so its rows come with the first frame. */
  reins_step_model_prefetch (model, self->highlight_step > 0 ? self->highlight_step - 1 : 0);
  g_list_store_splice (self->models, 0, g_list_model_get_n_items (G_LIST_MODEL (self->models)),
                       (gpointer *) &model, 1);
  gtk_stack_set_visible_child_name (self->stack, n_steps > 0 ? "steps" : "no-steps");
  reins_run_view_set_loading (self, reins_step_model_get_loading (model));
}

/* A run that goes on elsewhere (reins-cli) grows: its new steps are added to the model. */
static void
run_step_count_cb (ReinsRunView *self,
                   GParamSpec   *pspec,
                   ReinsRun     *run)
{
  guint n_steps = reins_run_get_step_count (run);

  if (self->step_model == NULL)
    return;
  reins_step_model_set_n_steps (self->step_model, n_steps);
  gtk_stack_set_visible_child_name (self->stack, n_steps > 0 ? "steps" : "no-steps");
}

static void
reins_run_view_update_header (ReinsRunView *self)
{
  g_autofree char *task = NULL;
  g_autofree char *model = NULL;
  g_autofree char *totals = NULL;
  g_autofree char *steps = NULL;
  g_autofree char *tokens = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *outcome = NULL;
  const char *answer;
  const char *reason;
  ReinsRunStatus status;
  guint n_steps;

  if (self->run == NULL)
    return;

  status = reins_run_get_status (self->run);
  task = reins_format_excerpt (reins_run_get_task (self->run), 300, NULL);
  gtk_label_set_label (self->task_label, task);

  gtk_label_set_label (self->status_label, reins_format_status_label (status));
  for (const char * const *c = (const char * const []) { "success", "warning", "error", "accent",
                                                         NULL }; *c; c++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), *c);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), reins_format_status_style (status));

  if (reins_run_get_model (self->run) != NULL && reins_run_get_model (self->run)[0] != '\0')
    /* Translators: a provider and a model name, e.g. "openai · gpt-4o-mini" */
    model = g_strdup_printf (_("%s · %s"),
                             reins_run_get_provider (self->run) ? reins_run_get_provider (self->run) : "",
                             reins_run_get_model (self->run));
  else
    model = g_strdup (reins_run_get_provider (self->run) ? reins_run_get_provider (self->run) : "");
  gtk_label_set_label (self->model_label, model);

  n_steps = reins_run_get_step_count (self->run);
  tokens = reins_format_tokens (reins_run_get_input_tokens (self->run),
                                reins_run_get_output_tokens (self->run));
  cost = reins_format_cost (reins_run_get_cost_usd (self->run));
  /* Translators: the number of steps of a run */
  steps = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u step", "%u steps", n_steps),
                           n_steps);
  totals = g_strdup_printf ("%s · %s · %s", steps, tokens, cost);
  gtk_label_set_label (self->totals_label, totals);

  answer = reins_run_get_final_answer (self->run);
  reason = reins_run_get_reason (self->run);
  if (answer != NULL && answer[0] != '\0')
    {
      g_autofree char *excerpt = reins_format_excerpt (answer, 500, NULL);
      /* Translators: the final answer of a run */
      outcome = g_strdup_printf (_("Answer: %s"), excerpt);
    }
  else if (reason != NULL && reason[0] != '\0')
    {
      g_autofree char *excerpt = reins_format_excerpt (reason, 500, NULL);
      /* Translators: why a run ended without an answer */
      outcome = g_strdup_printf (_("Ended: %s"), excerpt);
    }
  gtk_label_set_label (self->outcome_label, outcome ? outcome : "");
  gtk_widget_set_visible (GTK_WIDGET (self->outcome_label), outcome != NULL);
}

/* --- the chart, replay and fork above the timeline (ReinsRunInspector) --- */

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

static void
reins_run_view_dispose (GObject *object)
{
  ReinsRunView *self = (ReinsRunView *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), REINS_TYPE_RUN_VIEW);
  /* Children the template does not name are ours to unparent too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  if (self->step_model != NULL)
    g_signal_handlers_disconnect_by_func (self->step_model, step_model_loading_cb, self);
  g_clear_object (&self->step_model);
  g_clear_object (&self->selection);
  g_clear_object (&self->slice);
  g_clear_object (&self->steps);
  g_clear_object (&self->models);
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

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-run-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, task_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, status_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, model_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, totals_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, stack);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, step_list);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, spinner);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, error_page);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunView, inspector);
  gtk_widget_class_bind_template_callback (widget_class, inspector_step_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, inspector_position_cb);

  g_type_ensure (REINS_TYPE_STEP_ROW);
  g_type_ensure (REINS_TYPE_RUN_INSPECTOR);
}

static void
reins_run_view_init (ReinsRunView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->models = g_list_store_new (G_TYPE_LIST_MODEL);
  self->steps = gtk_flatten_list_model_new (g_object_ref (G_LIST_MODEL (self->models)));
  /* The selection marks the step a search hit or a chart click points at. */
  /* A replay shows the first steps only: a slice of them. */
  self->slice = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->steps)), 0, G_MAXUINT);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->slice)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_list_view_set_model (self->step_list, GTK_SELECTION_MODEL (self->selection));
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

  if (self->run == run)
    return;

  if (self->run != NULL)
    g_signal_handlers_disconnect_by_func (self->run, run_step_count_cb, self);
  if (g_set_object (&self->run, run))
    {
      self->highlight_step = 0;
      if (run != NULL)
        g_signal_connect_object (run, "notify::step-count", G_CALLBACK (run_step_count_cb), self,
                                 G_CONNECT_SWAPPED);
      reins_run_view_update_header (self);
      reins_run_inspector_set_run (self->inspector, run);
      reins_run_view_load_steps (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN]);
    }
}

/* Whether the steps of the run are still being read. */
gboolean
reins_run_view_get_loading (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), FALSE);

  return self->step_model != NULL && reins_step_model_get_loading (self->step_model);
}

/* The steps of the run, in order; the same model for every run. Items not read yet are
 * placeholders holding only their index (see ReinsStepModel). */
GListModel *
reins_run_view_get_steps (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), NULL);

  return G_LIST_MODEL (self->steps);
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
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->steps));
  if (index == 0 || index > n_items)
    {
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      return;
    }

  if (self->step_model != NULL)
    reins_step_model_prefetch (self->step_model, index - 1);
  reins_run_inspector_set_current_step (self->inspector, index);
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
