/* reins-enter.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Enter in a dialog's field as a keyboard user expects it: the dialog's default response.
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean reins_window_activate_default (GtkWindow   *window);
void     reins_enter_activates_default (GtkEditable *editable);

G_END_DECLS
