/* reins-history-delete.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Deleting runs from the history with an Undo toast: the run leaves the list at once and
 * the store forgets it when no toast can bring it back.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "reins-format.h"
#include "reins-history-private.h"

static void
reins_history_purge (ReinsHistory *self)
{
  g_autoptr(GError) error = NULL;

  /* Purging removes every hidden run: wait until no toast can bring one back. */
  if (self->store == NULL || g_hash_table_size (self->pending_deletes) > 0)
    return;
  if (!reins_store_purge_deleted (self->store, &error))
    g_warning ("Could not remove the deleted runs: %s", error->message);
}

/* What a toast's handlers need, owned by their closures: the toast itself may be finalized
 * while its signal is emitted (the overlay drops it on dismissal). */
typedef struct
{
  GWeakRef  history;
  char     *run_id;
} PendingPurge;

static PendingPurge *
pending_purge_new (ReinsHistory *self,
                   const char   *run_id)
{
  PendingPurge *purge = g_new0 (PendingPurge, 1);

  g_weak_ref_init (&purge->history, self);
  purge->run_id = g_strdup (run_id);
  return purge;
}

static void
pending_purge_free (gpointer data,
                    GClosure *closure)
{
  PendingPurge *purge = data;

  g_weak_ref_clear (&purge->history);
  g_free (purge->run_id);
  g_free (purge);
}

static void
toast_undo_cb (AdwToast     *toast,
               PendingPurge *purge)
{
  g_autoptr(ReinsHistory) self = g_weak_ref_get (&purge->history);

  if (self != NULL)
    reins_history_undelete_run (self, purge->run_id);
}

static gboolean
purge_idle_cb (gpointer data)
{
  PendingPurge *purge = data;
  g_autoptr(ReinsHistory) self = g_weak_ref_get (&purge->history);

  /* Undo may have come in the meantime: then the run is no longer pending. */
  if (self != NULL && g_hash_table_remove (self->pending_deletes, purge->run_id))
    reins_history_purge (self);
  return G_SOURCE_REMOVE;
}

static void
purge_idle_free (gpointer data)
{
  pending_purge_free (data, NULL);
}

/* The toast went away (its time ran out, or a click): the run goes for good, unless the
 * click was on Undo — AdwToast may report "dismissed" before "button-clicked", so the purge
 * waits for an idle moment. */
static void
toast_dismissed_cb (AdwToast     *toast,
                    PendingPurge *purge)
{
  g_autoptr(ReinsHistory) self = g_weak_ref_get (&purge->history);

  if (self != NULL)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, purge_idle_cb,
                     pending_purge_new (self, purge->run_id), purge_idle_free);
}

static AdwToastOverlay *
reins_history_get_toast_overlay (ReinsHistory *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));
  GtkWidget *overlay = parent ? gtk_widget_get_ancestor (parent, ADW_TYPE_TOAST_OVERLAY) : NULL;

  /* A window-wide overlay shows the toast where a person looks; ours is the fallback. */
  return overlay ? ADW_TOAST_OVERLAY (overlay) : self->toast_overlay;
}

/**
 * reins_history_delete_run:
 *
 * Hides a run (a soft delete in the store) and offers to undo it in a toast; the run is
 * removed for good when the toast goes away or the window closes.
 *
 * Returns: whether the run was deleted
 */
gboolean
reins_history_delete_run (ReinsHistory *self,
                          const char   *id)
{
  /* @id may belong to the run the list drops below. */
  g_autofree char *run_id = g_strdup (id);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *task = NULL;
  AdwToast *toast;
  ReinsRun *run;
  guint position;

  g_return_val_if_fail (REINS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (self->store == NULL)
    return FALSE;

  if (!reins_store_delete_run (self->store, run_id, &error))
    {
      g_warning ("Could not delete run %s: %s", run_id, error->message);
      return FALSE;
    }
  g_hash_table_add (self->pending_deletes, g_strdup (run_id));

  run = reins_history_find_run (G_LIST_MODEL (self->runs), run_id, &position);
  task = reins_format_excerpt (run ? reins_run_get_task (run) : run_id, 40, NULL);
  g_strdelimit (task, "\n\r\t", ' ');
  if (run != NULL)
    {
      g_list_store_remove (self->runs, position);
      /* Its forks, if any, are no longer under it. */
      reins_history_nest (self);
    }
  if (reins_history_find_run (G_LIST_MODEL (self->results), run_id, &position))
    g_list_store_remove (self->results, position);
  reins_history_set_n_runs (self, g_list_model_get_n_items (G_LIST_MODEL (self->runs)));

  /* Translators: a run was deleted; the placeholder is the start of its task */
  title = g_strdup_printf (_("Run “%s” deleted"), task);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (toast_undo_cb),
                         pending_purge_new (self, run_id), pending_purge_free, 0);
  g_signal_connect_data (toast, "dismissed", G_CALLBACK (toast_dismissed_cb),
                         pending_purge_new (self, run_id), pending_purge_free, 0);
  g_clear_weak_pointer (&self->toast);
  g_set_weak_pointer (&self->toast, toast);
  adw_toast_overlay_add_toast (reins_history_get_toast_overlay (self), toast);

  return TRUE;
}

/* Brings back a run deleted a moment ago (the toast's Undo). */
gboolean
reins_history_undelete_run (ReinsHistory *self,
                            const char   *id)
{
  g_autofree char *run_id = g_strdup (id);
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (REINS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (self->store == NULL || !g_hash_table_remove (self->pending_deletes, run_id))
    return FALSE;

  if (!reins_store_undelete_run (self->store, run_id, &error))
    {
      g_warning ("Could not restore run %s: %s", run_id, error->message);
      return FALSE;
    }

  reins_history_reload (self);
  reins_history_select_run (self, run_id);
  return TRUE;
}
