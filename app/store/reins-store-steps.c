/* reins-store-steps.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The run store: steps with their verdicts and approvals, model exchanges, compressions.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "reins-store-private.h"

#define STEP_COLUMNS \
  "num, run_id, idx, thought, reply, action, action_call_id, observation, tool_error, " \
  "confidence, confidence_source, input_tokens, output_tokens, cost_usd, cost_total_usd, " \
  "duration_ms, started_at, critic"

/* Steps */

static ReinsAction *
action_from_columns (sqlite3_stmt *stmt,
                     int           json_column,
                     int           call_id_column)
{
  g_autofree char *json = reins_store_column_text (stmt, json_column);
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
    call_id = reins_store_column_text (stmt, call_id_column);
  if (call_id != NULL)
    return reins_action_new_with_id (reins_action_get_name (action),
                                     reins_action_get_arguments (action), call_id);
  return g_steal_pointer (&action);
}

static gboolean
load_verdicts (ReinsStore  *self,
               ReinsStep   *step,
               gint64       step_num,
               GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt =
    reins_store_prepare (self,
                         "SELECT guard, kind, reason, steps, phase FROM verdicts "
                         "WHERE step_num = ? ORDER BY ord",
                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, step_num);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *guard = reins_store_column_text (stmt, 0);
      g_autofree char *reason = reins_store_column_text (stmt, 2);
      g_autofree char *steps_text = reins_store_column_text (stmt, 3);
      g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(ReinsVerdict) verdict = NULL;
      ReinsVerdictKind kind = REINS_VERDICT_ALLOW;

      reins_verdict_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &kind);
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
      if (sqlite3_column_type (stmt, 4) == SQLITE_TEXT)
        {
          ReinsVerdictPhase phase = REINS_VERDICT_PHASE_BEFORE_ACTION;

          if (reins_verdict_phase_from_string ((const char *) sqlite3_column_text (stmt, 4), &phase))
            reins_verdict_set_phase (verdict, phase);
        }
      reins_step_add_verdict (step, verdict);
    }
  if (rc != SQLITE_DONE)
    return reins_store_set_error (self, rc, error);
  return TRUE;
}

/* Who decided an approval travels inside the JSON of its asked-for action, as a member
 * "decided_by" that actions ignore when read back, so the table needs no new column. An
 * approval without an action stores only that member. */
#define DECIDED_BY_MEMBER "decided_by"

static char *
approval_decided_by_from_column (sqlite3_stmt *stmt,
                                 int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
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

static gboolean
load_approvals (ReinsStore  *self,
                ReinsStep   *step,
                gint64       step_num,
                GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt =
    reins_store_prepare (self,
                         "SELECT step, guard, reason, action, confidence, decision, "
                         "  final_action, feedback, requested_at, resolved_at "
                         "FROM approvals WHERE step_num = ? ORDER BY ord",
                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, step_num);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *guard = reins_store_column_text (stmt, 1);
      g_autofree char *reason = reins_store_column_text (stmt, 2);
      g_autofree char *feedback = reins_store_column_text (stmt, 7);
      g_autoptr(ReinsAction) action = action_from_columns (stmt, 3, -1);
      g_autoptr(ReinsAction) final_action = action_from_columns (stmt, 6, -1);
      g_autofree char *decided_by = approval_decided_by_from_column (stmt, 3);
      g_autoptr(ReinsApprovalRecord) record = NULL;
      ReinsDecision decision = REINS_DECISION_NONE;
      double confidence = sqlite3_column_type (stmt, 4) == SQLITE_NULL
                            ? NAN : sqlite3_column_double (stmt, 4);

      record = reins_approval_record_new ((guint) CLAMP (sqlite3_column_int64 (stmt, 0),
                                                         0, G_MAXUINT),
                                          guard != NULL ? guard : "", reason, action,
                                          confidence);
      reins_approval_record_set_requested_at (record, sqlite3_column_int64 (stmt, 8));
      reins_approval_record_set_decided_by (record, decided_by);
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL &&
          reins_decision_from_string ((const char *) sqlite3_column_text (stmt, 5), &decision) &&
          decision != REINS_DECISION_NONE)
        reins_approval_record_resolve (record, decision, final_action, feedback,
                                       sqlite3_column_int64 (stmt, 9));
      reins_step_add_approval (step, record);
    }
  if (rc != SQLITE_DONE)
    return reins_store_set_error (self, rc, error);
  return TRUE;
}

static ReinsStep *
step_from_row (ReinsStore    *self,
               sqlite3_stmt  *stmt,
               gint64        *num)
{
  g_autofree char *run_id = reins_store_column_text (stmt, 1);
  g_autofree char *thought = reins_store_column_text (stmt, 3);
  g_autofree char *reply = reins_store_column_text (stmt, 4);
  g_autofree char *observation = reins_store_column_text (stmt, 7);
  g_autoptr(ReinsAction) action = action_from_columns (stmt, 5, 6);
  ReinsStep *step;

  *num = sqlite3_column_int64 (stmt, 0);
  step = reins_step_new (run_id, (guint) CLAMP (sqlite3_column_int64 (stmt, 2), 0, G_MAXUINT));
  reins_step_set_thought (step, thought);
  reins_step_set_reply (step, reply);
  reins_step_set_action (step, action);
  reins_step_set_observation (step, observation);
  reins_step_set_tool_error (step, sqlite3_column_int (stmt, 8) != 0);
  if (sqlite3_column_type (stmt, 9) != SQLITE_NULL)
    {
      ReinsConfidenceSource source = REINS_CONFIDENCE_SOURCE_DEFAULT;

      reins_confidence_source_from_string ((const char *) sqlite3_column_text (stmt, 10),
                                           &source);
      reins_step_set_confidence (step, sqlite3_column_double (stmt, 9), source);
    }
  reins_step_set_tokens (step, (guint64) MAX (0, sqlite3_column_int64 (stmt, 11)),
                         (guint64) MAX (0, sqlite3_column_int64 (stmt, 12)));
  reins_step_set_cost (step, sqlite3_column_double (stmt, 13), sqlite3_column_double (stmt, 14));
  reins_step_set_duration_ms (step, sqlite3_column_int64 (stmt, 15));
  reins_step_set_started_at (step, sqlite3_column_int64 (stmt, 16));
  if (sqlite3_column_type (stmt, 17) == SQLITE_TEXT)
    {
      g_autofree char *critic = reins_store_column_text (stmt, 17);
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

/* Reads the rows of @stmt, then their verdicts and approvals (after the rows, because the
 * cached statements must not be nested with themselves). */
static GPtrArray *
read_steps (ReinsStore    *self,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) nums = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 num;

      g_ptr_array_add (steps, step_from_row (self, stmt, &num));
      g_array_append_val (nums, num);
    }
  if (rc != SQLITE_DONE)
    {
      reins_store_set_error (self, rc, error);
      return NULL;
    }

  for (guint i = 0; i < steps->len; i++)
    {
      ReinsStep *step = g_ptr_array_index (steps, i);
      gint64 num = g_array_index (nums, gint64, i);

      if (!load_verdicts (self, step, num, error) ||
          !load_approvals (self, step, num, error))
        return NULL;
    }

  return g_steal_pointer (&steps);
}

/**
 * reins_store_get_step:
 * @index: the step's number, from 1
 *
 * Returns: (transfer full): the step, or %NULL with REINS_ERROR_NOT_FOUND
 */
ReinsStep *
reins_store_get_step (ReinsStore  *self,
                      const char  *run_id,
                      guint        index,
                      GError     **error)
{
  g_autoptr(GPtrArray) steps = NULL;

  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  steps = reins_store_get_steps (self, run_id, index, 1, error);
  if (steps == NULL)
    return NULL;
  if (steps->len == 0 || reins_step_get_index (g_ptr_array_index (steps, 0)) != index)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND,
                   _("The run “%s” has no step %u"), run_id, index);
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (steps, 0));
}

/**
 * reins_store_get_steps:
 * @first: the first step to read, from 1
 * @max_steps: at most this many; 0 for all that follow
 *
 * Reads a range of a run's steps in order, so a long run can be read lazily. A run without
 * steps in the range (or an unknown run) gives an empty array.
 *
 * Returns: (transfer full) (element-type ReinsStep): the steps, or %NULL on error
 */
GPtrArray *
reins_store_get_steps (ReinsStore  *self,
                       const char  *run_id,
                       guint        first,
                       guint        max_steps,
                       GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;

  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  stmt = reins_store_prepare (self,
                              "SELECT " STEP_COLUMNS " FROM steps "
                              "WHERE run_id = ?1 AND idx >= ?2 ORDER BY idx LIMIT ?3",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, run_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, first);
  sqlite3_bind_int64 (stmt, 3, max_steps > 0 ? (gint64) max_steps : -1);
  return read_steps (self, stmt, error);
}

static char *
action_to_text (ReinsAction *action)
{
  return action != NULL ? reins_action_to_string (action) : NULL;
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
    node = json_node_init_object (json_node_alloc (), json_object_new ());
  object = json_node_get_object (node);
  json_object_set_string_member (object, DECIDED_BY_MEMBER, decided_by);
  return json_to_string (node, FALSE);
}

static gboolean
write_verdicts (ReinsStore  *self,
                ReinsStep   *step,
                gint64       step_num,
                GError     **error)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);

  {
    g_autoptr(ReinsStoreStmt) stmt =
      reins_store_prepare (self, "DELETE FROM verdicts WHERE step_num = ?", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, step_num);
    if (!reins_store_step_done (self, stmt, error))
      return FALSE;
  }

  for (guint i = 0; i < verdicts->len; i++)
    {
      ReinsVerdict *verdict = g_ptr_array_index (verdicts, i);
      g_autoptr(ReinsStoreStmt) stmt =
        reins_store_prepare (self,
                             "INSERT INTO verdicts (step_num, ord, guard, kind, reason, steps, phase) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)",
                             error);
      g_autofree char *steps_text = NULL;
      const guint *steps;
      guint n_steps = 0;

      if (stmt == NULL)
        return FALSE;
      steps = reins_verdict_get_steps (verdict, &n_steps);
      if (n_steps > 0)
        {
          g_autoptr(GString) text = g_string_new ("[");

          for (guint j = 0; j < n_steps; j++)
            g_string_append_printf (text, "%s%u", j > 0 ? "," : "", steps[j]);
          g_string_append_c (text, ']');
          steps_text = g_string_free (g_steal_pointer (&text), FALSE);
        }
      sqlite3_bind_int64 (stmt, 1, step_num);
      sqlite3_bind_int (stmt, 2, (int) i);
      reins_store_bind_text (stmt, 3, reins_verdict_get_guard (verdict));
      sqlite3_bind_text (stmt, 4, reins_verdict_kind_to_string (reins_verdict_get_kind (verdict)),
                         -1, SQLITE_STATIC);
      reins_store_bind_text (stmt, 5, reins_verdict_get_reason (verdict));
      reins_store_bind_text (stmt, 6, steps_text);
      sqlite3_bind_text (stmt, 7, reins_verdict_phase_to_string (reins_verdict_get_phase (verdict)),
                         -1, SQLITE_STATIC);
      if (!reins_store_step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
write_approvals (ReinsStore  *self,
                 ReinsStep   *step,
                 gint64       step_num,
                 GError     **error)
{
  GPtrArray *approvals = reins_step_get_approvals (step);

  {
    g_autoptr(ReinsStoreStmt) stmt =
      reins_store_prepare (self, "DELETE FROM approvals WHERE step_num = ?", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, step_num);
    if (!reins_store_step_done (self, stmt, error))
      return FALSE;
  }

  for (guint i = 0; i < approvals->len; i++)
    {
      ReinsApprovalRecord *record = g_ptr_array_index (approvals, i);
      g_autoptr(ReinsStoreStmt) stmt =
        reins_store_prepare (self,
                             "INSERT INTO approvals (step_num, ord, step, guard, reason, action, "
                             "  confidence, decision, final_action, feedback, requested_at, "
                             "  resolved_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             error);
      g_autofree char *action = approval_action_to_text (record);
      g_autofree char *final_action =
        action_to_text (reins_approval_record_get_final_action (record));
      ReinsDecision decision = reins_approval_record_get_decision (record);
      double confidence = reins_approval_record_get_confidence (record);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, step_num);
      sqlite3_bind_int (stmt, 2, (int) i);
      sqlite3_bind_int64 (stmt, 3, reins_approval_record_get_step (record));
      reins_store_bind_text (stmt, 4, reins_approval_record_get_guard (record));
      reins_store_bind_text (stmt, 5, reins_approval_record_get_reason (record));
      reins_store_bind_text (stmt, 6, action);
      if (isnan (confidence))
        sqlite3_bind_null (stmt, 7);
      else
        sqlite3_bind_double (stmt, 7, confidence);
      if (decision != REINS_DECISION_NONE)
        sqlite3_bind_text (stmt, 8, reins_decision_to_string (decision), -1, SQLITE_STATIC);
      reins_store_bind_text (stmt, 9, final_action);
      reins_store_bind_text (stmt, 10, reins_approval_record_get_feedback (record));
      sqlite3_bind_int64 (stmt, 11, reins_approval_record_get_requested_at (record));
      sqlite3_bind_int64 (stmt, 12, reins_approval_record_get_resolved_at (record));
      if (!reins_store_step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
write_step (ReinsStore  *self,
            const char  *run_id,
            ReinsStep   *step,
            GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;
  ReinsAction *action = reins_step_get_action (step);
  g_autofree char *action_text = action_to_text (action);
  g_autofree char *critic_text = NULL;
  gint64 num = 0;
  int rc;

  stmt = reins_store_prepare (self,
                              "INSERT INTO steps (run_id, idx, thought, reply, action, "
                              "  action_call_id, observation, tool_error, confidence, "
                              "  confidence_source, input_tokens, output_tokens, cost_usd, "
                              "  cost_total_usd, duration_ms, started_at, critic) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                              "  ?14, ?15, ?16, ?17) "
                              "ON CONFLICT (run_id, idx) DO UPDATE SET "
                              "  thought = excluded.thought, reply = excluded.reply, "
                              "  action = excluded.action, "
                              "  action_call_id = excluded.action_call_id, "
                              "  observation = excluded.observation, "
                              "  tool_error = excluded.tool_error, "
                              "  confidence = excluded.confidence, "
                              "  confidence_source = excluded.confidence_source, "
                              "  input_tokens = excluded.input_tokens, "
                              "  output_tokens = excluded.output_tokens, "
                              "  cost_usd = excluded.cost_usd, "
                              "  cost_total_usd = excluded.cost_total_usd, "
                              "  duration_ms = excluded.duration_ms, "
                              "  started_at = excluded.started_at, "
                              "  critic = excluded.critic "
                              "RETURNING num",
                              error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, run_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, reins_step_get_index (step));
  reins_store_bind_text (stmt, 3, reins_step_get_thought (step));
  reins_store_bind_text (stmt, 4, reins_step_get_reply (step));
  reins_store_bind_text (stmt, 5, action_text);
  reins_store_bind_text (stmt, 6, action != NULL ? reins_action_get_call_id (action) : NULL);
  reins_store_bind_text (stmt, 7, reins_step_get_observation (step));
  sqlite3_bind_int (stmt, 8, reins_step_get_tool_error (step));
  if (reins_step_has_confidence (step))
    {
      ReinsConfidenceSource source = reins_step_get_confidence_source (step);

      sqlite3_bind_double (stmt, 9, reins_step_get_confidence (step));
      sqlite3_bind_text (stmt, 10, reins_confidence_source_to_string (source), -1,
                         SQLITE_STATIC);
    }
  sqlite3_bind_int64 (stmt, 11, (gint64) MIN (reins_step_get_input_tokens (step), G_MAXINT64));
  sqlite3_bind_int64 (stmt, 12, (gint64) MIN (reins_step_get_output_tokens (step), G_MAXINT64));
  sqlite3_bind_double (stmt, 13, reins_step_get_cost_usd (step));
  sqlite3_bind_double (stmt, 14, reins_step_get_cost_total_usd (step));
  sqlite3_bind_int64 (stmt, 15, reins_step_get_duration_ms (step));
  sqlite3_bind_int64 (stmt, 16, reins_step_get_started_at (step));
  if (reins_step_get_critique (step) != NULL)
    {
      g_autoptr(JsonNode) node = reins_critique_to_json (reins_step_get_critique (step));

      critic_text = reins_json_to_string (node, FALSE);
      reins_store_bind_text (stmt, 17, critic_text);
    }

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      num = sqlite3_column_int64 (stmt, 0);
      rc = sqlite3_step (stmt);
    }
  if (rc != SQLITE_DONE)
    return reins_store_set_error (self, rc, error);
  g_clear_pointer (&stmt, reins_store_stmt_release);

  return write_verdicts (self, step, num, error) &&
         write_approvals (self, step, num, error) &&
         reins_store_index_step (self, num, run_id, step, error);
}

static gboolean
check_step (ReinsRun   *run,
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

/**
 * reins_store_commit_step:
 * @run: the run the step belongs to, with its totals and status after the step
 * @step: the step; committing a step with the same number again replaces it, its verdicts
 *   and its approvals (a step awaiting approval is committed before and after)
 *
 * Writes the step and the run in one transaction: either both are stored or neither is.
 * A run not stored yet is inserted.
 */
gboolean
reins_store_commit_step (ReinsStore  *self,
                         ReinsRun    *run,
                         ReinsStep   *step,
                         GError     **error)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new ();

  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (REINS_IS_RUN (run), FALSE);
  g_return_val_if_fail (REINS_IS_STEP (step), FALSE);

  g_ptr_array_add (steps, step);
  return reins_store_commit_steps (self, run, steps, error);
}

/**
 * reins_store_commit_steps:
 * @steps: (element-type ReinsStep): the steps, each as for reins_store_commit_step()
 *
 * Writes the run and all @steps in one transaction — e.g. the steps a fork keeps from its
 * parent, or an imported run.
 */
gboolean
reins_store_commit_steps (ReinsStore  *self,
                          ReinsRun    *run,
                          GPtrArray   *steps,
                          GError     **error)
{
  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (REINS_IS_RUN (run), FALSE);
  g_return_val_if_fail (steps != NULL, FALSE);

  for (guint i = 0; i < steps->len; i++)
    {
      g_return_val_if_fail (REINS_IS_STEP (g_ptr_array_index (steps, i)), FALSE);
      if (!check_step (run, g_ptr_array_index (steps, i), error))
        return FALSE;
    }

  if (!reins_store_begin (self, error))
    return FALSE;
  if (!reins_store_write_run (self, run, TRUE, TRUE, error))
    {
      reins_store_rollback (self);
      return FALSE;
    }
  for (guint i = 0; i < steps->len; i++)
    if (!write_step (self, reins_run_get_id (run), g_ptr_array_index (steps, i), error))
      {
        reins_store_rollback (self);
        return FALSE;
      }
  return reins_store_commit (self, error);
}

/* Exchanges and compressions */

static gboolean
finish_write (ReinsStore    *self,
              sqlite3_stmt  *stmt,
              const char    *run_id,
              GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return reins_store_set_not_found (error, run_id);
  if (rc != SQLITE_DONE)
    return reins_store_set_error (self, rc, error);
  return TRUE;
}

/* The raw request and response bodies of a step's model call, so a replay needs no model.
 * A later exchange for the same step (a retry) replaces the earlier one. */
gboolean
reins_store_add_exchange (ReinsStore  *self,
                          const char  *run_id,
                          guint        step,
                          const char  *request,
                          const char  *response,
                          gint64       latency_ms,
                          GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;

  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  stmt = reins_store_prepare (self,
                              "INSERT INTO exchanges (run_id, step, request, response, "
                              "  latency_ms, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                              "ON CONFLICT (run_id, step) DO UPDATE SET "
                              "  request = excluded.request, response = excluded.response, "
                              "  latency_ms = excluded.latency_ms, "
                              "  created_at = excluded.created_at",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, run_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, step);
  reins_store_bind_text (stmt, 3, request);
  reins_store_bind_text (stmt, 4, response);
  sqlite3_bind_int64 (stmt, 5, latency_ms);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
  return finish_write (self, stmt, run_id, error);
}

/**
 * reins_store_get_exchange:
 * @request: (out) (optional) (transfer full):
 * @response: (out) (optional) (transfer full):
 *
 * Returns: %FALSE with REINS_ERROR_NOT_FOUND when the step has no stored exchange
 */
gboolean
reins_store_get_exchange (ReinsStore  *self,
                          const char  *run_id,
                          guint        step,
                          char       **request,
                          char       **response,
                          GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  stmt = reins_store_prepare (self,
                              "SELECT request, response FROM exchanges "
                              "WHERE run_id = ? AND step = ?",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, run_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, step);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND,
                   _("The run “%s” has no stored model exchange for step %u"), run_id, step);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return reins_store_set_error (self, rc, error);
  if (request != NULL)
    *request = reins_store_column_text (stmt, 0);
  if (response != NULL)
    *response = reins_store_column_text (stmt, 1);
  return TRUE;
}

/* A summary standing in for steps 1..up_to_step in the model's context. */
gboolean
reins_store_add_compression (ReinsStore  *self,
                             const char  *run_id,
                             guint        up_to_step,
                             const char  *summary,
                             GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;

  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);

  stmt = reins_store_prepare (self,
                              "INSERT INTO compressions (run_id, up_to_step, summary, created_at) "
                              "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (run_id, up_to_step) DO UPDATE "
                              "SET summary = excluded.summary, created_at = excluded.created_at",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, run_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, up_to_step);
  reins_store_bind_text (stmt, 3, summary);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  return finish_write (self, stmt, run_id, error);
}

/**
 * reins_store_get_compression:
 * @before_step: the step about to be run
 * @up_to_step: (out) (optional): the last step the summary covers
 *
 * The latest summary covering steps before @before_step.
 *
 * Returns: (transfer full) (nullable): the summary; %NULL without error when there is none
 */
char *
reins_store_get_compression (ReinsStore  *self,
                             const char  *run_id,
                             guint        before_step,
                             guint       *up_to_step,
                             GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  if (up_to_step != NULL)
    *up_to_step = 0;

  stmt = reins_store_prepare (self,
                              "SELECT up_to_step, summary FROM compressions "
                              "WHERE run_id = ? AND up_to_step < ? "
                              "ORDER BY up_to_step DESC LIMIT 1",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, run_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, before_step);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      reins_store_set_error (self, rc, error);
      return NULL;
    }
  if (up_to_step != NULL)
    *up_to_step = (guint) CLAMP (sqlite3_column_int64 (stmt, 0), 0, G_MAXUINT);
  return reins_store_column_text (stmt, 1);
}
