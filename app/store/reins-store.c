/* reins-store.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The run store: the public API, which checks its arguments and hands each call to the
 * store's backend (ReinsStoreBackend, reins-store-private.h), and the SQLite backend's
 * connection and runs. The PostgreSQL backend is reins-store-pg.c.
 *
 * Thread rule: a ReinsStore is one connection (SQLite: opened without SQLite's own mutex)
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

#define RUN_COLUMNS REINS_STORE_RUN_COLUMNS

static void
reins_store_finalize (GObject *object)
{
  ReinsStore *self = (ReinsStore *)object;

  if (self->backend != NULL)
    self->backend->close (self);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->display_name, g_free);

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
}

static void
sqlite_close (ReinsStore *self)
{
  /* Statements first: a connection with live statements does not close. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
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

/* SQLite-only code called on a store of another backend fails cleanly, never crashes. */
static gboolean
check_sqlite (ReinsStore  *self,
              GError     **error)
{
  if (self->db != NULL)
    return TRUE;
  g_set_error (error, REINS_ERROR, REINS_ERROR_STORE,
               _("The run store “%s” (%s) cannot do this yet: it needs a SQLite file"),
               self->display_name, self->backend != NULL ? self->backend->name : "?");
  return FALSE;
}

ReinsStoreStmt *
reins_store_prepare (ReinsStore  *self,
                     const char  *sql,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!check_sqlite (self, error))
    return NULL;
  stmt = g_hash_table_lookup (self->statements, sql);
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
  int rc;

  if (!check_sqlite (self, error))
    return FALSE;
  rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);
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
  if (self->db != NULL && !sqlite3_get_autocommit (self->db))
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

/* SQLite rows and parameters for the conversions of reins-store-rows.c */

static gboolean
sqlite_row_is_null (const ReinsStoreRow *row,
                    int                  column)
{
  return sqlite3_column_type (row->handle, column) == SQLITE_NULL;
}

static char *
sqlite_row_text (const ReinsStoreRow *row,
                 int                  column)
{
  return reins_store_column_text (row->handle, column);
}

static gint64
sqlite_row_int64 (const ReinsStoreRow *row,
                  int                  column)
{
  return sqlite3_column_int64 (row->handle, column);
}

static double
sqlite_row_dbl (const ReinsStoreRow *row,
                int                  column)
{
  return sqlite3_column_double (row->handle, column);
}

void
reins_store_sqlite_row_init (ReinsStoreRow *row,
                             sqlite3_stmt  *stmt)
{
  *row = (ReinsStoreRow) { stmt, 0, sqlite_row_is_null, sqlite_row_text, sqlite_row_int64,
                           sqlite_row_dbl };
}

static void
sqlite_params_text (ReinsStoreParams *params,
                    int               column,
                    const char       *text)
{
  reins_store_bind_text (params->handle, column, text);
}

static void
sqlite_params_int64 (ReinsStoreParams *params,
                     int               column,
                     gint64            value)
{
  sqlite3_bind_int64 (params->handle, column, value);
}

static void
sqlite_params_dbl (ReinsStoreParams *params,
                   int               column,
                   double            value)
{
  sqlite3_bind_double (params->handle, column, value);
}

void
reins_store_sqlite_params_init (ReinsStoreParams *params,
                                sqlite3_stmt     *stmt)
{
  *params = (ReinsStoreParams) { stmt, sqlite_params_text, sqlite_params_int64,
                                 sqlite_params_dbl };
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

/* How long opening waits for another process setting up the same new store: 100 × 20 ms. */
#define OPEN_ATTEMPTS 100
#define OPEN_RETRY_US (20 * 1000)

static gboolean
sqlite_open (ReinsStore  *self,
             GError     **error)
{
  int rc;

  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
  if (!check_path (self->path, error))
    return FALSE;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    return reins_store_set_error (self, rc, error);

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
          return FALSE;
        }
      if (!sqlite3_get_autocommit (self->db))
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_usleep (OPEN_RETRY_US);
    }

  return TRUE;
}

/* Runs */

static ReinsRun *
run_from_row (sqlite3_stmt *stmt)
{
  ReinsStoreRow row;

  reins_store_sqlite_row_init (&row, stmt);
  return reins_store_run_from_row (&row);
}

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

static gboolean
sqlite_write_run (ReinsStore  *self,
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

static ReinsRun *
sqlite_get_run (ReinsStore  *self,
                const char  *run_id,
                GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;
  int rc;

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

static GPtrArray *
read_runs (ReinsStore    *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (runs, run_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      reins_store_set_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&runs);
}

static GPtrArray *
sqlite_list_runs (ReinsStore  *self,
                  const char  *status,
                  guint        offset,
                  guint        limit,
                  GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;

  stmt = reins_store_prepare (self,
                              "SELECT " RUN_COLUMNS " FROM runs "
                              "WHERE deleted = 0 AND (?1 IS NULL OR status = ?1) "
                              "ORDER BY created_at DESC, num DESC LIMIT ?2 OFFSET ?3",
                              error);
  if (stmt == NULL)
    return NULL;
  if (status != NULL)
    sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 3, offset);
  return read_runs (self, stmt, error);
}

static gint64
sqlite_count_runs (ReinsStore  *self,
                   const char  *status,
                   GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;
  int rc;

  stmt = reins_store_prepare (self,
                              "SELECT count(*) FROM runs "
                              "WHERE deleted = 0 AND (?1 IS NULL OR status = ?1)",
                              error);
  if (stmt == NULL)
    return -1;
  if (status != NULL)
    sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      reins_store_set_error (self, rc, error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

static GStrv
sqlite_match_run_ids (ReinsStore  *self,
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

static gboolean
sqlite_set_deleted (ReinsStore  *self,
                    const char  *run_id,
                    gboolean     deleted,
                    GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;

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

static gboolean
sqlite_purge_deleted (ReinsStore  *self,
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
static gint64
sqlite_get_data_version (ReinsStore  *self,
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

static GPtrArray *
sqlite_list_forks (ReinsStore  *self,
                   const char  *parent_run_id,
                   GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = NULL;

  stmt = reins_store_prepare (self,
                              "SELECT " RUN_COLUMNS " FROM runs "
                              "WHERE deleted = 0 AND parent_run_id = ?1 "
                              "ORDER BY created_at, num",
                              error);
  if (stmt == NULL)
    return NULL;
  reins_store_bind_text (stmt, 1, parent_run_id);
  return read_runs (self, stmt, error);
}

/* The numbered parameters $1, $2… are ?1, ?2… in SQLite: the same number whatever the
 * order they appear in. */
static gboolean
sqlite_query (ReinsStore          *self,
              const char          *sql,
              ReinsStoreBindFunc   bind,
              ReinsStoreRowFunc    row_func,
              gpointer             data,
              GError             **error)
{
  g_autofree char *native = g_strdup (sql);
  g_autoptr(ReinsStoreStmt) stmt = NULL;
  ReinsStoreRow row;
  int rc;

  for (char *p = native; *p != '\0'; p++)
    if (*p == '$' && g_ascii_isdigit (p[1]))
      *p = '?';
  stmt = reins_store_prepare (self, native, error);
  if (stmt == NULL)
    return FALSE;
  if (bind != NULL)
    {
      ReinsStoreParams params;

      reins_store_sqlite_params_init (&params, stmt);
      bind (&params, data);
    }
  reins_store_sqlite_row_init (&row, stmt);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (row_func != NULL)
      row_func (&row, data);
  if (rc != SQLITE_DONE)
    return reins_store_set_error (self, rc, error);
  return TRUE;
}

const ReinsStoreBackend reins_store_sqlite_backend = {
  .name = "sqlite",
  .close = sqlite_close,
  .write_run = sqlite_write_run,
  .get_run = sqlite_get_run,
  .list_runs = sqlite_list_runs,
  .count_runs = sqlite_count_runs,
  .match_run_ids = sqlite_match_run_ids,
  .set_deleted = sqlite_set_deleted,
  .purge_deleted = sqlite_purge_deleted,
  .get_data_version = sqlite_get_data_version,
  .list_forks = sqlite_list_forks,
  .commit_steps = reins_store_sqlite_commit_steps,
  .get_steps = reins_store_sqlite_get_steps,
  .add_exchange = reins_store_sqlite_add_exchange,
  .get_exchange = reins_store_sqlite_get_exchange,
  .add_compression = reins_store_sqlite_add_compression,
  .get_compression = reins_store_sqlite_get_compression,
  .search = reins_store_sqlite_search,
  .decide_approval = reins_store_sqlite_decide_approval,
  .query = sqlite_query,
};

/* A ReinsStoreBindFunc for a statement whose one parameter $1 is the string @data. */
void
reins_store_bind_string (ReinsStoreParams *params,
                         gpointer          data)
{
  params->text (params, 1, data);
}

gboolean
reins_store_query (ReinsStore          *self,
                   const char          *sql,
                   ReinsStoreBindFunc   bind,
                   ReinsStoreRowFunc    row_func,
                   gpointer             data,
                   GError             **error)
{
  return self->backend->query (self, sql, bind, row_func, data, error);
}

/* The public API: checks, then the backend */

/**
 * reins_store_default_location:
 *
 * Where a store opens when none is named: `$REINS_STORE` when it is set (a file path or a
 * `postgresql://` URI), else reins_store_default_path().
 *
 * Returns: (transfer full): the location
 */
char *
reins_store_default_location (void)
{
  const char *env = g_getenv ("REINS_STORE");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return reins_store_default_path ();
}

/**
 * reins_store_is_remote:
 * @location: (nullable): a store's location
 *
 * Returns: whether @location names a database server (`postgresql://` or `postgres://`)
 *   rather than a file
 */
gboolean
reins_store_is_remote (const char *location)
{
  return location != NULL && reins_store_is_pg_uri (location);
}

/* "sqlite:PATH" (and "sqlite://PATH") is the file PATH, as a plain path is. */
static const char *
sqlite_file (const char *location)
{
  if (g_ascii_strncasecmp (location, "sqlite:", strlen ("sqlite:")) != 0)
    return location;
  location += strlen ("sqlite:");
  if (g_str_has_prefix (location, "//"))
    location += 2;
  return location;
}

/**
 * reins_store_describe_location:
 *
 * Returns: (transfer full): @location as it may be shown or logged: a file as it is, a
 *   URI without its password
 */
char *
reins_store_describe_location (const char *location)
{
  g_return_val_if_fail (location != NULL, NULL);

  if (reins_store_is_pg_uri (location))
    return reins_store_redact_uri (location);
  return g_strdup (sqlite_file (location));
}

/**
 * reins_store_open:
 * @path: (nullable): the store file (a path, or `sqlite:PATH`), or a `postgresql://`
 *   (`postgres://`) URI of a PostgreSQL database; %NULL for reins_store_default_location()
 *
 * Opens the store, creating it if the file (or the database's tables) does not exist,
 * upgrading its schema if it is older, and marking runs whose process died as
 * interrupted. A file that is damaged, not a Reins store, or newer than this build is
 * refused with a REINS_ERROR_STORE_* code and is not written to.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
ReinsStore *
reins_store_open (const char  *path,
                  GError     **error)
{
  g_autoptr(ReinsStore) self = NULL;
  gboolean ok;

  self = g_object_new (REINS_TYPE_STORE, NULL);
  self->path = path != NULL ? g_strdup (path) : reins_store_default_location ();
  if (!reins_store_is_pg_uri (self->path))
    {
      char *file = g_strdup (sqlite_file (self->path));

      g_free (self->path);
      self->path = file;
    }

  if (reins_store_is_pg_uri (self->path))
    {
      self->display_name = reins_store_describe_location (self->path);
      self->backend = &reins_store_pg_backend;
      ok = reins_store_pg_open (self, error);
    }
  else
    {
      self->display_name = g_strdup (self->path);
      self->backend = &reins_store_sqlite_backend;
      ok = sqlite_open (self, error);
    }

  if (!ok)
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * reins_store_get_path:
 *
 * Returns: what the store was opened with (a file, or a URI that may hold a password): pass
 *   it to reins_store_open() to open the same store on another thread; never show it
 */
const char *
reins_store_get_path (ReinsStore *self)
{
  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  return self->path;
}

/**
 * reins_store_get_display_name:
 *
 * Returns: the store's file, or its URI without a password: for messages and logs
 */
const char *
reins_store_get_display_name (ReinsStore *self)
{
  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  return self->display_name;
}

/**
 * reins_store_get_backend_name:
 *
 * Returns: "sqlite" or "postgresql"
 */
const char *
reins_store_get_backend_name (ReinsStore *self)
{
  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  return self->backend->name;
}

gboolean
reins_store_insert_run (ReinsStore  *self,
                        ReinsRun    *run,
                        GError     **error)
{
  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (REINS_IS_RUN (run), FALSE);

  return self->backend->write_run (self, run, FALSE, TRUE, error);
}

gboolean
reins_store_update_run (ReinsStore  *self,
                        ReinsRun    *run,
                        GError     **error)
{
  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (REINS_IS_RUN (run), FALSE);

  return self->backend->write_run (self, run, TRUE, FALSE, error);
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
  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  return self->backend->get_run (self, run_id, error);
}

static const char *
status_filter_text (int status_filter)
{
  if (status_filter >= 0 && status_filter <= REINS_RUN_STATUS_INTERRUPTED)
    return reins_run_status_to_string (status_filter);
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
  g_return_val_if_fail (REINS_IS_STORE (self), NULL);

  return self->backend->list_runs (self, status_filter_text (status_filter), offset, limit,
                                   error);
}

guint
reins_store_count_runs (ReinsStore  *self,
                        int          status_filter,
                        GError     **error)
{
  gint64 count;

  g_return_val_if_fail (REINS_IS_STORE (self), 0);

  count = self->backend->count_runs (self, status_filter_text (status_filter), error);
  return (guint) CLAMP (count, 0, G_MAXUINT);
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
  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (prefix != NULL, NULL);

  return self->backend->match_run_ids (self, prefix, max_matches, error);
}

/* Deleting only hides the run (from lists and search), so the window can undo it;
 * reins_store_purge_deleted() removes hidden runs for real. */
gboolean
reins_store_delete_run (ReinsStore  *self,
                        const char  *run_id,
                        GError     **error)
{
  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  return self->backend->set_deleted (self, run_id, TRUE, error);
}

gboolean
reins_store_undelete_run (ReinsStore  *self,
                          const char  *run_id,
                          GError     **error)
{
  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  return self->backend->set_deleted (self, run_id, FALSE, error);
}

gboolean
reins_store_purge_deleted (ReinsStore  *self,
                           GError     **error)
{
  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);

  return self->backend->purge_deleted (self, error);
}

/**
 * reins_store_get_data_version:
 *
 * A number that changes whenever another connection (another thread or process) has
 * committed to the store since the last call; the window polls it to follow runs it did
 * not start. Its own writes do not change it. Cheap: SQLite reads no table, PostgreSQL
 * only looks at the notifications (LISTEN) already received, without a round trip.
 */
gint64
reins_store_get_data_version (ReinsStore  *self,
                              GError     **error)
{
  g_return_val_if_fail (REINS_IS_STORE (self), -1);

  return self->backend->get_data_version (self, error);
}

/**
 * reins_store_create_watch:
 *
 * A source that dispatches (its callback a #GSourceFunc) when another connection may have
 * committed — a PostgreSQL notification arrived — so the window follows other processes'
 * runs at once instead of polling reins_store_get_data_version(). The callback should
 * call reins_store_get_data_version(). It also dispatches every few seconds, so a
 * connection that was lost is made again.
 *
 * Returns: (transfer full) (nullable): the source, or %NULL when the store has no
 *   notifications (SQLite): poll then
 */
GSource *
reins_store_create_watch (ReinsStore *self)
{
  g_return_val_if_fail (REINS_IS_STORE (self), NULL);

  if (self->backend->create_watch == NULL)
    return NULL;
  return self->backend->create_watch (self);
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
  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (parent_run_id != NULL, NULL);

  return self->backend->list_forks (self, parent_run_id, error);
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
      if (!reins_store_check_step (run, g_ptr_array_index (steps, i), error))
        return FALSE;
    }

  return self->backend->commit_steps (self, run, steps, error);
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
  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  return self->backend->get_steps (self, run_id, first, max_steps, error);
}

/**
 * reins_store_decide_approval:
 * @step: the step asking
 * @ord: which of the step's approvals (from 0), the one without a decision
 * @decision: the decision, with who decided (reins_approval_record_set_decided_by())
 *
 * Stores a decision taken away from the run (`reins-cli approve`, another window) on a
 * question the run is waiting for, if nobody decided first: of two people answering at
 * once, exactly one decision is stored (a conditional update). The run's process sees it
 * and goes on.
 *
 * Returns: %TRUE when @decision was stored; %FALSE with REINS_ERROR_FAILED when another
 *   decision was stored first (reins_store_get_step() tells which and by whom), or with
 *   REINS_ERROR_NOT_FOUND or a store error
 */
gboolean
reins_store_decide_approval (ReinsStore           *self,
                             const char           *run_id,
                             guint                 step,
                             guint                 ord,
                             ReinsApprovalRecord  *decision,
                             GError              **error)
{
  int decided;

  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);
  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (decision), FALSE);
  g_return_val_if_fail (reins_approval_record_get_decision (decision) != REINS_DECISION_NONE,
                        FALSE);

  decided = self->backend->decide_approval (self, run_id, step, ord, decision, error);
  if (decided == 0)
    g_set_error (error, REINS_ERROR, REINS_ERROR_FAILED,
                 _("Step %u of the run “%s” was decided by someone else first"), step,
                 run_id);
  return decided > 0;
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
  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  return self->backend->add_exchange (self, run_id, step, request, response, latency_ms,
                                      error);
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
  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  return self->backend->get_exchange (self, run_id, step, request, response, error);
}

/* A summary standing in for steps 1..up_to_step in the model's context. */
gboolean
reins_store_add_compression (ReinsStore  *self,
                             const char  *run_id,
                             guint        up_to_step,
                             const char  *summary,
                             GError     **error)
{
  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);

  return self->backend->add_compression (self, run_id, up_to_step, summary, error);
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
  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  if (up_to_step != NULL)
    *up_to_step = 0;
  return self->backend->get_compression (self, run_id, before_step, up_to_step, error);
}

/**
 * reins_store_search:
 * @query: the words to find, as a person typed them
 * @limit: at most this many hits; 0 for 100
 *
 * Finds runs and steps whose task, thought, observation or answer hold every word of
 * @query, best first. Deleted runs are left out.
 *
 * Returns: (transfer full) (element-type ReinsSearchHit): the hits, possibly none
 */
GPtrArray *
reins_store_search (ReinsStore  *self,
                    const char  *query,
                    guint        limit,
                    GError     **error)
{
  g_return_val_if_fail (REINS_IS_STORE (self), NULL);

  return self->backend->search (self, query, limit > 0 ? limit : 100, error);
}
