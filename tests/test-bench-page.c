/* test-bench-page.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bench page: it starts a bench from its controls, shows the table of `reins-cli bench`
 * as the runs end, stops a bench, and opens from the window's menu.
 */

#include "config.h"

#include <adwaita.h>

#include "reins-bench-page.h"
#include "reins-harness.h"
#include "reins-test-util.h"
#include "reins-window-private.h"

typedef struct
{
  char      *dir;
  char      *db;
  GtkWidget *window;
  GtkWidget *page;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("reins-bench-page-XXXXXX", NULL);
  f->db = g_build_filename (f->dir, "runs.db", NULL);
  f->window = gtk_window_new ();
  g_object_ref (f->window);
  f->page = reins_bench_page_new (f->db);
  gtk_window_set_child (GTK_WINDOW (f->window), f->page);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 700);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->window);
  reins_test_remove_tree (f->dir);
  g_free (f->db);
  g_free (f->dir);
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
wait_finished (ReinsBenchPage *page)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (reins_bench_page_get_bench (page) == NULL ||
         reins_bench_is_running (reins_bench_page_get_bench (page)))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for the bench");
      g_main_context_iteration (NULL, TRUE);
    }
}

static GListModel *
table_of_page (GtkWidget *page)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (find_type (page, GTK_TYPE_COLUMN_VIEW));

  return G_LIST_MODEL (gtk_column_view_get_model (view));
}

static GListModel *
table_of (Fixture *f)
{
  return table_of_page (f->page);
}

/* The spin buttons in the order of the page: tasks, the chain's length, the accuracy. */
static void
collect_spins (GtkWidget *widget,
               GPtrArray *spins)
{
  if (GTK_IS_SPIN_BUTTON (widget))
    g_ptr_array_add (spins, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_spins (child, spins);
}

static void
set_spins (Fixture *f,
           double   tasks,
           double   length)
{
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();

  collect_spins (f->page, spins);
  g_assert_cmpuint (spins->len, ==, 3);
  gtk_spin_button_set_value (g_ptr_array_index (spins, 0), tasks);
  gtk_spin_button_set_value (g_ptr_array_index (spins, 1), length);
}

static void
test_start (Fixture       *f,
            gconstpointer  data)
{
  ReinsBenchPage *page = REINS_BENCH_PAGE (f->page);
  g_autoptr(GPtrArray) results = NULL;
  GListModel *table;

  g_assert_null (reins_bench_page_get_bench (page));
  g_assert_cmpuint (g_list_model_get_n_items (table_of (f)), ==, 0);

  set_spins (f, 3, 2);
  g_assert_true (gtk_widget_activate_action (f->page, "bench.start", NULL));
  g_assert_nonnull (reins_bench_page_get_bench (page));
  wait_finished (page);

  results = reins_bench_dup_results (reins_bench_page_get_bench (page));
  table = table_of (f);
  g_assert_cmpuint (g_list_model_get_n_items (table), ==, 3);
  g_assert_cmpuint (results->len, ==, 3);
  for (guint i = 0; i < results->len; i++)
    {
      ReinsBenchResult *r = g_ptr_array_index (results, i);

      g_assert_cmpuint (r->runs, ==, 3);
      g_assert_cmpuint (r->right + r->wrong + r->none, ==, 3);
      g_assert_cmpuint (r->steps_judged, ==, r->steps);
    }
  g_assert_cmpstr (((ReinsBenchResult *) g_ptr_array_index (results, 0))->name, ==, "linear");
  {
    /* The person who judges is the default, as on the command line. */
    g_autoptr(JsonNode) node = reins_bench_to_json (reins_bench_page_get_bench (page));
    JsonObject *settings = json_object_get_object_member (json_node_get_object (node), "settings");

    g_assert_cmpstr (json_object_get_string_member (settings, "person"), ==, "judge");
  }
  g_assert_cmpuint (reins_bench_get_n_done (reins_bench_page_get_bench (page)), ==, 9);

  /* With the ablations: one more line per guard but max_steps. */
  gtk_switch_set_active (GTK_SWITCH (find_type (f->page, GTK_TYPE_SWITCH)), TRUE);
  set_spins (f, 1, 1);
  g_assert_true (gtk_widget_activate_action (f->page, "bench.start", NULL));
  wait_finished (page);
  g_assert_cmpuint (g_list_model_get_n_items (table_of (f)), ==,
                    3 + g_strv_length ((char **) reins_harness_guard_names) - 1);
}

static void
test_stop (Fixture       *f,
           gconstpointer  data)
{
  ReinsBenchPage *page = REINS_BENCH_PAGE (f->page);
  ReinsBench *bench;

  set_spins (f, 200, 10);
  g_assert_true (gtk_widget_activate_action (f->page, "bench.start", NULL));
  bench = reins_bench_page_get_bench (page);
  g_assert_true (reins_bench_is_running (bench));
  /* The same action stops it. */
  g_assert_true (gtk_widget_activate_action (f->page, "bench.start", NULL));
  wait_finished (page);
  g_assert_true (bench == reins_bench_page_get_bench (page));
  g_assert_cmpuint (reins_bench_get_n_done (bench), <, reins_bench_get_n_total (bench));
  {
    /* The runs the stop cancelled are not counted as runs without an answer. */
    g_autoptr(GPtrArray) results = reins_bench_dup_results (bench);
    guint counted = 0;

    for (guint i = 0; i < results->len; i++)
      counted += ((ReinsBenchResult *) g_ptr_array_index (results, i))->runs;
    g_assert_cmpuint (counted, <, reins_bench_get_n_done (bench));
  }
}

/* A bench of the store, picked in the dropdown, shows as it ran. */
static void
test_stored (Fixture       *f,
             gconstpointer  data)
{
  ReinsBenchPage *page = REINS_BENCH_PAGE (f->page);
  GtkWidget *other_window = gtk_window_new ();
  GtkWidget *other = reins_bench_page_new (f->db);
  GtkDropDown *dropdown;
  g_autofree char *ran = NULL;
  g_autofree char *shown = NULL;

  g_object_ref (other_window);
  gtk_window_set_child (GTK_WINDOW (other_window), other);
  dropdown = GTK_DROP_DOWN (find_type (other, GTK_TYPE_DROP_DOWN));
  /* No bench in the store yet: nothing to pick. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dropdown)));
  gtk_window_destroy (GTK_WINDOW (other_window));
  g_assert_finalize_object (other_window);

  set_spins (f, 3, 2);
  g_assert_true (gtk_widget_activate_action (f->page, "bench.start", NULL));
  wait_finished (page);
  ran = reins_bench_format_table (reins_bench_page_get_bench (page));
  /* The bench that ran is listed, and picked as the one shown. */
  dropdown = GTK_DROP_DOWN (find_type (f->page, GTK_TYPE_DROP_DOWN));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), ==, 1);
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 0);

  other_window = gtk_window_new ();
  g_object_ref (other_window);
  other = reins_bench_page_new (f->db);
  gtk_window_set_child (GTK_WINDOW (other_window), other);
  dropdown = GTK_DROP_DOWN (find_type (other, GTK_TYPE_DROP_DOWN));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), ==, 1);
  g_assert_null (reins_bench_page_get_bench (REINS_BENCH_PAGE (other)));
  gtk_drop_down_set_selected (dropdown, 0);
  g_assert_nonnull (reins_bench_page_get_bench (REINS_BENCH_PAGE (other)));
  g_assert_cmpstr (reins_bench_get_id (reins_bench_page_get_bench (REINS_BENCH_PAGE (other))), ==,
                   reins_bench_get_id (reins_bench_page_get_bench (page)));
  shown = reins_bench_format_table (reins_bench_page_get_bench (REINS_BENCH_PAGE (other)));
  g_assert_cmpstr (shown, ==, ran);
  g_assert_cmpuint (g_list_model_get_n_items (table_of_page (other)), ==, 3);

  gtk_window_destroy (GTK_WINDOW (other_window));
  g_assert_finalize_object (other_window);
}

/* The window's "Bench…" opens the page in a window of its own, over the window. */
static void
test_from_window (Fixture       *f,
                  gconstpointer  data)
{
  ReinsWindow *window = g_object_ref_sink (reins_window_new (NULL, f->db));
  guint before;
  GtkWindow *bench_window = NULL;
  g_autoptr(GListModel) toplevels = NULL;

  gtk_window_present (GTK_WINDOW (window));
  toplevels = g_object_ref (gtk_window_get_toplevels ());
  before = g_list_model_get_n_items (toplevels);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.bench", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, before + 1);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (find_type (GTK_WIDGET (w), REINS_TYPE_BENCH_PAGE) != NULL)
        bench_window = w;
    }
  g_assert_nonnull (bench_window);
  g_assert_true (gtk_window_get_transient_for (bench_window) == GTK_WINDOW (window));

  g_object_ref (bench_window);
  gtk_window_destroy (bench_window);
  g_assert_finalize_object (bench_window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/reins/bench-page/start", Fixture, NULL, fixture_set_up, test_start,
              fixture_tear_down);
  g_test_add ("/reins/bench-page/stop", Fixture, NULL, fixture_set_up, test_stop,
              fixture_tear_down);
  g_test_add ("/reins/bench-page/stored", Fixture, NULL, fixture_set_up, test_stored,
              fixture_tear_down);
  g_test_add ("/reins/bench-page/window", Fixture, NULL, fixture_set_up, test_from_window,
              fixture_tear_down);

  return g_test_run ();
}
