/* bench-import.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints how fast a folder of OpenAI-format conversations with outcome labels is imported,
 * imported again (every one recognised), and judged under two settings on one and on two
 * threads. Built, not run as a test: `_build/tests/bench-import [N_CONVERSATIONS]`.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "reins-import.h"
#include "reins-judge.h"
#include "reins-store.h"

/* Three to seven tool calls, one parallel pair; one in four fails and deletes something. */
static char *
conversation (guint i)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean fails = i % 4 == 0;
  guint calls = 3 + i % 5;

  g_string_append_printf (text, "{\"task_id\": \"bench-%u\", \"success\": %s, \"reward\": %s, "
                          "\"model\": \"gpt-4o\", \"messages\": ["
                          "{\"role\": \"system\", \"content\": \"You are a support agent.\"},"
                          "{\"role\": \"user\", \"content\": \"Ticket %u: the customer wants a refund "
                          "for order %u.\"}", i, fails ? "false" : "true", fails ? "0.0" : "1.0",
                          i, 1000 + i);
  for (guint c = 0; c < calls; c++)
    {
      const char *tool = fails && c == calls - 1 ? "delete_order" : "lookup_order";

      g_string_append_printf (text, ",{\"role\": \"assistant\", \"content\": \"Step %u: checking.\", "
                              "\"tool_calls\": [{\"id\": \"c%u\", \"type\": \"function\", \"function\": "
                              "{\"name\": \"%s\", \"arguments\": \"{\\\"order\\\": %u}\"}}",
                              c, c, tool, 1000 + i);
      if (c == 1)
        g_string_append_printf (text, ",{\"id\": \"p%u\", \"type\": \"function\", \"function\": "
                                "{\"name\": \"lookup_customer\", \"arguments\": \"{\\\"id\\\": %u}\"}}",
                                c, i);
      g_string_append (text, "]}");
      g_string_append_printf (text, ",{\"role\": \"tool\", \"tool_call_id\": \"c%u\", \"content\": "
                              "\"order %u: shipped, 2 items, 49.90 EUR\"}", c, 1000 + i);
      if (c == 1)
        g_string_append_printf (text, ",{\"role\": \"tool\", \"tool_call_id\": \"p%u\", "
                                "\"content\": \"customer %u: since 2021\"}", c, i);
    }
  g_string_append (text, ",{\"role\": \"assistant\", \"content\": \"The refund is issued.\"}]}");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

static gboolean
deny_delete (JsonObject  *settings,
             gpointer     user_data,
             GError     **error)
{
  JsonObject *policy = json_object_new ();

  json_object_set_string_member (policy, "delete_order", "ask");
  json_object_set_object_member (settings, "tool_policy", policy);
  return TRUE;
}

static void
judge (const char            *path,
       ReinsJudgeSettingsFunc func,
       guint                  threads,
       const char            *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsJudgeReport) report = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  ReinsJudgeQuery query = { 0 };
  gint64 start = g_get_monotonic_time ();
  double t;

  query.store_path = path;
  query.settings_func = func;
  query.n_threads = threads;
  report = reins_judge_run_query (&query, &error);
  t = seconds_since (start);
  if (report == NULL)
    {
      fprintf (stderr, "judge: %s\n", error->message);
      exit (1);
    }
  node = reins_judge_report_to_json (report);
  json = reins_json_to_string (node, FALSE);
  printf ("judge, %-32s %u thread%s: %6.2f s\n  %.300s\n", what, threads, threads > 1 ? "s" : "",
          t, json);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reins-bench-import-XXXXXX", &error);
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  g_autoptr(ReinsStore) store = NULL;
  guint n = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 1000;
  ReinsImportStats stats = { 0 };
  gint64 start;
  double t;

  if (dir == NULL || n == 0)
    {
      fprintf (stderr, "usage: bench-import [N_CONVERSATIONS]\n");
      return 2;
    }
  folder = g_build_filename (dir, "traces", NULL);
  g_mkdir (folder, 0700);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/conversation-%05u.json", folder, i);
      g_autofree char *text = conversation (i);

      if (!g_file_set_contents (name, text, -1, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
    }

  path = g_build_filename (dir, "runs.db", NULL);
  store = reins_store_open (path, &error);
  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  for (guint round = 0; round < 2; round++)
    {
      start = g_get_monotonic_time ();
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *name = g_strdup_printf ("%s/conversation-%05u.json", folder, i);

          if (!reins_import_file (store, name, &stats, NULL, NULL, &error))
            {
              fprintf (stderr, "%s\n", error->message);
              return 1;
            }
        }
      t = seconds_since (start);
      printf ("import of %u files (%s): %6.2f s, %.0f conversations/s; %u stored, %u recognised\n",
              n, round == 0 ? "first time" : "again", t, n / t, stats.imported, stats.duplicates);
    }
  g_clear_object (&store);

  judge (path, NULL, 1, "their own settings,");
  judge (path, NULL, 2, "their own settings,");
  judge (path, deny_delete, 2, "delete_order=ask,");

  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    for (guint i = 0; i < n; i++)
      {
        g_autofree char *name = g_strdup_printf ("%s/conversation-%05u.json", folder, i);

        g_unlink (name);
      }
    g_rmdir (folder);
    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
  return 0;
}
