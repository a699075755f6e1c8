/* reins-store-runs.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs in the SQLite store: writing a run's row (the writer of a live status becomes its
 * owner), reading, listing, counting and matching runs, deleting and purging them, the
 * data version, and listing forks.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-store-private.h"

static char *
bind_run (sqlite3_stmt *stmt,
          ReinsRun     *run)
{
  ReinsStoreParams params;

  reins_store_sqlite_params_init (&params, stmt);
  return reins_store_bind_run (&params, run);
}

/* The columns an update of a run sets, its status aside; the parameters of bind_run(). */
#define RUN_UPDATE_COLUMNS \
  "task = ?1, provider = ?3, model = ?4, settings = ?5, created_at = ?6, finished_at = ?7, " \
  "final_answer = ?8, reason = ?9, input_tokens = ?10, output_tokens = ?11, cost_usd = ?12, " \
  "step_count = ?13, parent_run_id = ?14, fork_step = ?15, " \
  "owner_pid = CASE WHEN ?20 THEN ?17 ELSE owner_pid END, " \
  "owner_start_time = CASE WHEN ?20 THEN ?18 ELSE owner_start_time END, " \
  "owner_boot_id = CASE WHEN ?20 THEN ?19 ELSE owner_boot_id END"

static gboolean
update_run (ReinsStore  *self,
            ReinsRun    *run,
            const char  *sql,
            gboolean    *found,
            GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = reins_store_prepare (self, sql, error);
  g_autofree char *settings = NULL;
  int rc;

  if (stmt == NULL)
    return FALSE;
  settings = bind_run (stmt, run);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return reins_store_set_error (self, rc, error);
  *found = sqlite3_changes (self->db) > 0;
  return TRUE;
}

/* Writes the run's row (and its search row) inside the caller's transaction. The writer
 * of a live status becomes the run's owner, so a crash of that process can be told. */
gboolean
reins_store_write_run (ReinsStore  *self,
                       ReinsRun    *run,
                       gboolean     may_update,
                       gboolean     may_insert,
                       GError     **error)
{
  g_autofree char *settings = NULL;
  gint64 num = 0;
  gboolean found = FALSE;
  int rc;

  /* A step's commit leaves the status as it was: that update does not set it, so SQLite
   * need not test the partial index runs_by_status (whose IN list it builds as a
   * temporary table, opened and dropped at each run — the costliest part of a commit). */
  if (may_update &&
      (!update_run (self, run,
                    "UPDATE runs SET " RUN_UPDATE_COLUMNS " WHERE id = ?16 AND status = ?2",
                    &found, error) ||
       (!found &&
        !update_run (self, run, "UPDATE runs SET status = ?2, " RUN_UPDATE_COLUMNS
                                " WHERE id = ?16", &found, error))))
    return FALSE;
  /* Not RETURNING num: SQLite buffers returned rows in a temporary table too. */
  if (found && !reins_store_lookup_num (self, "SELECT num FROM runs WHERE id = ?1",
                                        reins_run_get_id (run), 0, &num, error))
    return FALSE;

  if (!found)
    {
      g_autoptr(ReinsStoreStmt) stmt = NULL;

      if (!may_insert)
        return reins_store_set_not_found (error, reins_run_get_id (run));

      stmt = reins_store_prepare (self,
                                  "INSERT INTO runs (task, status, provider, model, settings, "
                                  "  created_at, finished_at, final_answer, reason, input_tokens, "
                                  "  output_tokens, cost_usd, step_count, parent_run_id, "
                                  "  fork_step, "
                                  "  id, owner_pid, owner_start_time, owner_boot_id) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                                  "  ?14, ?15, ?16, ?17, ?18, ?19) RETURNING num",
                                  error);
      if (stmt == NULL)
        return FALSE;
      g_clear_pointer (&settings, g_free);
      /* ?20 is only read by the UPDATE */
      settings = bind_run (stmt, run);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          num = sqlite3_column_int64 (stmt, 0);
          rc = sqlite3_step (stmt);
        }
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return reins_store_set_duplicate_run (error, reins_run_get_id (run));
      if (rc != SQLITE_DONE)
        return reins_store_set_error (self, rc, error);
    }

  return reins_store_index_run (self, num, run, error);
}

gboolean
reins_store_sqlite_write_run (ReinsStore  *self,
                              ReinsRun    *run,
                              gboolean     may_update,
                              gboolean     may_insert,
                              GError     **error)
{
  if (!reins_store_begin (self, error))
    return FALSE;
  if (!reins_store_write_run (self, run, may_update, may_insert, error))
    {
      reins_store_rollback (self);
      return FALSE;
    }
  return reins_store_commit (self, error);
}

GStrv
reins_store_sqlite_match_run_ids (ReinsStore  *self,
                                  const char  *prefix,
                                  guint        max_matches,
                                  GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  stmt = reins_store_prepare (self,
                              "SELECT id FROM runs WHERE deleted = 0 "
                              "AND substr (id, 1, length (?1)) = ?1 ORDER BY id LIMIT ?2",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, max_matches > 0 ? (gint64) max_matches : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      reins_store_set_error (self, rc, error);
      return NULL;
    }
  return g_strv_builder_end (builder);
}

gboolean
reins_store_sqlite_purge_deleted (ReinsStore  *self,
                                  GError     **error)
{
  if (!reins_store_begin (self, error))
    return FALSE;
  /* The search rows have no foreign key to cascade along. */
  if (!reins_store_exec (self,
                         "DELETE FROM search_text WHERE rowid IN ("
                         "  SELECT s.num FROM steps s JOIN runs r ON r.id = s.run_id "
                         "  WHERE r.deleted);"
                         "DELETE FROM search_text WHERE rowid IN ("
                         "  SELECT -num FROM runs WHERE deleted);"
                         "DELETE FROM runs WHERE deleted;",
                         error))
    {
      reins_store_rollback (self);
      return FALSE;
    }
  return reins_store_commit (self, error);
}

/* PRAGMA data_version: changes when another connection has committed; no table is read. */
gint64
reins_store_sqlite_get_data_version (ReinsStore  *self,
                                     GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;
  int rc;

  stmt = reins_store_prepare (self, "PRAGMA data_version", error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      reins_store_set_error (self, rc, error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

