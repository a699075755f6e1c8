/* reins-export-file.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Saving a stored run as JSON or a Markdown report, from the window.
 *
 * The file is written by reins_export_json_labelled() / reins_export_markdown_labelled(),
 * with the run's tags and note, the same code as `reins-cli export`, so secrets are dropped
 * the same way. Reading every step and writing happen on a worker thread with its own store
 * connection.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "reins-export.h"
#include "reins-export-file.h"

typedef struct
{
  char              *db_path;
  char              *run_id;
  GFile             *file;
  ReinsExportFormat  format;
} Export;

static void
export_free (gpointer data)
{
  Export *export = data;

  g_free (export->db_path);
  g_free (export->run_id);
  g_clear_object (&export->file);
  g_free (export);
}

/* .md and .markdown are reports; anything else is JSON. */
ReinsExportFormat
reins_export_format_for_file (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = g_ascii_strdown (name ? name : "", -1);

  if (g_str_has_suffix (lower, ".md") || g_str_has_suffix (lower, ".markdown"))
    return REINS_EXPORT_FORMAT_MARKDOWN;
  return REINS_EXPORT_FORMAT_JSON;
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Export *export = task_data;
  g_autoptr(ReinsStore) store = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) tags = NULL;
  g_autofree char *note = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GPtrArray) feedback = NULL;

  store = reins_store_open (export->db_path, &error);
  if (store != NULL)
    run = reins_store_get_run (store, export->run_id, &error);
  if (run != NULL)
    steps = reins_store_get_steps (store, export->run_id, 1, 0, &error);
  if (steps == NULL ||
      !reins_export_read_labels (store, export->run_id, &tags, &note, &error) ||
      !reins_export_read_feedback (store, export->run_id, &name, &feedback, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (export->format == REINS_EXPORT_FORMAT_MARKDOWN)
    text = reins_export_markdown_full (run, steps, (const char * const *) tags, note,
                                       name, feedback);
  else
    text = reins_export_json_full (run, steps, (const char * const *) tags, note, name,
                                   feedback);
  if (!g_file_replace_contents (export->file, text, strlen (text), NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
reins_export_run_async (const char          *db_path,
                        const char          *run_id,
                        GFile               *file,
                        ReinsExportFormat    format,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Export *export;

  g_return_if_fail (db_path != NULL);
  g_return_if_fail (run_id != NULL);
  g_return_if_fail (G_IS_FILE (file));

  export = g_new0 (Export, 1);
  export->db_path = g_strdup (db_path);
  export->run_id = g_strdup (run_id);
  export->file = g_object_ref (file);
  export->format = format;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, reins_export_run_async);
  g_task_set_name (task, "[reins] export");
  g_task_set_task_data (task, export, export_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
reins_export_run_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * reins_export_file_for_format:
 *
 * The file to write @format to: @file, or, when its name has the other format's extension
 * (the suggested reins-run-….json with Markdown chosen), the same name with the right one.
 * A file chooser cannot follow its format choice while it is open, so the name is mended
 * here.
 *
 * Returns: (transfer full): the file
 */
GFile *
reins_export_file_for_format (GFile             *file,
                              ReinsExportFormat  format)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = g_ascii_strdown (name ? name : "", -1);
  g_autofree char *stem = NULL;
  g_autofree char *fixed = NULL;
  g_autoptr(GFile) parent = g_file_get_parent (file);
  const char *wrong = format == REINS_EXPORT_FORMAT_MARKDOWN ? ".json" : ".md";

  if (parent == NULL || !g_str_has_suffix (lower, wrong) || strlen (name) == strlen (wrong))
    return g_object_ref (file);
  stem = g_strndup (name, strlen (name) - strlen (wrong));
  fixed = g_strconcat (stem, format == REINS_EXPORT_FORMAT_MARKDOWN ? ".md" : ".json", NULL);
  return g_file_get_child (parent, fixed);
}

typedef struct
{
  GtkWindow *parent;
  GFile     *file;
} Exported;

static void
exported_free (Exported *exported)
{
  g_clear_object (&exported->parent);
  g_clear_object (&exported->file);
  g_free (exported);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Exported, exported_free)

static AdwToastOverlay *
find_toast_overlay (GtkWidget *widget)
{
  if (ADW_IS_TOAST_OVERLAY (widget))
    return ADW_TOAST_OVERLAY (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwToastOverlay *found = find_toast_overlay (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Exported) exported = user_data;
  g_autoptr(GError) error = NULL;
  AdwToastOverlay *overlay;

  if (!reins_export_run_finish (result, &error))
    {
      GtkWidget *dialog;

      dialog = adw_message_dialog_new (exported->parent, _("Cannot Export the Run"),
                                       error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  /* Nothing else shows that the file was written: say where. */
  overlay = exported->parent != NULL ? find_toast_overlay (GTK_WIDGET (exported->parent)) : NULL;
  if (overlay != NULL)
    {
      g_autofree char *name = g_file_get_basename (exported->file);
      g_autofree char *title = NULL;
      AdwToast *toast;

      /* Translators: a toast after an export; the placeholder is the file's name */
      title = g_strdup_printf (_("Exported to “%s”"), name);
      toast = adw_toast_new (title);
      adw_toast_overlay_add_toast (overlay, toast);
    }
}

/**
 * reins_export_run_to_file:
 * @choice: (nullable): "json" or "markdown", the format chosen in the dialog; %NULL to go by
 *   the file's name
 *
 * Writes the run to @file (its extension mended to the format) and confirms it with a toast
 * in @parent, or shows why it could not.
 */
void
reins_export_run_to_file (GtkWindow  *parent,
                          const char *db_path,
                          const char *run_id,
                          GFile      *file,
                          const char *choice)
{
  ReinsExportFormat format = reins_export_format_for_file (file);
  Exported *exported;

  g_return_if_fail (!parent || GTK_IS_WINDOW (parent));
  g_return_if_fail (G_IS_FILE (file));

  if (g_strcmp0 (choice, "markdown") == 0)
    format = REINS_EXPORT_FORMAT_MARKDOWN;
  else if (g_strcmp0 (choice, "json") == 0)
    format = REINS_EXPORT_FORMAT_JSON;

  exported = g_new0 (Exported, 1);
  exported->parent = parent != NULL ? g_object_ref (parent) : NULL;
  exported->file = reins_export_file_for_format (file, format);
  reins_export_run_async (db_path, run_id, exported->file, format, NULL, exported_cb, exported);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    reins_export_run_to_file (gtk_native_dialog_get_transient_for (chooser),
                              g_object_get_data (G_OBJECT (chooser), "db-path"),
                              g_object_get_data (G_OBJECT (chooser), "run-id"),
                              file,
                              gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "format"));

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

/* Asks where to save @run and writes it there; the file's name (.md or .json) or the
 * dialog's format choice picks the format. */
void
reins_export_run_with_dialog (GtkWindow  *parent,
                              ReinsStore *store,
                              ReinsRun   *run)
{
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  g_autofree char *short_id = NULL;

  g_return_if_fail (REINS_IS_STORE (store));
  g_return_if_fail (REINS_IS_RUN (run));

  chooser = gtk_file_chooser_native_new (_("Export Run"), parent,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "format", _("Format"),
                               (const char *[]) { "json", "markdown", NULL },
                               (const char *[]) { _("JSON"), _("Markdown report"), NULL });
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "format", "json");
  short_id = g_strndup (reins_run_get_id (run), 8);
  /* Translators: the suggested file name of an exported run; the placeholder is its id */
  name = g_strdup_printf (_("reins-run-%s.json"), short_id);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);

  g_object_set_data_full (G_OBJECT (chooser), "db-path",
                          g_strdup (reins_store_get_path (store)), g_free);
  g_object_set_data_full (G_OBJECT (chooser), "run-id", g_strdup (reins_run_get_id (run)),
                          g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), NULL);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
