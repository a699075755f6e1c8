/* reins-store.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The run store: the object and its public API, which checks its arguments and hands each
 * call to the store's backend (ReinsStoreBackend, reins-store-private.h). The SQLite
 * backend is reins-store-sqlite.c (connection), reins-store-runs.c and reins-store-steps.c;
 * the PostgreSQL backend is reins-store-pg.c and reins-store-pg-*.c.
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
      ok = reins_store_sqlite_open (self, error);
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

  return reins_store_sql_get_run (self, run_id, error);
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

  return reins_store_sql_list_runs (self, status_filter_text (status_filter), offset, limit,
                                   error);
}

guint
reins_store_count_runs (ReinsStore  *self,
                        int          status_filter,
                        GError     **error)
{
  gint64 count;

  g_return_val_if_fail (REINS_IS_STORE (self), 0);

  count = reins_store_sql_count_runs (self, status_filter_text (status_filter), error);
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

  return reins_store_sql_set_deleted (self, run_id, TRUE, error);
}

gboolean
reins_store_undelete_run (ReinsStore  *self,
                          const char  *run_id,
                          GError     **error)
{
  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  return reins_store_sql_set_deleted (self, run_id, FALSE, error);
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

  return reins_store_sql_list_forks (self, parent_run_id, error);
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

  return reins_store_sql_add_exchange (self, run_id, step, request, response, latency_ms,
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

  return reins_store_sql_get_exchange (self, run_id, step, request, response, error);
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

  return reins_store_sql_add_compression (self, run_id, up_to_step, summary, error);
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
  return reins_store_sql_get_compression (self, run_id, before_step, up_to_step, error);
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
