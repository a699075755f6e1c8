/* reins-cli-run.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `reins-cli run`: one run, headless, on the same engine as the window (CONTRACTS §1–2).
 */

#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "reins-cli-private.h"
#include "reins-executor.h"
#include "reins-harness.h"
#include "reins-run-options.h"
#include "reins-store.h"
#include "reins-tool-registry.h"

typedef enum
{
  APPROVE_ASK,
  APPROVE_YES,
  APPROVE_NO,
} ApprovePolicy;

typedef struct
{
  GMainLoop     *loop;
  ReinsExecutor *executor;
  ApprovePolicy  approve;
  gboolean       json;
  gboolean       interrupted;
  guint          last_token_step;
} RunState;

static void
emit_json (JsonNode *event)
{
  g_autofree char *line = reins_event_to_line (event);

  /* One line per event, flushed, so a reader sees each as it happens. */
  fputs (line, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
  json_node_unref (event);
}

static void
token_cb (ReinsExecutor *executor,
          guint          index,
          const char    *text,
          RunState      *state)
{
  if (state->json)
    emit_json (reins_event_token (reins_run_get_id (reins_executor_get_run (executor)), index,
                                  text));
}

static void
step_finished_cb (ReinsExecutor *executor,
                  ReinsStep     *step,
                  RunState      *state)
{
  ReinsAction *action = reins_step_get_action (step);
  GPtrArray *verdicts = reins_step_get_verdicts (step);
  g_autofree char *confidence = NULL;

  if (state->json)
    emit_json (reins_event_step (step));

  if (reins_step_has_confidence (step))
    confidence = g_strdup_printf ("%.2f %s", reins_step_get_confidence (step),
                                  reins_step_get_confidence_source (step) ==
                                    REINS_CONFIDENCE_SOURCE_LOGPROBS
                                    ? _("(log-probs)")
                                    : reins_step_get_confidence_source (step) ==
                                        REINS_CONFIDENCE_SOURCE_DEFAULT
                                      ? _("(default, no log-probs)") : _("(self-reported)"));
  else
    confidence = g_strdup ("—");

  g_printerr (_("step %3u  %-14s  confidence %s  cost %.4f USD%s\n"),
              reins_step_get_index (step), action ? reins_action_get_name (action) : _("(none)"),
              confidence, reins_step_get_cost_total_usd (step),
              reins_step_get_tool_error (step) ? _("  [tool error]") : "");

  for (guint i = 0; i < verdicts->len; i++)
    {
      ReinsVerdict *v = g_ptr_array_index (verdicts, i);

      if (reins_verdict_get_kind (v) != REINS_VERDICT_ALLOW)
        g_printerr ("          %s: %s — %s\n", reins_verdict_get_guard (v),
                    reins_verdict_kind_to_string (reins_verdict_get_kind (v)),
                    reins_verdict_get_reason (v));
    }
}

static char *
read_line (const char *prompt)
{
  char buffer[65536];

  g_printerr ("%s", prompt);
  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    return NULL;
  buffer[strcspn (buffer, "\n")] = '\0';
  return g_utf8_make_valid (buffer, -1);
}

static void
ask_on_terminal (RunState      *state,
                 ReinsApproval *approval)
{
  ReinsApprovalRecord *record = reins_approval_get_record (approval);
  ReinsAction *action = reins_approval_record_get_action (record);
  g_autofree char *action_text = action ? reins_action_to_string (action) : g_strdup ("—");

  if (reins_approval_is_question (approval))
    {
      g_autofree char *answer = NULL;

      g_printerr (_("\nThe agent asks: %s\n"), reins_approval_record_get_reason (record));
      answer = read_line (_("Your answer (empty line: decline): "));
      if (answer != NULL && *answer != '\0')
        reins_approval_answer (approval, answer);
      else
        reins_approval_reject (approval, NULL);
      return;
    }

  g_printerr (_("\nStep %u needs you — %s: %s\n  action: %s\n"),
              reins_approval_record_get_step (record), reins_approval_record_get_guard (record),
              reins_approval_record_get_reason (record), action_text);

  /* Low confidence: three more ways forward besides approve / edit / reject / stop. */
  if (g_strcmp0 (reins_approval_record_get_guard (record), "confidence") == 0)
    g_printerr (_("  or: [m] search for more information, [d] try a different approach, "
                  "[f] end the task and return the current results\n"));

  for (;;)
    {
      g_autofree char *choice = read_line (_("[a]pprove, [A]lways allow this tool, [e]dit, "
                                             "[r]eject, [s]top? "));

      if (choice != NULL &&
          g_strcmp0 (reins_approval_record_get_guard (record), "confidence") == 0)
        {
          ReinsApprovalChoice pick = REINS_APPROVAL_CHOICE_NONE;

          if (g_str_equal (choice, "m"))
            pick = REINS_APPROVAL_CHOICE_SEARCH_MORE;
          else if (g_str_equal (choice, "d"))
            pick = REINS_APPROVAL_CHOICE_DIFFERENT_APPROACH;
          else if (g_str_equal (choice, "f"))
            pick = REINS_APPROVAL_CHOICE_END_NOW;
          if (pick != REINS_APPROVAL_CHOICE_NONE)
            {
              reins_approval_choose (approval, pick);
              return;
            }
        }

      if (choice == NULL || g_str_equal (choice, "s"))
        {
          reins_approval_stop (approval);
          return;
        }
      if (g_str_equal (choice, "a"))
        {
          reins_approval_approve (approval, FALSE);
          return;
        }
      if (g_str_equal (choice, "A"))
        {
          reins_approval_approve (approval, TRUE);
          return;
        }
      if (g_str_equal (choice, "r"))
        {
          g_autofree char *feedback = read_line (_("Why (the model reads this)? "));

          reins_approval_reject (approval, feedback);
          return;
        }
      if (g_str_equal (choice, "e"))
        {
          g_autofree char *json = read_line (_("The action as JSON {\"name\": …, \"arguments\": {…}}: "));
          g_autoptr(GError) error = NULL;
          g_autoptr(ReinsAction) edited = json ? reins_action_new_from_string (json, &error) : NULL;

          if (edited != NULL)
            {
              reins_approval_edit (approval, edited, FALSE);
              return;
            }
          g_printerr (_("Not a valid action: %s\n"), error ? error->message : _("empty"));
        }
    }
}

static void
approval_requested_cb (ReinsExecutor *executor,
                       ReinsApproval *approval,
                       RunState      *state)
{
  ReinsApprovalRecord *record = reins_approval_get_record (approval);

  if (state->json)
    emit_json (reins_event_approval_requested (reins_approval_get_run_id (approval), record));

  switch (state->approve)
    {
    case APPROVE_YES:
      /* Set before resolving: the worker reads the record once it is resolved. */
      reins_approval_record_set_decided_by (record, "--approve=yes");
      if (reins_approval_is_question (approval))
        reins_approval_reject (approval, NULL);
      else
        reins_approval_approve (approval, FALSE);
      break;

    case APPROVE_NO:
      reins_approval_record_set_decided_by (record, "--approve=no");
      reins_approval_reject (approval, _("Rejected automatically: this run allows no "
                                         "confirmations (--approve=no)."));
      break;

    case APPROVE_ASK:
    default:
      ask_on_terminal (state, approval);
      break;
    }
}

static void
approval_resolved_cb (ReinsExecutor       *executor,
                      ReinsApprovalRecord *record,
                      RunState            *state)
{
  if (state->json)
    emit_json (reins_event_approval_resolved (reins_run_get_id (reins_executor_get_run (executor)),
                                              record));
}

static void
finished_cb (ReinsExecutor *executor,
             ReinsRun      *run,
             RunState      *state)
{
  if (state->json)
    emit_json (reins_event_run_finished (run));
  g_main_loop_quit (state->loop);
}

static gboolean
sigint_cb (gpointer data)
{
  RunState *state = data;

  if (state->interrupted)
    return G_SOURCE_CONTINUE;

  state->interrupted = TRUE;
  g_printerr (_("\nCancelling…\n"));
  reins_executor_cancel (state->executor);
  return G_SOURCE_CONTINUE;
}

static int G_GNUC_PRINTF (1, 2)
usage_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  reins_cli_print_error ("%s", message);
  return REINS_CLI_EXIT_USAGE;
}

static const char *
default_key_env (const char *provider)
{
  if (g_str_equal (provider, "openai"))
    return "OPENAI_API_KEY";
  if (g_str_equal (provider, "anthropic"))
    return "ANTHROPIC_API_KEY";
  return NULL;
}

static int
exit_code_for (ReinsExecutor *executor)
{
  ReinsRun *run = reins_executor_get_run (executor);
  const GError *error = reins_executor_get_error (executor);

  if (reins_run_get_status (run) == REINS_RUN_STATUS_COMPLETED)
    return REINS_CLI_EXIT_OK;

  if (error != NULL && error->domain == REINS_ERROR)
    {
      switch (error->code)
        {
        case REINS_ERROR_STORE:
        case REINS_ERROR_STORE_CORRUPT:
        case REINS_ERROR_STORE_FOREIGN:
        case REINS_ERROR_STORE_NEWER:
        case REINS_ERROR_STORE_READ_ONLY:
          return REINS_CLI_EXIT_STORE;

        case REINS_ERROR_PROVIDER:
        case REINS_ERROR_PROVIDER_AUTH:
        case REINS_ERROR_PROVIDER_UNREACHABLE:
        case REINS_ERROR_PROVIDER_RATE_LIMITED:
        case REINS_ERROR_PROVIDER_PROTOCOL:
        case REINS_ERROR_PROVIDER_TIMEOUT:
          return REINS_CLI_EXIT_PROVIDER;

        case REINS_ERROR_USAGE:
          return REINS_CLI_EXIT_USAGE;

        default:
          break;
        }
    }
  else if (error != NULL)
    {
      /* Network errors from GIO or libsoup are the provider's. */
      return REINS_CLI_EXIT_PROVIDER;
    }

  return REINS_CLI_EXIT_FAILED;
}

int
reins_cli_run (int    argc,
               char **argv)
{
  g_autofree char *provider = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *model = NULL;
  g_autofree char *api_key_env = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *tools = NULL;
  g_autofree char *workspace = NULL;
  g_autofree char *db = NULL;
  g_autofree char *script = NULL;
  g_autofree char *approve = NULL;
  g_autofree char *resume = NULL;
  g_autofree char *fork = NULL;
  g_auto(GStrv) mcp = NULL;
  g_auto(GStrv) no_guard = NULL;
  /* -1: not given, so a fork keeps its parent's value and a new run takes the default. */
  gint max_steps = -1, from_step = 0, goal_every = -1, tool_timeout = -1;
  double budget = -1, threshold = -1, price_in = -1, price_out = -1, sim_accuracy = -1;
  gint64 seed = -1;
  gboolean json = FALSE, no_stream = FALSE;
  GOptionEntry entries[] = {
    { "provider", 'p', 0, G_OPTION_ARG_STRING, &provider, N_("sim, openai, anthropic, ollama or scripted [sim]"), N_("NAME") },
    { "base-url", 'u', 0, G_OPTION_ARG_STRING, &base_url, N_("The provider’s endpoint"), N_("URL") },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model, N_("The model name"), N_("NAME") },
    { "api-key-env", 0, 0, G_OPTION_ARG_STRING, &api_key_env, N_("Environment variable holding the key [OPENAI_API_KEY, ANTHROPIC_API_KEY]"), N_("VAR") },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode, N_("tools (native tool calling) or react (text) [tools]"), N_("MODE") },
    { "max-steps", 0, 0, G_OPTION_ARG_INT, &max_steps, N_("Most steps a run may take [20]"), N_("N") },
    { "budget", 0, 0, G_OPTION_ARG_DOUBLE, &budget, N_("Cost limit of the run in USD [1.00]"), N_("USD") },
    { "price-in", 0, 0, G_OPTION_ARG_DOUBLE, &price_in, N_("USD per million input tokens, over the pricing table"), N_("USD") },
    { "price-out", 0, 0, G_OPTION_ARG_DOUBLE, &price_out, N_("USD per million output tokens, over the pricing table"), N_("USD") },
    { "confidence-threshold", 0, 0, G_OPTION_ARG_DOUBLE, &threshold, N_("Below it a step needs a person [0.7]"), N_("F") },
    { "approve", 0, 0, G_OPTION_ARG_STRING, &approve, N_("ask, yes or no: how confirmations are answered [ask on a terminal, else no]"), N_("POLICY") },
    { "tools", 0, 0, G_OPTION_ARG_STRING, &tools, N_("Built-in tools to enable [" REINS_DEFAULT_TOOLS "]"), N_("LIST") },
    { "workspace", 0, 0, G_OPTION_ARG_FILENAME, &workspace, N_("Root that file and shell tools are confined to [.]"), N_("DIR") },
    { "mcp", 0, 0, G_OPTION_ARG_STRING_ARRAY, &mcp, N_("Start an MCP stdio server; its tools appear as NAME__TOOL"), N_("NAME=COMMAND") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The run store [$XDG_DATA_HOME/reins/runs.db]"), N_("PATH") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print events as JSON Lines on stdout"), NULL },
    { "script", 0, 0, G_OPTION_ARG_FILENAME, &script, N_("Responses for the scripted provider"), N_("FILE") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the sim provider [0]"), N_("N") },
    { "sim-accuracy", 0, 0, G_OPTION_ARG_DOUBLE, &sim_accuracy, N_("Single-step accuracy of the sim provider [0.88]"), N_("P") },
    { "resume", 0, 0, G_OPTION_ARG_STRING, &resume, N_("Continue an interrupted or paused run"), N_("RUN_ID") },
    { "fork", 0, 0, G_OPTION_ARG_STRING, &fork, N_("Start a new run from a step of RUN_ID (with --from-step)"), N_("RUN_ID") },
    { "from-step", 0, 0, G_OPTION_ARG_INT, &from_step, N_("With --fork: keep steps 1…N-1, continue live from N"), N_("N") },
    { "no-stream", 0, 0, G_OPTION_ARG_NONE, &no_stream, N_("Ask the provider for whole replies"), NULL },
    { "no-guard", 0, 0, G_OPTION_ARG_STRING_ARRAY, &no_guard, N_("Turn a guard off (max_steps, budget, policy, rate, confidence, tool_result, grounding, loop, drift)"), N_("NAME") },
    { "goal-every", 0, 0, G_OPTION_ARG_INT, &goal_every, N_("Restate the task to the model every N steps; 0: never [3]"), N_("N") },
    { "tool-timeout", 0, 0, G_OPTION_ARG_INT, &tool_timeout, N_("Seconds a shell, HTTP or MCP call may take [30]"), N_("S") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsProviderConfig) config = NULL;
  g_autoptr(ReinsExecutor) executor = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *task = NULL;
  RunState state = { 0 };
  ReinsRunOptions options;
  g_auto(ReinsCliGuardOptions) guards = { 0 };
  guint sigint_id, sigterm_id;
  int status;

  context = reins_cli_context_new ("run", _("TASK"),
                                   _("Runs an agent on TASK under the harness and stores the run.\n"
                                     "Exit status: 0 completed with an answer, 1 ended without one, "
                                     "2 usage error, 3 provider error, 4 store error."),
                                   entries);
  reins_cli_guard_options_init (&guards);
  reins_cli_guard_options_add_entries (context, &guards);
  if (!reins_cli_parse (context, &argc, &argv, 0, G_MAXINT))
    return REINS_CLI_EXIT_USAGE;

  if (mode != NULL && !g_str_equal (mode, "tools") && !g_str_equal (mode, "react"))
    return usage_error (_("--mode must be “tools” or “react”, not “%s”"), mode);
  if (max_steps != -1 && max_steps < 1)
    return usage_error (_("--max-steps must be at least 1"));
  if (budget != -1 && budget <= 0)
    return usage_error (_("--budget must be more than 0"));
  if (threshold != -1 && (threshold < 0 || threshold > 1))
    return usage_error (_("--confidence-threshold must be from 0 to 1"));
  if (sim_accuracy != -1 && (sim_accuracy < 0 || sim_accuracy > 1))
    return usage_error (_("--sim-accuracy must be from 0 to 1"));
  if (goal_every < -1)
    return usage_error (_("--goal-every cannot be negative"));
  if (tool_timeout != -1 && tool_timeout < 1)
    return usage_error (_("--tool-timeout must be at least 1 second"));
  if (seed < -1)
    return usage_error (_("--seed cannot be negative"));
  if ((price_in != -1 && price_in < 0) || (price_out != -1 && price_out < 0))
    return usage_error (_("Prices cannot be negative"));
  if (fork != NULL && from_step < 1)
    return usage_error (_("--fork needs --from-step=N (N ≥ 1)"));
  if (fork == NULL && from_step != 0)
    return usage_error (_("--from-step goes with --fork"));
  if (fork != NULL && resume != NULL)
    return usage_error (_("--fork and --resume cannot be used together"));

  if (approve == NULL)
    state.approve = isatty (STDIN_FILENO) ? APPROVE_ASK : APPROVE_NO;
  else if (g_str_equal (approve, "ask"))
    state.approve = APPROVE_ASK;
  else if (g_str_equal (approve, "yes"))
    state.approve = APPROVE_YES;
  else if (g_str_equal (approve, "no"))
    state.approve = APPROVE_NO;
  else
    return usage_error (_("--approve must be ask, yes or no"));

  for (guint i = 0; no_guard != NULL && no_guard[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) reins_harness_guard_names, no_guard[i]))
      return usage_error (_("There is no guard “%s”"), no_guard[i]);

  if (resume == NULL && fork == NULL)
    {
      if (argc < 2)
        return usage_error (_("No task given. Try “reins-cli run --help”."));
      task = g_strjoinv (" ", argv + 1);
      if (*g_strstrip (task) == '\0')
        return usage_error (_("The task is empty."));
    }
  else if (argc > 1)
    {
      return usage_error (_("A resumed or forked run takes no task."));
    }

  if (fork != NULL && provider == NULL)
    {
      /* A fork talks to the parent's provider unless told otherwise. */
      g_autoptr(ReinsStore) store = NULL;
      g_autoptr(ReinsRun) parent = NULL;

      if (!reins_cli_open_store (db, &store, &error))
        return reins_cli_fail (error);
      if (store == NULL)
        return usage_error (_("There are no runs in the store yet."));
      parent = reins_cli_find_run (store, db, fork, &error);
      if (parent == NULL)
        return reins_cli_fail (error);
      g_free (fork);
      fork = g_strdup (reins_run_get_id (parent));
      provider = g_strdup (reins_run_get_provider (parent) ? reins_run_get_provider (parent) : "sim");
      if (model == NULL && reins_run_get_model (parent) != NULL)
        model = g_strdup (reins_run_get_model (parent));
      if (seed == -1)
        seed = reins_settings_get_int (reins_run_get_settings (parent), "seed", 0);
      if (sim_accuracy == -1)
        sim_accuracy = reins_settings_get_double (reins_run_get_settings (parent), "sim_accuracy", 0.88);
    }
  {
    /* What the options leave out comes from the preferences of the window (issue 8). */
    ReinsCliDefaults defaults = { &provider, &base_url, &model, &max_steps, &goal_every,
                                  &tool_timeout, &budget, &threshold, &price_in, &price_out,
                                  &no_guard, &mcp };
    reins_cli_settings_fill (&defaults, resume == NULL && fork == NULL);
  }
  if (provider == NULL)
    provider = g_strdup ("sim");

  config = reins_provider_config_new (provider);
  g_free (config->base_url);
  config->base_url = g_strdup (base_url);
  g_free (config->model);
  config->model = g_strdup (model);
  g_free (config->script_path);
  config->script_path = g_strdup (script);
  config->seed = seed >= 0 ? (guint64) seed : 0;
  config->sim_accuracy = sim_accuracy >= 0 ? sim_accuracy : 0.88;
  if (api_key_env == NULL && default_key_env (provider) != NULL)
    api_key_env = g_strdup (default_key_env (provider));
  if (api_key_env != NULL)
    {
      g_free (config->api_key);
      config->api_key = reins_cli_settings_api_key (provider, api_key_env);
    }

  reins_run_options_init (&options);
  options.provider = provider;
  options.model = model;
  options.base_url = base_url;
  options.mode = mode;
  options.tools = tools;
  options.workspace = workspace;
  options.mcp = mcp;
  options.no_guard = no_guard;
  options.max_steps = max_steps;
  options.goal_every = goal_every;
  options.tool_timeout = tool_timeout;
  options.budget = budget;
  options.threshold = threshold;
  options.price_in = price_in;
  options.price_out = price_out;
  options.sim_accuracy = sim_accuracy;
  options.seed = seed;
  options.no_stream = no_stream;

  if (resume != NULL)
    {
      g_autoptr(ReinsStore) store = NULL;
      g_autoptr(ReinsRun) found = NULL;

      if (!reins_cli_open_store (db, &store, &error))
        return reins_cli_fail (error);
      if (store == NULL)
        return usage_error (_("There are no runs in the store yet."));
      found = reins_cli_find_run (store, db, resume, &error);
      if (found == NULL)
        return reins_cli_fail (error);
      g_clear_object (&store);

      executor = reins_executor_new_resume (reins_run_get_id (found), config, db, &error);
      if (executor == NULL)
        return reins_cli_fail (error);
    }
  else if (fork != NULL)
    {
      g_autoptr(JsonObject) overrides = json_object_new ();

      if (!reins_run_options_apply (&options, overrides, FALSE, &error) ||
          !reins_cli_guard_options_apply (&guards, overrides, &error))
        return reins_cli_fail (error);
      executor = reins_executor_new_fork (fork, (guint) from_step, overrides, config, db, &error);
      if (executor == NULL)
        return reins_cli_fail (error);
    }
  else
    {
      g_autoptr(ReinsRun) run = reins_run_new (task);
      JsonObject *settings = reins_run_get_settings (run);

      if (!reins_run_options_apply (&options, settings, TRUE, &error) ||
          !reins_cli_guard_options_apply (&guards, settings, &error))
        return reins_cli_fail (error);
      reins_cli_settings_apply (settings);
      reins_run_set_provider (run, provider);
      reins_run_set_model (run, reins_settings_get_string (settings, "model", NULL));

      executor = reins_executor_new (run, config, db);
    }

  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  state.executor = executor;
  state.json = json;

  g_signal_connect (executor, "token", G_CALLBACK (token_cb), &state);
  g_signal_connect (executor, "step-finished", G_CALLBACK (step_finished_cb), &state);
  g_signal_connect (executor, "approval-requested", G_CALLBACK (approval_requested_cb), &state);
  g_signal_connect (executor, "approval-resolved", G_CALLBACK (approval_resolved_cb), &state);
  g_signal_connect (executor, "finished", G_CALLBACK (finished_cb), &state);

  if (json)
    emit_json (reins_event_run_started (reins_executor_get_run (executor)));
  g_printerr (_("Run %s: %s\n"), reins_run_get_id (reins_executor_get_run (executor)),
              reins_run_get_task (reins_executor_get_run (executor)));

  sigint_id = g_unix_signal_add (SIGINT, sigint_cb, &state);
  sigterm_id = g_unix_signal_add (SIGTERM, sigint_cb, &state);

  reins_executor_start (executor);
  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  {
    ReinsRun *run = reins_executor_get_run (executor);

    status = exit_code_for (executor);
    switch (reins_run_get_status (run))
      {
      case REINS_RUN_STATUS_COMPLETED:
        g_printerr (_("Completed in %u steps, %.4f USD.\n"), reins_run_get_step_count (run),
                    reins_run_get_cost_usd (run));
        if (!json)
          g_print ("%s\n", reins_run_get_final_answer (run));
        break;

      default:
        g_printerr ("reins-cli: %s (%s)\n",
                    reins_run_get_reason (run) != NULL ? reins_run_get_reason (run)
                                                       : _("the run ended without an answer"),
                    reins_run_status_to_string (reins_run_get_status (run)));
        break;
      }
  }

  return status;
}
