/* reins-store-pg-lease.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Leases on live runs in the PostgreSQL store: the heartbeat thread that renews the runs
 * this process owns, and on opening, the recovery of runs whose owner died or whose lease
 * lapsed.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-store-pg-private.h"

/* Leases
 *
 * A process on another machine cannot be checked by its pid. So while a run is live, the
 * store that wrote its live status holds a lease on it: lease_until, set with each write
 * and renewed every third of the lease by a heartbeat thread on a connection of its own
 * (the store itself belongs to its caller's thread). When the process ends — finished,
 * killed, or cut off from the database — the renewals stop and the lease lapses; whoever
 * opens the store next marks the run interrupted, and it can be resumed anywhere. */

#define DEFAULT_LEASE_SECONDS 30

gint64
reins_store_pg_lease_us (void)
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
      PQsetNoticeProcessor (*conn, reins_store_pg_ignore_notice, NULL);
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
void
reins_store_pg_heartbeat_follow (ReinsStore *self,
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
      heartbeat->lease = reins_store_pg_lease_us ();
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

void
reins_store_pg_heartbeat_free (Heartbeat *heartbeat)
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
      reins_store_pg_params_set (&params, 2, reins_store_interrupted_reason (pid));
      /* The status is checked again: the owner may have finished the run meanwhile. */
      if (!reins_store_pg_run (self,
                               "UPDATE runs SET status = 'interrupted', reason = $2, "
                               "  owner_pid = NULL, owner_start_time = NULL, owner_boot_id = NULL, "
                               "  lease_until = NULL "
                               "WHERE id = $1 AND status IN ('running', 'paused', "
                               "'awaiting_approval')",
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
  return reins_store_pg_run (self,
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
gboolean
reins_store_pg_recover_interrupted (ReinsStore  *self,
                                    GError     **error)
{
  g_autoptr(PGresult) live = NULL;
  g_auto(PgParams) params = PG_PARAMS_INIT;
  const char *start_time, *boot_id;
  gint64 pid;

  reins_store_owner_get (&pid, &start_time, &boot_id);
  params.base.text (&params.base, 1, boot_id);
  live = reins_store_pg_query (self,
                               "SELECT id, coalesce (owner_pid, 0), owner_start_time, "
                               "owner_boot_id "
                               "FROM runs WHERE status IN ('running', 'paused', "
                               "'awaiting_approval') "
                               "  AND (owner_boot_id IS NULL OR owner_boot_id = $1)",
                               &params, error);
  if (live == NULL || !reins_store_pg_result_ok (live))
    return FALSE;
  if (PQntuples (live) > 0 && !reins_store_pg_transaction (self, mark_interrupted, live, error))
    return FALSE;
  return reins_store_pg_transaction (self, mark_lapsed, NULL, error);
}
