/* reins-store.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The run store: one SQLite file (WAL) or a PostgreSQL database, forward migrations,
 * write-ahead commits. A store's "path" is a file path or a postgresql:// URI; the same
 * functions serve both (app/store/reins-store-private.h has the backend interface).
 *
 * One ReinsStore is one connection and belongs to one thread at a time: the executor
 * opens its own on its worker, the window its own on the main thread (reads there are
 * short, indexed queries of bounded size). WAL lets them work side by side.
 */

#pragma once

#include <gio/gio.h>

#include "reins-domain.h"
#include "reins-search-hit.h"

G_BEGIN_DECLS

#define REINS_TYPE_STORE (reins_store_get_type ())

G_DECLARE_FINAL_TYPE (ReinsStore, reins_store, REINS, STORE, GObject)

/* The schema version this build writes; a file with a larger one is refused. */
#define REINS_STORE_SCHEMA_VERSION 6

char       *reins_store_default_path     (void);
char       *reins_store_default_location (void);
gboolean    reins_store_is_remote        (const char     *location);
char       *reins_store_describe_location (const char    *location);

ReinsStore *reins_store_open             (const char     *path,
                                          GError        **error);
const char *reins_store_get_path         (ReinsStore     *self);
const char *reins_store_get_display_name (ReinsStore     *self);
const char *reins_store_get_backend_name (ReinsStore     *self);

/* Runs */
gboolean    reins_store_insert_run       (ReinsStore     *self,
                                          ReinsRun       *run,
                                          GError        **error);
gboolean    reins_store_update_run       (ReinsStore     *self,
                                          ReinsRun       *run,
                                          GError        **error);
ReinsRun   *reins_store_get_run          (ReinsStore     *self,
                                          const char     *run_id,
                                          GError        **error);
GPtrArray  *reins_store_list_runs        (ReinsStore     *self,
                                          int             status_filter,
                                          guint           offset,
                                          guint           limit,
                                          GError        **error);
guint       reins_store_count_runs       (ReinsStore     *self,
                                          int             status_filter,
                                          GError        **error);
GStrv       reins_store_match_run_ids    (ReinsStore     *self,
                                          const char     *prefix,
                                          guint           max_matches,
                                          GError        **error);
gboolean    reins_store_delete_run       (ReinsStore     *self,
                                          const char     *run_id,
                                          GError        **error);
gboolean    reins_store_undelete_run     (ReinsStore     *self,
                                          const char     *run_id,
                                          GError        **error);
gboolean    reins_store_purge_deleted    (ReinsStore     *self,
                                          GError        **error);
gint64      reins_store_get_data_version (ReinsStore     *self,
                                          GError        **error);
GSource    *reins_store_create_watch     (ReinsStore     *self);
GPtrArray  *reins_store_list_forks       (ReinsStore     *self,
                                          const char     *parent_run_id,
                                          GError        **error);

/* Steps */
gboolean    reins_store_commit_step      (ReinsStore     *self,
                                          ReinsRun       *run,
                                          ReinsStep      *step,
                                          GError        **error);
gboolean    reins_store_commit_steps     (ReinsStore     *self,
                                          ReinsRun       *run,
                                          GPtrArray      *steps,
                                          GError        **error);
ReinsStep  *reins_store_get_step         (ReinsStore     *self,
                                          const char     *run_id,
                                          guint           index,
                                          GError        **error);
GPtrArray  *reins_store_get_steps        (ReinsStore     *self,
                                          const char     *run_id,
                                          guint           first,
                                          guint           max_steps,
                                          GError        **error);

gboolean    reins_store_decide_approval  (ReinsStore     *self,
                                          const char     *run_id,
                                          guint           step,
                                          guint           ord,
                                          ReinsApprovalRecord *decision,
                                          GError        **error);
ReinsStep  *reins_store_get_open_question (ReinsStore    *self,
                                           ReinsRun      *run,
                                           guint         *ord,
                                           GError       **error);
ReinsApprovalRecord *reins_store_get_decision (ReinsStore *self,
                                               const char *run_id,
                                               guint       step,
                                               guint       ord,
                                               GError    **error);

/* What a replay needs without the model */
gboolean    reins_store_add_exchange     (ReinsStore     *self,
                                          const char     *run_id,
                                          guint           step,
                                          const char     *request,
                                          const char     *response,
                                          gint64          latency_ms,
                                          GError        **error);
gboolean    reins_store_get_exchange     (ReinsStore     *self,
                                          const char     *run_id,
                                          guint           step,
                                          char          **request,
                                          char          **response,
                                          GError        **error);
gboolean    reins_store_add_compression  (ReinsStore     *self,
                                          const char     *run_id,
                                          guint           up_to_step,
                                          const char     *summary,
                                          GError        **error);
char       *reins_store_get_compression  (ReinsStore     *self,
                                          const char     *run_id,
                                          guint           before_step,
                                          guint          *up_to_step,
                                          GError        **error);

/* A person's tags and note on a run (reins-store-labels.c) */
#define REINS_STORE_LABEL_MAX_CHARS 40

gboolean    reins_store_add_label        (ReinsStore     *self,
                                          const char     *run_id,
                                          const char     *label,
                                          GError        **error);
gboolean    reins_store_remove_label     (ReinsStore     *self,
                                          const char     *run_id,
                                          const char     *label,
                                          GError        **error);
GStrv       reins_store_get_labels       (ReinsStore     *self,
                                          const char     *run_id,
                                          GError        **error);
GStrv       reins_store_find_labelled    (ReinsStore     *self,
                                          const char     *label,
                                          GError        **error);
gboolean    reins_store_set_note         (ReinsStore     *self,
                                          const char     *run_id,
                                          const char     *note,
                                          GError        **error);
char       *reins_store_get_note         (ReinsStore     *self,
                                          const char     *run_id,
                                          GError        **error);

/* A person's name for a run and thumbs on its steps (reins-store-labels.c) */
#define REINS_STORE_NAME_MAX_CHARS 120

typedef struct
{
  guint  step;
  /* 1: thumbs up, -1: thumbs down */
  int    rating;
  /* (nullable) */
  char  *comment;
} ReinsStepFeedback;

void        reins_step_feedback_free     (ReinsStepFeedback *feedback);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsStepFeedback, reins_step_feedback_free)

gboolean    reins_store_set_name         (ReinsStore     *self,
                                          const char     *run_id,
                                          const char     *name,
                                          GError        **error);
char       *reins_store_get_name         (ReinsStore     *self,
                                          const char     *run_id,
                                          GError        **error);
GStrv       reins_store_find_named       (ReinsStore     *self,
                                          const char     *text,
                                          GError        **error);
gboolean    reins_store_set_feedback     (ReinsStore     *self,
                                          const char     *run_id,
                                          guint           step,
                                          int             rating,
                                          const char     *comment,
                                          GError        **error);
GPtrArray  *reins_store_get_feedback     (ReinsStore     *self,
                                          const char     *run_id,
                                          GError        **error);
GStrv       reins_store_find_feedback    (ReinsStore     *self,
                                          const char     *rating,
                                          GError        **error);

/* Figures across runs for the overview (reins-store-stats.c) */

/* Days of completion the overview reads, today the last */
#define REINS_STORE_OVERVIEW_DAYS 14

typedef struct
{
  gint64  start_us;     /* local midnight the day starts at */
  guint   completed;
  guint   not_completed; /* failed, stopped by a person or the harness, interrupted */
} ReinsStoreDay;

typedef struct
{
  char   *provider;
  char   *model;
  guint   n_runs;
  guint   n_completed;
  guint   n_questions;  /* approvals asked in its runs */
  double  cost_usd;
} ReinsStoreModelFigures;

typedef struct
{
  char  *name;
  guint  count;
} ReinsStoreCount;

typedef struct
{
  guint      n_runs;
  guint      runs_today;
  guint      runs_week;
  guint      n_completed;
  guint      n_failed;
  guint      n_cancelled;   /* stopped by a person */
  guint      n_terminated;  /* stopped by the harness */
  guint      n_interrupted;
  guint      n_live;        /* running, paused or waiting */
  guint      n_questions;   /* approvals asked */
  guint      n_open;        /* … not decided yet */
  guint      n_approved;
  guint      n_edited;
  guint      n_rejected;
  guint      n_stopped;
  guint      n_automatic;   /* decided by an option or a policy, not a person */
  double     cost_usd;
  double     cost_week_usd;
  gint64     input_tokens;
  gint64     output_tokens;
  GArray    *guards;        /* ReinsStoreCount, the guards that intervened most, most first */
  GArray    *models;        /* ReinsStoreCount, runs per provider/model, most first */
  GArray    *per_model;     /* ReinsStoreModelFigures, every provider/model, most runs first */
  ReinsStoreDay days[REINS_STORE_OVERVIEW_DAYS]; /* oldest first, today last */
} ReinsStoreOverview;

ReinsStoreOverview *reins_store_get_overview (ReinsStore     *self,
                                              gint64          now_us,
                                              GError        **error);
void        reins_store_overview_free    (ReinsStoreOverview *overview);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsStoreOverview, reins_store_overview_free)


/* Copying runs between stores (reins-store-copy.c) */
typedef void (*ReinsStoreCopyProgress) (guint     done,
                                        guint     total,
                                        ReinsRun *run,
                                        guint     n_steps,
                                        gboolean  copied,
                                        gpointer  user_data);

gboolean    reins_store_copy             (ReinsStore     *from,
                                          ReinsStore     *to,
                                          ReinsStoreCopyProgress progress,
                                          gpointer        user_data,
                                          guint          *n_copied,
                                          guint          *n_same,
                                          GError        **error);

/* Full-text search */
GPtrArray  *reins_store_search           (ReinsStore     *self,
                                          const char     *query,
                                          guint           limit,
                                          GError        **error);

G_END_DECLS
