/* reins-cli-common.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers every reins-cli command uses: errors, option parsing, the store, run ids.
 */

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "reins-cli-private.h"

static void G_GNUC_PRINTF (1, 0)
print_error_valist (const char *format,
                    va_list     args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);

  g_strdelimit (message, "\r\n", ' ');
  fprintf (stderr, "reins-cli: %s\n", message);
}

/* One line on stderr, "reins-cli: …", whatever the message holds. */
void
reins_cli_print_error (const char *format,
                       ...)
{
  va_list args;

  va_start (args, format);
  print_error_valist (format, args);
  va_end (args);
}

/* Prints the message of a usage error; returns its exit code. */
int
reins_cli_usage_error (const char *format,
                       ...)
{
  va_list args;

  va_start (args, format);
  print_error_valist (format, args);
  va_end (args);
  return REINS_CLI_EXIT_USAGE;
}

/* Prints @error and says which exit code it deserves. */
int
reins_cli_fail (GError *error)
{
  reins_cli_print_error ("%s", error->message);

  if (error->domain == G_OPTION_ERROR)
    return REINS_CLI_EXIT_USAGE;
  if (error->domain == REINS_ERROR)
    switch (error->code)
      {
      case REINS_ERROR_USAGE:
      case REINS_ERROR_NOT_FOUND:
        return REINS_CLI_EXIT_USAGE;
      case REINS_ERROR_STORE:
      case REINS_ERROR_STORE_CORRUPT:
      case REINS_ERROR_STORE_FOREIGN:
      case REINS_ERROR_STORE_NEWER:
      case REINS_ERROR_STORE_READ_ONLY:
        return REINS_CLI_EXIT_STORE;
      default:
        break;
      }
  return REINS_CLI_EXIT_FAILED;
}

GOptionContext *
reins_cli_context_new (const char   *command,
                       const char   *parameters,
                       const char   *summary,
                       GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  /* Every command that opens a store (it has --db) takes --store=URL too, into the same
   * variable: a file, or a postgresql:// URI. */
  for (guint i = 0; entries[i].long_name != NULL; i++)
    if (g_str_equal (entries[i].long_name, "db"))
      {
        GOptionEntry store_entries[] = {
          { "store", 0, 0, G_OPTION_ARG_FILENAME, entries[i].arg_data,
            N_("The run store: a file (PATH or sqlite:PATH) or postgresql://… "
               "[$REINS_STORE, else $XDG_DATA_HOME/reins/runs.db]"), N_("URL") },
          { NULL }
        };

        g_option_context_add_main_entries (context, store_entries, GETTEXT_PACKAGE);
        break;
      }
  return context;
}

/* Parses the command's options and checks the number of arguments left (after the command
 * name); prints the error and returns FALSE on a usage error. */
gboolean
reins_cli_parse (GOptionContext   *context,
                 int              *argc,
                 char           ***argv,
                 int               min_args,
                 int               max_args)
{
  g_autoptr(GError) error = NULL;
  int n_args;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      reins_cli_print_error ("%s", error->message);
      return FALSE;
    }

  /* A lone "--" is left in argv by the parser; it is not an argument. */
  n_args = *argc - 1;
  if (n_args >= 1 && g_str_equal ((*argv)[1], "--"))
    {
      for (int i = 1; i < *argc; i++)
        (*argv)[i] = (*argv)[i + 1];
      (*argc)--;
      n_args--;
    }

  if (n_args < min_args)
    {
      reins_cli_print_error (_("a run id is missing; see “%s --help”"), g_get_prgname ());
      return FALSE;
    }
  if (n_args > max_args)
    {
      reins_cli_print_error (_("unexpected argument “%s”; see “%s --help”"),
                             (*argv)[1 + max_args], g_get_prgname ());
      return FALSE;
    }
  return TRUE;
}

/**
 * reins_cli_open_store:
 * @db_path: (nullable): `--db` or `--store`, or %NULL for the default store ($REINS_STORE)
 * @store: (out): the store, or %NULL when the file does not exist (nothing stored yet)
 *
 * Reading commands do not create a store file that is not there (a database server is
 * always connected to).
 */
gboolean
reins_cli_open_store (const char  *db_path,
                      ReinsStore **store,
                      GError     **error)
{
  g_autofree char *path = db_path != NULL ? g_strdup (db_path)
                                          : reins_store_default_location ();

  g_autofree char *file = reins_store_describe_location (path);

  *store = NULL;
  if (!reins_store_is_remote (path) && !g_file_test (file, G_FILE_TEST_EXISTS))
    return TRUE;
  *store = reins_store_open (path, error);
  return *store != NULL;
}

/* A full id, or a unique prefix of REINS_CLI_MIN_ID_PREFIX characters or more, as git
 * takes commit ids. */
ReinsRun *
reins_cli_find_run (ReinsStore  *store,
                    const char  *db_path,
                    const char  *run_id,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) matches = NULL;
  ReinsRun *run;

  if (store == NULL)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND,
                   _("no run “%s”: the store “%s” does not exist yet"), run_id,
                   db_path != NULL ? db_path : _("(default)"));
      return NULL;
    }

  run = reins_store_get_run (store, run_id, &local_error);
  if (run != NULL)
    return run;
  if (!g_error_matches (local_error, REINS_ERROR, REINS_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (g_utf8_strlen (run_id, -1) < REINS_CLI_MIN_ID_PREFIX)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND,
                   _("no run “%s” (a shortened id needs at least %d characters)"), run_id,
                   REINS_CLI_MIN_ID_PREFIX);
      return NULL;
    }

  matches = reins_store_match_run_ids (store, run_id, 6, error);
  if (matches == NULL)
    return NULL;
  if (matches[0] == NULL)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND,
                   _("no run “%s” in “%s”; “reins-cli list” shows the runs"), run_id,
                   reins_store_get_display_name (store));
      return NULL;
    }
  if (matches[1] != NULL)
    {
      g_autofree char *some = g_strjoinv (", ", matches);

      g_set_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND,
                   _("the run id “%s” is ambiguous: it starts %s; give more of it"), run_id,
                   some);
      return NULL;
    }
  return reins_store_get_run (store, matches[0], error);
}

/**
 * reins_cli_read_run:
 * @db_path: (nullable): `--db`, or %NULL for the default store
 * @run_id: a full id or a unique prefix (reins_cli_find_run())
 * @run: (out): the run
 * @out_store: (out) (optional): the open store, for more reads of the same run
 *
 * Opens the store, finds the run and reads all its steps: what the commands that print or
 * export one run need.
 *
 * Returns: (transfer full) (element-type ReinsStep): the steps, or %NULL with @error set
 */
GPtrArray *
reins_cli_read_run (const char   *db_path,
                    const char   *run_id,
                    ReinsRun    **run,
                    ReinsStore  **out_store,
                    GError      **error)
{
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsRun) found = NULL;
  GPtrArray *steps;

  *run = NULL;
  if (!reins_cli_open_store (db_path, &store, error))
    return NULL;
  found = reins_cli_find_run (store, db_path, run_id, error);
  if (found == NULL)
    return NULL;
  steps = reins_store_get_steps (store, reins_run_get_id (found), 1, 0, error);
  if (steps != NULL)
    {
      *run = g_steal_pointer (&found);
      if (out_store != NULL)
        *out_store = g_steal_pointer (&store);
    }
  return steps;
}

void
reins_cli_write_stdout (const char *text)
{
  fputs (text, stdout);
  fflush (stdout);
}

char *
reins_cli_format_time (gint64 unix_usec)
{
  g_autoptr(GDateTime) dt = NULL;

  if (unix_usec <= 0)
    return g_strdup ("—");
  dt = g_date_time_new_from_unix_local (unix_usec / G_USEC_PER_SEC);
  if (dt == NULL)
    return g_strdup ("—");
  return g_date_time_format (dt, "%Y-%m-%d %H:%M");
}
