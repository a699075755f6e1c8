/* reins-cli-list.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * reins-cli list: the stored runs, newest first, as a table or as JSON Lines.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "reins-cli-private.h"
#include "reins-export.h"

#define TASK_WIDTH 60

/* The task's first line, cut to @width characters. */
static char *
short_task (const char *task,
            guint       width)
{
  const char *newline = strchr (task, '\n');
  g_autofree char *line = newline != NULL ? g_strndup (task, newline - task) : g_strdup (task);
  g_autofree char *cut = NULL;

  if (g_utf8_strlen (line, -1) <= width && newline == NULL)
    return g_steal_pointer (&line);
  cut = g_utf8_substring (line, 0, MIN ((glong) width - 1, g_utf8_strlen (line, -1)));
  return g_strconcat (cut, "…", NULL);
}

static void
print_table (GPtrArray *runs)
{
  /* Translators: column headings of "reins-cli list"; keep them short */
  printf ("%-8s  %-17s  %5s  %9s  %-16s  %s\n", _("ID"), _("STATUS"), _("STEPS"), _("COST"),
          _("CREATED"), _("TASK"));
  for (guint i = 0; i < runs->len; i++)
    {
      ReinsRun *run = g_ptr_array_index (runs, i);
      g_autofree char *id = g_strndup (reins_run_get_id (run), 8);
      g_autofree char *created = reins_cli_format_time (reins_run_get_created_at (run));
      g_autofree char *task = short_task (reins_run_get_task (run), TASK_WIDTH);
      g_autofree char *cost = g_strdup_printf ("$%.4f", reins_run_get_cost_usd (run));

      printf ("%-8s  %-17s  %5u  %9s  %-16s  %s\n", id,
              reins_run_status_to_string (reins_run_get_status (run)),
              reins_run_get_step_count (run), cost, created, task);
    }
}

int
reins_cli_list (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autofree char *db_path = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print one JSON object per run and line (JSON Lines)"), NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
      N_("The run store [$XDG_DATA_HOME/reins/runs.db]"), N_("PATH") },
    { NULL }
  };

  context = reins_cli_context_new ("list", NULL, _("List the stored runs, newest first."),
                                   entries);
  if (!reins_cli_parse (context, &argc, &argv, 0, 0))
    return REINS_CLI_EXIT_USAGE;

  if (!reins_cli_open_store (db_path, &store, &error))
    return reins_cli_fail (error);

  if (store != NULL)
    {
      runs = reins_store_list_runs (store, -1, 0, 0, &error);
      if (runs == NULL)
        return reins_cli_fail (error);
    }

  if (runs == NULL || runs->len == 0)
    {
      if (!json)
        fprintf (stderr, "%s\n", _("No runs yet."));
      return REINS_CLI_EXIT_OK;
    }

  if (!json)
    {
      print_table (runs);
      return REINS_CLI_EXIT_OK;
    }

  for (guint i = 0; i < runs->len; i++)
    {
      g_autoptr(JsonNode) node = reins_export_run_node (g_ptr_array_index (runs, i), NULL);
      g_autofree char *line = reins_json_to_string (node, FALSE);

      printf ("%s\n", line);
    }
  return REINS_CLI_EXIT_OK;
}
