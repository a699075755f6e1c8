/* reins-store-pg.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PostgreSQL backend of the run store (libpq), opened with a postgresql:// (or
 * postgres://) URI. The same tables as the SQLite file, versioned migrations applied in
 * one transaction under an advisory lock, one transaction per committed step, full-text
 * search with tsvector, and live history by LISTEN/NOTIFY: a trigger on runs notifies
 * "reins_runs" at every commit that touches a run, and reins_store_get_data_version()
 * counts the notifications other connections sent, without a round trip.
 *
 * A connection that is lost is made again once and the statement (or the whole
 * transaction, which was rolled back by the server) is tried again; when that fails the
 * caller gets a clear error and nothing half-written is left. The URI may hold a password:
 * it is never logged; messages use reins_store_redact_uri().
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <libpq-fe.h>
#include <string.h>

#include "reins-search-hit.h"
#include "reins-store-private.h"

/* The SQLSTATEs the store tells apart. */
#define PG_UNIQUE_VIOLATION      "23505"
#define PG_FOREIGN_KEY_VIOLATION "23503"
#define PG_READ_ONLY_TRANSACTION "25006"
#define PG_INSUFFICIENT_PRIVILEGE "42501"

/* pg_advisory_xact_lock key for migrations: "REIN". */
#define MIGRATION_LOCK 0x5245494E

#define MAX_PARAMS 24

typedef struct _Heartbeat Heartbeat;

struct _ReinsStorePg
{
  /* Renews the leases of the live runs this store wrote, on a connection of its own. */
  Heartbeat  *heartbeat;
  PGconn     *conn;
  /* SQL text → name of the statement prepared on this connection */
  GHashTable *prepared;
  guint       n_prepared;
  gboolean    in_transaction;
  /* Whether the last failure was the connection going away. */
  gboolean    lost;
  gint64      data_version;
};

/* The schema of the PostgreSQL store, as forward migrations: pg_migrations[N] takes a
 * database from version N to N+1 (reins_meta holds the version). Version 1 holds what
 * version 4 of the SQLite file holds. Never edit a shipped step. */
static const char *const pg_migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE runs ("
  "  num              BIGSERIAL PRIMARY KEY,"
  "  id               TEXT NOT NULL UNIQUE,"
  "  task             TEXT NOT NULL,"
  "  status           TEXT NOT NULL,"
  "  provider         TEXT,"
  "  model            TEXT,"
  "  settings         TEXT NOT NULL DEFAULT '{}',"
  "  created_at       BIGINT NOT NULL DEFAULT 0,"
  "  finished_at      BIGINT NOT NULL DEFAULT 0,"
  "  final_answer     TEXT,"
  "  reason           TEXT,"
  "  input_tokens     BIGINT NOT NULL DEFAULT 0,"
  "  output_tokens    BIGINT NOT NULL DEFAULT 0,"
  "  cost_usd         DOUBLE PRECISION NOT NULL DEFAULT 0,"
  "  step_count       BIGINT NOT NULL DEFAULT 0,"
  "  parent_run_id    TEXT,"
  "  fork_step        BIGINT NOT NULL DEFAULT 0,"
  "  deleted          INTEGER NOT NULL DEFAULT 0,"
  "  owner_pid        BIGINT,"
  "  owner_start_time TEXT,"
  "  owner_boot_id    TEXT"
  ");"
  "CREATE INDEX runs_by_date ON runs (deleted, created_at DESC);"
  "CREATE INDEX runs_by_status ON runs (status) "
  "  WHERE status IN ('running', 'paused', 'awaiting_approval');"
  "CREATE INDEX runs_by_parent ON runs (parent_run_id) WHERE parent_run_id IS NOT NULL;"
  "CREATE TABLE steps ("
  "  num               BIGSERIAL PRIMARY KEY,"
  "  run_id            TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  idx               BIGINT NOT NULL,"
  "  thought           TEXT,"
  "  reply             TEXT,"
  "  action            TEXT,"
  "  action_call_id    TEXT,"
  "  observation       TEXT,"
  "  tool_error        INTEGER NOT NULL DEFAULT 0,"
  "  confidence        DOUBLE PRECISION,"
  "  confidence_source TEXT,"
  "  input_tokens      BIGINT NOT NULL DEFAULT 0,"
  "  output_tokens     BIGINT NOT NULL DEFAULT 0,"
  "  cost_usd          DOUBLE PRECISION NOT NULL DEFAULT 0,"
  "  cost_total_usd    DOUBLE PRECISION NOT NULL DEFAULT 0,"
  "  duration_ms       BIGINT NOT NULL DEFAULT 0,"
  "  started_at        BIGINT NOT NULL DEFAULT 0,"
  "  critic            TEXT,"
  "  UNIQUE (run_id, idx)"
  ");"
  "CREATE TABLE verdicts ("
  "  step_num BIGINT NOT NULL REFERENCES steps (num) ON DELETE CASCADE,"
  "  ord      INTEGER NOT NULL,"
  "  guard    TEXT NOT NULL,"
  "  kind     TEXT NOT NULL,"
  "  reason   TEXT NOT NULL DEFAULT '',"
  "  steps    TEXT,"
  "  phase    TEXT,"
  "  PRIMARY KEY (step_num, ord)"
  ");"
  "CREATE TABLE approvals ("
  "  step_num     BIGINT NOT NULL REFERENCES steps (num) ON DELETE CASCADE,"
  "  ord          INTEGER NOT NULL,"
  "  step         BIGINT NOT NULL,"
  "  guard        TEXT NOT NULL,"
  "  reason       TEXT NOT NULL DEFAULT '',"
  "  action       TEXT,"
  "  confidence   DOUBLE PRECISION,"
  "  decision     TEXT,"
  "  final_action TEXT,"
  "  feedback     TEXT,"
  "  requested_at BIGINT NOT NULL DEFAULT 0,"
  "  resolved_at  BIGINT NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (step_num, ord)"
  ");"
  "CREATE TABLE compressions ("
  "  run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  up_to_step BIGINT NOT NULL,"
  "  summary    TEXT NOT NULL,"
  "  created_at BIGINT NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (run_id, up_to_step)"
  ");"
  "CREATE TABLE exchanges ("
  "  run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  step       BIGINT NOT NULL,"
  "  request    TEXT,"
  "  response   TEXT,"
  "  latency_ms BIGINT NOT NULL DEFAULT 0,"
  "  created_at BIGINT NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (run_id, step)"
  ");"
  /* One row per step (key = the step's num) and per run (key = minus the run's num), as
   * in the SQLite file; words is the tsvector of the text's plain words
   * (reins_store_search_words()). */
  "CREATE TABLE search_text ("
  "  key    BIGINT PRIMARY KEY,"
  "  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  step   BIGINT NOT NULL,"
  "  body   TEXT NOT NULL,"
  "  words  TSVECTOR NOT NULL"
  ");"
  "CREATE INDEX search_text_words ON search_text USING gin (words);"
  "CREATE FUNCTION reins_notify_runs () RETURNS trigger LANGUAGE plpgsql AS $$"
  "  BEGIN PERFORM pg_notify ('reins_runs', ''); RETURN NULL; END $$;"
  "CREATE TRIGGER runs_notify AFTER INSERT OR UPDATE OR DELETE ON runs "
  "  FOR EACH STATEMENT EXECUTE FUNCTION reins_notify_runs ();",

  /* 1 → 2: leases. A live run's runner renews lease_until (µs since 1970) while it runs;
   * a run owned on another machine whose lease lapsed is interrupted. A renewal alone is
   * not news for the windows: only other changes of a run are notified. */
  "ALTER TABLE runs ADD COLUMN lease_until BIGINT;"
  "DROP TRIGGER runs_notify ON runs;"
  "CREATE TRIGGER runs_notify AFTER INSERT OR DELETE ON runs "
  "  FOR EACH STATEMENT EXECUTE FUNCTION reins_notify_runs ();"
  "CREATE TRIGGER runs_notify_update AFTER UPDATE ON runs FOR EACH ROW "
  "  WHEN ((to_jsonb (OLD) - 'lease_until') IS DISTINCT FROM (to_jsonb (NEW) - 'lease_until')) "
  "  EXECUTE FUNCTION reins_notify_runs ();",

  /* 2 → 3: what a person wrote on a run, as in version 5 of the SQLite file: tags (one
   * row each, found by tag) and a note. */
  "CREATE TABLE run_labels ("
  "  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  label  TEXT NOT NULL,"
  "  PRIMARY KEY (run_id, label)"
  ");"
  "CREATE INDEX run_labels_by_label ON run_labels (label);"
  "ALTER TABLE runs ADD COLUMN note TEXT;",

  /* 3 → 4: projects and who may do what in them (docs/team.md). A run belongs to the
   * project the connection names (options=-creins.project=NAME), or to none: a run of no
   * project is everyone's, as before. Members are database roles: a viewer reads, an
   * approver also answers questions, a runner creates runs and steps, an admin does all
   * and manages the project. Row-level security keeps each project's runs to its members;
   * it binds every role but the tables' owner. */
  "CREATE TABLE projects ("
  "  name       TEXT PRIMARY KEY,"
  "  created_at BIGINT NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE project_members ("
  "  project TEXT NOT NULL REFERENCES projects (name) ON DELETE CASCADE,"
  "  member  TEXT NOT NULL,"
  "  role    TEXT NOT NULL CHECK (role IN ('viewer', 'approver', 'runner', 'admin')),"
  "  PRIMARY KEY (project, member)"
  ");"
  "ALTER TABLE runs ADD COLUMN project TEXT REFERENCES projects (name) "
  "  DEFAULT nullif (current_setting ('reins.project', true), '');"
  "CREATE INDEX runs_by_project ON runs (project) WHERE project IS NOT NULL;"
  /* What the role that logged in may do in project @p: read, answer, write, manage. */
  "CREATE FUNCTION reins_may (p TEXT, what TEXT) RETURNS boolean LANGUAGE sql STABLE "
  "  SECURITY DEFINER SET search_path FROM CURRENT AS $$"
  "  SELECT p IS NULL OR EXISTS (SELECT 1 FROM project_members m "
  "    WHERE m.project = p AND m.member = session_user::text AND (what = 'read' "
  "      OR (what = 'answer' AND m.role IN ('approver', 'admin')) "
  "      OR (what = 'write' AND m.role IN ('runner', 'admin')) "
  "      OR (what = 'manage' AND m.role = 'admin'))) $$;"
  "CREATE FUNCTION reins_may_run (r TEXT, what TEXT) RETURNS boolean LANGUAGE sql STABLE "
  "  SECURITY DEFINER SET search_path FROM CURRENT AS $$"
  "  SELECT reins_may ((SELECT project FROM runs WHERE id = r), what) $$;"
  "CREATE FUNCTION reins_may_step (s BIGINT, what TEXT) RETURNS boolean LANGUAGE sql STABLE "
  "  SECURITY DEFINER SET search_path FROM CURRENT AS $$"
  "  SELECT reins_may_run ((SELECT run_id FROM steps WHERE num = s), what) $$;"
  "ALTER TABLE runs ENABLE ROW LEVEL SECURITY;"
  "CREATE POLICY runs_read ON runs FOR SELECT USING (reins_may (project, 'read'));"
  "CREATE POLICY runs_insert ON runs FOR INSERT WITH CHECK (reins_may (project, 'write'));"
  /* Rows a role may not write are left alone (the recovery of lapsed runs a viewer's
   * window does); a run moved to a project one may not write in is refused. */
  "CREATE POLICY runs_update ON runs FOR UPDATE USING (reins_may (project, 'write')) "
  "  WITH CHECK (reins_may (project, 'write'));"
  "CREATE POLICY runs_delete ON runs FOR DELETE USING (reins_may (project, 'write'));"
  "DO $$ DECLARE t TEXT; BEGIN "
  "  FOREACH t IN ARRAY ARRAY['steps', 'compressions', 'exchanges', 'search_text', "
  "                           'run_labels'] LOOP "
  "    EXECUTE format ('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);"
  "    EXECUTE format ('CREATE POLICY %I ON %I FOR SELECT "
  "                     USING (reins_may_run (run_id, ''read''))', t || '_read', t);"
  "    EXECUTE format ('CREATE POLICY %I ON %I FOR INSERT "
  "                     WITH CHECK (reins_may_run (run_id, ''write''))', t || '_insert', t);"
  "    EXECUTE format ('CREATE POLICY %I ON %I FOR UPDATE "
  "                     USING (reins_may_run (run_id, ''read'')) "
  "                     WITH CHECK (reins_may_run (run_id, ''write''))', t || '_update', t);"
  "    EXECUTE format ('CREATE POLICY %I ON %I FOR DELETE "
  "                     USING (reins_may_run (run_id, ''write''))', t || '_delete', t);"
  "  END LOOP;"
  "  FOREACH t IN ARRAY ARRAY['verdicts', 'approvals'] LOOP "
  "    EXECUTE format ('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);"
  "    EXECUTE format ('CREATE POLICY %I ON %I FOR SELECT "
  "                     USING (reins_may_step (step_num, ''read''))', t || '_read', t);"
  "    EXECUTE format ('CREATE POLICY %I ON %I FOR INSERT "
  "                     WITH CHECK (reins_may_step (step_num, ''write''))', t || '_insert', t);"
  "    EXECUTE format ('CREATE POLICY %I ON %I FOR DELETE "
  "                     USING (reins_may_step (step_num, ''write''))', t || '_delete', t);"
  "  END LOOP; END $$;"
  "CREATE POLICY verdicts_update ON verdicts FOR UPDATE "
  "  USING (reins_may_step (step_num, 'read')) "
  "  WITH CHECK (reins_may_step (step_num, 'write'));"
  /* Answering a question is the one write an approver may do. */
  "CREATE POLICY approvals_update ON approvals FOR UPDATE "
  "  USING (reins_may_step (step_num, 'read')) "
  "  WITH CHECK (reins_may_step (step_num, 'answer') OR reins_may_step (step_num, 'write'));"
  "ALTER TABLE projects ENABLE ROW LEVEL SECURITY;"
  "CREATE POLICY projects_read ON projects FOR SELECT USING (reins_may (name, 'read'));"
  "CREATE POLICY projects_manage ON projects FOR UPDATE USING (reins_may (name, 'manage'));"
  "CREATE POLICY projects_delete ON projects FOR DELETE USING (reins_may (name, 'manage'));"
  "ALTER TABLE project_members ENABLE ROW LEVEL SECURITY;"
  "CREATE POLICY members_read ON project_members FOR SELECT "
  "  USING (reins_may (project, 'read'));"
  "CREATE POLICY members_insert ON project_members FOR INSERT "
  "  WITH CHECK (reins_may (project, 'manage'));"
  "CREATE POLICY members_update ON project_members FOR UPDATE "
  "  USING (reins_may (project, 'read')) WITH CHECK (reins_may (project, 'manage'));"
  "CREATE POLICY members_delete ON project_members FOR DELETE "
  "  USING (reins_may (project, 'manage'));",

  /* 4 → 5: a person's name for a run and thumbs on its steps, as in version 6 of the
   * SQLite file, kept to the run's project like the tags. */
  "ALTER TABLE runs ADD COLUMN name TEXT;"
  "CREATE TABLE step_feedback ("
  "  run_id  TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  step    BIGINT NOT NULL,"
  "  rating  INTEGER NOT NULL CHECK (rating IN (-1, 1)),"
  "  comment TEXT,"
  "  PRIMARY KEY (run_id, step)"
  ");"
  "CREATE INDEX step_feedback_by_rating ON step_feedback (rating);"
  "ALTER TABLE step_feedback ENABLE ROW LEVEL SECURITY;"
  "CREATE POLICY step_feedback_read ON step_feedback FOR SELECT "
  "  USING (reins_may_run (run_id, 'read'));"
  "CREATE POLICY step_feedback_insert ON step_feedback FOR INSERT "
  "  WITH CHECK (reins_may_run (run_id, 'write'));"
  "CREATE POLICY step_feedback_update ON step_feedback FOR UPDATE "
  "  USING (reins_may_run (run_id, 'read')) WITH CHECK (reins_may_run (run_id, 'write'));"
  "CREATE POLICY step_feedback_delete ON step_feedback FOR DELETE "
  "  USING (reins_may_run (run_id, 'write'));",
};

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

typedef struct
{
  ReinsStoreParams  base;
  char             *values[MAX_PARAMS];
  int               n;
} PgParams;

static void
pg_params_set (PgParams *self,
               int       column,
               char     *value)
{
  g_assert (column >= 1 && column <= MAX_PARAMS);
  g_free (self->values[column - 1]);
  self->values[column - 1] = value;
  self->n = MAX (self->n, column);
}

static void
pg_params_text (ReinsStoreParams *params,
                int               column,
                const char       *text)
{
  /* The server refuses text that is not UTF-8: keep everything but the bad bytes. */
  pg_params_set ((PgParams *) params, column,
                 text != NULL ? reins_utf8_make_valid (text, -1) : NULL);
}

static void
pg_params_int64 (ReinsStoreParams *params,
                 int               column,
                 gint64            value)
{
  pg_params_set ((PgParams *) params, column, g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

static void
pg_params_dbl (ReinsStoreParams *params,
               int               column,
               double            value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  pg_params_set ((PgParams *) params, column,
                 g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value)));
}

/* Every parameter not set is NULL. */
#define PG_PARAMS_INIT { { NULL, pg_params_text, pg_params_int64, pg_params_dbl }, { NULL, }, 0 }

static void
pg_params_clear (PgParams *self)
{
  for (int i = 0; i < MAX_PARAMS; i++)
    g_clear_pointer (&self->values[i], g_free);
  self->n = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PgParams, pg_params_clear)

/* Rows */

typedef struct
{
  ReinsStoreRow  base;
  int            offset;
} PgRow;

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

static void
pg_row_init (PgRow    *self,
             PGresult *result,
             int       offset)
{
  self->base = (ReinsStoreRow) { result, 0, pg_row_is_null, pg_row_text, pg_row_int64,
                                 pg_row_dbl };
  self->offset = offset;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* The connection */

static void
ignore_notice (void       *data,
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

static gboolean
result_ok (PGresult *result)
{
  ExecStatusType status = PQresultStatus (result);

  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

static const char *
result_state (PGresult *result)
{
  return PQresultErrorField (result, PG_DIAG_SQLSTATE);
}

/* What every new connection (and every reconnection) sets up. */
static gboolean
setup_session (ReinsStore  *self,
               GError     **error)
{
  g_autoptr(PGresult) result = NULL;

  PQsetNoticeProcessor (self->pg->conn, ignore_notice, NULL);
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
  if (!result_ok (result))
    return set_result_error (self, result, error);
  return TRUE;
}

/* Makes the connection again after it was lost; the caller tries once more. */
static gboolean
reconnect (ReinsStore  *self,
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
static PGresult *
pg_query (ReinsStore  *self,
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
          if (result_ok (prepared))
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
          if (result_ok (result))
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
      if (!reconnect (self, error))
        return NULL;
    }
}

/* pg_query() for statements whose result is only success or failure. */
static gboolean
pg_run (ReinsStore  *self,
        const char  *sql,
        PgParams    *params,
        GError     **error)
{
  g_autoptr(PGresult) result = pg_query (self, sql, params, error);

  return result != NULL && result_ok (result);
}

static gboolean
pg_exec_script (ReinsStore  *self,
                const char  *sql,
                GError     **error)
{
  g_autoptr(PGresult) result = PQexec (self->pg->conn, sql);

  if (!result_ok (result))
    return set_result_error (self, result, error);
  return TRUE;
}

typedef gboolean (*PgTransactionFunc) (ReinsStore  *self,
                                       gpointer     data,
                                       GError     **error);

/* Runs @func inside one transaction. When the connection is lost the server has rolled
 * the transaction back, so it is made again and the whole transaction tried once more:
 * a commit is stored whole or not at all. */
static gboolean
pg_transaction (ReinsStore         *self,
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
          ok = pg_exec_script (self, "BEGIN", &local_error);
          if (ok)
            {
              self->pg->in_transaction = TRUE;
              ok = func (self, data, &local_error);
              self->pg->in_transaction = FALSE;
              if (ok)
                ok = pg_exec_script (self, "COMMIT", &local_error);
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
      if (!reconnect (self, error))
        return FALSE;
    }
}

/* Schema */

static gboolean
read_version (ReinsStore  *self,
              gint64      *version,
              gboolean    *has_meta,
              gboolean    *has_runs,
              GError     **error)
{
  g_autoptr(PGresult) result =
    pg_query (self,
              "SELECT to_regclass ('reins_meta') IS NOT NULL, "
              "  to_regclass ('runs') IS NOT NULL",
              NULL, error);

  if (result == NULL || !result_ok (result))
    return FALSE;
  *has_meta = g_str_equal (PQgetvalue (result, 0, 0), "t");
  *has_runs = g_str_equal (PQgetvalue (result, 0, 1), "t");
  *version = 0;
  if (*has_meta)
    {
      g_autoptr(PGresult) meta =
        pg_query (self,
                  "SELECT (SELECT value FROM reins_meta WHERE key = 'application'), "
                  "  (SELECT value FROM reins_meta WHERE key = 'schema_version')",
                  NULL, error);

      if (meta == NULL || !result_ok (meta))
        return FALSE;
      if (g_strcmp0 (PQgetvalue (meta, 0, 0), "reins") != 0)
        *has_meta = FALSE;
      else
        *version = g_ascii_strtoll (PQgetvalue (meta, 0, 1), NULL, 10);
    }
  return TRUE;
}

static gboolean
migrate (ReinsStore  *self,
         gpointer     data,
         GError     **error)
{
  gint64 version;
  gboolean has_meta, has_runs;
  g_autofree char *lock = g_strdup_printf ("SELECT pg_advisory_xact_lock (%d)", MIGRATION_LOCK);

  /* Another process may have set the database up while this one waited for the lock. */
  if (!pg_exec_script (self, lock, error) ||
      !read_version (self, &version, &has_meta, &has_runs, error))
    return FALSE;
  if (!has_meta &&
      !pg_exec_script (self,
                       "CREATE TABLE reins_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                       "INSERT INTO reins_meta VALUES ('application', 'reins'), "
                       "  ('schema_version', '0');",
                       error))
    return FALSE;

  for (; version < (gint64) G_N_ELEMENTS (pg_migrations); version++)
    {
      g_autofree char *set_version =
        g_strdup_printf ("UPDATE reins_meta SET value = '%d' WHERE key = 'schema_version'",
                         (int) version + 1);

      if (!pg_exec_script (self, pg_migrations[version], error))
        {
          g_prefix_error (error, _("Could not upgrade the run store to version %d: "),
                          (int) version + 1);
          return FALSE;
        }
      if (!pg_exec_script (self, set_version, error))
        return FALSE;
    }
  return TRUE;
}

/* Refuses a database whose tables are another program's or a newer Reins's, before
 * anything is written; then brings the schema up to date. */
static gboolean
prepare_schema (ReinsStore  *self,
                GError     **error)
{
  gint64 version;
  gboolean has_meta, has_runs;

  if (!read_version (self, &version, &has_meta, &has_runs, error))
    return FALSE;
  if (!has_meta && has_runs)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_STORE_FOREIGN,
                   _("“%s” holds another program's tables, not a Reins run store; "
                     "it was left untouched"), self->display_name);
      return FALSE;
    }
  if (version > (gint64) G_N_ELEMENTS (pg_migrations))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_STORE_NEWER,
                   _("The run store “%s” was written by a newer version of Reins (schema %d; "
                     "this version reads up to %d); it was left untouched"),
                   self->display_name, (int) version, (int) G_N_ELEMENTS (pg_migrations));
      return FALSE;
    }
  if (has_meta && version == (gint64) G_N_ELEMENTS (pg_migrations))
    return TRUE;
  return pg_transaction (self, migrate, NULL, error);
}

/* Leases
 *
 * A process on another machine cannot be checked by its pid. So while a run is live, the
 * store that wrote its live status holds a lease on it: lease_until, set with each write
 * and renewed every third of the lease by a heartbeat thread on a connection of its own
 * (the store itself belongs to its caller's thread). When the process ends — finished,
 * killed, or cut off from the database — the renewals stop and the lease lapses; whoever
 * opens the store next marks the run interrupted, and it can be resumed anywhere. */

#define DEFAULT_LEASE_SECONDS 30

static gint64
lease_us (void)
{
  const char *text = g_getenv ("REINS_STORE_LEASE_SECONDS");
  gint64 seconds = text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;

  return (seconds > 0 ? seconds : DEFAULT_LEASE_SECONDS) * G_USEC_PER_SEC;
}

struct _Heartbeat
{
  GMutex     lock;
  GCond      cond;
  gboolean   stop;
  GThread   *thread;
  char      *conninfo;
  gint64     lease;
  /* The ids of the live runs to renew (under lock) */
  GPtrArray *run_ids;
};

/* {"id1","id2"} as a text[] literal */
static char *
text_array (GPtrArray *items)
{
  GString *out = g_string_new ("{");

  for (guint i = 0; i < items->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '"');
      for (const char *p = g_ptr_array_index (items, i); *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static void
heartbeat_renew (Heartbeat  *heartbeat,
                 PGconn    **conn,
                 GPtrArray  *run_ids)
{
  g_autofree char *ids = text_array (run_ids);
  g_autofree char *until = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            g_get_real_time () + heartbeat->lease);
  g_autofree char *pid_text = NULL;
  const char *start_time, *boot_id;
  const char *values[4];
  gint64 pid;
  PGresult *result;

  if (*conn == NULL || PQstatus (*conn) != CONNECTION_OK)
    {
      g_clear_pointer (conn, PQfinish);
      *conn = PQconnectdb (heartbeat->conninfo);
      if (PQstatus (*conn) != CONNECTION_OK)
        {
          g_debug ("The lease heartbeat cannot connect: %s", PQerrorMessage (*conn));
          return;
        }
      PQsetNoticeProcessor (*conn, ignore_notice, NULL);
    }

  reins_store_owner_get (&pid, &start_time, &boot_id);
  pid_text = g_strdup_printf ("%" G_GINT64_FORMAT, pid);
  values[0] = ids;
  values[1] = until;
  values[2] = pid_text;
  values[3] = boot_id;
  /* Only runs this process still owns: a run taken over elsewhere is left to its owner. */
  /* "reins_leases" tells who cares (the tests) that leases were renewed. */
  result = PQexecParams (*conn,
                         "WITH renewed AS ("
                         "  UPDATE runs SET lease_until = $2 "
                         "  WHERE id = ANY ($1::text[]) AND owner_pid = $3 "
                         "    AND owner_boot_id IS NOT DISTINCT FROM $4 "
                         "    AND status IN ('running', 'paused', 'awaiting_approval') "
                         "  RETURNING 1) "
                         "SELECT pg_notify ('reins_leases', count(*)::text) FROM renewed",
                         4, NULL, values, NULL, NULL, 0);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_debug ("The lease heartbeat failed: %s", PQerrorMessage (*conn));
  PQclear (result);
}

static gpointer
heartbeat_thread (gpointer data)
{
  Heartbeat *heartbeat = data;
  PGconn *conn = NULL;

  g_mutex_lock (&heartbeat->lock);
  while (!heartbeat->stop)
    {
      gint64 wake = g_get_monotonic_time () + heartbeat->lease / 3;
      g_autoptr(GPtrArray) run_ids = NULL;

      while (!heartbeat->stop && g_cond_wait_until (&heartbeat->cond, &heartbeat->lock, wake))
        ;
      if (heartbeat->stop || heartbeat->run_ids->len == 0)
        continue;
      run_ids = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < heartbeat->run_ids->len; i++)
        g_ptr_array_add (run_ids, g_strdup (g_ptr_array_index (heartbeat->run_ids, i)));
      g_mutex_unlock (&heartbeat->lock);
      heartbeat_renew (heartbeat, &conn, run_ids);
      g_mutex_lock (&heartbeat->lock);
    }
  g_mutex_unlock (&heartbeat->lock);
  g_clear_pointer (&conn, PQfinish);
  return NULL;
}

/* After a run's row was written: a live run is renewed from now on, another no more. */
static void
heartbeat_follow (ReinsStore *self,
                  ReinsRun   *run)
{
  Heartbeat *heartbeat = self->pg->heartbeat;
  gboolean live = reins_store_run_status_is_live (reins_run_get_status (run));
  const char *id = reins_run_get_id (run);
  guint index;

  if (heartbeat == NULL)
    {
      if (!live)
        return;
      heartbeat = self->pg->heartbeat = g_new0 (Heartbeat, 1);
      g_mutex_init (&heartbeat->lock);
      g_cond_init (&heartbeat->cond);
      heartbeat->conninfo = g_strdup (self->path);
      heartbeat->lease = lease_us ();
      heartbeat->run_ids = g_ptr_array_new_with_free_func (g_free);
      heartbeat->thread = g_thread_new ("reins-lease", heartbeat_thread, heartbeat);
    }

  g_mutex_lock (&heartbeat->lock);
  if (g_ptr_array_find_with_equal_func (heartbeat->run_ids, id, g_str_equal, &index))
    {
      if (!live)
        g_ptr_array_remove_index_fast (heartbeat->run_ids, index);
    }
  else if (live)
    g_ptr_array_add (heartbeat->run_ids, g_strdup (id));
  g_mutex_unlock (&heartbeat->lock);
}

static void
heartbeat_free (Heartbeat *heartbeat)
{
  g_mutex_lock (&heartbeat->lock);
  heartbeat->stop = TRUE;
  g_cond_signal (&heartbeat->cond);
  g_mutex_unlock (&heartbeat->lock);
  g_thread_join (heartbeat->thread);
  g_mutex_clear (&heartbeat->lock);
  g_cond_clear (&heartbeat->cond);
  g_ptr_array_unref (heartbeat->run_ids);
  g_free (heartbeat->conninfo);
  g_free (heartbeat);
}

/* Runs whose owner died */

static gboolean
mark_interrupted (ReinsStore  *self,
                  gpointer     data,
                  GError     **error)
{
  PGresult *live = data;

  for (int i = 0; i < PQntuples (live); i++)
    {
      gint64 pid = g_ascii_strtoll (PQgetvalue (live, i, 1), NULL, 10);
      g_auto(PgParams) params = PG_PARAMS_INIT;

      if (reins_store_owner_is_alive (pid,
                                      PQgetisnull (live, i, 2) ? NULL : PQgetvalue (live, i, 2),
                                      PQgetisnull (live, i, 3) ? NULL : PQgetvalue (live, i, 3)))
        continue;
      params.base.text (&params.base, 1, PQgetvalue (live, i, 0));
      pg_params_set (&params, 2, reins_store_interrupted_reason (pid));
      /* The status is checked again: the owner may have finished the run meanwhile. */
      if (!pg_run (self,
                   "UPDATE runs SET status = 'interrupted', reason = $2, "
                   "  owner_pid = NULL, owner_start_time = NULL, owner_boot_id = NULL, "
                   "  lease_until = NULL "
                   "WHERE id = $1 AND status IN ('running', 'paused', 'awaiting_approval')",
                   &params, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
mark_lapsed (ReinsStore  *self,
             gpointer     data,
             GError     **error)
{
  g_auto(PgParams) params = PG_PARAMS_INIT;
  const char *start_time, *boot_id;
  gint64 pid;

  reins_store_owner_get (&pid, &start_time, &boot_id);
  params.base.text (&params.base, 1, boot_id);
  params.base.text (&params.base, 2,
                    _("The process that ran it stopped renewing its lease (it ended, or lost "
                      "the database) before the run finished."));
  params.base.int64 (&params.base, 3, g_get_real_time ());
  return pg_run (self,
                 "UPDATE runs SET status = 'interrupted', reason = $2, "
                 "  owner_pid = NULL, owner_start_time = NULL, owner_boot_id = NULL, "
                 "  lease_until = NULL "
                 "WHERE status IN ('running', 'paused', 'awaiting_approval') "
                 "  AND owner_boot_id IS NOT NULL AND owner_boot_id <> $1 "
                 "  AND (lease_until IS NULL OR lease_until < $3)",
                 &params, error);
}

/* Runs owned on this machine (same boot id) are checked by their pid, at once; runs owned
 * on another machine (or before a reboot) by their lease. */
static gboolean
recover_interrupted (ReinsStore  *self,
                     GError     **error)
{
  g_autoptr(PGresult) live = NULL;
  g_auto(PgParams) params = PG_PARAMS_INIT;
  const char *start_time, *boot_id;
  gint64 pid;

  reins_store_owner_get (&pid, &start_time, &boot_id);
  params.base.text (&params.base, 1, boot_id);
  live = pg_query (self,
                   "SELECT id, coalesce (owner_pid, 0), owner_start_time, owner_boot_id "
                   "FROM runs WHERE status IN ('running', 'paused', 'awaiting_approval') "
                   "  AND (owner_boot_id IS NULL OR owner_boot_id = $1)",
                   &params, error);
  if (live == NULL || !result_ok (live))
    return FALSE;
  if (PQntuples (live) > 0 && !pg_transaction (self, mark_interrupted, live, error))
    return FALSE;
  return pg_transaction (self, mark_lapsed, NULL, error);
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
         prepare_schema (self, error) &&
         recover_interrupted (self, error);
}

static void
pg_close (ReinsStore *self)
{
  if (self->pg == NULL)
    return;
  g_clear_pointer (&self->pg->heartbeat, heartbeat_free);
  g_clear_pointer (&self->pg->conn, PQfinish);
  g_clear_pointer (&self->pg->prepared, g_hash_table_unref);
  g_clear_pointer (&self->pg, g_free);
}

/* Runs */

static ReinsRun *
run_at (PGresult *result,
        int       row)
{
  PgRow r;

  pg_row_init (&r, result, 0);
  r.base.row = row;
  return reins_store_run_from_row (&r.base);
}

static GPtrArray *
runs_of (PGresult *result)
{
  GPtrArray *runs = g_ptr_array_new_with_free_func (g_object_unref);

  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (runs, run_at (result, i));
  return runs;
}

static gboolean
index_row (ReinsStore  *self,
           gint64       key,
           const char  *run_id,
           guint        step,
           const char  *first,
           const char  *second,
           GError     **error)
{
  g_autofree char *body = reins_store_search_body (first, second);
  g_auto(PgParams) params = PG_PARAMS_INIT;
  params.base.int64 (&params.base, 1, key);
  params.base.text (&params.base, 2, run_id);
  params.base.int64 (&params.base, 3, step);
  params.base.text (&params.base, 4, body);
  pg_params_set (&params, 5, reins_store_search_words (body));
  return pg_run (self,
                 "INSERT INTO search_text (key, run_id, step, body, words) "
                 "VALUES ($1, $2, $3, $4, to_tsvector ('simple'::regconfig, $5::text)) "
                 "ON CONFLICT (key) DO UPDATE SET body = excluded.body, "
                 "  words = excluded.words, step = excluded.step",
                 &params, error);
}

typedef struct
{
  ReinsRun  *run;
  gboolean   may_update;
  gboolean   may_insert;
  GPtrArray *steps;
} WriteRun;

/* The run's row and its search row, inside the caller's transaction. */
static gboolean
write_run (ReinsStore  *self,
           WriteRun    *w,
           GError     **error)
{
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autofree char *settings = NULL;
  g_autoptr(PGresult) result = NULL;
  gint64 num = 0;
  gboolean found = FALSE;
  settings = reins_store_bind_run (&params.base, w->run);
  /* $21: the lease of a live run */
  params.base.int64 (&params.base, 21, g_get_real_time () + lease_us ());

  if (w->may_update)
    {
      result = pg_query (self,
                         "UPDATE runs SET task = $1, status = $2, provider = $3, model = $4, "
                         "  settings = $5, created_at = $6, finished_at = $7, "
                         "  final_answer = $8, reason = $9, input_tokens = $10, "
                         "  output_tokens = $11, cost_usd = $12, step_count = $13, "
                         "  parent_run_id = $14, fork_step = $15, "
                         "  owner_pid = CASE WHEN $20::int <> 0 THEN $17 ELSE owner_pid END, "
                         "  owner_start_time = "
                         "    CASE WHEN $20::int <> 0 THEN $18 ELSE owner_start_time END, "
                         "  owner_boot_id = "
                         "    CASE WHEN $20::int <> 0 THEN $19 ELSE owner_boot_id END, "
                         "  lease_until = CASE WHEN $20::int <> 0 THEN $21::bigint END "
                         "WHERE id = $16 RETURNING num",
                         &params, error);
      if (result == NULL || !result_ok (result))
        return FALSE;
      if (PQntuples (result) > 0)
        {
          found = TRUE;
          num = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
        }
      g_clear_pointer (&result, PQclear);
    }

  if (!found)
    {
      g_autoptr(GError) local_error = NULL;

      if (!w->may_insert)
        return reins_store_set_not_found (error, reins_run_get_id (w->run));
      result = pg_query (self,
                         "INSERT INTO runs (task, status, provider, model, settings, "
                         "  created_at, finished_at, final_answer, reason, input_tokens, "
                         "  output_tokens, cost_usd, step_count, parent_run_id, fork_step, "
                         "  id, owner_pid, owner_start_time, owner_boot_id, lease_until) "
                         "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                         "  $14, $15, $16, $17, $18, $19, "
                         "  CASE WHEN $20::int <> 0 THEN $21::bigint END) RETURNING num",
                         &params, &local_error);
      if (result != NULL && g_strcmp0 (result_state (result), PG_UNIQUE_VIOLATION) == 0)
        return reins_store_set_duplicate_run (error, reins_run_get_id (w->run));
      if (result == NULL || !result_ok (result))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      num = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
    }

  return index_row (self, -num, reins_run_get_id (w->run), 0, reins_run_get_task (w->run),
                    reins_run_get_final_answer (w->run), error);
}

static gboolean
write_run_transaction (ReinsStore  *self,
                       gpointer     data,
                       GError     **error)
{
  return write_run (self, data, error);
}

static gboolean
pg_write_run (ReinsStore  *self,
              ReinsRun    *run,
              gboolean     may_update,
              gboolean     may_insert,
              GError     **error)
{
  WriteRun w = { run, may_update, may_insert, NULL };

  if (!pg_transaction (self, write_run_transaction, &w, error))
    return FALSE;
  heartbeat_follow (self, run);
  return TRUE;
}

static ReinsRun *
pg_get_run (ReinsStore  *self,
            const char  *run_id,
            GError     **error)
{
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(PGresult) result = NULL;
  params.base.text (&params.base, 1, run_id);
  result = pg_query (self, "SELECT " REINS_STORE_RUN_COLUMNS " FROM runs WHERE id = $1",
                     &params, error);
  if (result == NULL || !result_ok (result))
    return NULL;
  if (PQntuples (result) == 0)
    {
      reins_store_set_not_found (error, run_id);
      return NULL;
    }
  return run_at (result, 0);
}

static GPtrArray *
pg_list_runs (ReinsStore  *self,
              const char  *status,
              guint        offset,
              guint        limit,
              GError     **error)
{
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(PGresult) result = NULL;
  params.base.text (&params.base, 1, status);
  if (limit > 0)
    params.base.int64 (&params.base, 2, limit);
  params.base.int64 (&params.base, 3, offset);
  result = pg_query (self,
                     "SELECT " REINS_STORE_RUN_COLUMNS " FROM runs "
                     "WHERE deleted = 0 AND ($1::text IS NULL OR status = $1) "
                     "ORDER BY created_at DESC, num DESC LIMIT $2 OFFSET $3",
                     &params, error);
  if (result == NULL || !result_ok (result))
    return NULL;
  return runs_of (result);
}

static gint64
pg_count_runs (ReinsStore  *self,
               const char  *status,
               GError     **error)
{
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(PGresult) result = NULL;
  params.base.text (&params.base, 1, status);
  result = pg_query (self,
                     "SELECT count(*) FROM runs "
                     "WHERE deleted = 0 AND ($1::text IS NULL OR status = $1)",
                     &params, error);
  if (result == NULL || !result_ok (result))
    return -1;
  return g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
}

static GStrv
pg_match_run_ids (ReinsStore  *self,
                  const char  *prefix,
                  guint        max_matches,
                  GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(PGresult) result = NULL;
  params.base.text (&params.base, 1, prefix);
  if (max_matches > 0)
    params.base.int64 (&params.base, 2, max_matches);
  else
    params.n = 2;
  result = pg_query (self,
                     "SELECT id FROM runs WHERE deleted = 0 "
                     "AND left (id, length ($1::text)) = $1::text ORDER BY id COLLATE \"C\" LIMIT $2",
                     &params, error);
  if (result == NULL || !result_ok (result))
    return NULL;
  for (int i = 0; i < PQntuples (result); i++)
    g_strv_builder_add (builder, PQgetvalue (result, i, 0));
  return g_strv_builder_end (builder);
}

static gboolean
pg_set_deleted (ReinsStore  *self,
                const char  *run_id,
                gboolean     deleted,
                GError     **error)
{
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(PGresult) result = NULL;
  params.base.int64 (&params.base, 1, deleted ? 1 : 0);
  params.base.text (&params.base, 2, run_id);
  result = pg_query (self, "UPDATE runs SET deleted = $1 WHERE id = $2", &params, error);
  if (result == NULL || !result_ok (result))
    return FALSE;
  if (g_strcmp0 (PQcmdTuples (result), "0") == 0)
    return reins_store_set_not_found (error, run_id);
  return TRUE;
}

static gboolean
purge (ReinsStore  *self,
       gpointer     data,
       GError     **error)
{
  /* Steps, verdicts, approvals, search rows… cascade from the run. */
  return pg_run (self, "DELETE FROM runs WHERE deleted <> 0", NULL, error);
}

static gboolean
pg_purge_deleted (ReinsStore  *self,
                  GError     **error)
{
  return pg_transaction (self, purge, NULL, error);
}

/* Counts the notifications of commits by other connections that have arrived; reading
 * them needs no round trip. A lost connection is made again (and counts as a change, as
 * commits may have been missed meanwhile). */
static gint64
pg_get_data_version (ReinsStore  *self,
                     GError     **error)
{
  PGnotify *notify;
  int own_pid;

  if (!PQconsumeInput (self->pg->conn) || PQstatus (self->pg->conn) == CONNECTION_BAD)
    {
      if (!reconnect (self, error))
        return -1;
      self->pg->data_version++;
    }
  own_pid = PQbackendPID (self->pg->conn);
  while ((notify = PQnotifies (self->pg->conn)) != NULL)
    {
      if (notify->be_pid != own_pid)
        self->pg->data_version++;
      PQfreemem (notify);
    }
  return self->pg->data_version;
}

static GPtrArray *
pg_list_forks (ReinsStore  *self,
               const char  *parent_run_id,
               GError     **error)
{
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(PGresult) result = NULL;
  params.base.text (&params.base, 1, parent_run_id);
  result = pg_query (self,
                     "SELECT " REINS_STORE_RUN_COLUMNS " FROM runs "
                     "WHERE deleted = 0 AND parent_run_id = $1 ORDER BY created_at, num",
                     &params, error);
  if (result == NULL || !result_ok (result))
    return NULL;
  return runs_of (result);
}

/* Steps */

static gboolean
write_step (ReinsStore  *self,
            const char  *run_id,
            ReinsStep   *step,
            GError     **error)
{
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(PGresult) result = NULL;
  char *texts[REINS_STORE_STEP_TEXTS] = { NULL, };
  GPtrArray *verdicts = reins_step_get_verdicts (step);
  GPtrArray *approvals = reins_step_get_approvals (step);
  gint64 num;
  reins_store_bind_step (&params.base, run_id, step, texts);
  for (guint j = 0; j < G_N_ELEMENTS (texts); j++)
    g_free (texts[j]);
  result = pg_query (self,
                     "INSERT INTO steps (run_id, idx, thought, reply, action, "
                     "  action_call_id, observation, tool_error, confidence, "
                     "  confidence_source, input_tokens, output_tokens, cost_usd, "
                     "  cost_total_usd, duration_ms, started_at, critic) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                     "  $14, $15, $16, $17) "
                     "ON CONFLICT (run_id, idx) DO UPDATE SET "
                     "  thought = excluded.thought, reply = excluded.reply, "
                     "  action = excluded.action, action_call_id = excluded.action_call_id, "
                     "  observation = excluded.observation, tool_error = excluded.tool_error, "
                     "  confidence = excluded.confidence, "
                     "  confidence_source = excluded.confidence_source, "
                     "  input_tokens = excluded.input_tokens, "
                     "  output_tokens = excluded.output_tokens, cost_usd = excluded.cost_usd, "
                     "  cost_total_usd = excluded.cost_total_usd, "
                     "  duration_ms = excluded.duration_ms, started_at = excluded.started_at, "
                     "  critic = excluded.critic "
                     "RETURNING num",
                     &params, error);
  if (result == NULL || !result_ok (result))
    return FALSE;
  num = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  pg_params_clear (&params);

  params.base.int64 (&params.base, 1, num);
  if (!pg_run (self, "DELETE FROM verdicts WHERE step_num = $1", &params, error) ||
      !pg_run (self, "DELETE FROM approvals WHERE step_num = $1", &params, error))
    return FALSE;

  for (guint i = 0; i < verdicts->len; i++)
    {
      g_autofree char *steps_text = NULL;

      pg_params_clear (&params);
      reins_store_bind_verdict (&params.base, num, i, g_ptr_array_index (verdicts, i),
                                &steps_text);
      if (!pg_run (self,
                   "INSERT INTO verdicts (step_num, ord, guard, kind, reason, steps, phase) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                   &params, error))
        return FALSE;
    }

  for (guint i = 0; i < approvals->len; i++)
    {
      char *approval_texts[REINS_STORE_APPROVAL_TEXTS] = { NULL, };

      pg_params_clear (&params);
      reins_store_bind_approval (&params.base, num, i, g_ptr_array_index (approvals, i),
                                 approval_texts);
      for (guint j = 0; j < G_N_ELEMENTS (approval_texts); j++)
        g_free (approval_texts[j]);
      if (!pg_run (self,
                   "INSERT INTO approvals (step_num, ord, step, guard, reason, action, "
                   "  confidence, decision, final_action, feedback, requested_at, "
                   "  resolved_at) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                   &params, error))
        return FALSE;
    }

  return index_row (self, num, run_id, reins_step_get_index (step),
                    reins_step_get_thought (step), reins_step_get_observation (step), error);
}

static gboolean
commit_steps (ReinsStore  *self,
              gpointer     data,
              GError     **error)
{
  WriteRun *w = data;

  if (!write_run (self, w, error))
    return FALSE;
  for (guint i = 0; i < w->steps->len; i++)
    if (!write_step (self, reins_run_get_id (w->run), g_ptr_array_index (w->steps, i), error))
      return FALSE;
  return TRUE;
}

static gboolean
pg_commit_steps (ReinsStore  *self,
                 ReinsRun    *run,
                 GPtrArray   *steps,
                 GError     **error)
{
  WriteRun w = { run, TRUE, TRUE, steps };

  if (!pg_transaction (self, commit_steps, &w, error))
    return FALSE;
  heartbeat_follow (self, run);
  return TRUE;
}

/* The verdicts or approvals of the steps in @by_num (num → step), first column step_num. */
static gboolean
load_children (ReinsStore  *self,
               const char  *sql,
               PgParams    *params,
               GHashTable  *by_num,
               gboolean     approvals,
               GError     **error)
{
  g_autoptr(PGresult) result = pg_query (self, sql, params, error);
  PgRow row;

  if (result == NULL || !result_ok (result))
    return FALSE;
  pg_row_init (&row, result, 1);
  for (int i = 0; i < PQntuples (result); i++)
    {
      gint64 num = g_ascii_strtoll (PQgetvalue (result, i, 0), NULL, 10);
      ReinsStep *step = g_hash_table_lookup (by_num, &num);

      row.base.row = i;
      if (step == NULL)
        continue;
      if (approvals)
        {
          g_autoptr(ReinsApprovalRecord) record = reins_store_approval_from_row (&row.base);

          reins_step_add_approval (step, record);
        }
      else
        {
          g_autoptr(ReinsVerdict) verdict = reins_store_verdict_from_row (&row.base);

          reins_step_add_verdict (step, verdict);
        }
    }
  return TRUE;
}

#define STEP_RANGE \
  "SELECT num FROM steps WHERE run_id = $1 AND idx >= $2 ORDER BY idx LIMIT $3"

static GPtrArray *
pg_get_steps (ReinsStore  *self,
              const char  *run_id,
              guint        first,
              guint        max_steps,
              GError     **error)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_num = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                        NULL);
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(PGresult) result = NULL;
  PgRow row;
  params.base.text (&params.base, 1, run_id);
  params.base.int64 (&params.base, 2, first);
  if (max_steps > 0)
    params.base.int64 (&params.base, 3, max_steps);
  else
    params.n = 3;
  result = pg_query (self,
                     "SELECT " REINS_STORE_STEP_COLUMNS " FROM steps "
                     "WHERE run_id = $1 AND idx >= $2 ORDER BY idx LIMIT $3",
                     &params, error);
  if (result == NULL || !result_ok (result))
    return NULL;
  pg_row_init (&row, result, 0);
  for (int i = 0; i < PQntuples (result); i++)
    {
      gint64 num;
      ReinsStep *step;

      row.base.row = i;
      step = reins_store_step_from_row (&row.base, &num);
      g_ptr_array_add (steps, step);
      g_hash_table_insert (by_num, g_memdup2 (&num, sizeof num), step);
    }
  if (steps->len == 0)
    return g_steal_pointer (&steps);

  if (!load_children (self,
                      "SELECT step_num, " REINS_STORE_VERDICT_COLUMNS " FROM verdicts "
                      "WHERE step_num IN (" STEP_RANGE ") ORDER BY step_num, ord",
                      &params, by_num, FALSE, error) ||
      !load_children (self,
                      "SELECT step_num, " REINS_STORE_APPROVAL_COLUMNS " FROM approvals "
                      "WHERE step_num IN (" STEP_RANGE ") ORDER BY step_num, ord",
                      &params, by_num, TRUE, error))
    return NULL;
  return g_steal_pointer (&steps);
}

typedef struct
{
  const char          *run_id;
  guint                step;
  guint                ord;
  ReinsApprovalRecord *record;
  gboolean             decided;
} Decide;

static gboolean
decide (ReinsStore  *self,
        gpointer     data,
        GError     **error)
{
  Decide *d = data;
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(PGresult) result = NULL;
  char *texts[REINS_STORE_APPROVAL_TEXTS] = { NULL, };
  gint64 num;

  params.base.text (&params.base, 1, d->run_id);
  params.base.int64 (&params.base, 2, d->step);
  result = pg_query (self, "SELECT num FROM steps WHERE run_id = $1 AND idx = $2", &params,
                     error);
  if (result == NULL || !result_ok (result))
    return FALSE;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND,
                   _("The run “%s” has no step %u"), d->run_id, d->step);
      return FALSE;
    }
  num = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  g_clear_pointer (&result, PQclear);

  pg_params_clear (&params);
  reins_store_bind_decision (&params.base, num, d->ord, d->record, texts);
  for (guint j = 0; j < G_N_ELEMENTS (texts); j++)
    g_free (texts[j]);
  result = pg_query (self,
                     "UPDATE approvals SET action = $1, decision = $2, final_action = $3, "
                     "  feedback = $4, resolved_at = $5 "
                     "WHERE step_num = $6 AND ord = $7 AND decision IS NULL",
                     &params, error);
  if (result == NULL || !result_ok (result))
    return FALSE;
  d->decided = g_strcmp0 (PQcmdTuples (result), "0") != 0;
  /* The run's process (and every window) hears of it at once. */
  return !d->decided || pg_run (self, "SELECT pg_notify ('reins_runs', '')", NULL, error);
}

static int
pg_decide_approval (ReinsStore           *self,
                    const char           *run_id,
                    guint                 step,
                    guint                 ord,
                    ReinsApprovalRecord  *record,
                    GError              **error)
{
  Decide d = { run_id, step, ord, record, FALSE };

  if (!pg_transaction (self, decide, &d, error))
    return -1;
  return d.decided ? 1 : 0;
}

/* Exchanges and compressions */

/* A write that names a run: a run that is not there is "not found". */
static gboolean
run_write (ReinsStore  *self,
           const char  *sql,
           PgParams    *params,
           const char  *run_id,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PGresult) result = pg_query (self, sql, params, &local_error);

  if (result != NULL && g_strcmp0 (result_state (result), PG_FOREIGN_KEY_VIOLATION) == 0)
    return reins_store_set_not_found (error, run_id);
  if (result == NULL || !result_ok (result))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
pg_add_exchange (ReinsStore  *self,
                 const char  *run_id,
                 guint        step,
                 const char  *request,
                 const char  *response,
                 gint64       latency_ms,
                 GError     **error)
{
  g_auto(PgParams) params = PG_PARAMS_INIT;
  params.base.text (&params.base, 1, run_id);
  params.base.int64 (&params.base, 2, step);
  params.base.text (&params.base, 3, request);
  params.base.text (&params.base, 4, response);
  params.base.int64 (&params.base, 5, latency_ms);
  params.base.int64 (&params.base, 6, g_get_real_time ());
  return run_write (self,
                    "INSERT INTO exchanges (run_id, step, request, response, latency_ms, "
                    "  created_at) VALUES ($1, $2, $3, $4, $5, $6) "
                    "ON CONFLICT (run_id, step) DO UPDATE SET "
                    "  request = excluded.request, response = excluded.response, "
                    "  latency_ms = excluded.latency_ms, created_at = excluded.created_at",
                    &params, run_id, error);
}

static gboolean
pg_get_exchange (ReinsStore  *self,
                 const char  *run_id,
                 guint        step,
                 char       **request,
                 char       **response,
                 GError     **error)
{
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(PGresult) result = NULL;
  PgRow row;
  params.base.text (&params.base, 1, run_id);
  params.base.int64 (&params.base, 2, step);
  result = pg_query (self,
                     "SELECT request, response FROM exchanges WHERE run_id = $1 AND step = $2",
                     &params, error);
  if (result == NULL || !result_ok (result))
    return FALSE;
  if (PQntuples (result) == 0)
    return reins_store_set_no_exchange (error, run_id, step);
  pg_row_init (&row, result, 0);
  if (request != NULL)
    *request = row.base.text (&row.base, 0);
  if (response != NULL)
    *response = row.base.text (&row.base, 1);
  return TRUE;
}

static gboolean
pg_add_compression (ReinsStore  *self,
                    const char  *run_id,
                    guint        up_to_step,
                    const char  *summary,
                    GError     **error)
{
  g_auto(PgParams) params = PG_PARAMS_INIT;
  params.base.text (&params.base, 1, run_id);
  params.base.int64 (&params.base, 2, up_to_step);
  params.base.text (&params.base, 3, summary);
  params.base.int64 (&params.base, 4, g_get_real_time ());
  return run_write (self,
                    "INSERT INTO compressions (run_id, up_to_step, summary, created_at) "
                    "VALUES ($1, $2, $3, $4) ON CONFLICT (run_id, up_to_step) DO UPDATE "
                    "SET summary = excluded.summary, created_at = excluded.created_at",
                    &params, run_id, error);
}

static char *
pg_get_compression (ReinsStore  *self,
                    const char  *run_id,
                    guint        before_step,
                    guint       *up_to_step,
                    GError     **error)
{
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(PGresult) result = NULL;
  PgRow row;
  params.base.text (&params.base, 1, run_id);
  params.base.int64 (&params.base, 2, before_step);
  result = pg_query (self,
                     "SELECT up_to_step, summary FROM compressions "
                     "WHERE run_id = $1 AND up_to_step < $2 "
                     "ORDER BY up_to_step DESC LIMIT 1",
                     &params, error);
  if (result == NULL || !result_ok (result) || PQntuples (result) == 0)
    return NULL;
  pg_row_init (&row, result, 0);
  if (up_to_step != NULL)
    *up_to_step = (guint) CLAMP (row.base.int64 (&row.base, 0), 0, G_MAXUINT);
  return row.base.text (&row.base, 1);
}

/* Search: the words of reins_store_tsquery(), best first (ts_rank). */
static GPtrArray *
pg_search (ReinsStore  *self,
           const char  *query,
           guint        limit,
           GError     **error)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(PgParams) params = PG_PARAMS_INIT;
  g_autoptr(PGresult) result = NULL;
  char *tsquery = reins_store_tsquery (query);

  if (tsquery == NULL)
    return g_steal_pointer (&hits);
  pg_params_set (&params, 1, tsquery);
  params.base.int64 (&params.base, 2, limit);
  result = pg_query (self,
                     "SELECT s.run_id, s.step, r.task, "
                     "  ts_headline ('simple'::regconfig, s.body, q, 'MaxWords=16, MinWords=8, "
                     "    ShortWord=0, MaxFragments=1, FragmentDelimiter=…, "
                     "    StartSel=\"\", StopSel=\"\"') "
                     "FROM search_text s JOIN runs r ON r.id = s.run_id, "
                     "  to_tsquery ('simple'::regconfig, $1::text) q "
                     "WHERE s.words @@ q AND r.deleted = 0 "
                     "ORDER BY ts_rank (s.words, q) DESC, s.key LIMIT $2",
                     &params, error);
  if (result == NULL || !result_ok (result))
    return NULL;
  for (int i = 0; i < PQntuples (result); i++)
    {
      PgRow row;
      g_autofree char *run_id = NULL;
      g_autofree char *task = NULL;
      g_autofree char *snippet = NULL;

      pg_row_init (&row, result, 0);
      row.base.row = i;
      run_id = row.base.text (&row.base, 0);
      task = row.base.text (&row.base, 2);
      snippet = row.base.text (&row.base, 3);
      g_ptr_array_add (hits,
                       reins_search_hit_new (run_id,
                                             (guint) CLAMP (row.base.int64 (&row.base, 1),
                                                            0, G_MAXUINT),
                                             task, g_strstrip (snippet)));
    }
  return g_steal_pointer (&hits);
}

/* Notifications as a GSource: dispatches when the connection's socket is readable (a
 * notification came), and every WATCH_INTERVAL_US in any case. After each dispatch it
 * follows the socket, which changes when the connection was made again. */
#define WATCH_INTERVAL_US (5 * G_USEC_PER_SEC)

typedef struct
{
  GSource     source;
  ReinsStore *store;
  int         fd;
  gpointer    tag;
} Watch;

static void
watch_follow_socket (Watch *watch)
{
  int fd = PQsocket (watch->store->pg->conn);

  if (fd == watch->fd)
    return;
  if (watch->tag != NULL)
    g_source_remove_unix_fd (&watch->source, watch->tag);
  watch->tag = fd >= 0 ? g_source_add_unix_fd (&watch->source, fd, G_IO_IN) : NULL;
  watch->fd = fd;
}

static gboolean
watch_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  Watch *watch = (Watch *) source;
  gboolean again;

  g_source_set_ready_time (source, g_get_monotonic_time () + WATCH_INTERVAL_US);
  if (callback == NULL)
    return G_SOURCE_CONTINUE;
  again = callback (user_data);
  if (watch->store->pg != NULL && watch->store->pg->conn != NULL)
    watch_follow_socket (watch);
  return again;
}

static void
watch_finalize (GSource *source)
{
  Watch *watch = (Watch *) source;

  g_clear_object (&watch->store);
}

static GSourceFuncs watch_funcs = {
  .dispatch = watch_dispatch,
  .finalize = watch_finalize,
};

static GSource *
pg_create_watch (ReinsStore *self)
{
  GSource *source = g_source_new (&watch_funcs, sizeof (Watch));
  Watch *watch = (Watch *) source;

  watch->store = g_object_ref (self);
  watch->fd = -1;
  watch_follow_socket (watch);
  g_source_set_ready_time (source, g_get_monotonic_time () + WATCH_INTERVAL_US);
  g_source_set_static_name (source, "[reins] store notifications");
  return source;
}

/* Generic queries */

static gboolean
pg_query_rows (ReinsStore          *self,
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
  result = pg_query (self, sql, &params, error);
  if (result == NULL || !result_ok (result))
    return FALSE;
  pg_row_init (&row, result, 0);
  for (int i = 0; row_func != NULL && i < PQntuples (result); i++)
    {
      row.base.row = i;
      row_func (&row.base, data);
    }
  return TRUE;
}

const ReinsStoreBackend reins_store_pg_backend = {
  .name = "postgresql",
  .close = pg_close,
  .write_run = pg_write_run,
  .get_run = pg_get_run,
  .list_runs = pg_list_runs,
  .count_runs = pg_count_runs,
  .match_run_ids = pg_match_run_ids,
  .set_deleted = pg_set_deleted,
  .purge_deleted = pg_purge_deleted,
  .get_data_version = pg_get_data_version,
  .list_forks = pg_list_forks,
  .commit_steps = pg_commit_steps,
  .get_steps = pg_get_steps,
  .add_exchange = pg_add_exchange,
  .get_exchange = pg_get_exchange,
  .add_compression = pg_add_compression,
  .get_compression = pg_get_compression,
  .search = pg_search,
  .decide_approval = pg_decide_approval,
  .create_watch = pg_create_watch,
  .query = pg_query_rows,
};
