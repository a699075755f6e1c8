/* reins-run-notes.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window to name a run, tag it and write a note on it. Tags are stored as they are added
 * or removed; the name and the note when the window closes. "changed" tells the history to show them.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-format.h"
#include "reins-run-notes.h"

struct _ReinsRunNotes
{
  AdwWindow       parent_instance;

  ReinsStore     *store;
  char           *run_id;
  char           *saved_note;
  char           *saved_name;

  AdwWindowTitle *window_title;
  GtkEntry       *name_entry;
  GtkFlowBox     *tags_box;
  GtkLabel       *no_tags_label;
  GtkEntry       *tag_entry;
  GtkLabel       *error_label;
  GtkTextView    *note_view;
};

G_DEFINE_FINAL_TYPE (ReinsRunNotes, reins_run_notes, ADW_TYPE_WINDOW)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
reins_run_notes_set_error (ReinsRunNotes *self,
                           const char    *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->tag_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->tag_entry), "error");
}

static void
remove_tag_clicked_cb (GtkButton     *button,
                       ReinsRunNotes *self)
{
  reins_run_notes_remove_tag (self, g_object_get_data (G_OBJECT (button), "reins-tag"));
}

static void
reins_run_notes_show_tags (ReinsRunNotes *self)
{
  g_auto(GStrv) tags = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_box))))
    gtk_flow_box_remove (self->tags_box, child);

  tags = reins_store_get_labels (self->store, self->run_id, &error);
  if (tags == NULL)
    {
      reins_run_notes_set_error (self, error->message);
      return;
    }

  for (guint i = 0; tags[i] != NULL; i++)
    {
      GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
      GtkWidget *label = gtk_label_new (tags[i]);
      GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");
      /* Translators: the tooltip of the × on a tag; the placeholder is the tag */
      g_autofree char *tooltip = g_strdup_printf (_("Remove the Tag “%s”"), tags[i]);

      gtk_widget_add_css_class (chip, "run-tag");
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_add_css_class (remove, "circular");
      gtk_widget_set_tooltip_text (remove, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
      g_object_set_data_full (G_OBJECT (remove), "reins-tag", g_strdup (tags[i]), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_tag_clicked_cb), self);
      gtk_box_append (GTK_BOX (chip), label);
      gtk_box_append (GTK_BOX (chip), remove);
      gtk_flow_box_append (self->tags_box, chip);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->tags_box), tags[0] != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->no_tags_label), tags[0] == NULL);
}

/**
 * reins_run_notes_add_tag:
 *
 * Tags the run at once. A tag that is not one short word is refused, with the reason under
 * the entry; nothing is stored then.
 *
 * Returns: whether the tag was added
 */
gboolean
reins_run_notes_add_tag (ReinsRunNotes *self,
                         const char    *tag)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (REINS_IS_RUN_NOTES (self), FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);

  if (!reins_store_add_label (self->store, self->run_id, tag, &error))
    {
      reins_run_notes_set_error (self, error->message);
      return FALSE;
    }
  reins_run_notes_set_error (self, NULL);
  reins_run_notes_show_tags (self);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

gboolean
reins_run_notes_remove_tag (ReinsRunNotes *self,
                            const char    *tag)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (REINS_IS_RUN_NOTES (self), FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);

  if (!reins_store_remove_label (self->store, self->run_id, tag, &error))
    {
      reins_run_notes_set_error (self, error->message);
      return FALSE;
    }
  reins_run_notes_show_tags (self);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

static char *
reins_run_notes_dup_note_text (ReinsRunNotes *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->note_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

/* Stores the note as it is in the window, if it changed. */
gboolean
reins_run_notes_save_note (ReinsRunNotes *self)
{
  g_autofree char *note = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (REINS_IS_RUN_NOTES (self), FALSE);

  note = reins_run_notes_dup_note_text (self);
  if (g_strcmp0 (note, self->saved_note ? self->saved_note : "") == 0)
    return TRUE;
  if (!reins_store_set_note (self->store, self->run_id, note, &error))
    {
      reins_run_notes_set_error (self, error->message);
      return FALSE;
    }
  g_free (self->saved_note);
  self->saved_note = g_steal_pointer (&note);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

/* Stores the name as it is in the window, if it changed. */
gboolean
reins_run_notes_save_name (ReinsRunNotes *self)
{
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (REINS_IS_RUN_NOTES (self), FALSE);

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
  if (g_strcmp0 (name, self->saved_name ? self->saved_name : "") == 0)
    return TRUE;
  if (!reins_store_set_name (self->store, self->run_id, name, &error))
    {
      reins_run_notes_set_error (self, error->message);
      return FALSE;
    }
  g_free (self->saved_name);
  self->saved_name = g_steal_pointer (&name);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

static void
tag_entry_activate_cb (ReinsRunNotes *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->tag_entry));

  if (reins_run_notes_add_tag (self, text))
    gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
}

static void
tag_entry_changed_cb (ReinsRunNotes *self)
{
  reins_run_notes_set_error (self, NULL);
}

static gboolean
reins_run_notes_close_request (GtkWindow *window)
{
  ReinsRunNotes *self = REINS_RUN_NOTES (window);

  /* A note that cannot be stored is still in the window, with the reason. */
  if (self->store != NULL &&
      (!reins_run_notes_save_name (self) || !reins_run_notes_save_note (self)))
    return TRUE;

  return GTK_WINDOW_CLASS (reins_run_notes_parent_class)->close_request (window);
}

static void
reins_run_notes_dispose (GObject *object)
{
  ReinsRunNotes *self = (ReinsRunNotes *)object;

  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), REINS_TYPE_RUN_NOTES);

  G_OBJECT_CLASS (reins_run_notes_parent_class)->dispose (object);
}

static void
reins_run_notes_finalize (GObject *object)
{
  ReinsRunNotes *self = (ReinsRunNotes *)object;

  g_clear_pointer (&self->run_id, g_free);
  g_clear_pointer (&self->saved_note, g_free);
  g_clear_pointer (&self->saved_name, g_free);

  G_OBJECT_CLASS (reins_run_notes_parent_class)->finalize (object);
}

static void
reins_run_notes_class_init (ReinsRunNotesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = reins_run_notes_dispose;
  object_class->finalize = reins_run_notes_finalize;
  window_class->close_request = reins_run_notes_close_request;

  /**
   * ReinsRunNotes::changed:
   *
   * A tag was added or removed, or the name or the note stored.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-run-notes.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsRunNotes, window_title);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunNotes, name_entry);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunNotes, tags_box);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunNotes, no_tags_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunNotes, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunNotes, error_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsRunNotes, note_view);
  gtk_widget_class_bind_template_callback (widget_class, tag_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, tag_entry_changed_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
reins_run_notes_init (ReinsRunNotes *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * reins_run_notes_new:
 * @parent: (nullable): the window it belongs to
 *
 * Returns: (transfer none): a new window, not shown yet
 */
GtkWidget *
reins_run_notes_new (GtkWindow  *parent,
                     ReinsStore *store,
                     ReinsRun   *run)
{
  ReinsRunNotes *self;
  g_autofree char *task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (REINS_IS_STORE (store), NULL);
  g_return_val_if_fail (REINS_IS_RUN (run), NULL);

  self = g_object_new (REINS_TYPE_RUN_NOTES,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  self->run_id = g_strdup (reins_run_get_id (run));

  task = reins_format_excerpt (reins_run_get_task (run), 80, NULL);
  g_strdelimit (task, "\n\r\t", ' ');
  adw_window_title_set_subtitle (self->window_title, task);

  self->saved_note = reins_store_get_note (store, self->run_id, &error);
  if (error != NULL)
    reins_run_notes_set_error (self, error->message);
  else if (self->saved_note != NULL)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->note_view), self->saved_note, -1);
  g_clear_error (&error);
  self->saved_name = reins_store_get_name (store, self->run_id, &error);
  if (error != NULL)
    reins_run_notes_set_error (self, error->message);
  else if (self->saved_name != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->name_entry), self->saved_name);
  reins_run_notes_show_tags (self);

  return GTK_WIDGET (self);
}

const char *
reins_run_notes_get_run_id (ReinsRunNotes *self)
{
  g_return_val_if_fail (REINS_IS_RUN_NOTES (self), NULL);

  return self->run_id;
}

GtkTextBuffer *
_reins_run_notes_get_note_buffer (ReinsRunNotes *self)
{
  return gtk_text_view_get_buffer (self->note_view);
}

GtkEditable *
_reins_run_notes_get_tag_entry (ReinsRunNotes *self)
{
  return GTK_EDITABLE (self->tag_entry);
}

GtkEditable *
_reins_run_notes_get_name_entry (ReinsRunNotes *self)
{
  return GTK_EDITABLE (self->name_entry);
}

/* The reason shown under the entry, or NULL. */
const char *
_reins_run_notes_get_error (ReinsRunNotes *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
           ? gtk_label_get_label (self->error_label) : NULL;
}
