/* reins-cli-remote.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Questions answered from anywhere the store is: `reins-cli run --approve=remote` waits for
 * a decision stored in the run store, and `reins-cli approve RUN` / `reject RUN` store one
 * from any terminal that reaches it. Of two answers at once exactly one is stored
 * (reins_store_decide_approval()); the other is told who decided and what. Nobody answering
 * is never an approval: --approve-timeout rejects with a reason, or stops the run.
 */

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "reins-cli-private.h"

/* How often a store without notifications (a SQLite file) is looked at. */
#define POLL_INTERVAL_MS 250

typedef struct
{
  ReinsApproval *approval;
  ReinsStore    *store;
  char          *run_id;
  guint          step;
  guint          timeout_s;
  gboolean       stop_on_timeout;
  guint          source_id;
  guint          timeout_id;
  guint          first_check_id;
} RemoteWait;

static void
remote_wait_free (RemoteWait *wait)
{
  g_clear_handle_id (&wait->source_id, g_source_remove);
  g_clear_handle_id (&wait->timeout_id, g_source_remove);
  g_clear_handle_id (&wait->first_check_id, g_source_remove);
  g_clear_object (&wait->approval);
  g_clear_object (&wait->store);
  g_free (wait->run_id);
  g_free (wait);
}

/* The approval of @step without a decision (the last one), or the last decided one when
 * @pending is FALSE; -1 when there is none. */
static int
find_approval (ReinsStep *step,
               gboolean   pending)
{
  GPtrArray *approvals = reins_step_get_approvals (step);

  for (guint i = approvals->len; i-- > 0;)
    {
      ReinsApprovalRecord *record = g_ptr_array_index (approvals, i);
      gboolean open = reins_approval_record_get_decision (record) == REINS_DECISION_NONE;

      if (open == pending)
        return (int) i;
    }
  return -1;
}

static char *
who_am_i (void)
{
  return g_strdup_printf ("%s@%s", g_get_user_name (), g_get_host_name ());
}

/* Resolves the waiting run's question as the stored decision says. */
static void
apply_decision (RemoteWait          *wait,
                ReinsApprovalRecord *stored)
{
  ReinsApprovalRecord *record = reins_approval_get_record (wait->approval);
  const char *feedback = reins_approval_record_get_feedback (stored);

  reins_approval_record_set_decided_by (record, reins_approval_record_get_decided_by (stored));
  g_printerr (_("Step %u: %s by %s\n"), wait->step,
              reins_decision_to_string (reins_approval_record_get_decision (stored)),
              reins_approval_record_get_decided_by (stored) != NULL
                ? reins_approval_record_get_decided_by (stored) : _("someone"));
  if (reins_approval_record_get_decision (stored) == REINS_DECISION_APPROVE)
    {
      if (reins_approval_is_question (wait->approval))
        reins_approval_answer (wait->approval, feedback != NULL ? feedback : "");
      else
        reins_approval_approve (wait->approval, FALSE);
    }
  else if (reins_approval_record_get_decision (stored) == REINS_DECISION_EDIT &&
           reins_approval_record_get_final_action (stored) != NULL &&
           !reins_approval_is_question (wait->approval))
    /* A window's "Edit & Approve": the action as the person edited it runs. */
    reins_approval_edit (wait->approval, reins_approval_record_get_final_action (stored), FALSE);
  else if (reins_approval_record_get_decision (stored) == REINS_DECISION_STOP)
    {
      if (feedback != NULL)
        g_printerr ("%s\n", feedback);
      reins_approval_stop (wait->approval);
    }
  else
    reins_approval_reject (wait->approval, feedback);
}

/* Looks for a decision and applies it; TRUE once the question is settled. */
static gboolean
settle (RemoteWait *wait)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStep) step = NULL;
  int decided;

  if (reins_approval_is_resolved (wait->approval))
    return TRUE;

  reins_store_get_data_version (wait->store, NULL);
  step = reins_store_get_step (wait->store, wait->run_id, wait->step, &error);
  if (step == NULL)
    {
      g_debug ("Waiting for a decision: %s", error->message);
      return FALSE;
    }
  if (find_approval (step, TRUE) >= 0)
    return FALSE;
  decided = find_approval (step, FALSE);
  if (decided < 0)
    return FALSE;
  apply_decision (wait, g_ptr_array_index (reins_step_get_approvals (step), decided));
  return TRUE;
}

static gboolean
check_cb (gpointer user_data)
{
  RemoteWait *wait = user_data;

  if (!settle (wait))
    return G_SOURCE_CONTINUE;
  wait->source_id = 0;
  remote_wait_free (wait);
  return G_SOURCE_REMOVE;
}

/* A decision stored before this store listened was not notified to it: a window may show
 * the question, and be answered, as soon as the run's step is stored. One look at once. */
static gboolean
first_check_cb (gpointer user_data)
{
  RemoteWait *wait = user_data;

  wait->first_check_id = 0;
  if (settle (wait))
    remote_wait_free (wait);
  return G_SOURCE_REMOVE;
}

/* Nobody answered: a rejection with the reason (or with :stop, a stop with the reason),
 * stored the same conditional way, so an answer that came at the same moment wins or
 * loses cleanly. Never an approval. */
static gboolean
timeout_cb (gpointer user_data)
{
  RemoteWait *wait = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStep) step = NULL;
  g_autofree char *reason = wait->stop_on_timeout
                             ? g_strdup_printf (_("Nobody answered within %u s: the run "
                                                  "stops (--approve-timeout)."), wait->timeout_s)
                             : g_strdup_printf (_("Nobody answered within %u s "
                                                  "(--approve-timeout)."), wait->timeout_s);
  ReinsDecision decision = wait->stop_on_timeout ? REINS_DECISION_STOP : REINS_DECISION_REJECT;
  int ord;

  wait->timeout_id = 0;
  step = reins_store_get_step (wait->store, wait->run_id, wait->step, &error);
  ord = step != NULL ? find_approval (step, TRUE) : -1;
  if (ord >= 0)
    {
      ReinsApprovalRecord *pending = g_ptr_array_index (reins_step_get_approvals (step), ord);

      reins_approval_record_set_decided_by (pending, "--approve-timeout");
      reins_approval_record_resolve (pending, decision, NULL, reason, g_get_real_time ());
      if (!reins_store_decide_approval (wait->store, wait->run_id, wait->step, (guint) ord,
                                        pending, &error))
        g_debug ("The timeout's decision was not stored: %s", error->message);
    }

  /* Whichever decision is stored now is applied; with none stored, the timeout's own. */
  if (!settle (wait) && wait->stop_on_timeout)
    {
      reins_approval_record_set_decided_by (reins_approval_get_record (wait->approval),
                                            "--approve-timeout");
      reins_approval_stop (wait->approval);
    }
  else if (!reins_approval_is_resolved (wait->approval))
    {
      reins_approval_record_set_decided_by (reins_approval_get_record (wait->approval),
                                            "--approve-timeout");
      reins_approval_reject (wait->approval, reason);
    }
  remote_wait_free (wait);
  return G_SOURCE_REMOVE;
}

/**
 * reins_cli_remote_wait:
 * @db: (nullable): the store the run writes to
 * @timeout_s: reject after this many seconds; 0 to wait as long as it takes
 * @stop_on_timeout: when nobody answers within @timeout_s, stop the run (the stored
 *   decision is still a rejection with the reason) instead of going on with the rejection
 *
 * Waits, on the main loop, for a decision on @approval stored by `reins-cli approve` or
 * `reject`, a window, or anything else using reins_store_decide_approval().
 */
void
reins_cli_remote_wait (ReinsApproval *approval,
                       const char    *db,
                       guint          timeout_s,
                       gboolean       stop_on_timeout)
{
  g_autoptr(GError) error = NULL;
  ReinsApprovalRecord *record = reins_approval_get_record (approval);
  RemoteWait *wait = g_new0 (RemoteWait, 1);
  g_autofree char *short_id = NULL;
  GSource *watch;

  wait->approval = g_object_ref (approval);
  wait->run_id = g_strdup (reins_approval_get_run_id (approval));
  wait->step = reins_approval_record_get_step (record);
  wait->timeout_s = timeout_s;
  wait->stop_on_timeout = stop_on_timeout;
  wait->store = reins_store_open (db, &error);
  if (wait->store == NULL)
    {
      reins_cli_print_error (_("cannot wait for a decision: %s"), error->message);
      reins_approval_record_set_decided_by (record, "--approve=remote");
      reins_approval_reject (approval, error->message);
      remote_wait_free (wait);
      return;
    }

  short_id = g_strndup (wait->run_id, 8);
  g_printerr (_("Step %u waits for a decision: %s\n"
                "  reins-cli approve %s   or   reins-cli reject %s --feedback=TEXT\n"),
              wait->step, reins_approval_record_get_reason (record), short_id, short_id);

  /* A database says when something changed; a file is looked at a few times a second. */
  watch = reins_store_create_watch (wait->store);
  if (watch != NULL)
    {
      g_source_set_callback (watch, check_cb, wait, NULL);
      wait->source_id = g_source_attach (watch, NULL);
      g_source_unref (watch);
    }
  else
    wait->source_id = g_timeout_add (POLL_INTERVAL_MS, check_cb, wait);
  wait->first_check_id = g_idle_add (first_check_cb, wait);
  if (timeout_s > 0)
    wait->timeout_id = g_timeout_add_seconds (timeout_s, timeout_cb, wait);
}

/* reins-cli approve / reject */

static int
decide (int            argc,
        char         **argv,
        ReinsDecision  decision)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(ReinsStep) step = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *feedback = NULL;
  g_autofree char *me = who_am_i ();
  gboolean approve = decision == REINS_DECISION_APPROVE;
  ReinsApprovalRecord *pending;
  guint ord = 0;
  GOptionEntry entries[] = {
    { "feedback", 0, 0, G_OPTION_ARG_STRING, &feedback,
      approve ? N_("What the agent reads with the approval (the answer, for a question)")
              : N_("Why, for the agent to read"), N_("TEXT") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
      N_("The run store [$XDG_DATA_HOME/reins/runs.db]"), N_("PATH") },
    { NULL }
  };

  context = reins_cli_context_new (approve ? "approve" : "reject", "RUN_ID",
                                   approve ? _("Approve what a run waiting for a person asks "
                                               "(reins-cli run --approve=remote, or a window).\n"
                                               "Exit status: 0 stored, 1 someone decided "
                                               "first, 2 usage error, 4 store error.")
                                           : _("Reject what a run waiting for a person asks "
                                               "(reins-cli run --approve=remote, or a window).\n"
                                               "Exit status: 0 stored, 1 someone decided "
                                               "first, 2 usage error, 4 store error."),
                                   entries);
  if (!reins_cli_parse (context, &argc, &argv, 1, 1))
    return REINS_CLI_EXIT_USAGE;

  if (!reins_cli_open_store (db_path, &store, &error))
    return reins_cli_fail (error);
  run = reins_cli_find_run (store, db_path, argv[1], &error);
  if (run == NULL)
    return reins_cli_fail (error);

  step = reins_store_get_open_question (store, run, &ord, &error);
  if (step == NULL && error != NULL)
    return reins_cli_fail (error);
  if (step == NULL)
    {
      reins_cli_print_error (_("the run %s is not waiting for a decision (it is %s)"),
                             reins_run_get_id (run),
                             reins_run_status_to_string (reins_run_get_status (run)));
      return REINS_CLI_EXIT_FAILED;
    }

  pending = g_ptr_array_index (reins_step_get_approvals (step), ord);
  reins_approval_record_set_decided_by (pending, me);
  reins_approval_record_resolve (pending, decision, NULL, feedback, g_get_real_time ());
  if (!reins_store_decide_approval (store, reins_run_get_id (run), reins_step_get_index (step),
                                    ord, pending, &error))
    {
      g_autoptr(ReinsApprovalRecord) winner = NULL;

      if (!g_error_matches (error, REINS_ERROR, REINS_ERROR_FAILED))
        return reins_cli_fail (error);
      winner = reins_store_get_decision (store, reins_run_get_id (run),
                                         reins_step_get_index (step), ord, NULL);
      if (winner != NULL)
        reins_cli_print_error (_("step %u was already decided: %s by %s"),
                               reins_step_get_index (step),
                               reins_decision_to_string (reins_approval_record_get_decision (winner)),
                               reins_approval_record_get_decided_by (winner) != NULL
                                 ? reins_approval_record_get_decided_by (winner)
                                 : _("someone"));
      else
        reins_cli_print_error ("%s", error->message);
      return REINS_CLI_EXIT_FAILED;
    }

  printf (approve ? _("Approved step %u of run %s.\n") : _("Rejected step %u of run %s.\n"),
          reins_step_get_index (step), reins_run_get_id (run));
  return REINS_CLI_EXIT_OK;
}

int
reins_cli_approve (int    argc,
                   char **argv)
{
  return decide (argc, argv, REINS_DECISION_APPROVE);
}

int
reins_cli_reject (int    argc,
                  char **argv)
{
  return decide (argc, argv, REINS_DECISION_REJECT);
}
