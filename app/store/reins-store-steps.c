/* reins-store-steps.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQLite backend: steps with their verdicts and approvals (committed with their run),
 * reading steps back, and deciding an approval once.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "reins-store-private.h"

/**
 * reins_store_lookup_num:
 * @sql: a query of one row's `num`, with the parameters ?1 (@text) and maybe ?2 (@number)
 *
 * Returns: whether the row was read into @num; an error when there is none
 */
gboolean
reins_store_lookup_num (ReinsStore  *self,
                        const char  *sql,
                        const char  *text,
                        gint64       number,
                        gint64      *num,
                        GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = reins_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, number);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *num = sqlite3_column_int64 (stmt, 0);
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    return reins_store_set_not_found (error, text);
  return reins_store_set_error (self, rc, error);
}

/* Steps */

static gboolean
load_verdicts (ReinsStore  *self,
               ReinsStep   *step,
               gint64       step_num,
               GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt =
    reins_store_prepare (self,
                         "SELECT " REINS_STORE_VERDICT_COLUMNS " FROM verdicts "
                         "WHERE step_num = ? ORDER BY ord",
                         error);
  ReinsStoreRow row;
  int rc;

  if (stmt == NULL)
    return FALSE;
  reins_store_sqlite_row_init (&row, stmt);
  sqlite3_bind_int64 (stmt, 1, step_num);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(ReinsVerdict) verdict = reins_store_verdict_from_row (&row);

      reins_step_add_verdict (step, verdict);
    }
  if (rc != SQLITE_DONE)
    return reins_store_set_error (self, rc, error);
  return TRUE;
}

static gboolean
load_approvals (ReinsStore  *self,
                ReinsStep   *step,
                gint64       step_num,
                GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt =
    reins_store_prepare (self,
                         "SELECT " REINS_STORE_APPROVAL_COLUMNS " "
                         "FROM approvals WHERE step_num = ? ORDER BY ord",
                         error);
  ReinsStoreRow row;
  int rc;

  if (stmt == NULL)
    return FALSE;
  reins_store_sqlite_row_init (&row, stmt);
  sqlite3_bind_int64 (stmt, 1, step_num);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(ReinsApprovalRecord) record = reins_store_approval_from_row (&row);

      reins_step_add_approval (step, record);
    }
  if (rc != SQLITE_DONE)
    return reins_store_set_error (self, rc, error);
  return TRUE;
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
  ReinsStoreRow row;
  int rc;

  reins_store_sqlite_row_init (&row, stmt);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 num;

      g_ptr_array_add (steps, reins_store_step_from_row (&row, &num));
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

GPtrArray *
reins_store_sqlite_get_steps (ReinsStore  *self,
                              const char  *run_id,
                              guint        first,
                              guint        max_steps,
                              GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;

  stmt = reins_store_prepare (self,
                              "SELECT " REINS_STORE_STEP_COLUMNS " FROM steps "
                              "WHERE run_id = ?1 AND idx >= ?2 ORDER BY idx LIMIT ?3",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, run_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, first);
  sqlite3_bind_int64 (stmt, 3, max_steps > 0 ? (gint64) max_steps : -1);
  return read_steps (self, stmt, error);
}

static gboolean
delete_children (ReinsStore  *self,
                 const char  *sql,
                 gint64       step_num,
                 GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = reins_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, step_num);
  return reins_store_step_done (self, stmt, error);
}

static gboolean
write_verdicts (ReinsStore  *self,
                ReinsStep   *step,
                gint64       step_num,
                GError     **error)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);

  if (!delete_children (self, "DELETE FROM verdicts WHERE step_num = ?", step_num, error))
    return FALSE;

  for (guint i = 0; i < verdicts->len; i++)
    {
      g_autoptr(ReinsStoreStmt) stmt =
        reins_store_prepare_portable (self, REINS_STORE_SQL_INSERT_VERDICT, error);
      g_autofree char *steps_text = NULL;
      ReinsStoreParams params;

      if (stmt == NULL)
        return FALSE;
      reins_store_sqlite_params_init (&params, stmt);
      reins_store_bind_verdict (&params, step_num, i, g_ptr_array_index (verdicts, i),
                                &steps_text);
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
      reins_store_prepare_portable (self, REINS_STORE_SQL_DELETE_APPROVALS_FROM, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, step_num);
    sqlite3_bind_int64 (stmt, 2, approvals->len);
    if (!reins_store_step_done (self, stmt, error))
      return FALSE;
  }

  for (guint i = 0; i < approvals->len; i++)
    {
      g_autoptr(ReinsStoreStmt) stmt =
        reins_store_prepare_portable (self, REINS_STORE_SQL_INSERT_APPROVAL, error);
      char *texts[REINS_STORE_APPROVAL_TEXTS] = { NULL, };
      ReinsStoreParams params;
      gboolean ok;

      if (stmt == NULL)
        return FALSE;
      reins_store_sqlite_params_init (&params, stmt);
      reins_store_bind_approval (&params, step_num, i, g_ptr_array_index (approvals, i), texts);
      ok = reins_store_step_done (self, stmt, error);
      for (guint j = 0; j < G_N_ELEMENTS (texts); j++)
        g_free (texts[j]);
      if (!ok)
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
  char *texts[REINS_STORE_STEP_TEXTS] = { NULL, };
  ReinsStoreParams params;
  gint64 num = 0;
  int rc;

  stmt = reins_store_prepare_portable (self, REINS_STORE_SQL_UPSERT_STEP_NO_RETURN, error);
  if (stmt == NULL)
    return FALSE;

  reins_store_sqlite_params_init (&params, stmt);
  reins_store_bind_step (&params, run_id, step, texts);
  rc = sqlite3_step (stmt);
  g_clear_pointer (&stmt, reins_store_stmt_release);
  for (guint j = 0; j < G_N_ELEMENTS (texts); j++)
    g_free (texts[j]);
  if (rc != SQLITE_DONE)
    return reins_store_set_error (self, rc, error);
  /* Read after, not RETURNING (see reins_store_write_run()). */
  if (!reins_store_lookup_num (self, "SELECT num FROM steps WHERE run_id = ?1 AND idx = ?2",
                               run_id, reins_step_get_index (step), &num, error))
    return FALSE;

  return write_verdicts (self, step, num, error) &&
         write_approvals (self, step, num, error) &&
         reins_store_index_step (self, num, run_id, step, error);
}

gboolean
reins_store_sqlite_commit_steps (ReinsStore  *self,
                                 ReinsRun    *run,
                                 GPtrArray   *steps,
                                 GError     **error)
{
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

/* The only write that may race with another process's: exactly one decision is stored,
 * by a conditional update. */
int
reins_store_sqlite_decide_approval (ReinsStore           *self,
                                    const char           *run_id,
                                    guint                 step,
                                    guint                 ord,
                                    ReinsApprovalRecord  *record,
                                    GError              **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;
  char *texts[REINS_STORE_APPROVAL_TEXTS] = { NULL, };
  ReinsStoreParams params;
  gint64 num;
  int rc, changes;

  stmt = reins_store_prepare_portable (self, REINS_STORE_SQL_STEP_NUM, error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, run_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, step);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND,
                   _("The run “%s” has no step %u"), run_id, step);
      return -1;
    }
  if (rc != SQLITE_ROW)
    {
      reins_store_set_error (self, rc, error);
      return -1;
    }
  num = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, reins_store_stmt_release);

  stmt = reins_store_prepare_portable (self, REINS_STORE_SQL_DECIDE, error);
  if (stmt == NULL)
    return -1;
  reins_store_sqlite_params_init (&params, stmt);
  reins_store_bind_decision (&params, num, ord, record, texts);
  rc = sqlite3_step (stmt);
  changes = sqlite3_changes (self->db);
  for (guint j = 0; j < G_N_ELEMENTS (texts); j++)
    g_free (texts[j]);
  if (rc != SQLITE_DONE)
    {
      reins_store_set_error (self, rc, error);
      return -1;
    }
  return changes > 0 ? 1 : 0;
}

