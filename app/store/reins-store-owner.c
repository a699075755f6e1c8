/* reins-store-owner.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which process owns a live run, and marking runs whose owner died as interrupted.
 *
 * A pid alone is not an identity: pids are reused, and a reboot starts them over. So the
 * owner is recorded as (pid, start time of that process in clock ticks since boot, boot id),
 * all read from /proc.
 */

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "reins-store-private.h"

typedef struct
{
  gint64  pid;
  char   *start_time;
  char   *boot_id;
} Owner;

static char *
read_boot_id (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/sys/kernel/random/boot_id", &text, NULL, NULL))
    return NULL;
  return g_strdup (g_strstrip (text));
}

/* Field 22 of /proc/PID/stat; the command name (field 2) may hold spaces and parentheses,
 * so counting starts after its last ')'. */
static char *
read_start_time (gint64 pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *rest;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  rest = strrchr (text, ')');
  if (rest == NULL)
    return NULL;
  fields = g_strsplit (g_strstrip ((char *) rest + 1), " ", -1);
  /* fields[0] is field 3 (state), so field 22 is fields[19]. */
  if (g_strv_length (fields) < 20)
    return NULL;
  return g_strdup (fields[19]);
}

static const Owner *
get_self (void)
{
  static Owner owner;
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      owner.pid = getpid ();
      owner.start_time = read_start_time (owner.pid);
      owner.boot_id = read_boot_id ();
      g_once_init_leave (&initialized, 1);
    }
  return &owner;
}

/* This process, as the owner of a run it writes. */
void
reins_store_owner_get (gint64      *pid,
                       const char **start_time,
                       const char **boot_id)
{
  const Owner *owner = get_self ();

  *pid = owner->pid;
  *start_time = owner->start_time;
  *boot_id = owner->boot_id;
}

gboolean
reins_store_owner_is_alive (gint64      pid,
                            const char *start_time,
                            const char *boot_id)
{
  const Owner *self = get_self ();
  g_autofree char *current_start = NULL;

  if (pid <= 0)
    return FALSE;
  /* Another boot: every process of that boot is gone. */
  if (boot_id != NULL && self->boot_id != NULL && g_strcmp0 (boot_id, self->boot_id) != 0)
    return FALSE;
  current_start = read_start_time (pid);
  if (current_start == NULL)
    return FALSE;
  /* Same pid, other process: the owner died and its pid was reused. */
  if (start_time != NULL && g_strcmp0 (start_time, current_start) != 0)
    return FALSE;
  return TRUE;
}

gboolean
reins_store_recover_interrupted (ReinsStore  *self,
                                 GError     **error)
{
  g_autoptr(GPtrArray) dead = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) pids = g_array_new (FALSE, FALSE, sizeof (gint64));

  {
    g_autoptr(ReinsStoreStmt) stmt =
      reins_store_prepare (self,
                           "SELECT id, owner_pid, owner_start_time, owner_boot_id FROM runs "
                           "WHERE status IN ('running', 'paused', 'awaiting_approval')",
                           error);
    int rc;

    if (stmt == NULL)
      return FALSE;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 pid = sqlite3_column_int64 (stmt, 1);

        if (!reins_store_owner_is_alive (pid,
                                         (const char *) sqlite3_column_text (stmt, 2),
                                         (const char *) sqlite3_column_text (stmt, 3)))
          {
            g_ptr_array_add (dead, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
            g_array_append_val (pids, pid);
          }
      }
    if (rc != SQLITE_DONE)
      return reins_store_set_error (self, rc, error);
  }

  if (dead->len == 0)
    return TRUE;

  if (!reins_store_begin (self, error))
    return FALSE;

  for (guint i = 0; i < dead->len; i++)
    {
      /* The status is checked again: the owner may have finished the run meanwhile. */
      g_autoptr(ReinsStoreStmt) stmt =
        reins_store_prepare (self,
                             "UPDATE runs SET status = 'interrupted', reason = ?, "
                             "  owner_pid = NULL, owner_start_time = NULL, owner_boot_id = NULL "
                             "WHERE id = ? "
                             "  AND status IN ('running', 'paused', 'awaiting_approval')",
                             error);
      g_autofree char *reason = NULL;
      gint64 pid = g_array_index (pids, gint64, i);
      int rc;

      if (stmt == NULL)
        {
          reins_store_rollback (self);
          return FALSE;
        }
      reason = reins_store_interrupted_reason (pid);
      sqlite3_bind_text (stmt, 1, reason, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, g_ptr_array_index (dead, i), -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          reins_store_rollback (self);
          return reins_store_set_error (self, rc, error);
        }
    }

  return reins_store_commit (self, error);
}
