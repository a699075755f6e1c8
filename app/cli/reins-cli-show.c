/* reins-cli-show.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * reins-cli show: one run with all its steps, for a person or as one JSON object.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "reins-cli-private.h"
#include "reins-export.h"

/* A person reads a terminal; the whole text is in `show --json` and the exports. */
#define OBSERVATION_LIMIT 2000

static void
print_field (const char *label,
             const char *value)
{
  printf ("%-13s %s\n", label, value != NULL ? value : "—");
}

/* Prints @text under a label, each line indented. */
static void
print_block (const char *label,
             const char *text,
             glong       limit)
{
  g_autofree char *shown = NULL;
  g_auto(GStrv) lines = NULL;
  glong length;

  if (text == NULL)
    return;
  length = g_utf8_strlen (text, -1);
  if (limit > 0 && length > limit)
    shown = g_utf8_substring (text, 0, limit);
  else
    shown = g_strdup (text);

  printf ("  %s:\n", label);
  lines = g_strsplit (shown, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    printf ("    %s\n", lines[i]);
  if (limit > 0 && length > limit)
    printf ("    %s\n", _("[… cut here; “show --json” has all of it]"));
}

/* One decision of the audit trail: who decided what and when, what they were asked and
 * why, and for an edit the action before and after. */
static void
print_decision (ReinsApprovalRecord *record)
{
  g_autofree char *summary = reins_approval_record_dup_summary (record);
  ReinsDecision decision = reins_approval_record_get_decision (record);
  gint64 requested = reins_approval_record_get_requested_at (record);
  gint64 resolved = reins_approval_record_get_resolved_at (record);

  printf ("  %s %s", _("decision"), summary);
  if (decision != REINS_DECISION_NONE && resolved > 0)
    {
      g_autofree char *when = reins_cli_format_time (resolved);

      printf (" · %s", when);
      if (requested > 0 && resolved >= requested && !reins_approval_record_is_automatic (record))
        printf (" (%s %" G_GINT64_FORMAT " s)", _("after"),
                (resolved - requested) / G_USEC_PER_SEC);
    }
  printf ("\n    %s %s: %s\n", _("asked by"), reins_approval_record_get_guard (record),
          reins_approval_record_get_reason (record));
  if (decision == REINS_DECISION_EDIT)
    {
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;

      if (reins_approval_record_get_action (record) != NULL)
        before = reins_action_to_string (reins_approval_record_get_action (record));
      if (reins_approval_record_get_final_action (record) != NULL)
        after = reins_action_to_string (reins_approval_record_get_final_action (record));
      printf ("    %s %s\n    %s  %s\n", _("before:"), before ? before : "—",
              _("after:"), after ? after : "—");
    }
}

static void
print_step (ReinsStep *step)
{
  ReinsAction *action = reins_step_get_action (step);
  GPtrArray *verdicts = reins_step_get_verdicts (step);
  GPtrArray *approvals = reins_step_get_approvals (step);
  g_autofree char *confidence = NULL;

  if (reins_step_has_confidence (step))
    confidence = g_strdup_printf ("%.2f (%s)", reins_step_get_confidence (step),
                                  reins_confidence_source_to_string (
                                    reins_step_get_confidence_source (step)));
  else
    confidence = g_strdup ("—");

  printf ("\n%s %u\n", _("Step"), reins_step_get_index (step));
  print_block (_("Thought"), reins_step_get_thought (step), 0);
  if (action != NULL)
    {
      g_autofree char *text = reins_action_to_string (action);

      print_block (_("Action"), text, 0);
    }
  print_block (reins_step_get_tool_error (step) ? _("Observation (the tool failed)")
                                                : _("Observation"),
               reins_step_get_observation (step), OBSERVATION_LIMIT);
  printf ("  %s %s · %s %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " · %s $%.4f · %s %"
          G_GINT64_FORMAT " ms\n",
          _("confidence"), confidence, _("tokens in/out"), reins_step_get_input_tokens (step),
          reins_step_get_output_tokens (step), _("cost"), reins_step_get_cost_usd (step),
          _("took"), reins_step_get_duration_ms (step));

  for (guint i = 0; i < verdicts->len; i++)
    {
      ReinsVerdict *verdict = g_ptr_array_index (verdicts, i);

      if (reins_verdict_get_kind (verdict) != REINS_VERDICT_ALLOW)
        printf ("  %s %s: %s — %s\n", _("harness"), reins_verdict_get_guard (verdict),
                reins_verdict_kind_to_string (reins_verdict_get_kind (verdict)),
                reins_verdict_get_reason (verdict));
    }
  if (reins_step_get_critique (step) != NULL)
    {
      const ReinsCritique *critique = reins_step_get_critique (step);
      g_autofree char *line = reins_critique_describe (critique);

      printf ("  %s · %s %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " · %s $%.4f\n", line,
              _("tokens in/out"), critique->input_tokens, critique->output_tokens, _("cost"),
              critique->cost_usd);
    }
  for (guint i = 0; i < approvals->len; i++)
    print_decision (g_ptr_array_index (approvals, i));
}

static void
print_run (ReinsRun           *run,
           GPtrArray          *steps,
           const char * const *tags,
           const char         *note,
           const char         *name,
           GPtrArray          *feedback)
{
  g_autofree char *created = reins_cli_format_time (reins_run_get_created_at (run));
  g_autofree char *finished = reins_cli_format_time (reins_run_get_finished_at (run));
  g_autofree char *tokens = g_strdup_printf ("%" G_GUINT64_FORMAT " in, %" G_GUINT64_FORMAT " out",
                                             reins_run_get_input_tokens (run),
                                             reins_run_get_output_tokens (run));
  g_autofree char *cost = g_strdup_printf ("$%.4f", reins_run_get_cost_usd (run));
  g_autofree char *count = g_strdup_printf ("%u", reins_run_get_step_count (run));

  print_field (_("Run"), reins_run_get_id (run));
  if (name != NULL)
    print_field (_("Name"), name);
  print_field (_("Task"), reins_run_get_task (run));
  print_field (_("Status"), reins_run_status_to_string (reins_run_get_status (run)));
  print_field (_("Provider"), reins_run_get_provider (run));
  print_field (_("Model"), reins_run_get_model (run));
  print_field (_("Created"), created);
  print_field (_("Finished"), finished);
  print_field (_("Steps"), count);
  print_field (_("Tokens"), tokens);
  print_field (_("Cost"), cost);
  if (reins_run_get_parent_run_id (run) != NULL)
    {
      g_autofree char *lineage = g_strdup_printf (_("%s, at step %u"),
                                                  reins_run_get_parent_run_id (run),
                                                  reins_run_get_fork_step (run));
      print_field (_("Forked from"), lineage);
    }
  print_field (_("Reason"), reins_run_get_reason (run));
  print_field (_("Final answer"), reins_run_get_final_answer (run));
  if (tags[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **) tags);

      print_field (_("Tags"), joined);
    }
  if (note != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (note, "\n", -1);

      /* The note's later lines line up under its first */
      print_field (_("Note"), lines[0]);
      for (guint i = 1; lines[i] != NULL; i++)
        printf ("%-13s %s\n", "", lines[i]);
    }
  for (guint i = 0; i < feedback->len; i++)
    {
      ReinsStepFeedback *item = g_ptr_array_index (feedback, i);
      g_autofree char *line = g_strdup_printf (item->rating > 0 ? _("step %u: thumbs up%s%s")
                                                                : _("step %u: thumbs down%s%s"),
                                               item->step, item->comment ? " — " : "",
                                               item->comment ? item->comment : "");

      /* A comment is one line here, like every field */
      g_strdelimit (line, "\n\r", ' ');
      print_field (i == 0 ? _("Feedback") : "", line);
    }

  for (guint i = 0; i < steps->len; i++)
    print_step (g_ptr_array_index (steps, i));
}

int
reins_cli_show (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *db_path = NULL;
  g_auto(GStrv) tags = NULL;
  g_autofree char *note = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GPtrArray) feedback = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the run as one JSON object, with its steps, on one line"), NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
      N_("The run store [$XDG_DATA_HOME/reins/runs.db]"), N_("PATH") },
    { NULL }
  };

  context = reins_cli_context_new ("show", "RUN_ID",
                                   _("Show one run with all its steps. RUN_ID may be shortened "
                                     "to its first 6 or more characters."),
                                   entries);
  if (!reins_cli_parse (context, &argc, &argv, 1, 1))
    return REINS_CLI_EXIT_USAGE;

  steps = reins_cli_read_run (db_path, argv[1], &run, &store, &error);
  if (steps == NULL)
    return reins_cli_fail (error);
  if (!reins_export_read_labels (store, reins_run_get_id (run), &tags, &note, &error) ||
      !reins_export_read_feedback (store, reins_run_get_id (run), &name, &feedback, &error))
    return reins_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonNode) node = reins_export_run_node (run, steps);
      g_autofree char *text = NULL;

      reins_export_add_labels (node, (const char * const *) tags, note);
      reins_export_add_feedback (node, name, feedback);
      text = reins_json_to_string (node, FALSE);
      printf ("%s\n", text);
    }
  else
    print_run (run, steps, (const char * const *) tags, note, name, feedback);

  return REINS_CLI_EXIT_OK;
}
