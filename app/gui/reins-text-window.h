/* reins-text-window.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window with the full text of something too long for a label, and a way to save it.
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define REINS_TYPE_TEXT_WINDOW (reins_text_window_get_type ())

/* The most bytes the text view gets; "Save As…" writes all of them. */
#define REINS_TEXT_WINDOW_MAX_BYTES (1024 * 1024)

G_DECLARE_FINAL_TYPE (ReinsTextWindow, reins_text_window, REINS, TEXT_WINDOW, AdwWindow)

GtkWidget *reins_text_window_new        (GtkWindow       *parent,
                                         const char      *title,
                                         GBytes          *text);
gboolean   reins_text_window_get_loaded (ReinsTextWindow *self);
void       reins_text_window_set_file_name (ReinsTextWindow *self,
                                            const char      *file_name);

G_END_DECLS
