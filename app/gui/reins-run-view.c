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
#include "reins-step-row.h"

#define STEP_PAGE_SIZE 100

struct _ReinsRunView
{
  GtkWidget      parent_instance;

  ReinsStore    *store;
  ReinsRun      *run;
  GListStore    *steps;
  GCancellable  *cancellable;

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

typedef struct
{
  char *path;
  char *run_id;
} LoadSteps;

static void
load_steps_free (gpointer data)
{
  LoadSteps *load = data;

  g_free (load->path);
  g_free (load->run_id);
  g_free (load);
}

static void
load_steps_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  LoadSteps *load = task_data;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GError) error = NULL;
  guint first = 1;

  store = reins_store_open (load->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  steps = g_ptr_array_new_with_free_func (g_object_unref);
  for (;;)
    {
      g_autoptr(GPtrArray) page = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;

      page = reins_store_get_steps (store, load->run_id, first, STEP_PAGE_SIZE, &error);
      if (page == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (steps, g_object_ref (g_ptr_array_index (page, i)));

      if (page->len < STEP_PAGE_SIZE)
        break;
      first = reins_step_get_index (g_ptr_array_index (page, page->len - 1)) + 1;
    }

  g_task_return_pointer (task, g_steal_pointer (&steps), (GDestroyNotify) g_ptr_array_unref);
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
  ReinsRunView *self = REINS_RUN_VIEW (object);
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GError) error = NULL;

  steps = g_task_propagate_pointer (G_TASK (result), &error);
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
      g_list_store_splice (self->steps, 0, g_list_model_get_n_items (G_LIST_MODEL (self->steps)),
                           steps->pdata, steps->len);
      gtk_stack_set_visible_child_name (self->stack, steps->len > 0 ? "steps" : "no-steps");
    }

  reins_run_view_set_loading (self, FALSE);
}

static void
reins_run_view_load_steps (ReinsRunView *self)
{
  g_autoptr(GTask) task = NULL;
  LoadSteps *load;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_list_store_remove_all (self->steps);

  if (self->run == NULL || self->store == NULL)
    {
      reins_run_view_set_loading (self, FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  load = g_new0 (LoadSteps, 1);
  load->path = g_strdup (reins_store_get_path (self->store));
  load->run_id = g_strdup (reins_run_get_id (self->run));

  task = g_task_new (self, self->cancellable, load_steps_cb, NULL);
  g_task_set_source_tag (task, reins_run_view_load_steps);
  g_task_set_name (task, "[reins] load steps");
  g_task_set_task_data (task, load, load_steps_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, load_steps_thread);

  reins_run_view_set_loading (self, TRUE);
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

static void
reins_run_view_dispose (GObject *object)
{
  ReinsRunView *self = (ReinsRunView *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), REINS_TYPE_RUN_VIEW);
  /* Children the template does not name are ours to unparent too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->steps);
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

  g_type_ensure (REINS_TYPE_STEP_ROW);
}

static void
reins_run_view_init (ReinsRunView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->steps = g_list_store_new (REINS_TYPE_STEP);
  gtk_list_view_set_model (self->step_list,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (
                             g_object_ref (G_LIST_MODEL (self->steps)))));
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

  if (g_set_object (&self->run, run))
    {
      reins_run_view_update_header (self);
      reins_run_view_load_steps (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN]);
    }
}

/* Whether the steps of the run are still being read. */
gboolean
reins_run_view_get_loading (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), FALSE);

  return self->cancellable != NULL;
}

/* The steps of the run, in order; empty while they are read. */
GListModel *
reins_run_view_get_steps (ReinsRunView *self)
{
  g_return_val_if_fail (REINS_IS_RUN_VIEW (self), NULL);

  return G_LIST_MODEL (self->steps);
}
