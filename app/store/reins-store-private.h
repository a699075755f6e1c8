/* reins-store-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of app/store/ share: the backend interface, the SQLite connection and its
 * statement cache, the schema, and the conversions between rows and domain objects that
 * every backend uses.
 */

#pragma once

#include <sqlite3.h>

#include "reins-store.h"

G_BEGIN_DECLS

typedef struct _ReinsStorePg ReinsStorePg;
typedef struct _ReinsStoreRow ReinsStoreRow;
typedef struct _ReinsStoreParams ReinsStoreParams;

/* reins_store_query(): binds the parameters of a statement, and reads one row of its
 * result. */
typedef void (*ReinsStoreBindFunc) (ReinsStoreParams    *params,
                                    gpointer             data);
typedef void (*ReinsStoreRowFunc)  (const ReinsStoreRow *row,
                                    gpointer             data);

/* A store backend: what reins_store_*() asks of the engine under it. reins-store.c checks
 * the arguments and then calls these, or the functions of reins-store-sql.c, which are
 * written once for every engine on top of query() and run_write(); each backend fills in
 * every member. Writes that belong together (a run and its steps) are one transaction
 * inside the backend. */
typedef struct
{
  const char *name;
  void        (*close)            (ReinsStore   *self);
  gboolean    (*write_run)        (ReinsStore   *self,
                                   ReinsRun     *run,
                                   gboolean      may_update,
                                   gboolean      may_insert,
                                   GError      **error);
  GStrv       (*match_run_ids)    (ReinsStore   *self,
                                   const char   *prefix,
                                   guint         max_matches,
                                   GError      **error);
  gboolean    (*purge_deleted)    (ReinsStore   *self,
                                   GError      **error);
  gint64      (*get_data_version) (ReinsStore   *self,
                                   GError      **error);
  gboolean    (*commit_steps)     (ReinsStore   *self,
                                   ReinsRun     *run,
                                   GPtrArray    *steps,
                                   GError      **error);
  GPtrArray  *(*get_steps)        (ReinsStore   *self,
                                   const char   *run_id,
                                   guint         first,
                                   guint         max_steps,
                                   GError      **error);
  GPtrArray  *(*search)           (ReinsStore   *self,
                                   const char   *query,
                                   guint         limit,
                                   GError      **error);
  /* Stores @record's decision on approval @ord of step @step if none is stored yet:
   * 1 decided, 0 someone decided first, -1 error (not found: REINS_ERROR_NOT_FOUND). */
  int         (*decide_approval)  (ReinsStore   *self,
                                   const char   *run_id,
                                   guint         step,
                                   guint         ord,
                                   ReinsApprovalRecord *record,
                                   GError      **error);
  /* Runs @sql, a write in the SQL both engines speak that names the run @run_id (@bind,
   * which may be NULL, sets its parameters): a run that is not there is
   * REINS_ERROR_NOT_FOUND. */
  gboolean    (*run_write)        (ReinsStore          *self,
                                   const char          *sql,
                                   ReinsStoreBindFunc   bind,
                                   gpointer             data,
                                   const char          *run_id,
                                   GError             **error);
  /* Runs @sql, written in the SQL both engines speak with parameters $1, $2…: @bind (may
   * be NULL) sets them, @row_func (may be NULL) reads each row of the result. */
  gboolean    (*query)            (ReinsStore          *self,
                                   const char          *sql,
                                   ReinsStoreBindFunc   bind,
                                   ReinsStoreRowFunc    row_func,
                                   gpointer             data,
                                   GError             **error);
  /* May be NULL: the backend has no notifications, the data version is polled. */
  GSource    *(*create_watch)     (ReinsStore   *self);
} ReinsStoreBackend;

struct _ReinsStore
{
  GObject     parent_instance;

  /* What the store was opened with: a file path or a postgresql:// URI. */
  char       *path;
  /* The same without a password, for messages. */
  char       *display_name;
  const ReinsStoreBackend *backend;

  /* SQLite */
  sqlite3    *db;
  /* SQL text → prepared sqlite3_stmt, kept for the life of the connection */
  GHashTable *statements;

  /* PostgreSQL */
  ReinsStorePg *pg;
};

/* The application_id in the SQLite header marks a Reins store ("REIN"). */
#define REINS_STORE_APPLICATION_ID 0x5245494E

/* A row read by any backend, column by column (from 0). text() returns valid UTF-8 or
 * %NULL for SQL NULL. */
struct _ReinsStoreRow
{
  gpointer   handle;
  int        row;
  gboolean (*is_null) (const ReinsStoreRow *self, int column);
  char    *(*text)    (const ReinsStoreRow *self, int column);
  gint64   (*int64)   (const ReinsStoreRow *self, int column);
  double   (*dbl)     (const ReinsStoreRow *self, int column);
};

/* The parameters of a statement of any backend, by number (from 1). text() takes %NULL
 * for SQL NULL and stores text that is not UTF-8 with the bad bytes replaced. */
struct _ReinsStoreParams
{
  gpointer   handle;
  void     (*text)  (ReinsStoreParams *self, int column, const char *text);
  void     (*int64) (ReinsStoreParams *self, int column, gint64 value);
  void     (*dbl)   (ReinsStoreParams *self, int column, double value);
};

/* reins-store-rows.c: the columns both backends read and write, in this order */
#define REINS_STORE_RUN_COLUMNS \
  "id, task, status, provider, model, settings, created_at, finished_at, final_answer, " \
  "reason, input_tokens, output_tokens, cost_usd, step_count, parent_run_id, fork_step"
#define REINS_STORE_STEP_COLUMNS \
  "num, run_id, idx, thought, reply, action, action_call_id, observation, tool_error, " \
  "confidence, confidence_source, input_tokens, output_tokens, cost_usd, cost_total_usd, " \
  "duration_ms, started_at, critic"
#define REINS_STORE_VERDICT_COLUMNS "guard, kind, reason, steps, phase"
#define REINS_STORE_APPROVAL_COLUMNS \
  "step, guard, reason, action, confidence, decision, final_action, feedback, " \
  "requested_at, resolved_at"

/* reins-store-rows.c binds these statements' parameters; both backends run them, written
 * once in the SQL both engines speak ($1, $2…; SQLite prepares them through
 * reins_store_prepare_portable()). */
/* SQLite reads the step's num after the upsert (RETURNING costs it a temporary table per
 * statement); PostgreSQL takes it from RETURNING. */
#define REINS_STORE_SQL_UPSERT_STEP_NO_RETURN \
  "INSERT INTO steps (run_id, idx, thought, reply, action, action_call_id, observation, " \
  "  tool_error, confidence, confidence_source, input_tokens, output_tokens, cost_usd, " \
  "  cost_total_usd, duration_ms, started_at, critic) " \
  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) " \
  "ON CONFLICT (run_id, idx) DO UPDATE SET " \
  "  thought = excluded.thought, reply = excluded.reply, action = excluded.action, " \
  "  action_call_id = excluded.action_call_id, observation = excluded.observation, " \
  "  tool_error = excluded.tool_error, confidence = excluded.confidence, " \
  "  confidence_source = excluded.confidence_source, input_tokens = excluded.input_tokens, " \
  "  output_tokens = excluded.output_tokens, cost_usd = excluded.cost_usd, " \
  "  cost_total_usd = excluded.cost_total_usd, duration_ms = excluded.duration_ms, " \
  "  started_at = excluded.started_at, critic = excluded.critic"
#define REINS_STORE_SQL_UPSERT_STEP REINS_STORE_SQL_UPSERT_STEP_NO_RETURN " RETURNING num"
#define REINS_STORE_SQL_INSERT_VERDICT \
  "INSERT INTO verdicts (step_num, ord, " REINS_STORE_VERDICT_COLUMNS ") " \
  "VALUES ($1, $2, $3, $4, $5, $6, $7)"
/* A step written again (each commit of the step under way, a resumed run asking again) never
 * takes back a decision stored meanwhile, by this process or another: a person's answer,
 * once stored, stays the one that won. */
#define REINS_STORE_SQL_INSERT_APPROVAL \
  "INSERT INTO approvals (step_num, ord, " REINS_STORE_APPROVAL_COLUMNS ") " \
  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) " \
  "ON CONFLICT (step_num, ord) DO UPDATE SET step = excluded.step, guard = excluded.guard, " \
  "  reason = excluded.reason, action = excluded.action, confidence = excluded.confidence, " \
  "  decision = excluded.decision, final_action = excluded.final_action, " \
  "  feedback = excluded.feedback, requested_at = excluded.requested_at, " \
  "  resolved_at = excluded.resolved_at " \
  "WHERE approvals.decision IS NULL OR excluded.decision IS NOT NULL"
/* The approvals past the step's own (a step written again with fewer) */
#define REINS_STORE_SQL_DELETE_APPROVALS_FROM \
  "DELETE FROM approvals WHERE step_num = $1 AND ord >= $2"
#define REINS_STORE_SQL_STEP_NUM "SELECT num FROM steps WHERE run_id = $1 AND idx = $2"
#define REINS_STORE_SQL_DECIDE \
  "UPDATE approvals SET action = $1, decision = $2, final_action = $3, feedback = $4, " \
  "  resolved_at = $5 WHERE step_num = $6 AND ord = $7 AND decision IS NULL"

ReinsRun       *reins_store_run_from_row        (const ReinsStoreRow *row);
char           *reins_store_bind_run            (ReinsStoreParams    *params,
                                                 ReinsRun            *run);
gboolean        reins_store_run_status_is_live  (ReinsRunStatus       status);
ReinsStep      *reins_store_step_from_row       (const ReinsStoreRow *row,
                                                 gint64              *num);
void            reins_store_bind_step           (ReinsStoreParams    *params,
                                                 const char          *run_id,
                                                 ReinsStep           *step,
                                                 char               **texts);
#define REINS_STORE_STEP_TEXTS 2
ReinsVerdict   *reins_store_verdict_from_row    (const ReinsStoreRow *row);
void            reins_store_bind_verdict        (ReinsStoreParams    *params,
                                                 gint64               step_num,
                                                 guint                ord,
                                                 ReinsVerdict        *verdict,
                                                 char               **steps_text);
ReinsApprovalRecord *reins_store_approval_from_row (const ReinsStoreRow *row);
void            reins_store_bind_approval       (ReinsStoreParams    *params,
                                                 gint64               step_num,
                                                 guint                ord,
                                                 ReinsApprovalRecord *record,
                                                 char               **texts);
#define REINS_STORE_APPROVAL_TEXTS 2
void            reins_store_bind_decision       (ReinsStoreParams    *params,
                                                 gint64               step_num,
                                                 guint                ord,
                                                 ReinsApprovalRecord *record,
                                                 char               **texts);
gboolean        reins_store_check_step          (ReinsRun            *run,
                                                 ReinsStep           *step,
                                                 GError             **error);
gboolean        reins_store_set_not_found       (GError             **error,
                                                 const char          *run_id);
gboolean        reins_store_set_no_exchange     (GError             **error,
                                                 const char          *run_id,
                                                 guint                step);
gboolean        reins_store_set_newer           (GError             **error,
                                                 const char          *name,
                                                 gint64               version,
                                                 guint                n_versions);
gboolean        reins_store_set_duplicate_run   (GError             **error,
                                                 const char          *run_id);
char           *reins_store_interrupted_reason  (gint64               pid);

/* reins-store-sqlite.c: SQLite */
extern const ReinsStoreBackend reins_store_sqlite_backend;
gboolean        reins_store_sqlite_open         (ReinsStore          *self,
                                                 GError             **error);

/* reins-store.c: the backend's query(), for code that serves every backend */
gboolean        reins_store_query               (ReinsStore          *self,
                                                 const char          *sql,
                                                 ReinsStoreBindFunc   bind,
                                                 ReinsStoreRowFunc    row_func,
                                                 gpointer             data,
                                                 GError             **error);
void            reins_store_bind_string         (ReinsStoreParams    *params,
                                                 gpointer             data);

/* reins-store-sqlite.c: the SQLite connection, for the SQLite backend's files.
 * A cached statement; releasing it resets it for the next caller, it is not finalized. */
typedef sqlite3_stmt ReinsStoreStmt;

void            reins_store_stmt_release        (ReinsStoreStmt  *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsStoreStmt, reins_store_stmt_release)

ReinsStoreStmt *reins_store_prepare             (ReinsStore      *self,
                                                 const char      *sql,
                                                 GError         **error);
ReinsStoreStmt *reins_store_prepare_portable    (ReinsStore      *self,
                                                 const char      *sql,
                                                 GError         **error);
gboolean        reins_store_exec                (ReinsStore      *self,
                                                 const char      *sql,
                                                 GError         **error);
gboolean        reins_store_set_error           (ReinsStore      *self,
                                                 int              rc,
                                                 GError         **error);
gboolean        reins_store_begin               (ReinsStore      *self,
                                                 GError         **error);
gboolean        reins_store_commit              (ReinsStore      *self,
                                                 GError         **error);
void            reins_store_rollback            (ReinsStore      *self);
void            reins_store_bind_text           (sqlite3_stmt    *stmt,
                                                 int              column,
                                                 const char      *text);
char           *reins_store_column_text         (sqlite3_stmt    *stmt,
                                                 int              column);
void            reins_store_sqlite_row_init     (ReinsStoreRow   *row,
                                                 sqlite3_stmt    *stmt);
void            reins_store_sqlite_params_init  (ReinsStoreParams *params,
                                                 sqlite3_stmt    *stmt);
gboolean        reins_store_step_done           (ReinsStore      *self,
                                                 sqlite3_stmt    *stmt,
                                                 GError         **error);
gboolean        reins_store_write_run           (ReinsStore      *self,
                                                 ReinsRun        *run,
                                                 gboolean         may_update,
                                                 gboolean         may_insert,
                                                 GError         **error);

/* reins-store-runs.c: SQLite */
gboolean        reins_store_sqlite_write_run        (ReinsStore   *self,
                                                     ReinsRun     *run,
                                                     gboolean      may_update,
                                                     gboolean      may_insert,
                                                     GError      **error);
GStrv           reins_store_sqlite_match_run_ids    (ReinsStore   *self,
                                                     const char   *prefix,
                                                     guint         max_matches,
                                                     GError      **error);
gboolean        reins_store_sqlite_purge_deleted    (ReinsStore   *self,
                                                     GError      **error);
gint64          reins_store_sqlite_get_data_version (ReinsStore   *self,
                                                     GError      **error);

/* reins-store-steps.c: SQLite */
gboolean        reins_store_lookup_num             (ReinsStore   *self,
                                                    const char   *sql,
                                                    const char   *text,
                                                    gint64        number,
                                                    gint64       *num,
                                                    GError      **error);
gboolean        reins_store_sqlite_commit_steps    (ReinsStore   *self,
                                                    ReinsRun     *run,
                                                    GPtrArray    *steps,
                                                    GError      **error);
GPtrArray      *reins_store_sqlite_get_steps       (ReinsStore   *self,
                                                    const char   *run_id,
                                                    guint         first,
                                                    guint         max_steps,
                                                    GError      **error);
int             reins_store_sqlite_decide_approval (ReinsStore   *self,
                                                    const char   *run_id,
                                                    guint         step,
                                                    guint         ord,
                                                    ReinsApprovalRecord *record,
                                                    GError      **error);

/* reins-store-sql.c: the calls whose SQL is the same for every backend, through query() */
ReinsRun       *reins_store_sql_get_run         (ReinsStore      *self,
                                                 const char      *run_id,
                                                 GError         **error);
GPtrArray      *reins_store_sql_list_runs       (ReinsStore      *self,
                                                 const char      *status,
                                                 guint            offset,
                                                 guint            limit,
                                                 GError         **error);
gint64          reins_store_sql_count_runs      (ReinsStore      *self,
                                                 const char      *status,
                                                 GError         **error);
GPtrArray      *reins_store_sql_list_forks      (ReinsStore      *self,
                                                 const char      *parent_run_id,
                                                 GError         **error);
gboolean        reins_store_sql_set_deleted     (ReinsStore      *self,
                                                 const char      *run_id,
                                                 gboolean         deleted,
                                                 GError         **error);
gboolean        reins_store_sql_get_exchange    (ReinsStore      *self,
                                                 const char      *run_id,
                                                 guint            step,
                                                 char           **request,
                                                 char           **response,
                                                 GError         **error);
gboolean        reins_store_sql_add_exchange    (ReinsStore      *self,
                                                 const char      *run_id,
                                                 guint            step,
                                                 const char      *request,
                                                 const char      *response,
                                                 gint64           latency_ms,
                                                 GError         **error);
gboolean        reins_store_sql_add_compression (ReinsStore      *self,
                                                 const char      *run_id,
                                                 guint            up_to_step,
                                                 const char      *summary,
                                                 GError         **error);
char           *reins_store_sql_get_compression (ReinsStore      *self,
                                                 const char      *run_id,
                                                 guint            before_step,
                                                 guint           *up_to_step,
                                                 GError         **error);

/* reins-store-schema.c */
guint           reins_store_schema_n_versions   (void);
gboolean        reins_store_schema_prepare      (ReinsStore      *self,
                                                 GError         **error);

/* reins-store-owner.c */
void            reins_store_owner_get           (gint64          *pid,
                                                 const char     **start_time,
                                                 const char     **boot_id);
gboolean        reins_store_owner_is_alive      (gint64           pid,
                                                 const char      *start_time,
                                                 const char      *boot_id);
gboolean        reins_store_recover_interrupted (ReinsStore      *self,
                                                 GError         **error);

/* reins-store-search.c */
char           *reins_store_quote_query         (const char      *query);
char           *reins_store_search_body         (const char      *first,
                                                 const char      *second);
char           *reins_store_search_words        (const char      *text);
char           *reins_store_tsquery             (const char      *query);
gboolean        reins_store_index_run           (ReinsStore      *self,
                                                 gint64           run_num,
                                                 ReinsRun        *run,
                                                 GError         **error);
gboolean        reins_store_index_step          (ReinsStore      *self,
                                                 gint64           step_num,
                                                 const char      *run_id,
                                                 ReinsStep       *step,
                                                 GError         **error);
GPtrArray      *reins_store_sqlite_search       (ReinsStore      *self,
                                                 const char      *query,
                                                 guint            limit,
                                                 GError         **error);

/* reins-store-pg.c (the rest of the backend: reins-store-pg-private.h) */
gboolean        reins_store_is_pg_uri           (const char      *location);
char           *reins_store_redact_uri          (const char      *location);
gboolean        reins_store_pg_open             (ReinsStore      *self,
                                                 GError         **error);
extern const ReinsStoreBackend reins_store_pg_backend;

G_END_DECLS
