/* reins-window.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: the history of runs beside the run that is picked.
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define REINS_TYPE_WINDOW (reins_window_get_type ())

G_DECLARE_FINAL_TYPE (ReinsWindow, reins_window, REINS, WINDOW, AdwApplicationWindow)

ReinsWindow *reins_window_new            (GtkApplication *application,
                                          const char     *store_path);
const char  *reins_window_get_store_path (ReinsWindow    *self);

G_END_DECLS
