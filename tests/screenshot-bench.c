/* screenshot-bench.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: opens the bench page (docs/window.md, "Screenshots"), runs a bench of 100
 * chains of 10 lookups on the simulator, prints "ready" when it has ended and stays open
 * until killed, for `import -window root`.
 *
 *   screenshot-bench STORE.db
 */

#include "config.h"

#include <adwaita.h>
#include <stdio.h>

#include "reins-bench-page.h"

static GtkWidget *
find_page (GtkWidget *widget)
{
  if (REINS_IS_BENCH_PAGE (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_page (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
first_spin (GtkWidget *widget,
            double     value)
{
  if (GTK_IS_SPIN_BUTTON (widget))
    {
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), value);
      return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (first_spin (child, value))
      return TRUE;
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  GtkWindow *window;
  GtkWidget *page;
  ReinsBench *bench;

  if (argc != 2)
    {
      fprintf (stderr, "usage: screenshot-bench STORE.db\n");
      return 2;
    }

  adw_init ();
  window = reins_bench_page_present_window (NULL, argv[1]);
  gtk_window_set_default_size (window, 1000, 760);
  page = find_page (GTK_WIDGET (window));
  first_spin (page, 100);  /* the tasks */
  gtk_widget_activate_action (page, "bench.start", NULL);

  while ((bench = reins_bench_page_get_bench (REINS_BENCH_PAGE (page))) != NULL &&
         reins_bench_is_running (bench))
    g_main_context_iteration (NULL, TRUE);

  printf ("ready\n");
  fflush (stdout);
  for (;;)
    g_main_context_iteration (NULL, TRUE);
}
