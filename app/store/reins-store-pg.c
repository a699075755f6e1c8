/* reins-store-pg.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PostgreSQL backend of the run store (libpq), opened with a postgresql:// (or
 * postgres://) URI: its URIs, parameters and rows, the connection, statements and
 * transactions, opening and closing, and the backend's table. The other concerns are in
 * reins-store-pg-*.c (see reins-store-pg-private.h). The same tables as the SQLite file,
 * versioned migrations applied in one transaction under an advisory lock, one transaction
 * per committed step, full-text search with tsvector, and live history by LISTEN/NOTIFY:
 * a trigger on runs notifies "reins_runs" at every commit that touches a run, and
 * reins_store_get_data_version() counts the notifications other connections sent,
 * without a round trip.
 *
 * A connection that is lost is made again once and the statement (or the whole
 * transaction, which was rolled back by the server) is tried again; when that fails the
 * caller gets a clear error and nothing half-written is left. The URI may hold a password:
 * it is never logged; messages use reins_store_redact_uri().
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reins-store-pg-private.h"

/* URIs */

gboolean
reins_store_is_pg_uri (const char *location)
{
  return g_ascii_strncasecmp (location, "postgresql://", strlen ("postgresql://")) == 0 ||
         g_ascii_strncasecmp (location, "postgres://", strlen ("postgres://")) == 0;
}

/**
 * reins_store_redact_uri:
 *
 * Returns: (transfer full): @location with the password of its user part and any
 *   `password=` parameter replaced by `***`
 */
char *
reins_store_redact_uri (const char *location)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *authority = strstr (location, "://");
  const char *query, *at = NULL;

  if (authority == NULL)
    return g_strdup (location);
  authority += 3;
  query = strchr (authority, '?');
  if (query == NULL)
    query = authority + strlen (authority);
  for (const char *p = authority; p < query; p++)
    if (*p == '@')
      at = p;

  g_string_append_len (out, location, authority - location);
  if (at != NULL)
    {
      const char *colon = memchr (authority, ':', at - authority);

      if (colon != NULL)
        {
          g_string_append_len (out, authority, colon - authority);
          g_string_append (out, ":***");
        }
      else
        g_string_append_len (out, authority, at - authority);
      g_string_append_len (out, at, query - at);
    }
  else
    g_string_append_len (out, authority, query - authority);

  if (*query != '\0')
    {
      g_auto(GStrv) params = g_strsplit (query + 1, "&", -1);

      g_string_append_c (out, '?');
      for (guint i = 0; params[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (out, '&');
          if (g_ascii_strncasecmp (params[i], "password=", strlen ("password=")) == 0)
            g_string_append (out, "password=***");
          else
            g_string_append (out, params[i]);
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Parameters */

void
reins_store_pg_params_set (PgParams *self,
                           int       column,
                           char     *value)
{
  g_assert (column >= 1 && column <= MAX_PARAMS);
  g_free (self->values[column - 1]);
  self->values[column - 1] = value;
  self->n = MAX (self->n, column);
}

void
reins_store_pg_params_text (ReinsStoreParams *params,
                            int               column,
                            const char       *text)
{
  /* The server refuses text that is not UTF-8: keep everything but the bad bytes. */
  reins_store_pg_params_set ((PgParams *) params, column,
                             text != NULL ? reins_utf8_make_valid (text, -1) : NULL);
}

void
reins_store_pg_params_int64 (ReinsStoreParams *params,
                             int               column,
                             gint64            value)
{
  reins_store_pg_params_set ((PgParams *) params, column,
                             g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

void
reins_store_pg_params_dbl (ReinsStoreParams *params,
                           int               column,
                           double            value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  reins_store_pg_params_set ((PgParams *) params, column,
                             g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value)));
}

void
reins_store_pg_params_clear (PgParams *self)
{
  for (int i = 0; i < MAX_PARAMS; i++)
    g_clear_pointer (&self->values[i], g_free);
  self->n = 0;
}

/* Rows */

static gboolean
pg_row_is_null (const ReinsStoreRow *row,
                int                  column)
{
  return PQgetisnull (row->handle, row->row, column + ((const PgRow *) row)->offset);
}

static char *
pg_row_text (const ReinsStoreRow *row,
             int                  column)
{
  int c = column + ((const PgRow *) row)->offset;

  if (PQgetisnull (row->handle, row->row, c))
    return NULL;
  return reins_utf8_make_valid (PQgetvalue (row->handle, row->row, c),
                                PQgetlength (row->handle, row->row, c));
}

static gint64
pg_row_int64 (const ReinsStoreRow *row,
              int                  column)
{
  return g_ascii_strtoll (PQgetvalue (row->handle, row->row,
                                      column + ((const PgRow *) row)->offset), NULL, 10);
}

static double
pg_row_dbl (const ReinsStoreRow *row,
            int                  column)
{
  return g_ascii_strtod (PQgetvalue (row->handle, row->row,
                                     column + ((const PgRow *) row)->offset), NULL);
}

void
reins_store_pg_row_init (PgRow    *self,
                         PGresult *result,
                         int       offset)
{
  self->base = (ReinsStoreRow) { result, 0, pg_row_is_null, pg_row_text, pg_row_int64,
                                 pg_row_dbl };
  self->offset = offset;
}

/* The connection */

void
reins_store_pg_ignore_notice (void       *data,
                              const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

/* libpq's last message, without its trailing newline. */
static char *
connection_message (ReinsStore *self)
{
  return g_strstrip (g_strdup (PQerrorMessage (self->pg->conn)));
}

static gboolean
set_result_error (ReinsStore  *self,
                  PGresult    *result,
                  GError     **error)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = result != NULL ? PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY)
                                       : NULL;
  g_autofree char *message = g_strdup (primary != NULL ? primary
                                                       : PQerrorMessage (self->pg->conn));

  g_strstrip (message);
  if (PQstatus (self->pg->conn) == CONNECTION_BAD)
    {
      self->pg->lost = TRUE;
      g_set_error (error, REINS_ERROR, REINS_ERROR_STORE,
                   _("The connection to the run store “%s” was lost (%s); the change was "
                     "not stored"), self->display_name, message);
    }
  else if (g_strcmp0 (state, PG_READ_ONLY_TRANSACTION) == 0 ||
           g_strcmp0 (state, PG_INSUFFICIENT_PRIVILEGE) == 0)
    g_set_error (error, REINS_ERROR, REINS_ERROR_STORE_READ_ONLY,
                 _("The run store “%s” cannot be written (%s)"), self->display_name, message);
  else
    g_set_error (error, REINS_ERROR, REINS_ERROR_STORE,
                 _("The run store “%s” failed: %s"), self->display_name, message);
  return FALSE;
}

gboolean
reins_store_pg_result_ok (PGresult *result)
{
  ExecStatusType status = PQresultStatus (result);

  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

const char *
reins_store_pg_result_state (PGresult *result)
{
  return PQresultErrorField (result, PG_DIAG_SQLSTATE);
}

/* What every new connection (and every reconnection) sets up. */
static gboolean
setup_session (ReinsStore  *self,
               GError     **error)
{
  g_autoptr(PGresult) result = NULL;

  PQsetNoticeProcessor (self->pg->conn, reins_store_pg_ignore_notice, NULL);
  if (PQsetClientEncoding (self->pg->conn, "UTF8") != 0)
    {
      g_autofree char *message = connection_message (self);

      g_set_error (error, REINS_ERROR, REINS_ERROR_STORE,
                   _("The run store “%s” cannot use UTF-8: %s"), self->display_name, message);
      return FALSE;
    }
  g_hash_table_remove_all (self->pg->prepared);
  self->pg->in_transaction = FALSE;
  result = PQexec (self->pg->conn, "LISTEN reins_runs");
  if (!reins_store_pg_result_ok (result))
    return set_result_error (self, result, error);
  return TRUE;
}

/* Makes the connection again after it was lost; the caller tries once more. */
gboolean
reins_store_pg_reconnect (ReinsStore  *self,
                          GError     **error)
{
  g_debug ("The connection to %s was lost; connecting again", self->display_name);
  PQreset (self->pg->conn);
  self->pg->lost = FALSE;
  if (PQstatus (self->pg->conn) != CONNECTION_OK)
    {
      g_autofree char *message = connection_message (self);

      g_set_error (error, REINS_ERROR, REINS_ERROR_STORE,
                   _("The connection to the run store “%s” was lost and cannot be made "
                     "again: %s"), self->display_name, message);
      return FALSE;
    }
  return setup_session (self, error);
}

/* Runs one statement (prepared once per connection) and returns its result. Outside a
 * transaction a lost connection is made again and the statement tried once more. */
PGresult *
reins_store_pg_query (ReinsStore  *self,
                      const char  *sql,
                      PgParams    *params,
                      GError     **error)
{
  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      const char *name = g_hash_table_lookup (self->pg->prepared, sql);
      PGresult *result;

      if (name == NULL)
        {
          g_autoptr(PGresult) prepared = NULL;
          char *new_name = g_strdup_printf ("reins_%u", ++self->pg->n_prepared);

          prepared = PQprepare (self->pg->conn, new_name, sql, 0, NULL);
          if (reins_store_pg_result_ok (prepared))
            {
              g_hash_table_insert (self->pg->prepared, g_strdup (sql), new_name);
              name = new_name;
            }
          else
            {
              g_free (new_name);
              set_result_error (self, prepared, &local_error);
            }
        }

      if (name != NULL)
        {
          result = PQexecPrepared (self->pg->conn, name, params != NULL ? params->n : 0,
                                   params != NULL ? (const char *const *) params->values : NULL,
                                   NULL, NULL, 0);
          if (reins_store_pg_result_ok (result))
            return result;
          set_result_error (self, result, &local_error);
          if (!self->pg->lost)
            {
              /* The caller may want to tell constraint violations apart. */
              g_propagate_error (error, g_steal_pointer (&local_error));
              return result;
            }
          PQclear (result);
        }

      if (!self->pg->lost || self->pg->in_transaction || attempt > 0)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (!reins_store_pg_reconnect (self, error))
        return NULL;
    }
}

/* reins_store_pg_query() for statements whose result is only success or failure. */
gboolean
reins_store_pg_run (ReinsStore  *self,
                    const char  *sql,
                    PgParams    *params,
                    GError     **error)
{
  g_autoptr(PGresult) result = reins_store_pg_query (self, sql, params, error);

  return result != NULL && reins_store_pg_result_ok (result);
}

gboolean
reins_store_pg_exec (ReinsStore  *self,
                     const char  *sql,
                     GError     **error)
{
  g_autoptr(PGresult) result = PQexec (self->pg->conn, sql);

  if (!reins_store_pg_result_ok (result))
    return set_result_error (self, result, error);
  return TRUE;
}

/* Runs @func inside one transaction. When the connection is lost the server has rolled
 * the transaction back, so it is made again and the whole transaction tried once more:
 * a commit is stored whole or not at all. */
gboolean
reins_store_pg_transaction (ReinsStore         *self,
                            PgTransactionFunc   func,
                            gpointer            data,
                            GError            **error)
{
  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean ok;

      if (PQstatus (self->pg->conn) == CONNECTION_BAD)
        self->pg->lost = TRUE;
      else
        {
          ok = reins_store_pg_exec (self, "BEGIN", &local_error);
          if (ok)
            {
              self->pg->in_transaction = TRUE;
              ok = func (self, data, &local_error);
              self->pg->in_transaction = FALSE;
              if (ok)
                ok = reins_store_pg_exec (self, "COMMIT", &local_error);
              else if (PQstatus (self->pg->conn) != CONNECTION_BAD)
                PQclear (PQexec (self->pg->conn, "ROLLBACK"));
            }
          if (ok)
            return TRUE;
        }

      if (!self->pg->lost || attempt > 0)
        {
          if (local_error == NULL)
            {
              g_autofree char *message = connection_message (self);

              g_set_error (&local_error, REINS_ERROR, REINS_ERROR_STORE,
                           _("The connection to the run store “%s” is lost: %s"),
                           self->display_name, message);
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!reins_store_pg_reconnect (self, error))
        return FALSE;
    }
}

gboolean
reins_store_pg_open (ReinsStore  *self,
                     GError     **error)
{
  self->pg = g_new0 (ReinsStorePg, 1);
  self->pg->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->pg->conn = PQconnectdb (self->path);
  if (PQstatus (self->pg->conn) != CONNECTION_OK)
    {
      g_autofree char *message = connection_message (self);

      g_set_error (error, REINS_ERROR, REINS_ERROR_STORE,
                   _("Cannot connect to the run store “%s”: %s"), self->display_name, message);
      return FALSE;
    }

  return setup_session (self, error) &&
         reins_store_pg_prepare_schema (self, error) &&
         reins_store_pg_recover_interrupted (self, error);
}

static void
pg_close (ReinsStore *self)
{
  if (self->pg == NULL)
    return;
  g_clear_pointer (&self->pg->heartbeat, reins_store_pg_heartbeat_free);
  g_clear_pointer (&self->pg->conn, PQfinish);
  g_clear_pointer (&self->pg->prepared, g_hash_table_unref);
  g_clear_pointer (&self->pg, g_free);
}

/* Generic queries */

gboolean
reins_store_pg_query_rows (ReinsStore          *self,
                           const char          *sql,
                           ReinsStoreBindFunc   bind,
                           ReinsStoreRowFunc    row_func,
                           gpointer             data,
                           GError             **error)
{
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(PGresult) result = NULL;
  PgRow row;

  if (bind != NULL)
    bind (&params.base, data);
  result = reins_store_pg_query (self, sql, &params, error);
  if (result == NULL || !reins_store_pg_result_ok (result))
    return FALSE;
  reins_store_pg_row_init (&row, result, 0);
  for (int i = 0; row_func != NULL && i < PQntuples (result); i++)
    {
      row.base.row = i;
      row_func (&row.base, data);
    }
  return TRUE;
}

/* A write that names a run: a run that is not there is "not found". */
static gboolean
pg_run_write (ReinsStore          *self,
              const char          *sql,
              ReinsStoreBindFunc   bind,
              gpointer             data,
              const char          *run_id,
              GError             **error)
{
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PGresult) result = NULL;

  if (bind != NULL)
    bind (&params.base, data);
  result = reins_store_pg_query (self, sql, &params, &local_error);
  if (result != NULL &&
      g_strcmp0 (reins_store_pg_result_state (result), PG_FOREIGN_KEY_VIOLATION) == 0)
    return reins_store_set_not_found (error, run_id);
  if (result == NULL || !reins_store_pg_result_ok (result))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

const ReinsStoreBackend reins_store_pg_backend = {
  .name = "postgresql",
  .close = pg_close,
  .write_run = reins_store_pg_write_run,
  .match_run_ids = reins_store_pg_match_run_ids,
  .purge_deleted = reins_store_pg_purge_deleted,
  .get_data_version = reins_store_pg_get_data_version,
  .commit_steps = reins_store_pg_commit_steps,
  .get_steps = reins_store_pg_get_steps,
  .search = reins_store_pg_search,
  .decide_approval = reins_store_pg_decide_approval,
  .create_watch = reins_store_pg_create_watch,
  .run_write = pg_run_write,
  .query = reins_store_pg_query_rows,
};
