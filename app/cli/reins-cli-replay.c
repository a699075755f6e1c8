/* reins-cli-replay.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `reins-cli replay RUN_ID [GUARD OPTION…] [--json]`: a stored run judged again by the
 * harness, under its own settings or the guard options given — what would have been
 * stopped, corrected or sent to a person. No model is called and no tool runs.
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "reins-cli-private.h"
#include "reins-harness.h"
#include "reins-replay.h"

static void
print_line (JsonNode *event)
{
  g_autofree char *line = reins_event_to_line (event);

  fputs (line, stdout);
  fputc ('\n', stdout);
  json_node_unref (event);
}

static char *
describe_verdict (ReinsVerdict *verdict)
{
  if (verdict == NULL)
    return g_strdup (_("allow"));
  return g_strdup_printf ("%s %s", reins_verdict_get_guard (verdict),
                          reins_verdict_kind_to_string (reins_verdict_get_kind (verdict)));
}

static void
print_human (ReinsRun  *run,
             GPtrArray *replayed)
{
  guint changed = 0;

  printf (_("Replay of run %s: %s\n"), reins_run_get_id (run), reins_run_get_task (run));
  for (guint i = 0; i < replayed->len; i++)
    {
      ReinsReplayStep *entry = g_ptr_array_index (replayed, i);
      ReinsAction *action = reins_step_get_action (entry->step);
      GPtrArray *verdicts = reins_step_get_verdicts (entry->step);
      g_autofree char *stored = describe_verdict (entry->stored_worst);
      g_autofree char *now = describe_verdict (entry->replayed_worst);

      printf ("%s %3u  %-14s  %s: %-22s %s: %s\n", entry->changed ? "*" : " ",
              reins_step_get_index (entry->step),
              action != NULL ? reins_action_get_name (action) : "—",
              _("stored"), stored, _("replayed"), now);
      for (guint j = 0; j < verdicts->len; j++)
        {
          ReinsVerdict *v = g_ptr_array_index (verdicts, j);

          if (reins_verdict_get_kind (v) != REINS_VERDICT_ALLOW)
            printf ("        %s/%s: %s\n", reins_verdict_get_guard (v),
                    reins_verdict_kind_to_string (reins_verdict_get_kind (v)),
                    reins_verdict_get_reason (v));
        }
      if (entry->changed)
        changed++;
    }

  if (changed == 0)
    printf (_("No step would have been judged differently.\n"));
  else
    printf (ngettext ("%u step would have been judged differently (marked *).\n",
                      "%u steps would have been judged differently (marked *).\n", changed),
            changed);
}

int
reins_cli_replay (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) replayed = NULL;
  g_autoptr(JsonObject) settings = NULL;
  g_autofree char *db_path = NULL;
  g_auto(ReinsCliWhatIfOptions) what_if = { 0 };
  gboolean json = FALSE;
  int status = REINS_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON Lines: each step, then a summary"), NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The run store [$XDG_DATA_HOME/reins/runs.db]"), N_("PATH") },
    { NULL }
  };

  reins_cli_what_if_options_init (&what_if);
  context = reins_cli_context_new ("replay", "RUN_ID",
                                   _("Judges a stored run's steps again with the harness, under the "
                                     "run's own settings changed by the guard options given, "
                                     "without calling the model or running tools. RUN_ID may be "
                                     "shortened to its first 6 or more characters.\n"
                                     "Exit status: 0 done, 2 usage error or unknown run, 4 store "
                                     "error."),
                                   entries);
  reins_cli_what_if_options_add_entries (context, &what_if);
  if (!reins_cli_parse (context, &argc, &argv, 1, 1))
    return REINS_CLI_EXIT_USAGE;
  if (!reins_cli_what_if_options_check (&what_if))
    return REINS_CLI_EXIT_USAGE;

  if (!reins_cli_open_store (db_path, &store, &error))
    {
      status = reins_cli_fail (error);
      goto out;
    }
  if (store == NULL)
    {
      reins_cli_print_error (_("There are no runs in the store yet."));
      status = REINS_CLI_EXIT_USAGE;
      goto out;
    }
  run = reins_cli_find_run (store, db_path, argv[1], &error);
  if (run != NULL)
    steps = reins_store_get_steps (store, reins_run_get_id (run), 1, 0, &error);
  if (steps == NULL)
    {
      status = reins_cli_fail (error);
      goto out;
    }

  settings = reins_replay_settings_merge (reins_run_get_settings (run), NULL);
  if (!reins_cli_what_if_options_apply (&what_if, settings, &error))
    {
      status = reins_cli_fail (error);
      goto out;
    }

  replayed = reins_replay_run (run, steps, settings, &error);
  if (replayed == NULL)
    {
      status = reins_cli_fail (error);
      goto out;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      for (guint i = 0; i < replayed->len; i++)
        {
          ReinsReplayStep *entry = g_ptr_array_index (replayed, i);
          JsonNode *event = reins_event_step (entry->step);

          json_object_set_boolean_member (json_node_get_object (event), "replayed", TRUE);
          json_object_set_boolean_member (json_node_get_object (event), "changed", entry->changed);
          print_line (event);
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "event");
      json_builder_add_string_value (builder, "replay_summary");
      json_builder_set_member_name (builder, "run_id");
      json_builder_add_string_value (builder, reins_run_get_id (run));
      json_builder_set_member_name (builder, "changed_steps");
      json_builder_begin_array (builder);
      for (guint i = 0; i < replayed->len; i++)
        {
          ReinsReplayStep *entry = g_ptr_array_index (replayed, i);

          if (entry->changed)
            json_builder_add_int_value (builder, reins_step_get_index (entry->step));
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_line (json_builder_get_root (builder));
    }
  else
    {
      print_human (run, replayed);
    }
  fflush (stdout);

out:
  return status;
}
