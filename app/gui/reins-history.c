/* reins-history.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history sidebar: the stored runs, newest first, and full-text search over them.
 *
 * Runs are read in pages on the main thread: each read is a short indexed query, and the
 * pages after the first are read from an idle source so a long history never blocks a frame.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "reins-format.h"
#include "reins-history-private.h"
#include "reins-history-row.h"
#include "reins-search-hit.h"

#define PAGE_SIZE      200
/* How often the store is asked whether another process wrote to it: one PRAGMA, no table. */
#define POLL_INTERVAL_MS 1500

/* The choices of the status filter, in the order of the drop-down's strings. */
static const int filter_statuses[] = {
  ALL_STATUSES,
  REINS_RUN_STATUS_RUNNING,
  REINS_RUN_STATUS_AWAITING_APPROVAL,
  REINS_RUN_STATUS_COMPLETED,
  REINS_RUN_STATUS_TERMINATED,
  REINS_RUN_STATUS_FAILED,
  REINS_RUN_STATUS_CANCELLED,
  REINS_RUN_STATUS_INTERRUPTED,
};

G_DEFINE_FINAL_TYPE (ReinsHistory, reins_history, GTK_TYPE_WIDGET)

enum {
  RUN_ANNOTATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_STORE,
  PROP_LOADING,
  PROP_N_RUNS,
  PROP_SELECTED_RUN,
  PROP_STATUS_FILTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
reins_history_set_n_runs (ReinsHistory *self,
                          guint         n_runs)
{
  if (self->n_runs != n_runs)
    {
      self->n_runs = n_runs;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNS]);
    }
}

/* Rows read their annotation again (@run_id's, or every row's when %NULL). */
void
reins_history_emit_annotated (ReinsHistory *self,
                              const char   *run_id)
{
  g_signal_emit (self, signals[RUN_ANNOTATED], 0, run_id);
}

/* Appends one page of runs; returns whether more may follow. */
static gboolean
reins_history_load_page (ReinsHistory *self)
{
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  guint offset = g_list_model_get_n_items (G_LIST_MODEL (self->runs));

  page = reins_store_list_runs (self->store, self->status_filter, offset, PAGE_SIZE, &error);
  if (page == NULL)
    {
      g_warning ("Could not read the run history: %s", error->message);
      return FALSE;
    }

  g_list_store_splice (self->runs, offset, 0, page->pdata, page->len);
  reins_history_nest (self);
  reins_history_set_n_runs (self, g_list_model_get_n_items (G_LIST_MODEL (self->runs)));

  return page->len == PAGE_SIZE;
}

static gboolean
reins_history_load_idle_cb (gpointer user_data)
{
  ReinsHistory *self = user_data;

  if (reins_history_load_page (self))
    return G_SOURCE_CONTINUE;

  self->load_source = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  return G_SOURCE_REMOVE;
}

void
reins_history_show_model (ReinsHistory *self,
                          GListModel   *model)
{
  if (gtk_single_selection_get_model (self->selection) != model)
    {
      /* Back to the whole history (a search cleared): the run being read stays selected,
       * not the newest one. */
      g_autofree char *reading = g_strdup (self->reading_id);

      gtk_single_selection_set_model (self->selection, model);
      if (model == G_LIST_MODEL (self->runs) && reading != NULL)
        reins_history_select_run (self, reading);
    }

  if (model == G_LIST_MODEL (self->results) && g_list_model_get_n_items (model) == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
}

/* Reads the history again (another process may have added runs), keeping the search and
 * the selected run when it is still there. */
void
reins_history_reload (ReinsHistory *self)
{
  g_autofree char *selected_id = NULL;
  ReinsRun *selected;
  gboolean was_loading;

  g_return_if_fail (REINS_IS_HISTORY (self));

  if ((selected = reins_history_get_selected_run (self)))
    selected_id = g_strdup (reins_run_get_id (selected));

  was_loading = self->load_source != 0;
  g_clear_handle_id (&self->load_source, g_source_remove);
  g_list_store_remove_all (self->runs);
  g_hash_table_remove_all (self->annotations);

  if (self->store != NULL && reins_history_load_page (self))
    {
      self->load_source = g_idle_add_full (G_PRIORITY_LOW, reins_history_load_idle_cb, self, NULL);
      g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->load_source),
                                "[reins] history pages");
    }
  else
    reins_history_set_n_runs (self, g_list_model_get_n_items (G_LIST_MODEL (self->runs)));

  if (self->query != NULL && self->query[0] != '\0')
    {
      g_autofree char *query = g_strdup (self->query);
      reins_history_search (self, query);
    }
  if (selected_id != NULL)
    reins_history_select_run (self, selected_id);

  if (was_loading != (self->load_source != 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
search_changed_cb (ReinsHistory   *self,
                   GtkSearchEntry *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  /* The entry reports, after a delay, text that reins_history_search() may have put there. */
  if (g_strcmp0 (text, self->query) == 0)
    return;
  reins_history_search (self, text);
}

static void
stop_search_cb (ReinsHistory   *self,
                GtkSearchEntry *entry)
{
  reins_history_search (self, NULL);
}

static void
selection_changed_cb (ReinsHistory *self)
{
  ReinsRun *run = reins_history_get_selected_run (self);

  /* A search with no hit selects nothing; the run read before is still the one read. */
  if (run != NULL)
    {
      g_free (self->reading_id);
      self->reading_id = g_strdup (reins_run_get_id (run));
      /* Picking a run again ends the overview's "nothing selected". */
      gtk_single_selection_set_autoselect (self->selection, TRUE);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_RUN]);
}

/* Selects no run (the window then shows its overview), and keeps it so while runs come and
 * go, until a run is picked. */
void
reins_history_unselect (ReinsHistory *self)
{
  g_return_if_fail (REINS_IS_HISTORY (self));

  g_clear_pointer (&self->reading_id, g_free);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

/* Copies what a run that goes on changes into the object the list holds, so its row (and
 * the selection) stay where they are. */
static void
reins_history_apply_run (ReinsRun *dest,
                         ReinsRun *src)
{
  if (dest == src)
    return;

  reins_run_set_tokens (dest, reins_run_get_input_tokens (src), reins_run_get_output_tokens (src));
  reins_run_set_final_answer (dest, reins_run_get_final_answer (src));
  reins_run_set_reason (dest, reins_run_get_reason (src));
  reins_run_set_finished_at (dest, reins_run_get_finished_at (src));
  reins_run_set_step_count (dest, reins_run_get_step_count (src));
  reins_run_set_cost_usd (dest, reins_run_get_cost_usd (src));
  if (reins_run_get_status (dest) != reins_run_get_status (src))
    reins_run_set_status (dest, reins_run_get_status (src));
}

ReinsRun *
reins_history_find_run (GListModel *model,
                        const char *run_id,
                        guint      *position)
{
  guint n_items = g_list_model_get_n_items (model);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(ReinsRun) run = g_list_model_get_item (model, i);

      if (g_strcmp0 (reins_run_get_id (run), run_id) == 0)
        {
          if (position != NULL)
            *position = i;
          return run;
        }
    }

  return NULL;
}

static gboolean
reins_history_accepts (ReinsHistory *self,
                       ReinsRun     *run)
{
  return self->status_filter == ALL_STATUSES ||
         (int) reins_run_get_status (run) == self->status_filter;
}

/**
 * reins_history_update_run:
 * @run: a run as it is now (copied; the history never keeps @run itself)
 *
 * Shows a run's new status, cost and totals, or adds it at the top when the history does not
 * hold it yet (a run that has just started). A run that no longer passes the status filter
 * stays until the next reload, so a row does not vanish under the pointer.
 */
void
reins_history_update_run (ReinsHistory *self,
                          ReinsRun     *run)
{
  ReinsRun *shown;
  gboolean found = FALSE;

  g_return_if_fail (REINS_IS_HISTORY (self));
  g_return_if_fail (REINS_IS_RUN (run));

  if ((shown = reins_history_find_run (G_LIST_MODEL (self->runs), reins_run_get_id (run), NULL)))
    {
      reins_history_apply_run (shown, run);
      found = TRUE;
    }
  if ((shown = reins_history_find_run (G_LIST_MODEL (self->results), reins_run_get_id (run), NULL)))
    {
      reins_history_apply_run (shown, run);
      found = TRUE;
    }

  if (!found && reins_history_accepts (self, run))
    {
      g_autoptr(ReinsRun) copy = reins_run_copy (run);

      g_list_store_insert (self->runs, 0, copy);
      /* A fork started here goes under its parent. */
      if (reins_run_get_parent_run_id (copy) != NULL)
        reins_history_nest (self);
      reins_history_set_n_runs (self, g_list_model_get_n_items (G_LIST_MODEL (self->runs)));
    }
}

/* Another process (reins-cli, an executor's own connection) wrote to the store: the first
 * page of runs is read again and merged, so rows stay put. A run deleted elsewhere makes the
 * counts differ, and then the history is read again. */
static void
reins_history_refresh (ReinsHistory *self)
{
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  guint n_new = 0;
  guint count;

  page = reins_store_list_runs (self->store, self->status_filter, 0, PAGE_SIZE, &error);
  if (page == NULL)
    {
      g_debug ("Could not refresh the history: %s", error->message);
      return;
    }

  for (guint i = 0; i < page->len; i++)
    {
      ReinsRun *run = g_ptr_array_index (page, i);
      ReinsRun *shown;

      if ((shown = reins_history_find_run (G_LIST_MODEL (self->runs), reins_run_get_id (run), NULL)))
        reins_history_apply_run (shown, run);
      else if (!g_hash_table_contains (self->pending_deletes, reins_run_get_id (run)))
        g_list_store_insert (self->runs, n_new++, run);
      if ((shown = reins_history_find_run (G_LIST_MODEL (self->results), reins_run_get_id (run), NULL)))
        reins_history_apply_run (shown, run);
    }

  if (n_new > 0)
    reins_history_nest (self);
  /* Another process may have tagged a run too. */
  g_hash_table_remove_all (self->annotations);
  g_signal_emit (self, signals[RUN_ANNOTATED], 0, NULL);

  count = reins_store_count_runs (self->store, self->status_filter, NULL);
  if (self->load_source == 0 && count != g_list_model_get_n_items (G_LIST_MODEL (self->runs)))
    reins_history_reload (self);
  else
    reins_history_set_n_runs (self, g_list_model_get_n_items (G_LIST_MODEL (self->runs)));
}

static gboolean
poll_cb (gpointer user_data)
{
  ReinsHistory *self = user_data;
  gint64 version;

  if (self->store == NULL)
    return G_SOURCE_CONTINUE;

  version = reins_store_get_data_version (self->store, NULL);
  if (version != self->data_version)
    {
      self->data_version = version;
      reins_history_refresh (self);
    }

  return G_SOURCE_CONTINUE;
}

/* Follows another process's writes now rather than at the next tick (tests, F5). */
void
reins_history_poll (ReinsHistory *self)
{
  g_return_if_fail (REINS_IS_HISTORY (self));

  poll_cb (self);
}

int
reins_history_get_status_filter (ReinsHistory *self)
{
  g_return_val_if_fail (REINS_IS_HISTORY (self), ALL_STATUSES);

  return self->status_filter;
}

void
reins_history_set_status_filter (ReinsHistory *self,
                                 int           status)
{
  g_return_if_fail (REINS_IS_HISTORY (self));
  g_return_if_fail (status >= ALL_STATUSES && status <= REINS_RUN_STATUS_INTERRUPTED);

  if (self->status_filter == status)
    return;

  self->status_filter = status;
  for (guint i = 0; i < G_N_ELEMENTS (filter_statuses); i++)
    if (filter_statuses[i] == status && gtk_drop_down_get_selected (self->filter_dropdown) != i)
      gtk_drop_down_set_selected (self->filter_dropdown, i);

  reins_history_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_FILTER]);
}

static void
filter_selected_cb (ReinsHistory *self,
                    GParamSpec   *pspec,
                    GtkDropDown  *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected < G_N_ELEMENTS (filter_statuses))
    reins_history_set_status_filter (self, filter_statuses[selected]);
}

/* The step the search hit of the selected run is in, or 0 (none, or the run's task). */
guint
reins_history_get_selected_step (ReinsHistory *self)
{
  ReinsRun *run;

  g_return_val_if_fail (REINS_IS_HISTORY (self), 0);

  if (reins_history_get_model (self) != G_LIST_MODEL (self->results) ||
      (run = reins_history_get_selected_run (self)) == NULL)
    return 0;

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->hit_steps, reins_run_get_id (run)));
}

static void
delete_run_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  reins_history_delete_run (REINS_HISTORY (widget), g_variant_get_string (param, NULL));
}

static void
delete_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  ReinsHistory *self = REINS_HISTORY (widget);
  ReinsRun *run = reins_history_get_selected_run (self);

  if (run != NULL)
    reins_history_delete_run (self, reins_run_get_id (run));
}

static void
search_tag_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  ReinsHistory *self = REINS_HISTORY (widget);
  g_autofree char *query = g_strdup_printf ("tag:%s", g_variant_get_string (param, NULL));

  reins_history_search (self, query);
}

static void
reins_history_dispose (GObject *object)
{
  ReinsHistory *self = (ReinsHistory *)object;
  GtkWidget *child;

  g_clear_handle_id (&self->load_source, g_source_remove);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_weak_pointer (&self->toast);
  /* What a toast could still undo goes when the window does. */
  if (self->store != NULL && self->pending_deletes != NULL &&
      g_hash_table_size (self->pending_deletes) > 0)
    {
      g_autoptr(GError) error = NULL;

      g_hash_table_remove_all (self->pending_deletes);
      if (!reins_store_purge_deleted (self->store, &error))
        g_warning ("Could not remove the deleted runs: %s", error->message);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), REINS_TYPE_HISTORY);
  /* Children the template does not name are ours to unparent too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->runs);
  g_clear_object (&self->results);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (reins_history_parent_class)->dispose (object);
}

static void
reins_history_finalize (GObject *object)
{
  ReinsHistory *self = (ReinsHistory *)object;

  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->reading_id, g_free);
  g_clear_pointer (&self->hit_steps, g_hash_table_unref);
  g_clear_pointer (&self->pending_deletes, g_hash_table_unref);
  g_clear_pointer (&self->annotations, g_hash_table_unref);
  g_clear_pointer (&self->depths, g_hash_table_unref);

  G_OBJECT_CLASS (reins_history_parent_class)->finalize (object);
}

static void
reins_history_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ReinsHistory *self = REINS_HISTORY (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, reins_history_get_loading (self));
      break;

    case PROP_N_RUNS:
      g_value_set_uint (value, self->n_runs);
      break;

    case PROP_SELECTED_RUN:
      g_value_set_object (value, reins_history_get_selected_run (self));
      break;

    case PROP_STATUS_FILTER:
      g_value_set_int (value, self->status_filter);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_history_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ReinsHistory *self = REINS_HISTORY (object);

  switch (prop_id)
    {
    case PROP_STORE:
      reins_history_set_store (self, g_value_get_object (value));
      break;

    case PROP_STATUS_FILTER:
      reins_history_set_status_filter (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_history_class_init (ReinsHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reins_history_dispose;
  object_class->finalize = reins_history_finalize;
  object_class->get_property = reins_history_get_property;
  object_class->set_property = reins_history_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         REINS_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_RUNS] =
    g_param_spec_uint ("n-runs", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_SELECTED_RUN] =
    g_param_spec_object ("selected-run", NULL, NULL,
                         REINS_TYPE_RUN,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /* A ReinsRunStatus, or -1 for every run. */
  properties[PROP_STATUS_FILTER] =
    g_param_spec_int ("status-filter", NULL, NULL,
                      ALL_STATUSES, REINS_RUN_STATUS_INTERRUPTED, ALL_STATUSES,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ReinsHistory::run-annotated:
   * @run_id: (nullable): the run whose tags, note or place changed, or %NULL for any
   *
   * The rows read their tags, note and depth again.
   */
  signals[RUN_ANNOTATED] = g_signal_new ("run-annotated", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-history.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsHistory, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ReinsHistory, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ReinsHistory, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, filter_selected_cb);

  gtk_widget_class_install_action (widget_class, "history.delete-run", "s",
                                   delete_run_action);
  gtk_widget_class_install_action (widget_class, "history.search-tag", "s", search_tag_action);
  gtk_widget_class_install_action (widget_class, "history.delete-selected", NULL,
                                   delete_selected_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0,
                                       "history.delete-selected", NULL);
  gtk_widget_class_bind_template_child (widget_class, ReinsHistory, stack);
  gtk_widget_class_bind_template_child (widget_class, ReinsHistory, list_view);
  gtk_widget_class_bind_template_child (widget_class, ReinsHistory, no_results_page);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  g_type_ensure (REINS_TYPE_HISTORY_ROW);
}

static void
reins_history_init (ReinsHistory *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->status_filter = ALL_STATUSES;
  self->data_version = -1;
  self->hit_steps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending_deletes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->annotations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, reins_history_annotation_free);
  self->depths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->runs = g_list_store_new (REINS_TYPE_RUN);
  self->results = g_list_store_new (REINS_TYPE_RUN);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->runs)));
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
}

GtkWidget *
reins_history_new (void)
{
  return g_object_new (REINS_TYPE_HISTORY, NULL);
}

ReinsStore *
reins_history_get_store (ReinsHistory *self)
{
  g_return_val_if_fail (REINS_IS_HISTORY (self), NULL);

  return self->store;
}

void
reins_history_set_store (ReinsHistory *self,
                         ReinsStore   *store)
{
  g_return_if_fail (REINS_IS_HISTORY (self));
  g_return_if_fail (!store || REINS_IS_STORE (store));

  if (g_set_object (&self->store, store))
    {
      g_clear_handle_id (&self->poll_source, g_source_remove);
      self->data_version = -1;
      reins_history_search (self, NULL);
      reins_history_reload (self);
      if (store != NULL)
        {
          /* A store with notifications (PostgreSQL) says when to look; a file is polled. */
          g_autoptr(GSource) watch = reins_store_create_watch (store);

          self->data_version = reins_store_get_data_version (store, NULL);
          if (watch != NULL)
            {
              g_source_set_callback (watch, poll_cb, self, NULL);
              self->poll_source = g_source_attach (watch, NULL);
            }
          else
            {
              self->poll_source = g_timeout_add (POLL_INTERVAL_MS, poll_cb, self);
              g_source_set_static_name (g_main_context_find_source_by_id (NULL,
                                                                          self->poll_source),
                                        "[reins] history poll");
            }
        }
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }
}

gboolean
reins_history_get_loading (ReinsHistory *self)
{
  g_return_val_if_fail (REINS_IS_HISTORY (self), FALSE);

  return self->load_source != 0;
}

guint
reins_history_get_n_runs (ReinsHistory *self)
{
  g_return_val_if_fail (REINS_IS_HISTORY (self), 0);

  return self->n_runs;
}

/* The runs the list shows now: the whole history, or the results of a search. */
GListModel *
reins_history_get_model (ReinsHistory *self)
{
  g_return_val_if_fail (REINS_IS_HISTORY (self), NULL);

  return gtk_single_selection_get_model (self->selection);
}

ReinsRun *
reins_history_get_selected_run (ReinsHistory *self)
{
  g_return_val_if_fail (REINS_IS_HISTORY (self), NULL);

  return gtk_single_selection_get_selected_item (self->selection);
}

gboolean
reins_history_select_run (ReinsHistory *self,
                          const char   *run_id)
{
  GListModel *model;
  guint n_items;

  g_return_val_if_fail (REINS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  model = reins_history_get_model (self);
  n_items = g_list_model_get_n_items (model);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(ReinsRun) run = g_list_model_get_item (model, i);

      if (g_strcmp0 (reins_run_get_id (run), run_id) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }

  return FALSE;
}

void
reins_history_focus_search (ReinsHistory *self)
{
  g_return_if_fail (REINS_IS_HISTORY (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* The toast of the last deletion, while it is shown (for the tests). */
AdwToast *
_reins_history_get_toast (ReinsHistory *self)
{
  g_return_val_if_fail (REINS_IS_HISTORY (self), NULL);

  return self->toast;
}
