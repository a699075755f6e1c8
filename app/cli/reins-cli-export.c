/* reins-cli-export.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * reins-cli export: one run as JSON, Markdown or OTLP/JSON (OpenTelemetry GenAI spans), to
 * stdout or to a file.
 */

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "reins-cli-private.h"
#include "reins-export.h"
#include "reins-otlp.h"

int
reins_cli_export (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) tags = NULL;
  g_autofree char *note = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GPtrArray) feedback = NULL;
  gboolean otlp_content = FALSE;
  enum { FORMAT_JSON, FORMAT_MARKDOWN, FORMAT_OTLP } kind;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("“json” (everything, for programs), “markdown” (a report for people) or “otlp” "
         "(OpenTelemetry GenAI spans as OTLP/JSON)"),
      N_("FORMAT") },
    { "otlp-content", 0, 0, G_OPTION_ARG_NONE, &otlp_content,
      N_("otlp: also write the task, the model's words, tool arguments and results"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE (replaced whole, never half-written) instead of standard output"),
      N_("FILE") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
      N_("The run store [$XDG_DATA_HOME/reins/runs.db]"), N_("PATH") },
    { NULL }
  };

  context = reins_cli_context_new ("export", "RUN_ID",
                                   _("Write one run as JSON, as a Markdown report or as "
                                     "OpenTelemetry GenAI spans (OTLP/JSON; without "
                                     "--otlp-content only names, counts, verdicts and "
                                     "decisions, no prompts, arguments or results). RUN_ID "
                                     "may be shortened to its first 6 or more characters."),
                                   entries);
  if (!reins_cli_parse (context, &argc, &argv, 1, 1))
    return REINS_CLI_EXIT_USAGE;

  if (format == NULL)
    {
      reins_cli_print_error (_("choose a format: --format=json, --format=markdown or "
                               "--format=otlp"));
      return REINS_CLI_EXIT_USAGE;
    }
  if (g_ascii_strcasecmp (format, "markdown") == 0 || g_ascii_strcasecmp (format, "md") == 0)
    kind = FORMAT_MARKDOWN;
  else if (g_ascii_strcasecmp (format, "json") == 0)
    kind = FORMAT_JSON;
  else if (g_ascii_strcasecmp (format, "otlp") == 0)
    kind = FORMAT_OTLP;
  else
    {
      reins_cli_print_error (_("unknown format “%s”: use json, markdown or otlp"), format);
      return REINS_CLI_EXIT_USAGE;
    }
  if (otlp_content && kind != FORMAT_OTLP)
    {
      reins_cli_print_error (_("--otlp-content goes with --format=otlp"));
      return REINS_CLI_EXIT_USAGE;
    }

  steps = reins_cli_read_run (db_path, argv[1], &run, &store, &error);
  if (steps == NULL)
    return reins_cli_fail (error);
  if (kind != FORMAT_OTLP &&
      (!reins_export_read_labels (store, reins_run_get_id (run), &tags, &note, &error) ||
       !reins_export_read_feedback (store, reins_run_get_id (run), &name, &feedback, &error)))
    return reins_cli_fail (error);

  if (kind == FORMAT_MARKDOWN)
    text = reins_export_markdown_full (run, steps, (const char * const *) tags, note,
                                       name, feedback);
  else if (kind == FORMAT_OTLP)
    text = reins_otlp_export (run, steps, otlp_content);
  else
    text = reins_export_json_full (run, steps, (const char * const *) tags, note, name,
                                   feedback);

  if (output == NULL || g_str_equal (output, "-"))
    {
      reins_cli_write_stdout (text);
      return REINS_CLI_EXIT_OK;
    }

  if (!g_file_set_contents (output, text, -1, &error))
    {
      reins_cli_print_error (_("could not write “%s”: %s"), output, error->message);
      return REINS_CLI_EXIT_FAILED;
    }
  return REINS_CLI_EXIT_OK;
}
