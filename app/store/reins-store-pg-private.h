/* reins-store-pg-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of the PostgreSQL backend share: the connection's state, parameters and
 * rows over libpq results, running statements and transactions (reins-store-pg.c), the
 * schema (reins-store-pg-schema.c), leases and recovery (reins-store-pg-lease.c), runs
 * (reins-store-pg-runs.c), steps, approvals, exchanges and compressions
 * (reins-store-pg-steps.c), search (reins-store-pg-search.c) and notifications
 * (reins-store-pg-notify.c). Only those files include it.
 */

#pragma once

#include <libpq-fe.h>

#include "reins-store-private.h"

G_BEGIN_DECLS

/* The SQLSTATEs the store tells apart. */
#define PG_UNIQUE_VIOLATION      "23505"
#define PG_FOREIGN_KEY_VIOLATION "23503"
#define PG_READ_ONLY_TRANSACTION "25006"
#define PG_INSUFFICIENT_PRIVILEGE "42501"

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

/* reins-store-pg.c: parameters, as text */
typedef struct
{
  ReinsStoreParams  base;
  char             *values[MAX_PARAMS];
  int               n;
} PgParams;

void        reins_store_pg_params_set    (PgParams         *self,
                                          int               column,
                                          char             *value);
void        reins_store_pg_params_text   (ReinsStoreParams *params,
                                          int               column,
                                          const char       *text);
void        reins_store_pg_params_int64  (ReinsStoreParams *params,
                                          int               column,
                                          gint64            value);
void        reins_store_pg_params_dbl    (ReinsStoreParams *params,
                                          int               column,
                                          double            value);
void        reins_store_pg_params_clear  (PgParams         *self);

/* Every parameter not set is NULL. */
#define PG_PARAMS_INIT \
  { { NULL, reins_store_pg_params_text, reins_store_pg_params_int64, \
      reins_store_pg_params_dbl }, { NULL, }, 0 }

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PgParams, reins_store_pg_params_clear)

/* reins-store-pg.c: a row of a result; column 0 is the result's column @offset */
typedef struct
{
  ReinsStoreRow  base;
  int            offset;
} PgRow;

void        reins_store_pg_row_init      (PgRow            *self,
                                          PGresult         *result,
                                          int               offset);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* reins-store-pg.c: the connection, statements and transactions */
typedef gboolean (*PgTransactionFunc) (ReinsStore  *self,
                                       gpointer     data,
                                       GError     **error);

void        reins_store_pg_ignore_notice (void             *data,
                                          const char       *message);
gboolean    reins_store_pg_result_ok     (PGresult         *result);
const char *reins_store_pg_result_state  (PGresult         *result);
gboolean    reins_store_pg_reconnect     (ReinsStore       *self,
                                          GError          **error);
PGresult   *reins_store_pg_query         (ReinsStore       *self,
                                          const char       *sql,
                                          PgParams         *params,
                                          GError          **error);
gboolean    reins_store_pg_run           (ReinsStore       *self,
                                          const char       *sql,
                                          PgParams         *params,
                                          GError          **error);
gboolean    reins_store_pg_exec          (ReinsStore       *self,
                                          const char       *sql,
                                          GError          **error);
gboolean    reins_store_pg_transaction   (ReinsStore       *self,
                                          PgTransactionFunc func,
                                          gpointer          data,
                                          GError          **error);
gboolean    reins_store_pg_query_rows    (ReinsStore          *self,
                                          const char          *sql,
                                          ReinsStoreBindFunc   bind,
                                          ReinsStoreRowFunc    row_func,
                                          gpointer             data,
                                          GError             **error);

/* reins-store-pg-schema.c */
gboolean    reins_store_pg_prepare_schema (ReinsStore      *self,
                                           GError         **error);

/* reins-store-pg-lease.c */
gint64      reins_store_pg_lease_us            (void);
void        reins_store_pg_heartbeat_follow    (ReinsStore   *self,
                                                ReinsRun     *run);
void        reins_store_pg_heartbeat_free      (Heartbeat    *heartbeat);
gboolean    reins_store_pg_recover_interrupted (ReinsStore   *self,
                                                GError      **error);

/* reins-store-pg-runs.c */
gboolean    reins_store_pg_write_run      (ReinsStore   *self,
                                           ReinsRun     *run,
                                           gboolean      may_update,
                                           gboolean      may_insert,
                                           GError      **error);
GStrv       reins_store_pg_match_run_ids  (ReinsStore   *self,
                                           const char   *prefix,
                                           guint         max_matches,
                                           GError      **error);
gboolean    reins_store_pg_purge_deleted  (ReinsStore   *self,
                                           GError      **error);
gboolean    reins_store_pg_commit_steps   (ReinsStore   *self,
                                           ReinsRun     *run,
                                           GPtrArray    *steps,
                                           GError      **error);

/* reins-store-pg-steps.c */
gboolean    reins_store_pg_write_step     (ReinsStore   *self,
                                           const char   *run_id,
                                           ReinsStep    *step,
                                           GError      **error);
GPtrArray  *reins_store_pg_get_steps      (ReinsStore   *self,
                                           const char   *run_id,
                                           guint         first,
                                           guint         max_steps,
                                           GError      **error);
int         reins_store_pg_decide_approval (ReinsStore          *self,
                                            const char          *run_id,
                                            guint                step,
                                            guint                ord,
                                            ReinsApprovalRecord *record,
                                            GError             **error);

/* reins-store-pg-search.c */
gboolean    reins_store_pg_index_row      (ReinsStore   *self,
                                           gint64        key,
                                           const char   *run_id,
                                           guint         step,
                                           const char   *first,
                                           const char   *second,
                                           GError      **error);
GPtrArray  *reins_store_pg_search         (ReinsStore   *self,
                                           const char   *query,
                                           guint         limit,
                                           GError      **error);

/* reins-store-pg-notify.c */
gint64      reins_store_pg_get_data_version (ReinsStore  *self,
                                             GError     **error);
GSource    *reins_store_pg_create_watch     (ReinsStore  *self);

G_END_DECLS
