/* reins-store-sqlite.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQLite backend's connection: its statement cache, errors and transactions, its rows
 * and parameters for the conversions of reins-store-rows.c, opening (and checking) the
 * file, the generic query() and the backend's table. Its runs are reins-store-runs.c, its
 * steps reins-store-steps.c.
 *
 * Thread rule: a ReinsStore is one connection (SQLite: opened without SQLite's own mutex)
 * and must be used by one thread at a time. WAL lets a writer and readers on the same file
 * work side by side, and busy_timeout makes a second writer wait instead of failing.
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "reins-store-private.h"

#define BUSY_TIMEOUT_MS 5000

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

gboolean
reins_store_sqlite_open (ReinsStore  *self,
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

/* The numbered parameters $1, $2… of the SQL both engines speak are ?1, ?2… in SQLite:
 * the same number whatever the order they appear in. */
ReinsStoreStmt *
reins_store_prepare_portable (ReinsStore  *self,
                              const char  *sql,
                              GError     **error)
{
  g_autofree char *native = g_strdup (sql);

  for (char *p = native; *p != '\0'; p++)
    if (*p == '$' && g_ascii_isdigit (p[1]))
      *p = '?';
  return reins_store_prepare (self, native, error);
}

/* Prepares @sql (portable) and lets @bind (may be NULL) set its parameters. */
static ReinsStoreStmt *
prepare_bound (ReinsStore          *self,
               const char          *sql,
               ReinsStoreBindFunc   bind,
               gpointer             data,
               GError             **error)
{
  ReinsStoreStmt *stmt = reins_store_prepare_portable (self, sql, error);

  if (stmt != NULL && bind != NULL)
    {
      ReinsStoreParams params;

      reins_store_sqlite_params_init (&params, stmt);
      bind (&params, data);
    }
  return stmt;
}

static gboolean
sqlite_query (ReinsStore          *self,
              const char          *sql,
              ReinsStoreBindFunc   bind,
              ReinsStoreRowFunc    row_func,
              gpointer             data,
              GError             **error)
{
  g_autoptr(ReinsStoreStmt) stmt = prepare_bound (self, sql, bind, data, error);
  ReinsStoreRow row;
  int rc;

  if (stmt == NULL)
    return FALSE;
  reins_store_sqlite_row_init (&row, stmt);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (row_func != NULL)
      row_func (&row, data);
  if (rc != SQLITE_DONE)
    return reins_store_set_error (self, rc, error);
  return TRUE;
}

/* A write that names a run: a run that is not there is "not found". */
static gboolean
sqlite_run_write (ReinsStore          *self,
                  const char          *sql,
                  ReinsStoreBindFunc   bind,
                  gpointer             data,
                  const char          *run_id,
                  GError             **error)
{
  g_autoptr(ReinsStoreStmt) stmt = prepare_bound (self, sql, bind, data, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return reins_store_set_not_found (error, run_id);
  if (rc != SQLITE_DONE)
    return reins_store_set_error (self, rc, error);
  return TRUE;
}

const ReinsStoreBackend reins_store_sqlite_backend = {
  .name = "sqlite",
  .close = sqlite_close,
  .write_run = reins_store_sqlite_write_run,
  .match_run_ids = reins_store_sqlite_match_run_ids,
  .purge_deleted = reins_store_sqlite_purge_deleted,
  .get_data_version = reins_store_sqlite_get_data_version,
  .commit_steps = reins_store_sqlite_commit_steps,
  .get_steps = reins_store_sqlite_get_steps,
  .search = reins_store_sqlite_search,
  .decide_approval = reins_store_sqlite_decide_approval,
  .run_write = sqlite_run_write,
  .query = sqlite_query,
};
