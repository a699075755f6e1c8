/* reins-window-views.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's actions for reading runs beyond their timeline: the overview across runs,
 * a person's tags and note on a run, and what the model was sent and answered at a step.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reins-run-notes.h"
#include "reins-text-window.h"
#include "reins-window-private.h"

/* win.overview: no run picked, the figures across runs instead. */
static void
overview_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  ReinsWindow *self = REINS_WINDOW (widget);

  reins_history_unselect (_reins_window_get_history (self));
  _reins_window_show_content (self);
}

static void
run_notes_changed_cb (ReinsRunNotes *notes,
                      ReinsWindow   *self)
{
  reins_history_annotated (_reins_window_get_history (self), reins_run_notes_get_run_id (notes));
  reins_run_view_annotated (_reins_window_get_run_view (self), reins_run_notes_get_run_id (notes));
}

/* win.annotate (s): tags and note of a run; win.annotate-shown: of the run shown. */
static void
annotate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  ReinsWindow *self = REINS_WINDOW (widget);
  ReinsHistory *history = _reins_window_get_history (self);
  ReinsStore *store = reins_history_get_store (history);
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *notes;

  if (store == NULL)
    return;
  if (param != NULL)
    run = reins_store_get_run (store, g_variant_get_string (param, NULL), &error);
  else if (reins_run_view_get_run (_reins_window_get_run_view (self)) != NULL)
    run = g_object_ref (reins_run_view_get_run (_reins_window_get_run_view (self)));
  if (run == NULL)
    {
      if (error != NULL)
        g_warning ("Cannot tag the run: %s", error->message);
      return;
    }

  notes = reins_run_notes_new (GTK_WINDOW (self), store, run);
  g_signal_connect_object (notes, "changed", G_CALLBACK (run_notes_changed_cb), self, 0);
  gtk_window_present (GTK_WINDOW (notes));
}

/* The request as sent, pretty when it is JSON. */
static void
append_body (GString    *text,
             const char *body)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *pretty = NULL;

  if (body == NULL || body[0] == '\0')
    {
      g_string_append (text, _("(empty)"));
      g_string_append_c (text, '\n');
      return;
    }
  node = reins_json_from_string (body, NULL);
  if (node != NULL && (pretty = reins_json_to_string (node, TRUE)) != NULL)
    g_string_append (text, pretty);
  else
    g_string_append (text, body);
  if (text->len > 0 && text->str[text->len - 1] != '\n')
    g_string_append_c (text, '\n');
}

static void
append_heading (GString    *text,
                const char *heading)
{
  if (text->len > 0)
    g_string_append_c (text, '\n');
  g_string_append_printf (text, "━━ %s ━━\n", heading);
}

/**
 * _reins_window_dup_exchange_text:
 *
 * What the model was sent at step @index of @run_id and what it answered, as the store
 * keeps them: the request and the raw reply of the model call, the reply as the step
 * stores it, and the critic's reply. Says so when the store keeps no call for the step
 * (an imported run, a fork's copied steps, a step a person set).
 *
 * Returns: (transfer full): the text, or %NULL with @error set when there is no such step
 */
char *
_reins_window_dup_exchange_text (ReinsStore  *store,
                                 const char  *run_id,
                                 guint        index,
                                 GError     **error)
{
  g_autoptr(ReinsStep) step = NULL;
  g_autofree char *request = NULL;
  g_autofree char *response = NULL;
  g_autoptr(GError) exchange_error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  const ReinsCritique *critique;

  step = reins_store_get_step (store, run_id, index, error);
  if (step == NULL)
    return NULL;

  if (reins_store_get_exchange (store, run_id, index, &request, &response, &exchange_error))
    {
      append_heading (text, _("Request sent to the model"));
      append_body (text, request);
      append_heading (text, _("Raw reply from the model"));
      append_body (text, response);
    }
  else
    {
      append_heading (text, _("Request sent to the model"));
      g_string_append (text, _("The store keeps no model call for this step: it was imported, "
                               "copied into a fork from its parent, or set by a person. "
                               "What the step keeps follows."));
      g_string_append_c (text, '\n');
    }

  append_heading (text, _("The model’s reply as stored on the step"));
  append_body (text, reins_step_get_reply (step));

  if ((critique = reins_step_get_critique (step)) != NULL)
    {
      append_heading (text, _("The critic’s reply"));
      append_body (text, critique->reply != NULL ? critique->reply : critique->error);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* win.show-exchange ((su)): the request and reply of a step, in a text window. */
static void
show_exchange_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  ReinsWindow *self = REINS_WINDOW (widget);
  ReinsStore *store = reins_history_get_store (_reins_window_get_history (self));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  g_autofree char *file_name = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *run_id;
  guint32 index;
  gsize length;
  GtkWidget *window;

  if (store == NULL)
    return;
  g_variant_get (param, "(&su)", &run_id, &index);

  text = _reins_window_dup_exchange_text (store, run_id, index, &error);
  if (text == NULL)
    {
      /* A step still under way is not stored yet. */
      g_debug ("No exchange to show for step %u of %s: %s", index, run_id, error->message);
      return;
    }

  length = strlen (text);
  bytes = g_bytes_new_take (g_steal_pointer (&text), length);
  /* Translators: the title of the window with what the model was sent and answered */
  title = g_strdup_printf (_("Request and Reply of Step %u"), index);
  window = reins_text_window_new (GTK_WINDOW (self), title, bytes);
  /* Translators: the file name Save As suggests for a step's request and reply */
  file_name = g_strdup_printf (_("step-%u-request-and-reply.txt"), index);
  reins_text_window_set_file_name (REINS_TEXT_WINDOW (window), file_name);
  gtk_window_present (GTK_WINDOW (window));
}

/* win.rate-step ((suis)): a person's thumb (1 up, -1 down, 0 none) and comment on a stored
 * step. The history searches again, for `feedback:`; a refusal says why. */
static void
rate_step_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  ReinsWindow *self = REINS_WINDOW (widget);
  ReinsStore *store = reins_history_get_store (_reins_window_get_history (self));
  g_autoptr(GError) error = NULL;
  const char *run_id, *comment;
  guint32 index;
  gint32 rating;

  if (store == NULL)
    return;
  g_variant_get (param, "(&sui&s)", &run_id, &index, &rating, &comment);

  if (!reins_store_set_feedback (store, run_id, index, rating, comment, &error))
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                                  _("Cannot Keep the Feedback"),
                                                  error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  reins_history_annotated (_reins_window_get_history (self), run_id);
  reins_run_view_step_rated (_reins_window_get_run_view (self), run_id, index, rating, comment);
}

void
_reins_window_class_add_view_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.overview", NULL, overview_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.overview",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "win.annotate", "s", annotate_action);
  gtk_widget_class_install_action (widget_class, "win.annotate-shown", NULL, annotate_action);
  gtk_widget_class_install_action (widget_class, "win.show-exchange", "(su)",
                                   show_exchange_action);
  gtk_widget_class_install_action (widget_class, "win.rate-step", "(suis)", rate_step_action);
}
