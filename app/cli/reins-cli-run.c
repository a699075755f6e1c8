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

#include "reins-cli-private.h"
#include "reins-provider-info.h"
#include "reins-executor.h"
#include "reins-harness.h"
#include "reins-mcp-elicit.h"
#include "reins-provider-inject.h"
#include "reins-run-options.h"
#include "reins-run-restore.h"
#include "reins-store.h"
#include "reins-tool-registry.h"

typedef enum
{
  APPROVE_ASK,
  APPROVE_YES,
  APPROVE_NO,
  APPROVE_REMOTE,
} ApprovePolicy;

typedef struct
{
  GMainLoop     *loop;
  ReinsExecutor *executor;
  ApprovePolicy  approve;
  /* --approve=remote: the store the decision comes from, and how long to wait */
  const char    *db;
  guint          approve_timeout;
  gboolean       approve_timeout_stops;
  gboolean       json;
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

/* An MCP tool's progress: a line on stderr, with and without --json (not a JSON Lines
 * event: CONTRACTS.md fixes the events; only their fields may grow). */
static void
tool_progress_cb (ReinsExecutor *executor,
                  guint          index,
                  const char    *text,
                  RunState      *state)
{
  /* Translators: an MCP tool says how far it is; %u is the step, %s the tool and its progress */
  g_printerr (_("Step %u, progress: %s\n"), index, text);
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
  if (reins_step_get_critique (step) != NULL)
    {
      g_autofree char *line = reins_critique_describe (reins_step_get_critique (step));

      g_printerr ("          %s\n", line);
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
answer_elicitation (ReinsApproval *approval,
                    JsonObject    *content)
{
  g_autofree char *text = reins_mcp_elicit_accept_text (content);

  reins_approval_answer (approval, text);
}

/* An MCP server's form, one property a line: empty takes the default, or leaves an optional
 * property out; an end of input cancels. */
static void
elicit_on_terminal (ReinsApproval *approval,
                    JsonObject    *request)
{
  ReinsApprovalRecord *record = reins_approval_get_record (approval);
  JsonObject *schema = json_object_get_object_member (request, "requestedSchema");
  JsonObject *properties = json_object_get_object_member (schema, "properties");
  g_autoptr(GList) names = json_object_get_members (properties);
  g_autoptr(JsonObject) content = json_object_new ();
  g_autofree char *choice = NULL;

  g_printerr ("\n%s\n", reins_approval_record_get_reason (record));
  choice = read_line (_("Answer? [y]es, [n]o (decline), [c]ancel: "));
  if (choice == NULL || g_str_equal (choice, "c"))
    {
      reins_approval_reject (approval, "cancel");
      return;
    }
  if (!g_str_equal (choice, "y"))
    {
      reins_approval_reject (approval, NULL);
      return;
    }

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *property = json_object_get_object_member (properties, l->data);
      const char *title = json_object_get_string_member_with_default (property, "title",
                                                                      l->data);
      const char *description = json_object_get_string_member_with_default (property,
                                                                            "description", NULL);
      JsonNode *fallback = json_object_get_member (property, "default");
      gboolean required = reins_mcp_elicit_is_required (schema, l->data);
      g_auto(GStrv) values = reins_mcp_elicit_enum_values (property);
      g_autofree char *shown_default = fallback != NULL ? json_to_string (fallback, FALSE) : NULL;

      if (description != NULL)
        g_printerr ("  %s\n", description);
      if (values != NULL)
        for (guint i = 0; values[i] != NULL; i++)
          g_printerr ("    %u. %s\n", i + 1, values[i]);

      for (;;)
        {
          g_autofree char *prompt = g_strdup_printf ("%s%s%s%s: ", title,
                                                     required ? " *" : "",
                                                     shown_default != NULL ? " " : "",
                                                     shown_default != NULL ? shown_default : "");
          g_autofree char *line = read_line (prompt);
          g_autoptr(GError) error = NULL;
          JsonNode *value;

          if (line == NULL)
            {
              reins_approval_reject (approval, "cancel");
              return;
            }
          if (*line == '\0' && fallback != NULL)
            {
              json_object_set_member (content, l->data, json_node_copy (fallback));
              break;
            }
          if (*line == '\0' && !required)
            break;
          value = reins_mcp_elicit_parse_value (property, line, &error);
          if (value != NULL)
            {
              json_object_set_member (content, l->data, value);
              break;
            }
          g_printerr ("  %s\n", error->message);
        }
    }
  answer_elicitation (approval, content);
}

/* An MCP server's `elicitation/create`: a form on the terminal, or --approve: yes accepts
 * with the schema's defaults (and declines when a required field has none), no declines. */
static void
answer_elicitation_request (RunState      *state,
                            ReinsApproval *approval)
{
  ReinsAction *action = reins_approval_record_get_action (reins_approval_get_record (approval));
  JsonObject *request = action != NULL ? reins_action_get_arguments (action) : NULL;
  JsonNode *schema = request != NULL ? json_object_get_member (request, "requestedSchema") : NULL;

  if (schema == NULL || !JSON_NODE_HOLDS_OBJECT (schema) ||
      !reins_mcp_elicit_check_schema (json_node_get_object (schema), NULL))
    {
      reins_approval_reject (approval, NULL);
      return;
    }

  switch (state->approve)
    {
    case APPROVE_YES:
      {
        g_autoptr(JsonObject) content = reins_mcp_elicit_defaults (json_node_get_object (schema),
                                                                   NULL);

        if (content != NULL)
          answer_elicitation (approval, content);
        else
          reins_approval_reject (approval, NULL);
      }
      break;

    case APPROVE_NO:
    case APPROVE_REMOTE:
      reins_approval_reject (approval, NULL);
      break;

    case APPROVE_ASK:
    default:
      elicit_on_terminal (approval, request);
      break;
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

  if (g_strcmp0 (reins_approval_record_get_guard (record), "elicitation") == 0)
    {
      answer_elicitation_request (state, approval);
      return;
    }

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

    case APPROVE_REMOTE:
      reins_cli_remote_wait (approval, state->db, state->approve_timeout,
                             state->approve_timeout_stops);
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

static void
set_critic_settings (JsonObject *settings,
                     const char *critic_provider,
                     const char *critic_model,
                     const char *critic_base_url,
                     gint        critic_timeout,
                     double      sim_critic_accuracy)
{
  if (critic_provider != NULL)
    json_object_set_string_member (settings, "critic_provider", critic_provider);
  if (critic_model != NULL)
    json_object_set_string_member (settings, "critic_model", critic_model);
  if (critic_base_url != NULL)
    json_object_set_string_member (settings, "critic_base_url", critic_base_url);
  if (critic_timeout != -1)
    json_object_set_int_member (settings, "critic_timeout_s", critic_timeout);
  if (sim_critic_accuracy != -1)
    json_object_set_double_member (settings, "sim_critic_accuracy", sim_critic_accuracy);
}

static int
exit_code_for (ReinsExecutor *executor)
{
  ReinsRun *run = reins_executor_get_run (executor);
  const GError *error = reins_executor_get_error (executor);

  if (reins_run_get_status (run) == REINS_RUN_STATUS_COMPLETED)
    return REINS_CLI_EXIT_OK;

  if (reins_error_is_provider (error))
    return REINS_CLI_EXIT_PROVIDER;

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

        case REINS_ERROR_USAGE:
          return REINS_CLI_EXIT_USAGE;

        default:
          break;
        }
    }

  return REINS_CLI_EXIT_FAILED;
}

/* --approve-timeout=S[:reject|:stop]: S ≥ 1 seconds, then what happens when nobody answered.
 * There is no action that approves. */
static gboolean
parse_approve_timeout (const char *text,
                       guint      *seconds,
                       gboolean   *stops)
{
  const char *colon = strchr (text, ':');
  g_autofree char *number = g_strndup (text, colon != NULL ? (gsize) (colon - text)
                                                           : strlen (text));
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (number, 10, 1, G_MAXUINT / 2, &value, NULL))
    return FALSE;
  if (colon == NULL || g_str_equal (colon + 1, "reject"))
    *stops = FALSE;
  else if (g_str_equal (colon + 1, "stop"))
    *stops = TRUE;
  else
    return FALSE;
  *seconds = (guint) value;
  return TRUE;
}

int
reins_cli_run (int    argc,
               char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *approve = NULL;
  g_autofree char *resume = NULL;
  g_autofree char *fork = NULL;
  g_autofree char *critic_provider = NULL;
  g_autofree char *critic_model = NULL;
  g_autofree char *critic_base_url = NULL;
  g_autofree char *approve_timeout = NULL;
  gint from_step = 0, critic_timeout = -1;
  double sim_critic_accuracy = -1;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "approve", 0, 0, G_OPTION_ARG_STRING, &approve, N_("ask, yes, no or remote: how confirmations are answered [ask on a terminal, else no]; remote waits for reins-cli approve/reject or a window"), N_("POLICY") },
    { "approve-timeout", 0, 0, G_OPTION_ARG_STRING, &approve_timeout, N_("With --approve=remote: when nobody answers within S seconds, reject with the reason (:reject, the default) or stop the run (:stop); never an approval [wait]"), N_("S[:reject|:stop]") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The run store [$XDG_DATA_HOME/reins/runs.db]"), N_("PATH") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print events as JSON Lines on stdout"), NULL },
    { "resume", 0, 0, G_OPTION_ARG_STRING, &resume, N_("Continue an interrupted or paused run"), N_("RUN_ID") },
    { "fork", 0, 0, G_OPTION_ARG_STRING, &fork, N_("Start a new run from a step of RUN_ID (with --from-step)"), N_("RUN_ID") },
    { "from-step", 0, 0, G_OPTION_ARG_INT, &from_step, N_("With --fork: keep steps 1…N-1, continue live from N"), N_("N") },
    { "critic-provider", 0, 0, G_OPTION_ARG_STRING, &critic_provider, N_("critic: the provider that judges, e.g. a cheaper one [the run’s]"), N_("NAME") },
    { "critic-model", 0, 0, G_OPTION_ARG_STRING, &critic_model, N_("critic: its model [the run’s, with the run’s provider]"), N_("NAME") },
    { "critic-base-url", 0, 0, G_OPTION_ARG_STRING, &critic_base_url, N_("critic: its provider’s endpoint"), N_("URL") },
    { "critic-timeout", 0, 0, G_OPTION_ARG_INT, &critic_timeout, N_("critic: seconds its call may take before the deterministic checks decide alone [30]"), N_("S") },
    { "sim-critic-accuracy", 0, 0, G_OPTION_ARG_DOUBLE, &sim_critic_accuracy, N_("How often the sim provider judges right as a critic [0.88]"), N_("P") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsProviderConfig) config = NULL;
  g_autoptr(ReinsExecutor) executor = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *task = NULL;
  RunState state = { 0 };
  g_auto(ReinsCliProviderOptions) po = { 0 };
  g_auto(ReinsCliGuardOptions) guards = { 0 };
  g_auto(ReinsCliOtlpOptions) otlp = { 0 };
  g_autoptr(ReinsOtlpExporter) exporter = NULL;
  int status;

  /* Before any thread starts, so that every thread leaves the signals to one. */
  reins_cli_signals_block ();

  context = reins_cli_context_new ("run", _("TASK"),
                                   _("Runs an agent on TASK under the harness and stores the run.\n"
                                     "Exit status: 0 completed with an answer, 1 ended without one, "
                                     "2 usage error, 3 provider error, 4 store error."),
                                   entries);
  /* -1: not given, so a fork keeps its parent's value and a new run takes the default. */
  reins_cli_provider_options_init (&po);
  reins_cli_provider_options_add_entries (context, &po);
  reins_cli_guard_options_init (&guards);
  reins_cli_guard_options_add_entries (context, &guards);
  reins_cli_otlp_options_add_entries (context, &otlp);
  if (!reins_cli_parse (context, &argc, &argv, 0, G_MAXINT))
    return REINS_CLI_EXIT_USAGE;

  if (!reins_cli_provider_options_check (&po, &error) ||
      !reins_cli_otlp_options_exporter (&otlp, &exporter, &error))
    return reins_cli_fail (error);
  if (sim_critic_accuracy != -1 && (sim_critic_accuracy < 0 || sim_critic_accuracy > 1))
    return reins_cli_usage_error (_("--sim-critic-accuracy must be from 0 to 1"));
  if (critic_timeout != -1 && critic_timeout < 1)
    return reins_cli_usage_error (_("--critic-timeout must be at least 1 second"));
  if (critic_provider != NULL &&
      !g_strv_contains (reins_provider_get_names (), critic_provider))
    return reins_cli_usage_error (_("There is no provider “%s”"), critic_provider);
  if (fork != NULL && from_step < 1)
    return reins_cli_usage_error (_("--fork needs --from-step=N (N ≥ 1)"));
  if (fork == NULL && from_step != 0)
    return reins_cli_usage_error (_("--from-step goes with --fork"));
  if (fork != NULL && resume != NULL)
    return reins_cli_usage_error (_("--fork and --resume cannot be used together"));

  if (approve == NULL)
    state.approve = isatty (STDIN_FILENO) ? APPROVE_ASK : APPROVE_NO;
  else if (g_str_equal (approve, "ask"))
    state.approve = APPROVE_ASK;
  else if (g_str_equal (approve, "yes"))
    state.approve = APPROVE_YES;
  else if (g_str_equal (approve, "no"))
    state.approve = APPROVE_NO;
  else if (g_str_equal (approve, "remote"))
    state.approve = APPROVE_REMOTE;
  else
    return reins_cli_usage_error (_("--approve must be ask, yes, no or remote"));
  if (approve_timeout != NULL &&
      (state.approve != APPROVE_REMOTE ||
       !parse_approve_timeout (approve_timeout, &state.approve_timeout,
                               &state.approve_timeout_stops)))
    return reins_cli_usage_error (_("--approve-timeout=S[:reject|:stop] (S ≥ 1) goes with "
                                    "--approve=remote"));

  if (resume == NULL && fork == NULL)
    {
      if (argc < 2)
        return reins_cli_usage_error (_("No task given. Try “reins-cli run --help”."));
      task = g_strjoinv (" ", argv + 1);
      if (*g_strstrip (task) == '\0')
        return reins_cli_usage_error (_("The task is empty."));
    }
  else if (argc > 1)
    {
      return reins_cli_usage_error (_("A resumed or forked run takes no task."));
    }

  /* What the options leave out comes from the preferences of the window, so the CLI and the
   * window start runs alike. A resume or a fork keeps its run's instead
   * (reins_run_restore_settings()). */
  if (resume == NULL && fork == NULL)
    reins_cli_provider_options_fill (&po, TRUE);

  if (resume != NULL && (critic_provider != NULL || critic_model != NULL ||
                         critic_base_url != NULL || critic_timeout != -1 ||
                         sim_critic_accuracy != -1 || guards.critic != NULL))
    return reins_cli_usage_error (_("A resumed run keeps its critic settings."));

  /* A script that is a plain file (or none at all) is read now, so that a malformed one is a
   * usage error alone, before a run is stored. */
  if (resume == NULL && fork == NULL && po.run.provider != NULL &&
      reins_provider_info_lookup (po.run.provider) != NULL &&
      reins_provider_info_needs_script (reins_provider_info_lookup (po.run.provider)) &&
      (po.script == NULL || !g_file_test (po.script, G_FILE_TEST_EXISTS) ||
       g_file_test (po.script, G_FILE_TEST_IS_REGULAR)))
    {
      g_autoptr(ReinsProviderConfig) probe = reins_cli_provider_options_config (&po);
      g_autoptr(ReinsProvider) check = reins_provider_new_for_config (probe, &error);

      if (check == NULL)
        return reins_cli_fail (error);
    }

  if (resume != NULL || fork != NULL)
    {
      g_autoptr(ReinsStore) store = NULL;
      g_autoptr(ReinsRun) found = NULL;
      g_autoptr(JsonObject) overrides = json_object_new ();
      const char *restored;
      const char *key_env;

      if (!reins_cli_open_store (db, &store, &error))
        return reins_cli_fail (error);
      if (store == NULL)
        return reins_cli_usage_error (_("There are no runs in the store yet."));
      found = reins_cli_find_run (store, db, resume != NULL ? resume : fork, &error);
      if (found == NULL)
        return reins_cli_fail (error);
      g_clear_object (&store);

      /* Only what was given here changes the run; the rest is as it was stored. */
      if (!reins_run_options_apply (&po.run, overrides, FALSE, &error) ||
          !reins_cli_guard_options_apply (&guards, overrides, &error))
        return reins_cli_fail (error);
      set_critic_settings (overrides, critic_provider, critic_model, critic_base_url,
                           critic_timeout, sim_critic_accuracy);

      restored = reins_run_restore_provider_name (found, overrides);
      config = reins_provider_config_new (restored);
      g_free (config->script_path);
      config->script_path = g_strdup (po.script);
      key_env = po.api_key_env != NULL ? po.api_key_env : reins_provider_key_env (restored);
      if (key_env != NULL)
        {
          g_free (config->api_key);
          config->api_key = reins_cli_settings_api_key (restored, key_env);
        }

      if (resume != NULL)
        executor = reins_executor_new_resume (reins_run_get_id (found), overrides, config, db,
                                              &error);
      else
        executor = reins_executor_new_fork (reins_run_get_id (found), (guint) from_step,
                                            overrides, config, db, &error);
      if (executor == NULL)
        return reins_cli_fail (error);
    }
  else
    {
      g_autoptr(ReinsRun) run = reins_run_new (task);
      JsonObject *settings = reins_run_get_settings (run);

      config = reins_cli_provider_options_config (&po);
      if (!reins_run_options_apply (&po.run, settings, TRUE, &error) ||
          !reins_cli_guard_options_apply (&guards, settings, &error))
        return reins_cli_fail (error);
      set_critic_settings (settings, critic_provider, critic_model, critic_base_url,
                           critic_timeout, sim_critic_accuracy);
      reins_cli_settings_apply (settings);
      reins_run_set_provider (run, po.run.provider);
      reins_run_set_model (run, reins_settings_get_string (settings, "model", NULL));

      executor = reins_executor_new (run, config, db);
    }

  if (critic_provider != NULL &&
      g_strcmp0 (critic_provider, reins_run_get_provider (reins_executor_get_run (executor))) != 0)
    {
      /* Another provider judges: its key comes from where the run's would, its default
       * variable unless --api-key-env names one. */
      g_autoptr(ReinsProviderConfig) critic = reins_provider_config_new (critic_provider);
      const ReinsProviderInfo *info = reins_provider_info_lookup (critic_provider);
      const char *env = reins_provider_key_env (critic_provider);

      critic->base_url = g_strdup (critic_base_url);
      critic->model = g_strdup (critic_model);
      critic->seed = config->seed;
      critic->sim_critic_accuracy = sim_critic_accuracy;
      critic->script_path = g_strdup (po.script);
      if (env == NULL && (info == NULL || reins_provider_info_needs_key (info)))
        env = po.api_key_env;
      if (env != NULL)
        critic->api_key = reins_cli_settings_api_key (critic_provider, env);
      reins_executor_set_critic_provider (executor, critic);
    }

  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  state.executor = executor;
  state.json = json;
  state.db = db;

  g_signal_connect (executor, "token", G_CALLBACK (token_cb), &state);
  g_signal_connect (executor, "step-finished", G_CALLBACK (step_finished_cb), &state);
  g_signal_connect (executor, "tool-progress", G_CALLBACK (tool_progress_cb), &state);
  g_signal_connect (executor, "approval-requested", G_CALLBACK (approval_requested_cb), &state);
  g_signal_connect (executor, "approval-resolved", G_CALLBACK (approval_resolved_cb), &state);
  g_signal_connect (executor, "finished", G_CALLBACK (finished_cb), &state);
  if (exporter != NULL)
    reins_otlp_exporter_watch (exporter, executor);

  if (json)
    emit_json (reins_event_run_started (reins_executor_get_run (executor)));
  g_printerr (_("Run %s: %s\n"), reins_run_get_id (reins_executor_get_run (executor)),
              reins_run_get_task (reins_executor_get_run (executor)));

  reins_cli_signals_watch (executor, db, json);
  reins_executor_start (executor);
  g_main_loop_run (loop);
  reins_cli_signals_watch (NULL, NULL, FALSE);
  reins_cli_otlp_finish (exporter);

  {
    ReinsRun *run = reins_executor_get_run (executor);

    status = exit_code_for (executor);
    switch (reins_run_get_status (run))
      {
      case REINS_RUN_STATUS_COMPLETED:
        g_printerr (g_dngettext (GETTEXT_PACKAGE, "Completed in %u step, %.4f USD.\n",
                                 "Completed in %u steps, %.4f USD.\n",
                                 reins_run_get_step_count (run)),
                    reins_run_get_step_count (run),
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
