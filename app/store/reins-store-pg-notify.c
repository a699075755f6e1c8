/* reins-store-pg-notify.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Live history from the PostgreSQL store: the data version counted from LISTEN/NOTIFY,
 * and a GSource that wakes when a notification arrives.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "reins-store-pg-private.h"

/* Counts the notifications of commits by other connections that have arrived; reading
 * them needs no round trip. A lost connection is made again (and counts as a change, as
 * commits may have been missed meanwhile). */
gint64
reins_store_pg_get_data_version (ReinsStore  *self,
                                 GError     **error)
{
  PGnotify *notify;
  int own_pid;

  if (!PQconsumeInput (self->pg->conn) || PQstatus (self->pg->conn) == CONNECTION_BAD)
    {
      if (!reins_store_pg_reconnect (self, error))
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

GSource *
reins_store_pg_create_watch (ReinsStore *self)
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
