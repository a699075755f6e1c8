/* screenshot-traces.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: opens the window on STORE, imports FILE… as if they were dropped on it, and
 * with `judge` opens Judge Runs… on the imported runs; prints "ready" when the toast or the
 * report is shown and stays open until killed, for `import -window root` (docs/traces.md).
 *
 *   screenshot-traces STORE.db WIDTH HEIGHT import|judge|judge:MAX_STEPS FILE…
 */

#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reins-import-files.h"
#include "reins-judge-dialog.h"
#include "reins-window-private.h"

int
main (int   argc,
      char *argv[])
{
  ReinsWindow *window;
  ReinsHistory *history;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 until;

  if (argc < 6)
    {
      fprintf (stderr, "usage: screenshot-traces STORE.db WIDTH HEIGHT import|judge FILE…\n");
      return 2;
    }

  adw_init ();
  window = reins_window_new (NULL, argv[1]);
  gtk_window_set_default_size (GTK_WINDOW (window), atoi (argv[2]), atoi (argv[3]));
  gtk_window_present (GTK_WINDOW (window));
  history = _reins_window_get_history (window);
  while (reins_history_get_loading (history))
    g_main_context_iteration (NULL, TRUE);

  for (int i = 5; i < argc; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (argv[i]));
  reins_import_files (history, (GFile **) files->pdata, files->len);
  while (reins_history_get_n_runs (history) == 0)
    g_main_context_iteration (NULL, TRUE);
  /* The rest of the import, and the toast's entrance. */
  until = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);

  if (g_str_has_prefix (argv[4], "judge"))
    {
      GtkWidget *dialog = reins_judge_dialog_new (GTK_WINDOW (window), history);

      gtk_window_present (GTK_WINDOW (dialog));
      reins_judge_dialog_set_scope (REINS_JUDGE_DIALOG (dialog), REINS_JUDGE_SCOPE_IMPORTED);
      /* judge:N: under at most N steps instead of each run's own settings */
      if (g_str_has_prefix (argv[4], "judge:"))
        reins_judge_dialog_set_settings (REINS_JUDGE_DIALOG (dialog), TRUE, 0.7,
                                         atoi (argv[4] + strlen ("judge:")));
      reins_judge_dialog_judge (REINS_JUDGE_DIALOG (dialog));
      while (reins_judge_dialog_get_busy (REINS_JUDGE_DIALOG (dialog)))
        g_main_context_iteration (NULL, TRUE);
    }

  printf ("ready\n");
  fflush (stdout);
  for (;;)
    g_main_context_iteration (NULL, TRUE);
}
