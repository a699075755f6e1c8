/* reins-context-menu.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The right-click menu of a row (history row, step row).
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkWidget *reins_context_menu_popup (GtkWidget  *widget,
                                     GMenuModel *menu,
                                     double      x,
                                     double      y);

G_END_DECLS
