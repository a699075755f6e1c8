/* screenshot-live-run.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: takes the screenshots of a live demo run and of the approval dialog for the
 * metainfo and docs/window.md (needs a display; see "Screenshots" there).
 *
 *   screenshot-live-run STORE.db OUT-DIR
 *
 * With --long=N --width=W it starts a demo run of N lookups at accuracy 1.0 in a window W
 * pixels wide and saves long-run-W.png while the steps stream in (past N / 2 steps).
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "reins-approval-dialog.h"
#include "reins-new-run-dialog.h"
#include "reins-run-view-private.h"
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
    {
      g_printerr ("Nothing to draw for %s yet\n", name);
      return FALSE;
    }
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

/* A long demo run streaming in, saved halfway. */
static int
long_run (const char *store,
          const char *dir,
          guint       length,
          int         width)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *name = g_strdup_printf ("long-run-%d.png", width);
  ReinsNewRunDialog *dialog;
  ReinsExecutor *executor;
  ReinsWindow *window;
  gboolean shot = FALSE;

  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", 800);
  window = g_object_ref_sink (reins_window_new (NULL, store));
  gtk_window_present (GTK_WINDOW (window));
  settle (1500);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-run", NULL);
  dialog = REINS_NEW_RUN_DIALOG (_reins_window_get_new_run_dialog (window));
  reins_new_run_dialog_use_demo (dialog, length);
  _reins_new_run_dialog_set_sim_accuracy (dialog, 1.0);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "new-run.start", NULL);
  executor = g_object_ref (reins_run_view_get_executor (_reins_window_get_run_view (window)));

  while (reins_executor_is_running (executor))
    {
      GtkWidget *approval = _reins_window_get_approval_dialog (window);

      if (approval != NULL)
        adw_message_dialog_response (ADW_MESSAGE_DIALOG (approval), "approve");
      if (!shot && reins_run_get_step_count (reins_executor_get_run (executor)) >= length / 2)
        shot = save (GTK_WIDGET (window), dir, name);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  settle (500);
  g_object_unref (executor);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  return shot ? 0 : 1;
}

int
main (int   argc,
      char *argv[])
{
  ReinsWindow *window;
  ReinsNewRunDialog *dialog;
  ReinsExecutor *executor;
  gboolean dialog_shot = FALSE, live_shot = FALSE;
  gint64 deadline;

  guint length = 0;
  int width = 1280;

  for (int i = 3; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--long="))
      length = (guint) g_ascii_strtoull (argv[i] + strlen ("--long="), NULL, 10);
    else if (g_str_has_prefix (argv[i], "--width="))
      width = (int) g_ascii_strtoll (argv[i] + strlen ("--width="), NULL, 10);
  if (argc < 3 || (argc > 3 && length == 0))
    {
      g_printerr ("Usage: %s STORE.db OUT-DIR [--long=N [--width=W]]\n", argv[0]);
      return 2;
    }

  gtk_init ();
  adw_init ();
  {
    /* What AdwApplication does for the real window. */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  if (length > 0)
    return long_run (argv[1], argv[2], length, width);

  {
    /* A read-only lookup below the threshold runs without asking by default; for the
     * picture of a question, the preference "Ask About Low-Confidence Reads" is on. */
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

    g_settings_set_boolean (settings, "confidence-ask-reads", TRUE);
  }
  window = g_object_ref_sink (reins_window_new (NULL, argv[1]));
  gtk_window_present (GTK_WINDOW (window));
  settle (1500);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-run", NULL);
  dialog = REINS_NEW_RUN_DIALOG (_reins_window_get_new_run_dialog (window));
  /* A seed whose run shows a few interventions. */
  _reins_new_run_dialog_set_seed (dialog, 4);
  reins_new_run_dialog_use_demo (dialog, 15);
  settle (800);
  save (GTK_WIDGET (dialog), argv[2], "new-run.png");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "new-run.start", NULL);
  executor = reins_run_view_get_executor (_reins_window_get_run_view (window));

  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (reins_executor_is_running (executor) && g_get_monotonic_time () < deadline)
    {
      GtkWidget *approval = _reins_window_get_approval_dialog (window);
      guint steps = reins_run_get_step_count (reins_executor_get_run (executor));

      if (approval == NULL && _reins_run_view_get_approval_bar_shown (_reins_window_get_run_view (window)))
        {
          gtk_widget_activate_action (GTK_WIDGET (window), "win.show-approval", NULL);
          approval = _reins_window_get_approval_dialog (window);
        }

      if (approval != NULL)
        {
          /* A question whose action can be approved as it stands (with the thought and
           * the previous observation to judge it by), not a malformed one. */
          if (!dialog_shot && steps >= 2 &&
              _reins_approval_dialog_get_approve_enabled (REINS_APPROVAL_DIALOG (approval)) &&
              _reins_approval_dialog_get_thought (REINS_APPROVAL_DIALOG (approval)) != NULL &&
              _reins_approval_dialog_get_previous_observation (REINS_APPROVAL_DIALOG (approval)) != NULL)
            {
              settle (700);
              save (approval, argv[2], "approval-dialog.png");
              save (GTK_WIDGET (window), argv[2], "approval-window.png");
              dialog_shot = TRUE;
            }
          /* An action that cannot run as proposed (a malformed call) is sent back. */
          adw_message_dialog_response (ADW_MESSAGE_DIALOG (approval),
                                       _reins_approval_dialog_get_approve_enabled (REINS_APPROVAL_DIALOG (approval))
                                       ? "approve" : "reject");
          settle (100);
          continue;
        }

      if (!live_shot && steps >= 7 && _reins_run_view_has_live_step (_reins_window_get_run_view (window)))
        {
          settle (150);
          live_shot = save (GTK_WIDGET (window), argv[2], "live-run.png");
        }

      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  settle (500);
  save (GTK_WIDGET (window), argv[2], "finished.png");
  if (!dialog_shot)
    g_printerr ("No question with an action to approve came up: no approval-*.png\n");

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  return 0;
}
