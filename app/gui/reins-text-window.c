/* reins-text-window.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window with the full text of something too long for a label, and a way to save it.
 *
 * The text goes into the view in slices from an idle source, and at most
 * REINS_TEXT_WINDOW_MAX_BYTES of it: laying out tens of megabytes would freeze the window for
 * seconds. All of it can be saved to a file, byte for byte.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reins-text-window.h"

#define SLICE_BYTES (64 * 1024)

/* GtkTextView lays out a paragraph at once: one of a megabyte takes minutes. Lines longer
 * than this are broken for display (a saved file keeps them whole). */
#define LINE_CHARS  2000

struct _ReinsTextWindow
{
  AdwWindow             parent_instance;

  GBytes               *text;
  char                 *shown;
  gsize                 shown_len;
  gsize                 inserted;
  guint                 insert_source;
  GtkFileChooserNative *chooser;
  char                 *file_name;

  AdwWindowTitle       *window_title;
  GtkRevealer          *notice_revealer;
  GtkLabel             *notice_label;
  GtkTextView          *text_view;
};

G_DEFINE_FINAL_TYPE (ReinsTextWindow, reins_text_window, ADW_TYPE_WINDOW)

/* Returns @text with a newline inserted after every LINE_CHARS characters of a line. */
static char *
break_long_lines (const char *text,
                  gboolean   *broken)
{
  GString *out = g_string_sized_new (strlen (text) + 64);
  guint column = 0;

  *broken = FALSE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      const char *next = g_utf8_next_char (p);

      if (*p == '\n')
        column = 0;
      else if (++column > LINE_CHARS)
        {
          g_string_append_c (out, '\n');
          column = 1;
          *broken = TRUE;
        }
      g_string_append_len (out, p, next - p);
    }

  return g_string_free (out, FALSE);
}

static gboolean
reins_text_window_insert_cb (gpointer user_data)
{
  ReinsTextWindow *self = user_data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter end;
  gsize len = MIN (SLICE_BYTES, self->shown_len - self->inserted);
  const char *slice = self->shown + self->inserted;

  /* Keep characters whole across slices. */
  if (self->inserted + len < self->shown_len)
    while (len > 0 && ((guchar) slice[len] & 0xC0) == 0x80)
      len--;
  if (len == 0)
    len = self->shown_len - self->inserted;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, slice, len);
  self->inserted += len;

  if (self->inserted < self->shown_len)
    return G_SOURCE_CONTINUE;

  self->insert_source = 0;
  return G_SOURCE_REMOVE;
}

static void
save_replace_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ReinsTextWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_autofree char *name = g_file_get_parse_name (G_FILE (object));
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Could Not Save the Text"),
                                                  NULL);

      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), "%s: %s", name, error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
save_response_cb (ReinsTextWindow      *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      g_file_replace_contents_bytes_async (file, self->text, NULL, FALSE,
                                           G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                           save_replace_cb, g_object_ref (self));
    }

  g_clear_object (&self->chooser);
}

static void
reins_text_window_save (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  ReinsTextWindow *self = REINS_TEXT_WINDOW (widget);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Save As"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser),
                                     self->file_name ? self->file_name : _("observation.txt"));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (save_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* The whole text (not only what the view shows) to the clipboard. */
static void
reins_text_window_copy (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  ReinsTextWindow *self = REINS_TEXT_WINDOW (widget);
  gsize size;
  const char *data = g_bytes_get_data (self->text, &size);
  g_autofree char *valid = g_utf8_make_valid (data ? data : "", size);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), valid);
}

static void
reins_text_window_dispose (GObject *object)
{
  ReinsTextWindow *self = (ReinsTextWindow *)object;

  g_clear_handle_id (&self->insert_source, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), REINS_TYPE_TEXT_WINDOW);

  G_OBJECT_CLASS (reins_text_window_parent_class)->dispose (object);
}

static void
reins_text_window_finalize (GObject *object)
{
  ReinsTextWindow *self = (ReinsTextWindow *)object;

  g_clear_pointer (&self->text, g_bytes_unref);
  g_clear_pointer (&self->shown, g_free);
  g_clear_pointer (&self->file_name, g_free);

  G_OBJECT_CLASS (reins_text_window_parent_class)->finalize (object);
}

static void
reins_text_window_class_init (ReinsTextWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reins_text_window_dispose;
  object_class->finalize = reins_text_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-text-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsTextWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, ReinsTextWindow, notice_revealer);
  gtk_widget_class_bind_template_child (widget_class, ReinsTextWindow, notice_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsTextWindow, text_view);

  gtk_widget_class_install_action (widget_class, "text.save", NULL, reins_text_window_save);
  gtk_widget_class_install_action (widget_class, "text.copy", NULL, reins_text_window_copy);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "text.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "text.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
reins_text_window_init (ReinsTextWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
reins_text_window_new (GtkWindow  *parent,
                       const char *title,
                       GBytes     *text)
{
  ReinsTextWindow *self;
  g_autofree char *valid = NULL;
  gboolean broken = FALSE;
  const char *data;
  gsize size;
  gsize len;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  self = g_object_new (REINS_TYPE_TEXT_WINDOW,
                       "transient-for", parent,
                       "title", title,
                       NULL);
  adw_window_title_set_title (self->window_title, title);
  self->text = g_bytes_ref (text);

  data = g_bytes_get_data (text, &size);
  len = MIN (size, REINS_TEXT_WINDOW_MAX_BYTES);
  while (len < size && len > 0 && ((guchar) data[len] & 0xC0) == 0x80)
    len--;
  valid = g_utf8_make_valid (data ? data : "", len);
  self->shown = break_long_lines (valid, &broken);
  self->shown_len = strlen (self->shown);

  if (len < size)
    {
      g_autofree char *shown_size = g_format_size (len);
      g_autofree char *full_size = g_format_size (size);
      g_autofree char *notice = NULL;

      /* Translators: the first placeholder is a size like "1.0 MB", the second the full size */
      notice = g_strdup_printf (_("Showing the first %s of %s. Save the text to read all of it."),
                                shown_size, full_size);
      gtk_label_set_label (self->notice_label, notice);
      gtk_revealer_set_reveal_child (self->notice_revealer, TRUE);
    }
  else if (broken)
    {
      gtk_label_set_label (self->notice_label,
                           _("Very long lines are broken to be shown. Saving the text keeps them "
                             "whole."));
      gtk_revealer_set_reveal_child (self->notice_revealer, TRUE);
    }

  self->insert_source = g_idle_add_full (G_PRIORITY_LOW, reins_text_window_insert_cb, self, NULL);

  return GTK_WIDGET (self);
}

/* Whether all the text that will be shown is in the view. */
gboolean
reins_text_window_get_loaded (ReinsTextWindow *self)
{
  g_return_val_if_fail (REINS_IS_TEXT_WINDOW (self), FALSE);

  return self->insert_source == 0;
}

/* The name Save As suggests (else "observation.txt"). */
void
reins_text_window_set_file_name (ReinsTextWindow *self,
                                 const char      *file_name)
{
  g_return_if_fail (REINS_IS_TEXT_WINDOW (self));

  g_free (self->file_name);
  self->file_name = g_strdup (file_name);
}
