/* screenshot-inspect.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: takes the screenshots of history search, the chart with a what-if, a replay and
 * the preferences for the metainfo and docs/window.md (needs a display; see "Screenshots"
 * there). Runs a sim demo first so the chart has real interventions.
 *
 *   screenshot-inspect STORE.db OUT-DIR
 */

#include "config.h"

#include <adwaita.h>

#include "reins-preferences-window.h"
#include "reins-run-inspector.h"
#include "reins-window-private.h"

static gboolean
save (GtkWidget  *widget,
      const char *dir,
      const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_to_node (snapshot);
  if (node == NULL)
    return FALSE;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_save_to_png (texture, path);
  g_print ("%s\n", path);
  return TRUE;
}

static void
settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static void
approve_cb (ReinsExecutor *executor,
            ReinsApproval *approval,
            gpointer       data)
{
  if (reins_approval_is_question (approval))
    reins_approval_answer (approval, "Go on.");
  else
    reins_approval_approve (approval, FALSE);
}

/* A sim run of a 14-key chain at 0.8 accuracy: a few wrong turns for the harness to catch. */
static char *
demo_run (const char *path)
{
  g_autoptr(ReinsRun) run = reins_run_new ("Follow the knowledge-base chain that starts at "
                                           "chain-4-14/0 with kb_lookup and report the value at "
                                           "its end.");
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  g_autoptr(ReinsExecutor) executor = NULL;
  JsonObject *settings = reins_run_get_settings (run);
  g_autoptr(JsonArray) tools = json_array_new ();
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  config->seed = 4;
  config->sim_accuracy = 0.8;
  reins_run_set_provider (run, "sim");
  reins_run_set_model (run, "sim-1");
  json_array_add_string_element (tools, "kb_lookup");
  json_array_add_string_element (tools, "calculator");
  json_object_set_array_member (settings, "tools", json_array_ref (tools));
  json_object_set_int_member (settings, "max_steps", 30);
  json_object_set_double_member (settings, "budget_usd", 0.05);
  json_object_set_double_member (settings, "confidence_threshold", 0.7);
  json_object_set_double_member (settings, "price_in", 2.5);
  json_object_set_double_member (settings, "price_out", 10.0);
  json_object_set_int_member (settings, "seed", 4);
  executor = reins_executor_new (run, config, path);
  g_signal_connect (executor, "approval-requested", G_CALLBACK (approve_cb), NULL);
  reins_executor_start (executor);
  while (reins_executor_is_running (executor) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return g_strdup (reins_run_get_id (reins_executor_get_run (executor)));
}

int
main (int   argc,
      char *argv[])
{
  ReinsWindow *window;
  ReinsHistory *history;
  ReinsRunView *view;
  ReinsRunInspector *inspector;
  GtkWidget *preferences;
  g_autofree char *run_id = NULL;
  g_autoptr(JsonObject) strict = json_object_new ();

  if (argc != 3)
    {
      g_printerr ("Usage: %s STORE.db OUT-DIR\n", argv[0]);
      return 2;
    }

  gtk_init ();
  adw_init ();
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  run_id = demo_run (argv[1]);

  window = g_object_ref_sink (reins_window_new (NULL, argv[1]));
  history = _reins_window_get_history (window);
  view = _reins_window_get_run_view (window);
  inspector = reins_run_view_get_inspector (view);
  gtk_window_present (GTK_WINDOW (window));
  settle (1500);

  /* History search: a word from one step's observation; the result opens at that step. */
  reins_history_search (history, "vacuum");
  {
    g_autoptr(ReinsRun) first = g_list_model_get_item (reins_history_get_model (history), 0);
    if (first != NULL)
      reins_history_select_run (history, reins_run_get_id (first));
  }
  settle (1200);
  save (GTK_WIDGET (window), argv[2], "history-search.png");

  /* The chart of the demo run, with a stricter threshold tried. */
  reins_history_search (history, NULL);
  reins_history_select_run (history, run_id);
  settle (1200);
  json_object_set_double_member (strict, "confidence_threshold", 0.9);
  json_object_set_string_member (strict, "confidence_asks", "always");
  reins_run_inspector_what_if (inspector, strict);
  while (reins_run_inspector_get_what_if_running (inspector))
    g_main_context_iteration (NULL, TRUE);
  settle (600);
  save (GTK_WIDGET (window), argv[2], "chart.png");

  /* A replay, halfway. */
  reins_run_inspector_set_replaying (inspector, TRUE);
  reins_run_inspector_set_position (inspector,
                                    MAX (1, reins_chart_get_n_points (
                                              reins_run_inspector_get_chart (inspector)) / 2));
  settle (1200);
  save (GTK_WIDGET (window), argv[2], "replay.png");
  reins_run_inspector_set_replaying (inspector, FALSE);

  /* The preferences, on their own. */
  preferences = reins_preferences_window_new (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (preferences));
  settle (1200);
  save (preferences, argv[2], "preferences.png");
  gtk_window_destroy (GTK_WINDOW (preferences));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  return 0;
}
