/* reins-cli-judge.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `reins-cli judge RUN…|--all|--label=K[=V]|--source=S [GUARD OPTION…] [--json]`: many
 * stored runs judged again under the guard options given, as `replay` judges one, and a
 * report of what the guards would have done (app/loop/reins-judge.c does the work).
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "reins-cli-private.h"
#include "reins-judge.h"

static gboolean
apply_cb (JsonObject  *settings,
          gpointer     user_data,
          GError     **error)
{
  return reins_cli_what_if_options_apply (user_data, settings, error);
}

int
reins_cli_judge (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsJudgeReport) report = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_auto(GStrv) run_ids = NULL;
  g_auto(ReinsCliWhatIfOptions) what_if = { 0 };
  g_autofree char *db_path = NULL;
  g_autofree char *path = NULL;
  g_autofree char *label = NULL;
  g_autofree char *source = NULL;
  gboolean all = FALSE, json = FALSE;
  int threads = 2;
  ReinsJudgeQuery query = { 0 };
  GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Judge every stored run"), NULL },
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, N_("Judge the runs with this label (any value, or VALUE)"), N_("KEY[=VALUE]") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, N_("Judge the runs imported from this format (openai, anthropic, otlp) or file"), N_("S") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the report as one JSON object"), NULL },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &threads, N_("Judge on this many threads [2]"), N_("N") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The run store [$XDG_DATA_HOME/reins/runs.db]"), N_("PATH") },
    { NULL }
  };

  reins_cli_what_if_options_init (&what_if);
  context = reins_cli_context_new ("judge", "[RUN_ID…]",
                                   _("Judges many stored runs again with the harness, each under "
                                     "its own settings changed by the guard options given, "
                                     "without calling the model or running tools, and reports "
                                     "the steps and runs each guard flags, the questions a "
                                     "person would have been asked and the runs that would have "
                                     "been stopped. A run is flagged when a person would have "
                                     "been asked or the run stopped. For runs with an outcome "
                                     "label (success, outcome, reward) it reports how well "
                                     "flagged separates failed runs from successful ones.\n"
                                     "Choose the runs by RUN_ID (6 or more characters), --all, "
                                     "--label or --source; --label and --source also narrow "
                                     "the runs given.\n"
                                     "Exit status: 0 done, 2 usage error or unknown run, 4 store "
                                     "error."),
                                   entries);
  reins_cli_what_if_options_add_entries (context, &what_if);
  if (!reins_cli_parse (context, &argc, &argv, 0, G_MAXINT))
    return REINS_CLI_EXIT_USAGE;
  if (!reins_cli_what_if_options_check (&what_if))
    return REINS_CLI_EXIT_USAGE;
  if (argc < 2 && !all && label == NULL && source == NULL)
    return reins_cli_usage_error (_("choose the runs: RUN_ID…, --all, --label=KEY=VALUE or "
                                    "--source=S"));
  if (argc >= 2 && all)
    return reins_cli_usage_error (_("give run ids or --all, not both"));
  if (threads < 1 || threads > 64)
    return reins_cli_usage_error (_("--threads must be from 1 to 64"));

  if (!reins_cli_open_store (db_path, &store, &error))
    return reins_cli_fail (error);
  if (store == NULL)
    {
      reins_cli_print_error (_("There are no runs in the store yet."));
      return REINS_CLI_EXIT_USAGE;
    }

  /* Short ids are resolved here, so that every worker reads whole ones. */
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(ReinsRun) run = reins_cli_find_run (store, db_path, argv[i], &error);

      if (run == NULL)
        return reins_cli_fail (error);
      g_strv_builder_add (ids, reins_run_get_id (run));
    }
  run_ids = g_strv_builder_end (ids);
  path = g_strdup (reins_store_get_path (store));
  g_clear_object (&store);

  query.store_path = path;
  query.run_ids = argc >= 2 ? (const char * const *) run_ids : NULL;
  query.label = label;
  query.source = source;
  query.settings_func = apply_cb;
  query.settings_data = &what_if;
  query.n_threads = threads;
  report = reins_judge_run_query (&query, &error);
  if (report == NULL)
    return reins_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonNode) node = reins_judge_report_to_json (report);
      g_autofree char *line = reins_event_to_line (node);

      printf ("%s\n", line);
    }
  else
    {
      g_autofree char *text = reins_judge_report_to_text (report);

      fputs (text, stdout);
    }
  fflush (stdout);
  return REINS_CLI_EXIT_OK;
}
