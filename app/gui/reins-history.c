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

#include "reins-history.h"
#include "reins-history-row.h"
#include "reins-search-hit.h"

#define PAGE_SIZE      200
#define SEARCH_LIMIT   200
#define ALL_STATUSES   (-1)

struct _ReinsHistory
{
  GtkWidget           parent_instance;

  ReinsStore         *store;
  GListStore         *runs;
  GListStore         *results;
  GtkSingleSelection *selection;
  guint               load_source;
  guint               n_runs;
  char               *query;

  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkListView        *list_view;
  AdwStatusPage      *no_results_page;
};

G_DEFINE_FINAL_TYPE (ReinsHistory, reins_history, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_LOADING,
  PROP_N_RUNS,
  PROP_SELECTED_RUN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
reins_history_set_n_runs (ReinsHistory *self,
                          guint         n_runs)
{
  if (self->n_runs != n_runs)
    {
      self->n_runs = n_runs;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNS]);
    }
}

/* Appends one page of runs; returns whether more may follow. */
static gboolean
reins_history_load_page (ReinsHistory *self)
{
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  guint offset = g_list_model_get_n_items (G_LIST_MODEL (self->runs));

  page = reins_store_list_runs (self->store, ALL_STATUSES, offset, PAGE_SIZE, &error);
  if (page == NULL)
    {
      g_warning ("Could not read the run history: %s", error->message);
      return FALSE;
    }

  g_list_store_splice (self->runs, offset, 0, page->pdata, page->len);
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

static void
reins_history_show_model (ReinsHistory *self,
                          GListModel   *model)
{
  if (gtk_single_selection_get_model (self->selection) != model)
    gtk_single_selection_set_model (self->selection, model);

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

void
reins_history_search (ReinsHistory *self,
                      const char   *query)
{
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = NULL;

  g_return_if_fail (REINS_IS_HISTORY (self));

  stripped = g_strstrip (g_strdup (query ? query : ""));
  g_free (self->query);
  self->query = g_strdup (stripped);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), query ? query : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query ? query : "");

  if (stripped[0] == '\0' || self->store == NULL)
    {
      g_list_store_remove_all (self->results);
      reins_history_show_model (self, G_LIST_MODEL (self->runs));
      return;
    }

  hits = reins_store_search (self->store, stripped, SEARCH_LIMIT, &error);
  if (hits == NULL)
    {
      /* A query the full-text index cannot parse is a typo, not a failure. */
      g_list_store_remove_all (self->results);
      adw_status_page_set_description (self->no_results_page, error->message);
      reins_history_show_model (self, G_LIST_MODEL (self->results));
      return;
    }

  /* Several hits may come from one run: show each run once, in the order of its best hit. */
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  found = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < hits->len; i++)
    {
      ReinsSearchHit *hit = g_ptr_array_index (hits, i);
      const char *run_id = reins_search_hit_get_run_id (hit);
      g_autoptr(ReinsRun) run = NULL;
      g_autoptr(GError) run_error = NULL;

      if (run_id == NULL || g_hash_table_contains (seen, run_id))
        continue;
      g_hash_table_add (seen, (gpointer) run_id);

      run = reins_store_get_run (self->store, run_id, &run_error);
      if (run == NULL)
        {
          g_debug ("Search hit in run %s not shown: %s", run_id, run_error->message);
          continue;
        }
      g_ptr_array_add (found, g_steal_pointer (&run));
    }

  adw_status_page_set_description (self->no_results_page,
                                   _("No run matches your search."));
  g_list_store_splice (self->results, 0, g_list_model_get_n_items (G_LIST_MODEL (self->results)),
                       found->pdata, found->len);
  reins_history_show_model (self, G_LIST_MODEL (self->results));
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_RUN]);
}

static void
reins_history_dispose (GObject *object)
{
  ReinsHistory *self = (ReinsHistory *)object;
  GtkWidget *child;

  g_clear_handle_id (&self->load_source, g_source_remove);
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

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-history.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsHistory, search_entry);
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
      reins_history_search (self, NULL);
      reins_history_reload (self);
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

/* Live runs (issue 7): the window calls this when a run it executes starts or changes
 * status, so the sidebar shows it without reading the store. A run not in the list yet is
 * the newest: it goes first. The selection stays on the run that was selected. */
void
reins_history_update_run (ReinsHistory *self,
                          ReinsRun     *run)
{
  GListModel *runs;
  g_autofree char *selected_id = NULL;
  ReinsRun *selected;
  guint n_items;

  g_return_if_fail (REINS_IS_HISTORY (self));
  g_return_if_fail (REINS_IS_RUN (run));

  if ((selected = reins_history_get_selected_run (self)))
    selected_id = g_strdup (reins_run_get_id (selected));

  runs = G_LIST_MODEL (self->runs);
  n_items = g_list_model_get_n_items (runs);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(ReinsRun) item = g_list_model_get_item (runs, i);

      if (g_strcmp0 (reins_run_get_id (item), reins_run_get_id (run)) == 0)
        {
          g_list_store_splice (self->runs, i, 1, (gpointer *) &run, 1);
          if (selected_id != NULL)
            reins_history_select_run (self, selected_id);
          return;
        }
    }

  g_list_store_insert (self->runs, 0, run);
  reins_history_set_n_runs (self, g_list_model_get_n_items (runs));
  if (selected_id != NULL)
    reins_history_select_run (self, selected_id);
}
