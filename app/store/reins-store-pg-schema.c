/* reins-store-pg-schema.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The schema of the PostgreSQL store: its versioned forward migrations, and bringing a
 * database up to date in one transaction under an advisory lock, after refusing another
 * program's tables or a newer Reins's.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-store-pg-private.h"

/* pg_advisory_xact_lock key for migrations: "REIN". */
#define MIGRATION_LOCK 0x5245494E

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

/* Schema */

static gboolean
read_version (ReinsStore  *self,
              gint64      *version,
              gboolean    *has_meta,
              gboolean    *has_runs,
              GError     **error)
{
  g_autoptr(PGresult) result =
    reins_store_pg_query (self,
                          "SELECT to_regclass ('reins_meta') IS NOT NULL, "
                          "  to_regclass ('runs') IS NOT NULL",
                          NULL, error);

  if (result == NULL || !reins_store_pg_result_ok (result))
    return FALSE;
  *has_meta = g_str_equal (PQgetvalue (result, 0, 0), "t");
  *has_runs = g_str_equal (PQgetvalue (result, 0, 1), "t");
  *version = 0;
  if (*has_meta)
    {
      g_autoptr(PGresult) meta =
        reins_store_pg_query (self,
                              "SELECT (SELECT value FROM reins_meta WHERE key = 'application'), "
                              "  (SELECT value FROM reins_meta WHERE key = 'schema_version')",
                              NULL, error);

      if (meta == NULL || !reins_store_pg_result_ok (meta))
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
  if (!reins_store_pg_exec (self, lock, error) ||
      !read_version (self, &version, &has_meta, &has_runs, error))
    return FALSE;
  if (!has_meta &&
      !reins_store_pg_exec (self,
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

      if (!reins_store_pg_exec (self, pg_migrations[version], error))
        {
          g_prefix_error (error, _("Could not upgrade the run store to version %d: "),
                          (int) version + 1);
          return FALSE;
        }
      if (!reins_store_pg_exec (self, set_version, error))
        return FALSE;
    }
  return TRUE;
}

/* Refuses a database whose tables are another program's or a newer Reins's, before
 * anything is written; then brings the schema up to date. */
gboolean
reins_store_pg_prepare_schema (ReinsStore  *self,
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
    return reins_store_set_newer (error, self->display_name, version,
                                  G_N_ELEMENTS (pg_migrations));
  if (has_meta && version == (gint64) G_N_ELEMENTS (pg_migrations))
    return TRUE;
  return reins_store_pg_transaction (self, migrate, NULL, error);
}
