/* reins-store-schema.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's schema as forward migrations, and the checks that refuse a file that is not
 * ours or is newer, before anything is written to it.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-store-private.h"

/* migrations[N] takes a file from schema version N to N+1. Never edit a step once it has
 * shipped: add a new one, and raise REINS_STORE_SCHEMA_VERSION. */
static const char *const migrations[] = {
  /* 0 → 1: the first schema. */
  "CREATE TABLE runs ("
  "  num              INTEGER PRIMARY KEY,"
  "  id               TEXT NOT NULL UNIQUE,"
  "  task             TEXT NOT NULL,"
  "  status           TEXT NOT NULL,"
  "  provider         TEXT,"
  "  model            TEXT,"
  "  settings         TEXT NOT NULL DEFAULT '{}',"
  "  created_at       INTEGER NOT NULL DEFAULT 0,"
  "  finished_at      INTEGER NOT NULL DEFAULT 0,"
  "  final_answer     TEXT,"
  "  reason           TEXT,"
  "  input_tokens     INTEGER NOT NULL DEFAULT 0,"
  "  output_tokens    INTEGER NOT NULL DEFAULT 0,"
  "  cost_usd         REAL NOT NULL DEFAULT 0,"
  "  step_count       INTEGER NOT NULL DEFAULT 0,"
  "  parent_run_id    TEXT,"
  "  fork_step        INTEGER NOT NULL DEFAULT 0,"
  "  deleted          INTEGER NOT NULL DEFAULT 0,"
  "  owner_pid        INTEGER,"
  "  owner_start_time TEXT,"
  "  owner_boot_id    TEXT"
  ");"
  "CREATE INDEX runs_by_date ON runs (deleted, created_at DESC);"
  "CREATE INDEX runs_by_status ON runs (status) "
  "  WHERE status IN ('running', 'paused', 'awaiting_approval');"
  "CREATE TABLE steps ("
  "  num               INTEGER PRIMARY KEY,"
  "  run_id            TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  idx               INTEGER NOT NULL,"
  "  thought           TEXT,"
  "  reply             TEXT,"
  "  action            TEXT,"
  "  action_call_id    TEXT,"
  "  observation       TEXT,"
  "  tool_error        INTEGER NOT NULL DEFAULT 0,"
  "  confidence        REAL,"
  "  confidence_source TEXT,"
  "  input_tokens      INTEGER NOT NULL DEFAULT 0,"
  "  output_tokens     INTEGER NOT NULL DEFAULT 0,"
  "  cost_usd          REAL NOT NULL DEFAULT 0,"
  "  cost_total_usd    REAL NOT NULL DEFAULT 0,"
  "  duration_ms       INTEGER NOT NULL DEFAULT 0,"
  "  started_at        INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE (run_id, idx)"
  ");"
  "CREATE TABLE verdicts ("
  "  step_num INTEGER NOT NULL REFERENCES steps (num) ON DELETE CASCADE,"
  "  ord      INTEGER NOT NULL,"
  "  guard    TEXT NOT NULL,"
  "  kind     TEXT NOT NULL,"
  "  reason   TEXT NOT NULL DEFAULT '',"
  "  steps    TEXT,"
  "  PRIMARY KEY (step_num, ord)"
  ");"
  "CREATE TABLE approvals ("
  "  step_num     INTEGER NOT NULL REFERENCES steps (num) ON DELETE CASCADE,"
  "  ord          INTEGER NOT NULL,"
  "  step         INTEGER NOT NULL,"
  "  guard        TEXT NOT NULL,"
  "  reason       TEXT NOT NULL DEFAULT '',"
  "  action       TEXT,"
  "  confidence   REAL,"
  "  decision     TEXT,"
  "  final_action TEXT,"
  "  feedback     TEXT,"
  "  requested_at INTEGER NOT NULL DEFAULT 0,"
  "  resolved_at  INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (step_num, ord)"
  ");"
  "CREATE TABLE compressions ("
  "  run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  up_to_step INTEGER NOT NULL,"
  "  summary    TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (run_id, up_to_step)"
  ");"
  "CREATE TABLE exchanges ("
  "  run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  step       INTEGER NOT NULL,"
  "  request    TEXT,"
  "  response   TEXT,"
  "  latency_ms INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (run_id, step)"
  ");",

  /* 1 → 2: full-text search. One row per step (thought and observation) with the step's
   * num as rowid, one per run (task and answer) with minus the run's num, so a row is
   * replaced by rowid without scanning the index. */
  "CREATE VIRTUAL TABLE search_text USING fts5 ("
  "  body, run_id UNINDEXED, step UNINDEXED,"
  "  tokenize = 'unicode61 remove_diacritics 2'"
  ");"
  "INSERT INTO search_text (rowid, body, run_id, step)"
  "  SELECT num, coalesce (thought, '') || char (10) || coalesce (observation, ''), run_id, idx"
  "  FROM steps;"
  "INSERT INTO search_text (rowid, body, run_id, step)"
  "  SELECT -num, task || char (10) || coalesce (final_answer, ''), id, 0 FROM runs;",

  /* 2 → 3: the phase of each verdict (before_model, before_action, after_observation), which
   * the prompt, a resumed run and a replay need; older rows read as before_action. */
  "ALTER TABLE verdicts ADD COLUMN phase TEXT;",

  /* 3 → 4: what the critic said about a step (its JSON form: reply, verdict, tokens, cost),
   * so a replay judges again from the stored reply; older rows have none. */
  "ALTER TABLE steps ADD COLUMN critic TEXT;",

  /* 4 → 5: what a person wrote on a run: tags (one row each, found by tag) and a note. */
  "CREATE TABLE run_labels ("
  "  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  label  TEXT NOT NULL,"
  "  PRIMARY KEY (run_id, label)"
  ") WITHOUT ROWID;"
  "CREATE INDEX run_labels_by_label ON run_labels (label);"
  "ALTER TABLE runs ADD COLUMN note TEXT;",

  /* 5 → 6: a person's name for a run, and a thumb up or down on a step, maybe with a
   * comment (one row per step, found by rating). */
  "ALTER TABLE runs ADD COLUMN name TEXT;"
  "CREATE TABLE step_feedback ("
  "  run_id  TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  step    INTEGER NOT NULL,"
  "  rating  INTEGER NOT NULL CHECK (rating IN (-1, 1)),"
  "  comment TEXT,"
  "  PRIMARY KEY (run_id, step)"
  ") WITHOUT ROWID;"
  "CREATE INDEX step_feedback_by_rating ON step_feedback (rating);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == REINS_STORE_SCHEMA_VERSION);

guint
reins_store_schema_n_versions (void)
{
  return G_N_ELEMENTS (migrations);
}

static gboolean
query_int (ReinsStore  *self,
           const char  *sql,
           gint64      *value,
           GError     **error)
{
  g_autoptr(ReinsStoreStmt) stmt = reins_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return reins_store_set_error (self, rc, error);
  *value = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
has_table (ReinsStore *self,
           const char *name)
{
  g_autoptr(ReinsStoreStmt) stmt =
    reins_store_prepare (self, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                         NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* How long a new store waits for another process that is setting it up: 50 × 20 ms. */
#define WAL_ATTEMPTS 50
#define WAL_RETRY_US (20 * 1000)

static gboolean
migrate (ReinsStore  *self,
         gint64       from,
         GError     **error)
{
  if (!reins_store_begin (self, error))
    return FALSE;

  /* Another connection may have upgraded the file while this one waited for the lock. */
  if (!query_int (self, "PRAGMA user_version", &from, error))
    {
      reins_store_rollback (self);
      return FALSE;
    }

  for (gint64 version = from; version < (gint64) G_N_ELEMENTS (migrations); version++)
    {
      g_autofree char *set_version = NULL;

      if (!reins_store_exec (self, migrations[version], error))
        {
          reins_store_rollback (self);
          g_prefix_error (error, _("Could not upgrade the run store to version %d: "),
                          (int) version + 1);
          return FALSE;
        }
      set_version = g_strdup_printf ("PRAGMA user_version = %d", (int) version + 1);
      if (!reins_store_exec (self, set_version, error))
        {
          reins_store_rollback (self);
          return FALSE;
        }
    }

  if (from == 0)
    {
      g_autofree char *set_id = g_strdup_printf ("PRAGMA application_id = %d",
                                                 REINS_STORE_APPLICATION_ID);

      if (!reins_store_exec (self, set_id, error))
        {
          reins_store_rollback (self);
          return FALSE;
        }
    }

  return reins_store_commit (self, error);
}

/* Reads what the file is, refuses what is not ours, then (and only then) switches it to
 * WAL and brings it up to date. Nothing is written to a refused file. */
gboolean
reins_store_schema_prepare (ReinsStore  *self,
                            GError     **error)
{
  gint64 app_id = 0, version = 0, n_objects = 0;
  g_autoptr(ReinsStoreStmt) wal = NULL;

  /* One snapshot: another process setting the file up may commit between the reads. */
  if (!reins_store_exec (self, "BEGIN", error))
    return FALSE;
  if (!query_int (self, "PRAGMA application_id", &app_id, error) ||
      !query_int (self, "PRAGMA user_version", &version, error) ||
      !query_int (self, "SELECT count(*) FROM sqlite_master", &n_objects, error))
    {
      reins_store_rollback (self);
      return FALSE;
    }
  if (!reins_store_exec (self, "COMMIT", error))
    return FALSE;

  if (app_id != REINS_STORE_APPLICATION_ID &&
      !(app_id == 0 && version == 0 && n_objects == 0))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_STORE_FOREIGN,
                   _("“%s” is a database of another program, not a Reins run store; "
                     "it was left untouched"), self->path);
      return FALSE;
    }

  if (version > (gint64) G_N_ELEMENTS (migrations))
    return reins_store_set_newer (error, self->path, version, G_N_ELEMENTS (migrations));

  if (version > 0 && !has_table (self, "runs"))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_STORE_CORRUPT,
                   _("The run store “%s” is damaged: its table of runs is missing"),
                   self->path);
      return FALSE;
    }

  /* A write from here on is ours to make. Another process opening a new store at the same
   * moment (the window and a reins-cli run, say) may hold the file while it sets it up; the
   * switch then reports the old mode, and is tried again for a while. */
  for (guint attempt = 0; ; attempt++)
    {
      gboolean is_wal;

      wal = reins_store_prepare (self, "PRAGMA journal_mode = WAL", error);
      if (wal == NULL)
        return FALSE;
      if (sqlite3_step (wal) != SQLITE_ROW)
        return reins_store_set_error (self, sqlite3_errcode (self->db), error);
      is_wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (wal, 0), "wal") == 0;
      g_clear_pointer (&wal, reins_store_stmt_release);
      if (is_wal)
        break;
      if (attempt >= WAL_ATTEMPTS)
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_STORE,
                       _("The run store “%s” cannot use write-ahead logging"), self->path);
          return FALSE;
        }
      g_usleep (WAL_RETRY_US);
    }

  if (!reins_store_exec (self, "PRAGMA synchronous = NORMAL", error) ||
      !reins_store_exec (self, "PRAGMA foreign_keys = ON", error))
    return FALSE;

  if (version < (gint64) G_N_ELEMENTS (migrations) && !migrate (self, version, error))
    return FALSE;

  return TRUE;
}
