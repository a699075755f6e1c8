/* reins-store-rows.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows ↔ domain objects for every store backend: which column holds what, and how a run,
 * a step, a verdict and an approval are written as statement parameters and read back.
 * The backends only say how a column is read or a parameter set (ReinsStoreRow,
 * ReinsStoreParams), so SQLite and PostgreSQL store exactly the same values.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "reins-store-private.h"

static guint
column_uint (const ReinsStoreRow *row,
             int                  column)
{
  return (guint) CLAMP (row->int64 (row, column), 0, G_MAXUINT);
}

/* Runs */

ReinsRun *
reins_store_run_from_row (const ReinsStoreRow *row)
{
  g_autofree char *id = row->text (row, 0);
  g_autofree char *task = row->text (row, 1);
  g_autofree char *status_text = row->text (row, 2);
  g_autofree char *provider = row->text (row, 3);
  g_autofree char *model = row->text (row, 4);
  g_autofree char *settings_text = row->text (row, 5);
  g_autofree char *answer = row->text (row, 8);
  g_autofree char *reason = row->text (row, 9);
  g_autofree char *parent = row->text (row, 14);
  g_autoptr(JsonNode) settings = NULL;
  ReinsRunStatus status = REINS_RUN_STATUS_FAILED;
  ReinsRun *run = reins_run_new (task);

  reins_run_set_id (run, id);
  if (!reins_run_status_from_string (status_text, &status))
    g_debug ("Run %s has the unknown status “%s”", id, status_text);
  reins_run_set_status (run, status);
  reins_run_set_provider (run, provider);
  reins_run_set_model (run, model);
  if (settings_text != NULL)
    settings = reins_json_from_string (settings_text, NULL);
  if (settings != NULL && JSON_NODE_HOLDS_OBJECT (settings))
    reins_run_set_settings (run, json_node_get_object (settings));
  reins_run_set_created_at (run, row->int64 (row, 6));
  reins_run_set_finished_at (run, row->int64 (row, 7));
  reins_run_set_final_answer (run, answer);
  reins_run_set_reason (run, reason);
  reins_run_set_tokens (run, (guint64) MAX (0, row->int64 (row, 10)),
                        (guint64) MAX (0, row->int64 (row, 11)));
  reins_run_set_cost_usd (run, row->dbl (row, 12));
  reins_run_set_step_count (run, column_uint (row, 13));
  if (parent != NULL)
    reins_run_set_parent (run, parent, column_uint (row, 15));

  return run;
}

gboolean
reins_store_run_status_is_live (ReinsRunStatus status)
{
  return status == REINS_RUN_STATUS_RUNNING ||
         status == REINS_RUN_STATUS_PAUSED ||
         status == REINS_RUN_STATUS_AWAITING_APPROVAL;
}

/* Parameters 1–16 are the run's fields (16 is its id), 17–19 this process as its owner,
 * 20 whether the status is live (only an update reads it). Returns the settings text,
 * which must outlive the statement. */
char *
reins_store_bind_run (ReinsStoreParams *params,
                      ReinsRun         *run)
{
  g_autoptr(JsonNode) settings = json_node_new (JSON_NODE_OBJECT);
  char *settings_text;
  const char *start_time, *boot_id;
  gint64 pid;

  json_node_set_object (settings, reins_run_get_settings (run));
  settings_text = reins_json_to_string (settings, FALSE);
  reins_store_owner_get (&pid, &start_time, &boot_id);

  params->text (params, 1, reins_run_get_task (run));
  params->text (params, 2, reins_run_status_to_string (reins_run_get_status (run)));
  params->text (params, 3, reins_run_get_provider (run));
  params->text (params, 4, reins_run_get_model (run));
  params->text (params, 5, settings_text);
  params->int64 (params, 6, reins_run_get_created_at (run));
  params->int64 (params, 7, reins_run_get_finished_at (run));
  params->text (params, 8, reins_run_get_final_answer (run));
  params->text (params, 9, reins_run_get_reason (run));
  params->int64 (params, 10, (gint64) MIN (reins_run_get_input_tokens (run), G_MAXINT64));
  params->int64 (params, 11, (gint64) MIN (reins_run_get_output_tokens (run), G_MAXINT64));
  params->dbl (params, 12, reins_run_get_cost_usd (run));
  params->int64 (params, 13, reins_run_get_step_count (run));
  params->text (params, 14, reins_run_get_parent_run_id (run));
  params->int64 (params, 15, reins_run_get_fork_step (run));
  params->text (params, 16, reins_run_get_id (run));
  params->int64 (params, 17, pid);
  params->text (params, 18, start_time);
  params->text (params, 19, boot_id);
  params->int64 (params, 20, reins_store_run_status_is_live (reins_run_get_status (run)));
  return settings_text;
}

/* Steps */

static ReinsAction *
action_from_columns (const ReinsStoreRow *row,
                     int                  json_column,
                     int                  call_id_column)
{
  g_autofree char *json = row->text (row, json_column);
  g_autofree char *call_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsAction) action = NULL;

  if (json == NULL)
    return NULL;
  action = reins_action_new_from_string (json, &error);
  if (action == NULL)
    {
      g_debug ("A stored action cannot be read: %s", error->message);
      return NULL;
    }
  if (call_id_column >= 0)
    call_id = row->text (row, call_id_column);
  if (call_id != NULL)
    return reins_action_new_with_id (reins_action_get_name (action),
                                     reins_action_get_arguments (action), call_id);
  return g_steal_pointer (&action);
}

ReinsStep *
reins_store_step_from_row (const ReinsStoreRow *row,
                           gint64              *num)
{
  g_autofree char *run_id = row->text (row, 1);
  g_autofree char *thought = row->text (row, 3);
  g_autofree char *reply = row->text (row, 4);
  g_autofree char *observation = row->text (row, 7);
  g_autofree char *critic = row->text (row, 17);
  g_autoptr(ReinsAction) action = action_from_columns (row, 5, 6);
  ReinsStep *step;

  *num = row->int64 (row, 0);
  step = reins_step_new (run_id, column_uint (row, 2));
  reins_step_set_thought (step, thought);
  reins_step_set_reply (step, reply);
  reins_step_set_action (step, action);
  reins_step_set_observation (step, observation);
  reins_step_set_tool_error (step, row->int64 (row, 8) != 0);
  if (!row->is_null (row, 9))
    {
      g_autofree char *source_text = row->text (row, 10);
      ReinsConfidenceSource source = REINS_CONFIDENCE_SOURCE_DEFAULT;

      reins_confidence_source_from_string (source_text, &source);
      reins_step_set_confidence (step, row->dbl (row, 9), source);
    }
  reins_step_set_tokens (step, (guint64) MAX (0, row->int64 (row, 11)),
                         (guint64) MAX (0, row->int64 (row, 12)));
  reins_step_set_cost (step, row->dbl (row, 13), row->dbl (row, 14));
  reins_step_set_duration_ms (step, row->int64 (row, 15));
  reins_step_set_started_at (step, row->int64 (row, 16));
  if (critic != NULL)
    {
      g_autoptr(JsonNode) node = reins_json_from_string (critic, NULL);
      g_autoptr(ReinsCritique) critique = NULL;
      g_autoptr(GError) error = NULL;

      /* A damaged critique costs the critique, never the step. */
      critique = node != NULL ? reins_critique_new_from_json (node, &error) : NULL;
      if (critique != NULL)
        reins_step_set_critique (step, critique);
      else
        g_message ("The critique of step %u of run %s cannot be read: %s",
                   reins_step_get_index (step), run_id,
                   error != NULL ? error->message : "not JSON");
    }

  return step;
}

static char *
action_to_text (ReinsAction *action)
{
  return action != NULL ? reins_action_to_string (action) : NULL;
}

/* Parameters 1–17; @texts (REINS_STORE_STEP_TEXTS of them) receive the texts made for
 * the statement, which the caller frees after it ran. */
void
reins_store_bind_step (ReinsStoreParams  *params,
                       const char        *run_id,
                       ReinsStep         *step,
                       char             **texts)
{
  ReinsAction *action = reins_step_get_action (step);

  texts[0] = action_to_text (action);
  texts[1] = NULL;
  params->text (params, 1, run_id);
  params->int64 (params, 2, reins_step_get_index (step));
  params->text (params, 3, reins_step_get_thought (step));
  params->text (params, 4, reins_step_get_reply (step));
  params->text (params, 5, texts[0]);
  params->text (params, 6, action != NULL ? reins_action_get_call_id (action) : NULL);
  params->text (params, 7, reins_step_get_observation (step));
  params->int64 (params, 8, reins_step_get_tool_error (step));
  if (reins_step_has_confidence (step))
    {
      ReinsConfidenceSource source = reins_step_get_confidence_source (step);

      params->dbl (params, 9, reins_step_get_confidence (step));
      params->text (params, 10, reins_confidence_source_to_string (source));
    }
  else
    {
      params->text (params, 9, NULL);
      params->text (params, 10, NULL);
    }
  params->int64 (params, 11, (gint64) MIN (reins_step_get_input_tokens (step), G_MAXINT64));
  params->int64 (params, 12, (gint64) MIN (reins_step_get_output_tokens (step), G_MAXINT64));
  params->dbl (params, 13, reins_step_get_cost_usd (step));
  params->dbl (params, 14, reins_step_get_cost_total_usd (step));
  params->int64 (params, 15, reins_step_get_duration_ms (step));
  params->int64 (params, 16, reins_step_get_started_at (step));
  if (reins_step_get_critique (step) != NULL)
    {
      g_autoptr(JsonNode) node = reins_critique_to_json (reins_step_get_critique (step));

      texts[1] = reins_json_to_string (node, FALSE);
    }
  params->text (params, 17, texts[1]);
}

gboolean
reins_store_check_step (ReinsRun   *run,
                        ReinsStep  *step,
                        GError    **error)
{
  if (reins_step_get_index (step) < 1)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("A step needs a number from 1 up"));
      return FALSE;
    }
  if (reins_step_get_run_id (step) != NULL &&
      g_strcmp0 (reins_step_get_run_id (step), reins_run_get_id (run)) != 0)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("Step %u belongs to the run “%s”, not to “%s”"),
                   reins_step_get_index (step), reins_step_get_run_id (step),
                   reins_run_get_id (run));
      return FALSE;
    }
  return TRUE;
}

/* Verdicts */

ReinsVerdict *
reins_store_verdict_from_row (const ReinsStoreRow *row)
{
  g_autofree char *guard = row->text (row, 0);
  g_autofree char *kind_text = row->text (row, 1);
  g_autofree char *reason = row->text (row, 2);
  g_autofree char *steps_text = row->text (row, 3);
  g_autofree char *phase_text = row->text (row, 4);
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (guint));
  ReinsVerdict *verdict;
  ReinsVerdictKind kind = REINS_VERDICT_ALLOW;

  reins_verdict_kind_from_string (kind_text, &kind);
  if (steps_text != NULL)
    {
      g_autoptr(JsonNode) node = reins_json_from_string (steps_text, NULL);

      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              guint value = (guint) CLAMP (json_array_get_int_element (array, i),
                                           0, G_MAXUINT);
              g_array_append_val (steps, value);
            }
        }
    }
  verdict = reins_verdict_new_with_steps (guard != NULL ? guard : "", kind, reason,
                                          (const guint *) (gpointer) steps->data,
                                          steps->len);
  if (phase_text != NULL)
    {
      ReinsVerdictPhase phase = REINS_VERDICT_PHASE_BEFORE_ACTION;

      if (reins_verdict_phase_from_string (phase_text, &phase))
        reins_verdict_set_phase (verdict, phase);
    }
  return verdict;
}

/* Parameters 1–7; *@steps_text must outlive the statement. */
void
reins_store_bind_verdict (ReinsStoreParams  *params,
                          gint64             step_num,
                          guint              ord,
                          ReinsVerdict      *verdict,
                          char             **steps_text)
{
  const guint *steps;
  guint n_steps = 0;

  *steps_text = NULL;
  steps = reins_verdict_get_steps (verdict, &n_steps);
  if (n_steps > 0)
    {
      g_autoptr(GString) text = g_string_new ("[");

      for (guint j = 0; j < n_steps; j++)
        g_string_append_printf (text, "%s%u", j > 0 ? "," : "", steps[j]);
      g_string_append_c (text, ']');
      *steps_text = g_string_free (g_steal_pointer (&text), FALSE);
    }
  params->int64 (params, 1, step_num);
  params->int64 (params, 2, ord);
  params->text (params, 3, reins_verdict_get_guard (verdict));
  params->text (params, 4, reins_verdict_kind_to_string (reins_verdict_get_kind (verdict)));
  params->text (params, 5, reins_verdict_get_reason (verdict));
  params->text (params, 6, *steps_text);
  params->text (params, 7, reins_verdict_phase_to_string (reins_verdict_get_phase (verdict)));
}

/* Approvals
 *
 * Who decided an approval travels inside the JSON of its asked-for action, as a member
 * "decided_by" that actions ignore when read back, so the table needs no new column. An
 * approval without an action stores only that member. */
#define DECIDED_BY_MEMBER "decided_by"

static char *
decided_by_from_text (const char *text)
{
  g_autoptr(JsonNode) node = NULL;
  char *decided_by = NULL;

  if (text == NULL || strstr (text, "\"" DECIDED_BY_MEMBER "\"") == NULL)
    return NULL;
  node = reins_json_from_string (text, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      !reins_json_get_string (json_node_get_object (node), DECIDED_BY_MEMBER, &decided_by, NULL))
    return NULL;
  return decided_by;
}

ReinsApprovalRecord *
reins_store_approval_from_row (const ReinsStoreRow *row)
{
  g_autofree char *guard = row->text (row, 1);
  g_autofree char *reason = row->text (row, 2);
  g_autofree char *action_text = row->text (row, 3);
  g_autofree char *decision_text = row->text (row, 5);
  g_autofree char *feedback = row->text (row, 7);
  g_autoptr(ReinsAction) action = action_from_columns (row, 3, -1);
  g_autoptr(ReinsAction) final_action = action_from_columns (row, 6, -1);
  g_autofree char *decided_by = decided_by_from_text (action_text);
  ReinsApprovalRecord *record;
  ReinsDecision decision = REINS_DECISION_NONE;
  double confidence = row->is_null (row, 4) ? NAN : row->dbl (row, 4);

  record = reins_approval_record_new (column_uint (row, 0), guard != NULL ? guard : "",
                                      reason, action, confidence);
  reins_approval_record_set_requested_at (record, row->int64 (row, 8));
  reins_approval_record_set_decided_by (record, decided_by);
  if (decision_text != NULL &&
      reins_decision_from_string (decision_text, &decision) &&
      decision != REINS_DECISION_NONE)
    reins_approval_record_resolve (record, decision, final_action, feedback,
                                   row->int64 (row, 9));
  return record;
}

static char *
approval_action_to_text (ReinsApprovalRecord *record)
{
  ReinsAction *action = reins_approval_record_get_action (record);
  const char *decided_by = reins_approval_record_get_decided_by (record);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  if (decided_by == NULL)
    return action_to_text (action);

  if (action != NULL)
    node = reins_action_to_json (action);
  else
    {
      /* The node takes a reference of its own. */
      g_autoptr(JsonObject) empty = json_object_new ();

      node = json_node_init_object (json_node_alloc (), empty);
    }
  object = json_node_get_object (node);
  json_object_set_string_member (object, DECIDED_BY_MEMBER, decided_by);
  return json_to_string (node, FALSE);
}

/* Parameters 1–12; @texts (REINS_STORE_APPROVAL_TEXTS) as for reins_store_bind_step(). */
void
reins_store_bind_approval (ReinsStoreParams     *params,
                           gint64                step_num,
                           guint                 ord,
                           ReinsApprovalRecord  *record,
                           char                **texts)
{
  ReinsDecision decision = reins_approval_record_get_decision (record);
  double confidence = reins_approval_record_get_confidence (record);

  texts[0] = approval_action_to_text (record);
  texts[1] = action_to_text (reins_approval_record_get_final_action (record));
  params->int64 (params, 1, step_num);
  params->int64 (params, 2, ord);
  params->int64 (params, 3, reins_approval_record_get_step (record));
  params->text (params, 4, reins_approval_record_get_guard (record));
  params->text (params, 5, reins_approval_record_get_reason (record));
  params->text (params, 6, texts[0]);
  if (isnan (confidence))
    params->text (params, 7, NULL);
  else
    params->dbl (params, 7, confidence);
  params->text (params, 8, decision != REINS_DECISION_NONE ? reins_decision_to_string (decision)
                                                           : NULL);
  params->text (params, 9, texts[1]);
  params->text (params, 10, reins_approval_record_get_feedback (record));
  params->int64 (params, 11, reins_approval_record_get_requested_at (record));
  params->int64 (params, 12, reins_approval_record_get_resolved_at (record));
}

/* A decision taken elsewhere (reins-cli approve, another window): parameters 1 action
 * (with who decided), 2 decision, 3 final action, 4 feedback, 5 resolved_at, 6 step_num,
 * 7 ord; @texts as for reins_store_bind_approval(). */
void
reins_store_bind_decision (ReinsStoreParams     *params,
                           gint64                step_num,
                           guint                 ord,
                           ReinsApprovalRecord  *record,
                           char                **texts)
{
  ReinsDecision decision = reins_approval_record_get_decision (record);

  texts[0] = approval_action_to_text (record);
  texts[1] = action_to_text (reins_approval_record_get_final_action (record));
  params->text (params, 1, texts[0]);
  params->text (params, 2, decision != REINS_DECISION_NONE ? reins_decision_to_string (decision)
                                                           : NULL);
  params->text (params, 3, texts[1]);
  params->text (params, 4, reins_approval_record_get_feedback (record));
  params->int64 (params, 5, reins_approval_record_get_resolved_at (record));
  params->int64 (params, 6, step_num);
  params->int64 (params, 7, ord);
}

/* Errors every backend gives alike */

gboolean
reins_store_set_not_found (GError     **error,
                           const char  *run_id)
{
  g_set_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND,
               _("There is no run with the id “%s”"), run_id);
  return FALSE;
}

gboolean
reins_store_set_no_exchange (GError     **error,
                             const char  *run_id,
                             guint        step)
{
  g_set_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND,
               _("The run “%s” has no stored model exchange for step %u"), run_id, step);
  return FALSE;
}

/* A store whose schema @version is newer than the @n_versions this Reins knows. */
gboolean
reins_store_set_newer (GError     **error,
                       const char  *name,
                       gint64       version,
                       guint        n_versions)
{
  g_set_error (error, REINS_ERROR, REINS_ERROR_STORE_NEWER,
               _("The run store “%s” was written by a newer version of Reins (schema %d; "
                 "this version reads up to %d); it was left untouched"),
               name, (int) version, (int) n_versions);
  return FALSE;
}

gboolean
reins_store_set_duplicate_run (GError     **error,
                               const char  *run_id)
{
  g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
               _("A run with the id “%s” is already stored"), run_id);
  return FALSE;
}

char *
reins_store_interrupted_reason (gint64 pid)
{
  if (pid > 0)
    return g_strdup_printf (_("The process that ran it (pid %d) ended before the run "
                              "finished."), (int) pid);
  return g_strdup (_("The process that ran it ended before the run finished."));
}
