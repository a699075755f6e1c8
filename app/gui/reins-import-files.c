/* reins-import-files.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Import… in the window. The files are read on a worker thread with a store connection of
 * its own (SQLite serialises the writers), one file after the other: a file that cannot be
 * read or is malformed counts as failed, keeps what it imported before the fault (as
 * `reins-cli import` does), and the next file is read. Each run stored is handed to the main
 * thread in batches and put in the history, so the runs appear while the import goes on; a
 * toast counts them as they come and, at the end, says what happened.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-error.h"
#include "reins-import.h"
#include "reins-import-files.h"

typedef struct
{
  char                    *db_path;
  GPtrArray               *files;       /* GFile */
  GWeakRef                 history;
  GMainContext            *context;

  GMutex                   lock;
  GPtrArray               *pending;     /* ReinsRun stored, not yet in the history; locked */
  gboolean                 scheduled;   /* a drain is on its way; locked */
  guint                    n_read;      /* conversations read so far; locked */

  ReinsImportFilesResult   result;      /* the worker's until it returns */
  AdwToast                *progress;    /* main thread: the "Importing…" toast (weak) */
  gboolean                 finished;    /* main thread: no progress toast any more */
} ImportFiles;

void
reins_import_files_result_clear (ReinsImportFilesResult *result)
{
  g_clear_pointer (&result->first_error, g_free);
  result->imported = result->duplicates = result->failed = 0;
}

static void
import_files_free (ImportFiles *import)
{
  g_free (import->db_path);
  g_ptr_array_unref (import->files);
  g_weak_ref_clear (&import->history);
  g_main_context_unref (import->context);
  g_mutex_clear (&import->lock);
  g_ptr_array_unref (import->pending);
  reins_import_files_result_clear (&import->result);
  /* Without a finish (no callback asked for it), the toast is let go of here. */
  if (import->progress != NULL)
    g_object_remove_weak_pointer (G_OBJECT (import->progress), (gpointer *) &import->progress);
  g_free (import);
}

static AdwToastOverlay *
toast_overlay_of (ReinsHistory *history)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (history), ADW_TYPE_TOAST_OVERLAY);

  return overlay != NULL ? ADW_TOAST_OVERLAY (overlay) : NULL;
}

/* Main thread: the runs stored since the last drain go into the history. */
static void
drain (ImportFiles *import)
{
  g_autoptr(ReinsHistory) history = g_weak_ref_get (&import->history);
  g_autoptr(GPtrArray) runs = NULL;
  guint n_read;

  g_mutex_lock (&import->lock);
  runs = g_steal_pointer (&import->pending);
  import->pending = g_ptr_array_new_with_free_func (g_object_unref);
  import->scheduled = FALSE;
  n_read = import->n_read;
  g_mutex_unlock (&import->lock);

  if (history == NULL || reins_history_get_store (history) == NULL)
    return;

  for (guint i = 0; i < runs->len; i++)
    reins_history_update_run (history, g_ptr_array_index (runs, i));

  if (import->finished)
    return;
  if (import->progress == NULL)
    {
      AdwToastOverlay *overlay = toast_overlay_of (history);

      if (overlay == NULL)
        return;
      import->progress = adw_toast_new ("");
      adw_toast_set_timeout (import->progress, 0);
      /* In place of the toast of an import before (a failed one waits for a click). */
      adw_toast_set_priority (import->progress, ADW_TOAST_PRIORITY_HIGH);
      g_object_add_weak_pointer (G_OBJECT (import->progress), (gpointer *) &import->progress);
      adw_toast_overlay_add_toast (overlay, import->progress);
    }
  {
    g_autofree char *title =
      /* Translators: a toast while trace files are imported */
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Importing… %u conversation read",
                                    "Importing… %u conversations read", n_read), n_read);

    adw_toast_set_title (import->progress, title);
  }
}

static gboolean
drain_cb (gpointer user_data)
{
  drain (g_task_get_task_data (G_TASK (user_data)));
  return G_SOURCE_REMOVE;
}

/* Worker thread: told of each conversation read. */
static void
run_read_cb (ReinsRun *run,
             gboolean  duplicate,
             gpointer  user_data)
{
  GTask *task = user_data;
  ImportFiles *import = g_task_get_task_data (task);
  gboolean schedule;

  g_mutex_lock (&import->lock);
  import->n_read++;
  if (!duplicate)
    g_ptr_array_add (import->pending, reins_run_copy (run));
  schedule = !import->scheduled;
  import->scheduled = TRUE;
  g_mutex_unlock (&import->lock);

  if (schedule)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
      g_source_set_callback (source, drain_cb, g_object_ref (task), g_object_unref);
      g_source_set_static_name (source, "[reins] import drain");
      g_source_attach (source, import->context);
      g_source_unref (source);
    }
}

static gboolean
is_store_error (const GError *error)
{
  return error->domain == REINS_ERROR && error->code >= REINS_ERROR_STORE &&
         error->code <= REINS_ERROR_STORE_READ_ONLY;
}

static void
import_files_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  ImportFiles *import = task_data;
  g_autoptr(ReinsStore) store = NULL;
  GError *error = NULL;

  store = reins_store_open (import->db_path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < import->files->len; i++)
    {
      GFile *file = g_ptr_array_index (import->files, i);
      g_autofree char *name = g_file_get_path (file);
      ReinsImportStats stats = { 0 };
      gboolean ok;

      if (g_task_return_error_if_cancelled (task))
        return;
      if (name == NULL)
        name = g_file_get_uri (file);

      ok = reins_import_file (store, name, &stats, run_read_cb, task, &error);
      import->result.imported += stats.imported;
      import->result.duplicates += stats.duplicates;
      if (!ok)
        {
          if (is_store_error (error))
            {
              g_task_return_error (task, error);
              return;
            }
          import->result.failed++;
          if (import->result.first_error == NULL)
            import->result.first_error = g_strdup (error->message);
          g_clear_error (&error);
        }
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * reins_import_files_async:
 * @history: where the runs appear as they are stored, and whose toast overlay shows the
 *   progress; its store's file is imported into
 *
 * Imports @files on a worker thread.
 */
void
reins_import_files_async (const char           *db_path,
                          GFile               **files,
                          guint                 n_files,
                          ReinsHistory         *history,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback   callback,
                          gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportFiles *import;

  g_return_if_fail (db_path != NULL);
  g_return_if_fail (files != NULL || n_files == 0);
  g_return_if_fail (REINS_IS_HISTORY (history));

  import = g_new0 (ImportFiles, 1);
  import->db_path = g_strdup (db_path);
  import->files = g_ptr_array_new_full (n_files, g_object_unref);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (import->files, g_object_ref (files[i]));
  g_weak_ref_init (&import->history, history);
  import->context = g_main_context_ref_thread_default ();
  g_mutex_init (&import->lock);
  import->pending = g_ptr_array_new_with_free_func (g_object_unref);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, reins_import_files_async);
  g_task_set_name (task, "[reins] import");
  g_task_set_task_data (task, import, (GDestroyNotify) import_files_free);
  g_task_run_in_thread (task, import_files_thread);
}

/**
 * reins_import_files_finish:
 * @out: (out caller-allocates): the counts and the first file's error
 *
 * Returns: %FALSE when the import could not go on (the store could not be opened or
 *   written), with @error set; %TRUE otherwise, even if files failed (see @out)
 */
gboolean
reins_import_files_finish (GAsyncResult            *result,
                           ReinsImportFilesResult  *out,
                           GError                 **error)
{
  ImportFiles *import;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  /* The last runs read may still be on their way to the history. */
  import = g_task_get_task_data (G_TASK (result));
  import->finished = TRUE;
  drain (import);
  /* Let go of the toast here, on the main thread: the task may be freed on the worker's. */
  if (import->progress != NULL)
    {
      adw_toast_dismiss (import->progress);
      g_object_remove_weak_pointer (G_OBJECT (import->progress), (gpointer *) &import->progress);
      import->progress = NULL;
    }
  *out = import->result;
  import->result.first_error = NULL;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* What the toast at the end says. */
char *
reins_import_files_describe (const ReinsImportFilesResult *result)
{
  g_autoptr(GString) text = g_string_new (NULL);

  /* Translators: the first part of the toast after an import */
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u run imported",
                                             "%u runs imported", result->imported),
                          result->imported);
  if (result->duplicates > 0)
    /* Translators: a part of the toast after an import */
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, ", %u already stored",
                                               ", %u already stored", result->duplicates),
                            result->duplicates);
  if (result->failed > 0)
    /* Translators: the last part of the toast after an import; the second placeholder is the
     * first file's error */
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, ", %u file failed: %s",
                                               ", %u files failed, the first: %s",
                                               result->failed),
                            result->failed, result->first_error);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_error (GtkWidget  *widget,
            const char *heading,
            const char *message)
{
  GtkWidget *dialog;
  GtkRoot *root = gtk_widget_get_root (widget);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   heading, message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
details_clicked_cb (AdwToast     *toast,
                    ReinsHistory *history)
{
  show_error (GTK_WIDGET (history), _("A File Could Not Be Imported"),
              g_object_get_data (G_OBJECT (toast), "error"));
}

static void
imported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ReinsHistory) history = user_data;
  g_auto(ReinsImportFilesResult) counts = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToastOverlay *overlay;
  AdwToast *toast;

  if (!reins_import_files_finish (result, &counts, &error))
    {
      /* The runs stored before the store failed are in it: show them. */
      if (reins_history_get_store (history) != NULL)
        reins_history_reload (history);
      show_error (GTK_WIDGET (history), _("Cannot Import"), error->message);
      return;
    }

  overlay = toast_overlay_of (history);
  if (overlay == NULL)
    return;
  title = reins_import_files_describe (&counts);
  toast = adw_toast_new (title);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  if (counts.failed > 0)
    {
      /* A toast cuts a long message: the whole error is a click away. */
      adw_toast_set_button_label (toast, _("_Details"));
      adw_toast_set_timeout (toast, 0);
      g_object_set_data_full (G_OBJECT (toast), "error", g_strdup (counts.first_error), g_free);
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (details_clicked_cb),
                               history, 0);
    }
  adw_toast_overlay_add_toast (overlay, toast);
}

/**
 * reins_import_files:
 *
 * Imports @files into @history's store, shows the runs as they come and ends with a toast
 * saying what happened.
 */
void
reins_import_files (ReinsHistory  *history,
                    GFile        **files,
                    guint          n_files)
{
  ReinsStore *store;

  g_return_if_fail (REINS_IS_HISTORY (history));

  store = reins_history_get_store (history);
  if (store == NULL || n_files == 0)
    return;
  reins_import_files_async (reins_store_get_path (store), files, n_files, history, NULL,
                            imported_cb, g_object_ref (history));
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     ReinsHistory    *history)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) chosen = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      guint n = g_list_model_get_n_items (chosen);
      g_autoptr(GPtrArray) files = g_ptr_array_new_full (n, g_object_unref);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (files, g_list_model_get_item (chosen, i));
      reins_import_files (history, (GFile **) files->pdata, files->len);
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (history);
}

/* Asks for trace files and imports them. */
void
reins_import_files_with_dialog (GtkWindow    *parent,
                                ReinsHistory *history)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) traces = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  g_return_if_fail (!parent || GTK_IS_WINDOW (parent));
  g_return_if_fail (REINS_IS_HISTORY (history));

  chooser = gtk_file_chooser_native_new (_("Import Traces"), parent,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  /* Translators: a file filter: OpenAI, Anthropic or OpenTelemetry traces */
  gtk_file_filter_set_name (traces, _("Traces (JSON, JSON Lines)"));
  gtk_file_filter_add_suffix (traces, "json");
  gtk_file_filter_add_suffix (traces, "jsonl");
  gtk_file_filter_add_suffix (traces, "ndjson");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), traces);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);

  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb),
                    g_object_ref (history));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         ReinsHistory  *history)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSList) list = NULL;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || reins_history_get_store (history) == NULL)
    return FALSE;
  list = gdk_file_list_get_files (g_value_get_boxed (value));
  for (const GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, g_object_ref (l->data));
  if (files->len == 0)
    return FALSE;
  reins_import_files (history, (GFile **) files->pdata, files->len);
  return TRUE;
}

/* Files dropped on @widget are imported into @history's store. */
void
reins_import_files_add_drop_target (GtkWidget    *widget,
                                    ReinsHistory *history)
{
  GtkDropTarget *target;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (REINS_IS_HISTORY (history));

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), history, 0);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (target));
}
