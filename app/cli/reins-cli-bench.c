/* reins-cli-bench.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `reins-cli bench`: a task suite under several set-ups, on the engine of app/loop/reins-bench.c,
 * with the provider and guard options of `run` (docs/bench.md).
 */

#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "reins-bench.h"
#include "reins-cli-private.h"
#include "reins-kb.h"

#define DEFAULT_TASKS  100
#define DEFAULT_LENGTH 10

typedef struct
{
  GMainLoop *loop;
  ReinsBench *bench;
  gboolean    tty;
  gboolean    interrupted;
} BenchState;

static void
progress_cb (ReinsBench *bench,
             guint       done,
             guint       total,
             BenchState *state)
{
  if (state->tty)
    g_printerr (_("\r%u/%u done"), done, total);
  else
    g_printerr (_("%u/%u done\n"), done, total);
}

static void
finished_cb (ReinsBench *bench,
             BenchState *state)
{
  if (state->tty)
    g_printerr ("\n");
  g_main_loop_quit (state->loop);
}

static gboolean
sigint_cb (gpointer data)
{
  BenchState *state = data;

  if (!state->interrupted)
    {
      state->interrupted = TRUE;
      g_printerr (_("\nCancelling the bench…\n"));
      reins_bench_cancel (state->bench);
    }
  return G_SOURCE_CONTINUE;
}

int
reins_cli_bench (int    argc,
                 char **argv)
{
  g_autofree char *suite = NULL;
  g_autofree char *setups = NULL;
  g_autofree char *person = NULL;
  g_autofree char *db = NULL;
  gint tasks = -1, length = -1, repeat = 1, jobs = 1;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "suite", 0, 0, G_OPTION_ARG_FILENAME, &suite, N_("chains (built in) or a JSON Lines file of tasks [chains]"), N_("chains|FILE") },
    { "tasks", 0, 0, G_OPTION_ARG_INT, &tasks, N_("How many tasks: chains with seeds 1…N, or a file’s first N [100, or the whole file]"), N_("N") },
    { "length", 0, 0, G_OPTION_ARG_INT, &length, N_("Lookups in a chain [10]"), N_("N") },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, N_("Runs of each task, each with another seed [1]"), N_("N") },
    { "setups", 0, 0, G_OPTION_ARG_STRING, &setups, N_("Set-ups to compare: linear, loop, harness, ablations [linear,loop,harness]"), N_("LIST") },
    { "person", 0, 0, G_OPTION_ARG_STRING, &person, N_("approve, reject, or judge (approve unless a guard besides policy and confidence objects) [judge]"), N_("POLICY") },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, N_("Runs at a time [1]"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the results as one JSON object"), NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The run store [$XDG_DATA_HOME/reins/runs.db]"), N_("PATH") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) owned_args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) suite_tasks = NULL;
  g_autoptr(ReinsProviderConfig) config = NULL;
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(ReinsBench) bench = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_auto(ReinsCliProviderOptions) po = { 0 };
  g_auto(ReinsCliGuardOptions) guards = { 0 };
  ReinsBenchPerson person_policy = REINS_BENCH_PERSON_JUDGE;
  BenchState state = { 0 };
  int given_max_steps;
  guint sigint_id, sigterm_id;
  const GError *bench_error;

  context = reins_cli_context_new ("bench", "",
                                   _("Runs a task suite under several set-ups and prints, per "
                                     "set-up, how often the answer was right.\n"
                                     "Exit status: 0 the bench ran, 1 it was cancelled, "
                                     "2 usage error, 3 provider error, 4 store error."),
                                   entries);
  reins_cli_provider_options_init (&po);
  reins_cli_provider_options_add_entries (context, &po);
  reins_cli_guard_options_init (&guards);
  reins_cli_guard_options_add_entries (context, &guards);
  /* "-j2" as make has it; the option parser only knows "-j 2". */
  for (int i = 1; i < argc && !g_str_equal (argv[i], "--"); i++)
    if (g_str_has_prefix (argv[i], "-j") && g_ascii_isdigit (argv[i][2]))
      {
        char *jobs_option = g_strconcat ("--jobs=", argv[i] + 2, NULL);

        g_ptr_array_add (owned_args, jobs_option);
        argv[i] = jobs_option;
      }
  if (!reins_cli_parse (context, &argc, &argv, 0, 0))
    return REINS_CLI_EXIT_USAGE;

  if (!reins_cli_provider_options_check (&po, &error))
    return reins_cli_fail (error);
  if (tasks != -1 && tasks < 1)
    return reins_cli_usage_error (_("--tasks must be at least 1"));
  if (length != -1 && (length < 1 || length > REINS_KB_MAX_LENGTH))
    return reins_cli_usage_error (_("--length must be from 1 to 10000"));
  if (repeat < 1)
    return reins_cli_usage_error (_("--repeat must be at least 1"));
  if (jobs < 1 || jobs > 64)
    return reins_cli_usage_error (_("-j must be from 1 to 64"));
  if (person != NULL && !reins_bench_person_from_string (person, &person_policy))
    return reins_cli_usage_error (_("--person must be approve, reject or judge"));

  if (suite == NULL || g_str_equal (suite, "chains"))
    {
      suite_tasks = reins_bench_suite_chains (tasks != -1 ? (guint) tasks : DEFAULT_TASKS,
                                              length != -1 ? (guint) length : DEFAULT_LENGTH);
    }
  else
    {
      if (length != -1)
        return reins_cli_usage_error (_("--length goes with --suite=chains"));
      suite_tasks = reins_bench_suite_load (suite, &error);
      if (suite_tasks == NULL)
        return reins_cli_fail (error);
      if (tasks != -1 && (guint) tasks < suite_tasks->len)
        g_ptr_array_set_size (suite_tasks, tasks);
    }

  given_max_steps = po.run.max_steps;
  reins_cli_provider_options_fill (&po, TRUE);
  config = reins_cli_provider_options_config (&po);
  if (!reins_run_options_apply (&po.run, settings, TRUE, &error) ||
      !reins_cli_guard_options_apply (&guards, settings, &error))
    return reins_cli_fail (error);
  reins_cli_settings_apply (settings);

  bench = reins_bench_new (suite_tasks, settings, config, db);
  if (setups != NULL && !reins_bench_set_setups (bench, setups, &error))
    return reins_cli_fail (error);
  reins_bench_set_person (bench, person_policy);
  reins_bench_set_repeat (bench, (guint) repeat);
  reins_bench_set_jobs (bench, (guint) jobs);
  reins_bench_set_max_steps (bench, given_max_steps);

  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  state.bench = bench;
  state.tty = isatty (STDERR_FILENO);
  g_signal_connect (bench, "progress", G_CALLBACK (progress_cb), &state);
  g_signal_connect (bench, "finished", G_CALLBACK (finished_cb), &state);

  g_printerr (g_dngettext (GETTEXT_PACKAGE, "Bench %s: %u run\n", "Bench %s: %u runs\n",
                           reins_bench_get_n_total (bench)),
              reins_bench_get_id (bench), reins_bench_get_n_total (bench));

  sigint_id = g_unix_signal_add (SIGINT, sigint_cb, &state);
  sigterm_id = g_unix_signal_add (SIGTERM, sigint_cb, &state);
  reins_bench_start (bench);
  if (reins_bench_is_running (bench))
    g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  bench_error = reins_bench_get_error (bench);
  if (bench_error != NULL)
    {
      g_autoptr(GError) copy = g_error_copy (bench_error);

      /* Whatever is not a store error stopped the bench at the provider. */
      if (reins_cli_fail (copy) == REINS_CLI_EXIT_STORE)
        return REINS_CLI_EXIT_STORE;
      return REINS_CLI_EXIT_PROVIDER;
    }

  if (json)
    {
      g_autoptr(JsonNode) node = reins_bench_to_json (bench);
      g_autofree char *text = reins_json_to_string (node, TRUE);

      reins_cli_write_stdout (text);
      reins_cli_write_stdout ("\n");
    }
  else
    {
      g_autofree char *table = reins_bench_format_table (bench);

      reins_cli_write_stdout (table);
    }

  return state.interrupted ? REINS_CLI_EXIT_FAILED : REINS_CLI_EXIT_OK;
}
