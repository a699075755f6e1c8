/* reins-store.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The run store: opening the file, runs, steps, exchanges and compressions.
 *
 * Thread rule: a ReinsStore is one SQLite connection (opened without SQLite's own mutex)
 * and must be used by one thread at a time. Open one store per thread; WAL lets a writer
 * and readers on the same file work side by side, and busy_timeout makes a second writer
 * wait instead of failing.
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "reins-store-private.h"

G_DEFINE_FINAL_TYPE (ReinsStore, reins_store, G_TYPE_OBJECT)

#define BUSY_TIMEOUT_MS 5000

#define RUN_COLUMNS \
  "id, task, status, provider, model, settings, created_at, finished_at, final_answer, " \
  "reason, input_tokens, output_tokens, cost_usd, step_count, parent_run_id, fork_step"

static void
reins_store_finalize (GObject *object)
{
  ReinsStore *self = (ReinsStore *)object;

  /* Statements first: a connection with live statements does not close. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (reins_store_parent_class)->finalize (object);
}

static void
reins_store_class_init (ReinsStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reins_store_finalize;
}

static void
reins_store_init (ReinsStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
}

/* Internals shared with the other files of app/store/ */

void
reins_store_stmt_release (ReinsStoreStmt *stmt)
{
  if (stmt == NULL)
    return;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

gboolean
reins_store_set_error (ReinsStore  *self,
                       int          rc,
                       GError     **error)
{
  const char *message = self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);
  int sys_errno = self->db != NULL ? sqlite3_system_errno (self->db) : 0;

  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, REINS_ERROR, REINS_ERROR_STORE_CORRUPT,
                   _("The run store “%s” is damaged or is not a database (%s); "
                     "it was left untouched"), self->path, message);
      break;

    case SQLITE_READONLY:
    case SQLITE_PERM:
      g_set_error (error, REINS_ERROR, REINS_ERROR_STORE_READ_ONLY,
                   _("The run store “%s” cannot be written (%s)"), self->path, message);
      break;

    case SQLITE_CANTOPEN:
      if (sys_errno == EACCES || sys_errno == EPERM || sys_errno == EROFS)
        g_set_error (error, REINS_ERROR, REINS_ERROR_STORE_READ_ONLY,
                     _("The run store “%s” cannot be written (%s)"), self->path,
                     g_strerror (sys_errno));
      else
        g_set_error (error, REINS_ERROR, REINS_ERROR_STORE,
                     _("The run store “%s” cannot be opened (%s)"), self->path, message);
      break;

    case SQLITE_FULL:
      g_set_error (error, REINS_ERROR, REINS_ERROR_STORE,
                   _("The disk holding the run store “%s” is full"), self->path);
      break;

    default:
      g_set_error (error, REINS_ERROR, REINS_ERROR_STORE,
                   _("The run store “%s” failed: %s"), self->path, message);
      break;
    }

  return FALSE;
}

ReinsStoreStmt *
reins_store_prepare (ReinsStore  *self,
                     const char  *sql,
                     GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    return stmt;

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      reins_store_set_error (self, rc, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
reins_store_exec (ReinsStore  *self,
                  const char  *sql,
                  GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return reins_store_set_error (self, rc, error);
  return TRUE;
}

/* IMMEDIATE takes the write lock up front, so a transaction never fails half-way with
 * SQLITE_BUSY when another connection writes; busy_timeout makes it wait instead. */
gboolean
reins_store_begin (ReinsStore  *self,
                   GError     **error)
{
  return reins_store_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
reins_store_commit (ReinsStore  *self,
                    GError     **error)
{
  if (!reins_store_exec (self, "COMMIT", error))
    {
      reins_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
reins_store_rollback (ReinsStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Text from tools may carry bytes that are not UTF-8: store it made valid, keeping
 * everything but the bad bytes. */
void
reins_store_bind_text (sqlite3_stmt *stmt,
                       int           column,
                       const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, column);
  else if (g_utf8_validate (text, -1, NULL))
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_text (stmt, column, reins_utf8_make_valid (text, -1), -1, g_free);
}

char *
reins_store_column_text (sqlite3_stmt *stmt,
                         int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  int length = sqlite3_column_bytes (stmt, column);

  if (text == NULL)
    return NULL;
  if (g_utf8_validate_len (text, length, NULL))
    return g_strndup (text, length);
  return reins_utf8_make_valid (text, length);
}

gboolean
reins_store_step_done (ReinsStore    *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return reins_store_set_error (self, rc, error);
  return TRUE;
}

gboolean
reins_store_set_not_found (GError     **error,
               const char  *run_id)
{
  g_set_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND,
               _("There is no run with the id “%s”"), run_id);
  return FALSE;
}

/* Opening */

/**
 * reins_store_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/reins/runs.db`
 */
char *
reins_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "reins", "runs.db", NULL);
}

static gboolean
is_permission_errno (int saved_errno)
{
  return saved_errno == EACCES || saved_errno == EPERM || saved_errno == EROFS;
}

/* WAL keeps its -wal and -shm files next to the store, so the folder must be writable too.
 * Checked before SQLite sees the file, to say which of the two is the problem. */
static gboolean
check_path (const char  *path,
            GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_STORE,
                       _("The run store “%s” is a folder, not a file"), path);
          return FALSE;
        }
      if (g_access (path, R_OK | W_OK) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, REINS_ERROR,
                       is_permission_errno (saved_errno) ? REINS_ERROR_STORE_READ_ONLY
                                                         : REINS_ERROR_STORE,
                       _("The run store “%s” cannot be written: %s"), path,
                       g_strerror (saved_errno));
          return FALSE;
        }
    }
  else if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, REINS_ERROR,
                   is_permission_errno (saved_errno) ? REINS_ERROR_STORE_READ_ONLY
                                                     : REINS_ERROR_STORE,
                   _("The folder “%s” for the run store cannot be created: %s"), dir,
                   g_strerror (saved_errno));
      return FALSE;
    }

  if (g_access (dir, W_OK) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, REINS_ERROR,
                   is_permission_errno (saved_errno) ? REINS_ERROR_STORE_READ_ONLY
                                                     : REINS_ERROR_STORE,
                   _("The run store “%s” cannot be used: its folder cannot be written (%s)"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/**
 * reins_store_open:
 * @path: (nullable): the store file; %NULL for reins_store_default_path()
 *
 * Opens the store, creating it if the file does not exist, upgrading its schema if it is
 * older, and marking runs whose process died as interrupted. A file that is damaged, not a
 * Reins store, or newer than this build is refused with a REINS_ERROR_STORE_* code and is
 * not written to.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
/* How long opening waits for another process setting up the same new store: 100 × 20 ms. */
#define OPEN_ATTEMPTS 100
#define OPEN_RETRY_US (20 * 1000)

ReinsStore *
reins_store_open (const char  *path,
                  GError     **error)
{
  g_autoptr(ReinsStore) self = NULL;
  int rc;

  self = g_object_new (REINS_TYPE_STORE, NULL);
  self->path = path != NULL ? g_strdup (path) : reins_store_default_path ();

  if (!check_path (self->path, error))
    return NULL;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      reins_store_set_error (self, rc, error);
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* Two processes opening a new store at once (the window and a reins-cli run, say) can
   * meet where SQLite answers "locked" at once rather than wait: setting up the file is
   * tried again for a while. */
  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      int code;

      if (reins_store_schema_prepare (self, &local_error) &&
          reins_store_recover_interrupted (self, &local_error))
        break;

      code = sqlite3_errcode (self->db) & 0xff;
      if (attempt >= OPEN_ATTEMPTS || (code != SQLITE_BUSY && code != SQLITE_LOCKED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (!sqlite3_get_autocommit (self->db))
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_usleep (OPEN_RETRY_US);
    }

  return g_steal_pointer (&self);
}

const char *
reins_store_get_path (ReinsStore *self)
{
  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  return self->path;
}

/* Runs */

static ReinsRun *
run_from_row (sqlite3_stmt *stmt)
{
  g_autofree char *task = reins_store_column_text (stmt, 1);
  g_autofree char *status_text = reins_store_column_text (stmt, 2);
  g_autofree char *provider = reins_store_column_text (stmt, 3);
  g_autofree char *model = reins_store_column_text (stmt, 4);
  g_autofree char *settings_text = reins_store_column_text (stmt, 5);
  g_autofree char *answer = reins_store_column_text (stmt, 8);
  g_autofree char *reason = reins_store_column_text (stmt, 9);
  g_autofree char *parent = reins_store_column_text (stmt, 14);
  g_autofree char *id = reins_store_column_text (stmt, 0);
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
  reins_run_set_created_at (run, sqlite3_column_int64 (stmt, 6));
  reins_run_set_finished_at (run, sqlite3_column_int64 (stmt, 7));
  reins_run_set_final_answer (run, answer);
  reins_run_set_reason (run, reason);
  reins_run_set_tokens (run, (guint64) MAX (0, sqlite3_column_int64 (stmt, 10)),
                        (guint64) MAX (0, sqlite3_column_int64 (stmt, 11)));
  reins_run_set_cost_usd (run, sqlite3_column_double (stmt, 12));
  reins_run_set_step_count (run, (guint) CLAMP (sqlite3_column_int64 (stmt, 13), 0, G_MAXUINT));
  if (parent != NULL)
    reins_run_set_parent (run, parent,
                          (guint) CLAMP (sqlite3_column_int64 (stmt, 15), 0, G_MAXUINT));

  return run;
}

static gboolean
status_is_live (ReinsRunStatus status)
{
  return status == REINS_RUN_STATUS_RUNNING ||
         status == REINS_RUN_STATUS_PAUSED ||
         status == REINS_RUN_STATUS_AWAITING_APPROVAL;
}

static void
bind_run (sqlite3_stmt *stmt,
          ReinsRun     *run,
          char        **settings_out)
{
  g_autoptr(JsonNode) settings = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (settings, reins_run_get_settings (run));
  *settings_out = reins_json_to_string (settings, FALSE);

  reins_store_bind_text (stmt, 1, reins_run_get_task (run));
  sqlite3_bind_text (stmt, 2, reins_run_status_to_string (reins_run_get_status (run)), -1,
                     SQLITE_STATIC);
  reins_store_bind_text (stmt, 3, reins_run_get_provider (run));
  reins_store_bind_text (stmt, 4, reins_run_get_model (run));
  reins_store_bind_text (stmt, 5, *settings_out);
  sqlite3_bind_int64 (stmt, 6, reins_run_get_created_at (run));
  sqlite3_bind_int64 (stmt, 7, reins_run_get_finished_at (run));
  reins_store_bind_text (stmt, 8, reins_run_get_final_answer (run));
  reins_store_bind_text (stmt, 9, reins_run_get_reason (run));
  sqlite3_bind_int64 (stmt, 10, (gint64) MIN (reins_run_get_input_tokens (run), G_MAXINT64));
  sqlite3_bind_int64 (stmt, 11, (gint64) MIN (reins_run_get_output_tokens (run), G_MAXINT64));
  sqlite3_bind_double (stmt, 12, reins_run_get_cost_usd (run));
  sqlite3_bind_int64 (stmt, 13, reins_run_get_step_count (run));
  reins_store_bind_text (stmt, 14, reins_run_get_parent_run_id (run));
  sqlite3_bind_int64 (stmt, 15, reins_run_get_fork_step (run));
  reins_store_bind_text (stmt, 16, reins_run_get_id (run));
  reins_store_owner_bind (stmt, 17, 18, 19);
  sqlite3_bind_int (stmt, 20, status_is_live (reins_run_get_status (run)));
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

  if (may_update)
    {
      g_autoptr(ReinsStoreStmt) stmt =
        reins_store_prepare (self,
                             "UPDATE runs SET task = ?1, status = ?2, provider = ?3, model = ?4, "
                             "  settings = ?5, created_at = ?6, finished_at = ?7, "
                             "  final_answer = ?8, reason = ?9, input_tokens = ?10, "
                             "  output_tokens = ?11, cost_usd = ?12, step_count = ?13, "
                             "  parent_run_id = ?14, fork_step = ?15, "
                             "  owner_pid = CASE WHEN ?20 THEN ?17 ELSE owner_pid END, "
                             "  owner_start_time = "
                             "    CASE WHEN ?20 THEN ?18 ELSE owner_start_time END, "
                             "  owner_boot_id = CASE WHEN ?20 THEN ?19 ELSE owner_boot_id END "
                             "WHERE id = ?16 RETURNING num",
                             error);
      if (stmt == NULL)
        return FALSE;
      bind_run (stmt, run, &settings);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          found = TRUE;
          num = sqlite3_column_int64 (stmt, 0);
          rc = sqlite3_step (stmt);
        }
      if (rc != SQLITE_DONE)
        return reins_store_set_error (self, rc, error);
    }

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
      bind_run (stmt, run, &settings);
      /* ?20 is only read by the UPDATE */
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          num = sqlite3_column_int64 (stmt, 0);
          rc = sqlite3_step (stmt);
        }
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                       _("A run with the id “%s” is already stored"), reins_run_get_id (run));
          return FALSE;
        }
      if (rc != SQLITE_DONE)
        return reins_store_set_error (self, rc, error);
    }

  return reins_store_index_run (self, num, run, error);
}

static gboolean
write_run_transaction (ReinsStore  *self,
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

gboolean
reins_store_insert_run (ReinsStore  *self,
                        ReinsRun    *run,
                        GError     **error)
{
  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (REINS_IS_RUN (run), FALSE);

  return write_run_transaction (self, run, FALSE, TRUE, error);
}

gboolean
reins_store_update_run (ReinsStore  *self,
                        ReinsRun    *run,
                        GError     **error)
{
  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (REINS_IS_RUN (run), FALSE);

  return write_run_transaction (self, run, TRUE, FALSE, error);
}

/**
 * reins_store_get_run:
 *
 * Returns: (transfer full): the run (also a deleted one, so it can be undeleted), or %NULL
 *   with REINS_ERROR_NOT_FOUND
 */
ReinsRun *
reins_store_get_run (ReinsStore  *self,
                     const char  *run_id,
                     GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  stmt = reins_store_prepare (self, "SELECT " RUN_COLUMNS " FROM runs WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, run_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return run_from_row (stmt);
  if (rc == SQLITE_DONE)
    reins_store_set_not_found (error, run_id);
  else
    reins_store_set_error (self, rc, error);
  return NULL;
}

/**
 * reins_store_list_runs:
 * @status_filter: -1 for every status, else a #ReinsRunStatus
 * @limit: at most this many; 0 for all
 *
 * Runs not deleted, newest first.
 *
 * Returns: (transfer full) (element-type ReinsRun): the runs
 */
GPtrArray *
reins_store_list_runs (ReinsStore  *self,
                       int          status_filter,
                       guint        offset,
                       guint        limit,
                       GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_return_val_if_fail (REINS_IS_STORE (self), NULL);

  stmt = reins_store_prepare (self,
                              "SELECT " RUN_COLUMNS " FROM runs "
                              "WHERE deleted = 0 AND (?1 IS NULL OR status = ?1) "
                              "ORDER BY created_at DESC, num DESC LIMIT ?2 OFFSET ?3",
                              error);
  if (stmt == NULL)
    return NULL;
  if (status_filter >= 0 && status_filter <= REINS_RUN_STATUS_INTERRUPTED)
    sqlite3_bind_text (stmt, 1, reins_run_status_to_string (status_filter), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 3, offset);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (runs, run_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      reins_store_set_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&runs);
}

guint
reins_store_count_runs (ReinsStore  *self,
                        int          status_filter,
                        GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (REINS_IS_STORE (self), 0);

  stmt = reins_store_prepare (self,
                              "SELECT count(*) FROM runs "
                              "WHERE deleted = 0 AND (?1 IS NULL OR status = ?1)",
                              error);
  if (stmt == NULL)
    return 0;
  if (status_filter >= 0 && status_filter <= REINS_RUN_STATUS_INTERRUPTED)
    sqlite3_bind_text (stmt, 1, reins_run_status_to_string (status_filter), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      reins_store_set_error (self, rc, error);
      return 0;
    }
  return (guint) CLAMP (sqlite3_column_int64 (stmt, 0), 0, G_MAXUINT);
}

/**
 * reins_store_match_run_ids:
 * @prefix: the start of a run id
 * @max_matches: stop after this many; 0 for all
 *
 * The ids of runs (not deleted) starting with @prefix, so a person may type a short id.
 *
 * Returns: (transfer full): the ids, possibly none; %NULL on error
 */
GStrv
reins_store_match_run_ids (ReinsStore  *self,
                           const char  *prefix,
                           guint        max_matches,
                           GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (prefix != NULL, NULL);

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

static gboolean
set_deleted (ReinsStore  *self,
             const char  *run_id,
             gboolean     deleted,
             GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;

  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  stmt = reins_store_prepare (self, "UPDATE runs SET deleted = ?1 WHERE id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, deleted);
  sqlite3_bind_text (stmt, 2, run_id, -1, SQLITE_STATIC);
  if (!reins_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return reins_store_set_not_found (error, run_id);
  return TRUE;
}

/* Deleting only hides the run (from lists and search), so the window can undo it;
 * reins_store_purge_deleted() removes hidden runs for real. */
gboolean
reins_store_delete_run (ReinsStore  *self,
                        const char  *run_id,
                        GError     **error)
{
  return set_deleted (self, run_id, TRUE, error);
}

gboolean
reins_store_undelete_run (ReinsStore  *self,
                          const char  *run_id,
                          GError     **error)
{
  return set_deleted (self, run_id, FALSE, error);
}

gboolean
reins_store_purge_deleted (ReinsStore  *self,
                           GError     **error)
{
  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);

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

/**
 * reins_store_get_data_version:
 *
 * A number that changes whenever another connection (another thread or process) has
 * committed to the file since the last call; the window polls it to follow runs it did not
 * start. Its own writes do not change it. Cheap: no table is read.
 */
gint64
reins_store_get_data_version (ReinsStore  *self,
                              GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (REINS_IS_STORE (self), -1);

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

/**
 * reins_store_list_forks:
 *
 * Returns: (transfer container) (element-type ReinsRun): the runs forked from @parent_run_id
 *   (not deleted), oldest first
 */
GPtrArray *
reins_store_list_forks (ReinsStore  *self,
                        const char  *parent_run_id,
                        GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (parent_run_id != NULL, NULL);

  stmt = reins_store_prepare (self,
                              "SELECT " RUN_COLUMNS " FROM runs "
                              "WHERE deleted = 0 AND parent_run_id = ?1 "
                              "ORDER BY created_at, num",
                              error);
  if (stmt == NULL)
    return NULL;
  reins_store_bind_text (stmt, 1, parent_run_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (runs, run_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      reins_store_set_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&runs);
}
