/* reins-enter.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An AdwMessageDialog makes its default response's button the window's default widget, but
 * Enter in a spin button or an entry of its extra child does not reach it (GTK 4.8 spin
 * buttons have no activates-default, and the focus starts in such a field). These press
 * that button, as a click would, so the dialog answers and closes the way it does for one.
 */

#include "config.h"

#include "reins-enter.h"

/**
 * reins_window_activate_default:
 *
 * Activates @window's default widget if it is sensitive (a disabled response stays so).
 * Returns: whether there was one to activate
 */
gboolean
reins_window_activate_default (GtkWindow *window)
{
  GtkWidget *widget;

  g_return_val_if_fail (GTK_IS_WINDOW (window), FALSE);

  widget = gtk_window_get_default_widget (window);
  if (widget == NULL || !gtk_widget_is_sensitive (widget))
    return FALSE;
  return gtk_widget_activate (widget);
}

static void
text_activate_cb (GtkWidget *text,
                  gpointer   user_data)
{
  GtkRoot *root = gtk_widget_get_root (text);

  if (GTK_IS_WINDOW (root))
    reins_window_activate_default (GTK_WINDOW (root));
}

/**
 * reins_enter_activates_default:
 *
 * Enter in @editable (an entry or a spin button: its text, after it took the value in)
 * activates the default widget of the window it is in.
 */
void
reins_enter_activates_default (GtkEditable *editable)
{
  GtkEditable *text;

  g_return_if_fail (GTK_IS_EDITABLE (editable));

  text = gtk_editable_get_delegate (editable);
  if (text == NULL)
    text = editable;
  g_signal_connect_after (text, "activate", G_CALLBACK (text_activate_cb), NULL);
}
