/* screenshot-window.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: renders the window on a store (build-aux/screenshots.sh seeds one with
 * seed-demo-store) as the README and docs/window.md show it: window-history.png (1100 ×
 * 720, light), window-dark.png (the same, dark), narrow.png (700 × 500) and, on a store
 * that does not exist yet, window-empty.png. Needs a display.
 *
 *   screenshot-window STORE.db OUT-DIR
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "reins-test-ui.h"

typedef struct
{
  GtkWidget *widget;
  int        width;
  int        height;
} Size;

static gboolean
has_size (gpointer data)
{
  Size *size = data;

  int width = gtk_widget_get_width (size->widget);
  int height = gtk_widget_get_height (size->widget);

  /* The client-side decorations take a few pixels of the default size. */
  return width > 0 && ABS (width - size->width) <= 12 && ABS (height - size->height) <= 12;
}

/* A window on @path at @width × @height (the sizes it restores from the settings), once its
 * history and the run it shows are read and drawn. */
static ReinsWindow *
open_window (const char *path,
             int         width,
             int         height)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  ReinsWindow *window;
  Size size = { NULL, width, height };

  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  window = g_object_ref_sink (reins_window_new (NULL, path));
  size.widget = GTK_WIDGET (window);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (loaded, window, "the window to read the store");
  wait_until (has_size, &size, "the window's size");
  return window;
}

int
main (int   argc,
      char *argv[])
{
  AdwStyleManager *style;
  ReinsWindow *window;
  g_autofree char *empty_dir = NULL;
  g_autofree char *empty_path = NULL;

  reins_test_ui_init (&argc, &argv);
  if (argc != 3)
    {
      g_printerr ("Usage: %s STORE.db OUT-DIR\n", argv[0]);
      return 2;
    }
  g_setenv ("REINS_TEST_SCREENSHOT_DIR", argv[2], TRUE);
  /* Pages change at once, so a shot never catches a transition half-way. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  style = adw_style_manager_get_default ();

  /* The README's first picture, light and dark. */
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  window = open_window (argv[1], 1100, 720);
  save_screenshot (GTK_WIDGET (window), "window-history.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  save_screenshot (GTK_WIDGET (window), "window-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  close_window (window);

  /* 700 × 500: the history folded behind its button, the chart folded away. */
  window = open_window (argv[1], 700, 500);
  save_screenshot (GTK_WIDGET (window), "narrow.png");
  close_window (window);

  /* First start: no store yet. */
  empty_dir = g_dir_make_tmp ("reins-screenshot-XXXXXX", NULL);
  g_assert_nonnull (empty_dir);
  empty_path = g_build_filename (empty_dir, "runs.db", NULL);
  window = open_window (empty_path, 1100, 720);
  save_screenshot (GTK_WIDGET (window), "window-empty.png");
  close_window (window);
  {
    g_autoptr(GDir) dir = g_dir_open (empty_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *file = g_build_filename (empty_dir, name, NULL);

        g_unlink (file);
      }
    g_rmdir (empty_dir);
  }

  g_print ("window-history.png window-dark.png narrow.png window-empty.png in %s\n", argv[2]);
  return 0;
}
