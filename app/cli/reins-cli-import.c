/* reins-cli-import.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `reins-cli import FILE… [--db=PATH] [--json]`: other agents' traces stored as runs
 * (app/import/ does the reading).
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "reins-cli-private.h"
#include "reins-import.h"

typedef struct
{
  gboolean json;
  gboolean quiet;
} Printer;

static void
print_run (ReinsRun *run,
           gboolean  duplicate,
           gpointer  user_data)
{
  Printer *printer = user_data;
  JsonObject *settings = reins_run_get_settings (run);
  JsonObject *source = json_object_get_object_member (settings, "source");

  if (printer->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *line = NULL;
      JsonNode *labels = json_object_get_member (settings, "labels");
      JsonNode *notes = json_object_get_member (settings, "import_notes");

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "event");
      json_builder_add_string_value (builder, duplicate ? "duplicate" : "imported");
      json_builder_set_member_name (builder, "run_id");
      json_builder_add_string_value (builder, reins_run_get_id (run));
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, reins_run_status_to_string (reins_run_get_status (run)));
      json_builder_set_member_name (builder, "steps");
      json_builder_add_int_value (builder, reins_run_get_step_count (run));
      if (source != NULL)
        {
          json_builder_set_member_name (builder, "source");
          json_builder_add_value (builder, json_node_copy (json_object_get_member (settings, "source")));
        }
      if (labels != NULL)
        {
          json_builder_set_member_name (builder, "labels");
          json_builder_add_value (builder, json_node_copy (labels));
        }
      json_builder_set_member_name (builder, "notes");
      json_builder_add_int_value (builder, notes != NULL && JSON_NODE_HOLDS_ARRAY (notes) ?
                                  json_array_get_length (json_node_get_array (notes)) : 0);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      line = reins_event_to_line (node);
      printf ("%s\n", line);
    }
  else if (!printer->quiet)
    {
      if (duplicate)
        printf (_("%s  already stored (line %" G_GINT64_FORMAT ")\n"), reins_run_get_id (run),
                source != NULL ? json_object_get_int_member_with_default (source, "line", 0) : 0);
      else
        printf (_("%s  %-10s %3u steps  %s\n"), reins_run_get_id (run),
                reins_run_status_to_string (reins_run_get_status (run)),
                reins_run_get_step_count (run), reins_run_get_task (run));
    }
}

int
reins_cli_import (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autofree char *db_path = NULL;
  ReinsImportStats stats = { 0 };
  Printer printer = { FALSE, FALSE };
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
      N_("The run store [$XDG_DATA_HOME/reins/runs.db]"), N_("PATH") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &printer.json,
      N_("Print one JSON line per conversation, then a summary"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &printer.quiet,
      N_("Print only the summary"), NULL },
    { NULL }
  };

  context = reins_cli_context_new ("import", "FILE…",
                                   _("Store other agents' traces as runs of provider "
                                     "“imported”: OpenAI Chat Completions or Anthropic "
                                     "Messages conversations (JSON, or JSON Lines with one "
                                     "conversation per line) and OpenTelemetry GenAI spans "
                                     "(OTLP/JSON). A conversation already stored is "
                                     "recognised and skipped. Metadata such as an outcome, "
                                     "reward or task id becomes the run's labels. Logged "
                                     "request/response pairs and streamed replies (chunks, "
                                     "or recorded server-sent events) are read too. A folder "
                                     "is read file by file: its .json, .jsonl, .ndjson and "
                                     ".sse files in order of name, and its folders.\n"
                                     "Exit status: 0 done, 1 a file could not be read or is "
                                     "malformed (what came before it stays imported), "
                                     "2 usage error, 4 store error."),
                                   entries);
  if (!reins_cli_parse (context, &argc, &argv, 1, G_MAXINT))
    return REINS_CLI_EXIT_USAGE;

  if (db_path == NULL)
    db_path = reins_store_default_location ();
  store = reins_store_open (db_path, &error);
  if (store == NULL)
    return reins_cli_fail (error);

  for (int i = 1; i < argc; i++)
    if (!reins_import_file (store, argv[i], &stats, print_run, &printer, &error))
      {
        if (error->domain == REINS_ERROR && error->code >= REINS_ERROR_STORE &&
            error->code <= REINS_ERROR_STORE_READ_ONLY)
          return reins_cli_fail (error);
        /* One line, as every error of reins-cli: what went wrong and what stays. */
        reins_cli_print_error (_("%s (%u imported, %u already stored before it; the files "
                                 "after it were not read)"),
                               error->message, stats.imported, stats.duplicates);
        return REINS_CLI_EXIT_FAILED;
      }

  if (printer.json)
    printf ("{\"event\":\"import_summary\",\"imported\":%u,\"duplicates\":%u,\"notes\":%u}\n",
            stats.imported, stats.duplicates, stats.notes);
  else
    printf (_("%u imported, %u already stored, %u notes on what could not be mapped.\n"),
            stats.imported, stats.duplicates, stats.notes);
  return REINS_CLI_EXIT_OK;
}
