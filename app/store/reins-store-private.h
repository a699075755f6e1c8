/* reins-store-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of app/store/ share: the connection, the statement cache, the schema.
 */

#pragma once

#include <sqlite3.h>

#include "reins-store.h"

G_BEGIN_DECLS

struct _ReinsStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  /* SQL text → prepared sqlite3_stmt, kept for the life of the connection */
  GHashTable *statements;
};

/* The application_id in the SQLite header marks a Reins store ("REIN"). */
#define REINS_STORE_APPLICATION_ID 0x5245494E

/* A cached statement; releasing it resets it for the next caller, it is not finalized. */
typedef sqlite3_stmt ReinsStoreStmt;

void            reins_store_stmt_release        (ReinsStoreStmt  *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsStoreStmt, reins_store_stmt_release)

ReinsStoreStmt *reins_store_prepare             (ReinsStore      *self,
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
gboolean        reins_store_step_done           (ReinsStore      *self,
                                                 sqlite3_stmt    *stmt,
                                                 GError         **error);
gboolean        reins_store_set_not_found       (GError         **error,
                                                 const char      *run_id);
gboolean        reins_store_write_run           (ReinsStore      *self,
                                                 ReinsRun        *run,
                                                 gboolean         may_update,
                                                 gboolean         may_insert,
                                                 GError         **error);

/* reins-store-schema.c */
guint           reins_store_schema_n_versions   (void);
gboolean        reins_store_schema_prepare      (ReinsStore      *self,
                                                 GError         **error);

/* reins-store-owner.c */
gboolean        reins_store_owner_bind          (sqlite3_stmt    *stmt,
                                                 int              pid_column,
                                                 int              start_column,
                                                 int              boot_column);
gboolean        reins_store_owner_is_alive      (gint64           pid,
                                                 const char      *start_time,
                                                 const char      *boot_id);
gboolean        reins_store_recover_interrupted (ReinsStore      *self,
                                                 GError         **error);

/* reins-store-search.c */
char           *reins_store_quote_query         (const char      *query);
gboolean        reins_store_index_run           (ReinsStore      *self,
                                                 gint64           run_num,
                                                 ReinsRun        *run,
                                                 GError         **error);
gboolean        reins_store_index_step          (ReinsStore      *self,
                                                 gint64           step_num,
                                                 const char      *run_id,
                                                 ReinsStep       *step,
                                                 GError         **error);

G_END_DECLS
