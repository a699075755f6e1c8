/* reins-cli-store.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `reins-cli store copy FROM TO`: runs from one store to another (a SQLite file, a
 * PostgreSQL database), idempotently, with progress on stderr.
 */

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "reins-cli-private.h"

static void
print_progress (guint     done,
                guint     total,
                ReinsRun *run,
                guint     n_steps,
                gboolean  copied,
                gpointer  user_data)
{
  g_autofree char *short_id = g_strndup (reins_run_get_id (run), 8);

  /* Translators: progress of "store copy": run 3 of 10, its short id, how many steps */
  fprintf (stderr,
           copied ? g_dngettext (GETTEXT_PACKAGE, "[%u/%u] %s copied (%u step)\n",
                                 "[%u/%u] %s copied (%u steps)\n", n_steps)
                  : g_dngettext (GETTEXT_PACKAGE, "[%u/%u] %s already there (%u step)\n",
                                 "[%u/%u] %s already there (%u steps)\n", n_steps),
           done, total, short_id, n_steps);
}

int
reins_cli_store (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) from = NULL;
  g_autoptr(ReinsStore) to = NULL;
  g_autofree char *from_shown = NULL;
  gboolean quiet = FALSE;
  guint copied = 0, same = 0;
  GOptionEntry entries[] = {
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("No progress on stderr"), NULL },
    { NULL }
  };

  context = reins_cli_context_new ("store", "copy FROM TO",
                                   _("Copy every run (not deleted) of the store FROM to the "
                                     "store TO — each a file (PATH, sqlite:PATH) or a "
                                     "postgresql:// URI — with its steps, exchanges and "
                                     "summaries. Runs TO already holds the same are left as "
                                     "they are, so copying again copies nothing more.\n"
                                     "Exit status: 0 copied, 2 usage error, 4 store error."),
                                   entries);
  if (!reins_cli_parse (context, &argc, &argv, 3, 3))
    return REINS_CLI_EXIT_USAGE;
  if (!g_str_equal (argv[1], "copy"))
    return reins_cli_usage_error (_("unknown store command “%s”; see “%s --help”"), argv[1],
                                  g_get_prgname ());

  /* The source is only read: a file that is not there is an error, not a new store. */
  if (!reins_cli_open_store (argv[2], &from, &error))
    return reins_cli_fail (error);
  from_shown = reins_store_describe_location (argv[2]);
  if (from == NULL)
    return reins_cli_usage_error (_("the store “%s” does not exist"), from_shown);
  to = reins_store_open (argv[3], &error);
  if (to == NULL)
    return reins_cli_fail (error);

  if (!reins_store_copy (from, to, quiet ? NULL : print_progress, NULL, &copied, &same,
                         &error))
    {
      reins_cli_print_error (g_dngettext (GETTEXT_PACKAGE, "%s (%u run copied before it)",
                                          "%s (%u runs copied before it)", copied),
                             error->message, copied);
      return REINS_CLI_EXIT_STORE;
    }

  printf (_("%u copied, %u already there.\n"), copied, same);
  return REINS_CLI_EXIT_OK;
}
