/* reins-overview.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's landing page when no run is picked: how many runs went how, how they ended
 * day by day (a small chart, its figures also in words), what the harness asked a person and
 * how it was decided, the guards that stepped in most, each provider and model's runs,
 * completions, questions and cost, and the cost overall —
 * read from the store (reins_store_get_overview()) each time the page is shown.
 *
 * The sums go over every stored step and verdict (about 20 ms for 10,000 steps), so they
 * are read on a worker thread with a connection of its own, never on the main loop.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-completion-chart.h"
#include "reins-format.h"
#include "reins-overview.h"

struct _ReinsOverview
{
  GtkWidget      parent_instance;

  ReinsStore    *store;
  GCancellable  *cancellable;  /* the read under way, if any */
  /* figure name → the text shown, for the tests */
  GHashTable    *figures;

  GtkLabel      *summary_label;
  GtkFlowBox    *cards;
  ReinsCompletionChart *completion_chart;
  GtkLabel      *completion_label;
  GtkLabel      *first_day_label;
  GtkListBox    *decisions_list;
  GtkListBox    *guards_list;
  GtkListBox    *models_list;
};

G_DEFINE_FINAL_TYPE (ReinsOverview, reins_overview, GTK_TYPE_WIDGET)

static void
remove_all (GtkWidget *container)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (container)))
    {
      if (GTK_IS_FLOW_BOX (container))
        gtk_flow_box_remove (GTK_FLOW_BOX (container), child);
      else
        gtk_list_box_remove (GTK_LIST_BOX (container), child);
    }
}

static void
add_card (ReinsOverview *self,
          const char    *name,
          const char    *title,
          const char    *figure)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *value = gtk_label_new (figure);
  GtkWidget *caption = gtk_label_new (title);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "overview-card");
  gtk_widget_add_css_class (value, "figure");
  gtk_widget_add_css_class (value, "numeric");
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (caption), PANGO_WRAP_WORD_CHAR);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), caption);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, figure,
                                  -1);
  gtk_flow_box_append (self->cards, box);
  g_hash_table_insert (self->figures, g_strdup (name), g_strdup (figure));
}

static void
add_row (ReinsOverview *self,
         GtkListBox    *list,
         const char    *name,
         const char    *title,
         guint          count)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *text = g_strdup_printf ("%u", count);
  GtkWidget *value = gtk_label_new (text);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_add_css_class (value, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
  gtk_list_box_append (list, row);
  if (name != NULL)
    g_hash_table_insert (self->figures, g_strdup (name), g_steal_pointer (&text));
}

static void
add_placeholder (GtkListBox *list,
                 const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_append (list, row);
}

static char *
count_text (guint count)
{
  return g_strdup_printf ("%u", count);
}

/* The chart of the last days, and its totals under it: the legend, in words. */
static void
show_completion (ReinsOverview      *self,
                 ReinsStoreOverview *overview)
{
  g_autofree char *completed = NULL;
  g_autofree char *not_completed = NULL;
  g_autofree char *text = NULL;
  g_autofree char *first_day = NULL;
  guint n_completed = 0, n_not_completed = 0;

  for (guint i = 0; i < REINS_STORE_OVERVIEW_DAYS; i++)
    {
      n_completed += overview->days[i].completed;
      n_not_completed += overview->days[i].not_completed;
    }
  reins_completion_chart_set_days (self->completion_chart, overview->days,
                                   REINS_STORE_OVERVIEW_DAYS);
  /* The first bar's day under it; "Today" under the last */
  first_day = reins_completion_chart_get_day_name (self->completion_chart, 0);
  gtk_label_set_label (self->first_day_label, first_day);
  completed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u completed (green)",
                                            "%u completed (green)", n_completed),
                               n_completed);
  not_completed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u failed or stopped (red)",
                                                "%u failed or stopped (red)", n_not_completed),
                                   n_not_completed);
  /* Translators: under the completion chart: "9 completed (green) · 2 failed or stopped
   * (red), by the day they started" */
  text = g_strdup_printf (_("%s · %s, by the day they started"), completed, not_completed);
  gtk_label_set_label (self->completion_label, text);
  /* The chart's own accessible description has the same figures, day by day */
  g_hash_table_insert (self->figures, g_strdup ("completion"), g_steal_pointer (&text));
}

/* A row per provider and model: its runs, how many completed, questions and cost. */
static void
add_model_row (ReinsOverview                *self,
               const ReinsStoreModelFigures *figures)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = NULL;
  g_autofree char *runs = NULL;
  g_autofree char *completed = NULL;
  g_autofree char *questions = NULL;
  g_autofree char *cost = reins_format_cost (figures->cost_usd);
  g_autofree char *subtitle = NULL;
  guint percent = figures->n_runs > 0 ? (figures->n_completed * 100 + figures->n_runs / 2) /
                                        figures->n_runs : 0;

  if (figures->model[0] != '\0')
    /* Translators: a provider and a model name, e.g. "openai · gpt-4o-mini" */
    title = g_strdup_printf (_("%s · %s"), figures->provider, figures->model);
  else
    title = g_strdup (figures->provider[0] != '\0' ? figures->provider : _("No provider"));
  runs = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u run", "%u runs", figures->n_runs),
                          figures->n_runs);
  /* Translators: how many of a model's runs completed, and the share: "2 completed (67 %)" */
  completed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u completed (%u %%)",
                                            "%u completed (%u %%)", figures->n_completed),
                               figures->n_completed, percent);
  questions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u question", "%u questions",
                                            figures->n_questions),
                               figures->n_questions);
  subtitle = g_strdup_printf ("%s · %s · %s · %s", runs, completed, questions, cost);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_append (self->models_list, row);
  g_hash_table_insert (self->figures, g_strconcat ("model:", title, NULL),
                       g_steal_pointer (&subtitle));
}

static void
reins_overview_show (ReinsOverview      *self,
                     ReinsStoreOverview *overview)
{
  g_autofree char *today = count_text (overview->runs_today);
  g_autofree char *week = count_text (overview->runs_week);
  g_autofree char *completed = count_text (overview->n_completed);
  g_autofree char *failed = count_text (overview->n_failed);
  g_autofree char *cancelled = count_text (overview->n_cancelled);
  g_autofree char *terminated = count_text (overview->n_terminated);
  g_autofree char *questions = count_text (overview->n_questions);
  g_autofree char *cost = reins_format_cost (overview->cost_usd);
  g_autofree char *runs = NULL;
  g_autofree char *tokens = NULL;
  g_autofree char *cost_week = NULL;
  g_autofree char *summary = NULL;

  remove_all (GTK_WIDGET (self->cards));
  remove_all (GTK_WIDGET (self->decisions_list));
  remove_all (GTK_WIDGET (self->guards_list));
  remove_all (GTK_WIDGET (self->models_list));
  g_hash_table_remove_all (self->figures);

  add_card (self, "today", _("Runs Today"), today);
  add_card (self, "week", _("Last 7 Days"), week);
  add_card (self, "completed", _("Completed"), completed);
  add_card (self, "failed", _("Failed"), failed);
  add_card (self, "cancelled", _("Stopped by You"), cancelled);
  add_card (self, "terminated", _("Ended by the Harness"), terminated);
  add_card (self, "questions", _("Questions Asked"), questions);
  add_card (self, "cost", _("Cost"), cost);

  runs = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u run in the store",
                                       "%u runs in the store", overview->n_runs),
                          overview->n_runs);
  tokens = reins_format_tokens (overview->input_tokens, overview->output_tokens);
  cost_week = reins_format_cost (overview->cost_week_usd);
  /* Translators: the overview's summary: "12 runs in the store · 1,234 in / 56 out tokens ·
   * $0.42 in the last 7 days" */
  summary = g_strdup_printf (_("%s · %s · %s in the last 7 days"), runs, tokens, cost_week);
  if (overview->n_live > 0)
    {
      g_autofree char *base = g_steal_pointer (&summary);
      g_autofree char *live = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u going on now",
                                                            "%u going on now",
                                                            overview->n_live),
                                               overview->n_live);

      summary = g_strdup_printf ("%s · %s", base, live);
    }
  gtk_label_set_label (self->summary_label, summary);

  if (overview->n_questions == 0)
    add_placeholder (self->decisions_list, _("The harness has asked nobody yet."));
  else
    {
      add_row (self, self->decisions_list, "approved", _("Approved by you"),
               overview->n_approved);
      add_row (self, self->decisions_list, "edited", _("Edited by you"), overview->n_edited);
      add_row (self, self->decisions_list, "rejected", _("Rejected by you"),
               overview->n_rejected);
      add_row (self, self->decisions_list, "stopped", _("Stopped by you"), overview->n_stopped);
      add_row (self, self->decisions_list, "automatic",
               _("Decided by an option or a policy"), overview->n_automatic);
      add_row (self, self->decisions_list, "open", _("Still waiting for a person"),
               overview->n_open);
    }

  if (overview->guards->len == 0)
    add_placeholder (self->guards_list, _("No guard has stepped in yet."));
  for (guint i = 0; i < overview->guards->len; i++)
    {
      ReinsStoreCount *count = &g_array_index (overview->guards, ReinsStoreCount, i);
      g_autofree char *name = g_strdup_printf ("guard:%s", count->name);

      add_row (self, self->guards_list, name, reins_format_guard_name (count->name),
               count->count);
    }

  show_completion (self, overview);

  if (overview->per_model->len == 0)
    add_placeholder (self->models_list, _("No runs yet."));
  for (guint i = 0; i < overview->per_model->len; i++)
    add_model_row (self, &g_array_index (overview->per_model, ReinsStoreModelFigures, i));
}

static void
reins_overview_show_error (ReinsOverview *self,
                           const GError  *error)
{
  /* The page stays usable: it says why there are no figures. */
  g_autofree char *text = g_strdup_printf (_("Could not read the figures: %s"), error->message);

  gtk_label_set_label (self->summary_label, text);
}

static void
overview_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  ReinsStoreOverview *overview;

  /* A connection of the worker's own: a ReinsStore belongs to one thread. */
  store = reins_store_open (task_data, &error);
  if (store == NULL ||
      (overview = reins_store_get_overview (store, g_get_real_time (), &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, overview, (GDestroyNotify) reins_store_overview_free);
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
overview_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ReinsOverview) self = g_weak_ref_get (user_data);
  g_autoptr(ReinsStoreOverview) overview = NULL;
  g_autoptr(GError) error = NULL;

  weak_ref_free (user_data);
  overview = g_task_propagate_pointer (G_TASK (result), &error);
  /* The page went, or a newer read replaced this one. */
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;
  g_clear_object (&self->cancellable);
  if (overview == NULL)
    reins_overview_show_error (self, error);
  else
    reins_overview_show (self, overview);
}

/* Reads the figures again from the store, on a worker; the page shows them when they come. */
void
reins_overview_refresh (ReinsOverview *self)
{
  g_autoptr(GTask) task = NULL;
  GWeakRef *weak;

  g_return_if_fail (REINS_IS_OVERVIEW (self));

  if (self->store == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  /* The task does not keep the page alive: a page that goes drops what comes back. */
  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  task = g_task_new (NULL, self->cancellable, overview_read_cb, weak);
  g_task_set_source_tag (task, reins_overview_refresh);
  g_task_set_task_data (task, g_strdup (reins_store_get_path (self->store)), g_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, overview_thread);
}

/* Whether figures are being read. */
gboolean
reins_overview_get_loading (ReinsOverview *self)
{
  g_return_val_if_fail (REINS_IS_OVERVIEW (self), FALSE);

  return self->cancellable != NULL;
}

void
reins_overview_set_store (ReinsOverview *self,
                          ReinsStore    *store)
{
  g_return_if_fail (REINS_IS_OVERVIEW (self));
  g_return_if_fail (!store || REINS_IS_STORE (store));

  if (g_set_object (&self->store, store))
    reins_overview_refresh (self);
}

/* The text a figure shows ("today", "questions", "approved", "guard:loop"…), for tests. */
const char *
_reins_overview_get_figure (ReinsOverview *self,
                            const char    *name)
{
  g_return_val_if_fail (REINS_IS_OVERVIEW (self), NULL);

  return g_hash_table_lookup (self->figures, name);
}

/* The figures are read each time the page comes into view. */
static void
reins_overview_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (reins_overview_parent_class)->map (widget);
  reins_overview_refresh (REINS_OVERVIEW (widget));
}

static void
reins_overview_dispose (GObject *object)
{
  ReinsOverview *self = (ReinsOverview *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), REINS_TYPE_OVERVIEW);
  /* Children the template does not name are ours to unparent too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (reins_overview_parent_class)->dispose (object);
}

static void
reins_overview_finalize (GObject *object)
{
  ReinsOverview *self = (ReinsOverview *)object;

  g_clear_pointer (&self->figures, g_hash_table_unref);

  G_OBJECT_CLASS (reins_overview_parent_class)->finalize (object);
}

static void
reins_overview_class_init (ReinsOverviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reins_overview_dispose;
  object_class->finalize = reins_overview_finalize;
  widget_class->map = reins_overview_map;

  g_type_ensure (REINS_TYPE_COMPLETION_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-overview.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsOverview, summary_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsOverview, cards);
  gtk_widget_class_bind_template_child (widget_class, ReinsOverview, completion_chart);
  gtk_widget_class_bind_template_child (widget_class, ReinsOverview, completion_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsOverview, first_day_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsOverview, decisions_list);
  gtk_widget_class_bind_template_child (widget_class, ReinsOverview, guards_list);
  gtk_widget_class_bind_template_child (widget_class, ReinsOverview, models_list);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
reins_overview_init (ReinsOverview *self)
{
  self->figures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
reins_overview_new (void)
{
  return g_object_new (REINS_TYPE_OVERVIEW, NULL);
}
