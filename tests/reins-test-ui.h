/* reins-test-ui.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the window tests share: waiting on a condition, screenshots, finding widgets,
 * closing a window and checking nothing kept it.
 */

#pragma once

#include <adwaita.h>

#include "reins-window-private.h"

G_BEGIN_DECLS

/* Runs the main loop until @cond holds; a minute without it fails the test. */
static inline void
wait_until (gboolean  (*cond) (gpointer data),
            gpointer    data,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Lets pending draws and idles run, for a screenshot. */
static inline gboolean
drawn (gpointer data)
{
  guint *frames = data;

  return ++*frames > 50;
}

/* Saves what @widget shows as REINS_TEST_SCREENSHOT_DIR/@name, when that is set. */
static inline void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("REINS_TEST_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  guint frames = 0;

  if (dir == NULL)
    return;
  wait_until (drawn, &frames, "a few frames");
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0,
                                                              gtk_widget_get_width (widget),
                                                              gtk_widget_get_height (widget)));
  path = g_build_filename (dir, name, NULL);
  gdk_texture_save_to_png (texture, path);
  g_test_message ("saved %s", path);
}

/* The history and the run shown are read. */
static inline gboolean
loaded (gpointer data)
{
  ReinsWindow *window = data;

  return !reins_history_get_loading (_reins_window_get_history (window)) &&
         !reins_run_view_get_loading (_reins_window_get_run_view (window));
}

/* Every mapped widget of @type under @widget, depth first. */
static inline void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

/* Destroys the window once what its last actions queued has run, and checks that nothing
 * kept it. */
static inline void
close_window (ReinsWindow *window)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (window);
}

static inline AdwLeaflet *
find_leaflet (GtkWidget *widget)
{
  if (ADW_IS_LEAFLET (widget))
    return ADW_LEAFLET (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwLeaflet *found = find_leaflet (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* gtk_test_init(), and what AdwApplication loads for the window (icons, style), so
 * screenshots look as the app does. */
static inline void
reins_test_ui_init (int    *argc,
                    char ***argv)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  gtk_test_init (argc, argv, NULL);
  adw_init ();
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    RESOURCE_PREFIX "/icons");
  gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

G_END_DECLS
