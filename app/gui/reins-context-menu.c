/* reins-context-menu.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "reins-context-menu.h"

/**
 * reins_context_menu_popup:
 * @widget: the row; it must unparent the children it did not create in its dispose
 * @menu: the items, with actions the row can reach
 *
 * Shows @menu at (@x, @y) of @widget. The popover stays a child of @widget until the row
 * goes, and the next right click reuses it: GtkPopoverMenu emits "closed" before it
 * activates the chosen item, so a popover unparented on "closed" has lost the way to its
 * action by then, and the menu did nothing.
 *
 * Returns: (transfer none): the popover, for tests
 */
GtkWidget *
reins_context_menu_popup (GtkWidget  *widget,
                          GMenuModel *menu,
                          double      x,
                          double      y)
{
  GtkWidget *popover = NULL;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (G_IS_MENU_MODEL (menu), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER_MENU (child))
      popover = child;

  if (popover == NULL)
    {
      popover = gtk_popover_menu_new_from_model (menu);
      gtk_widget_set_parent (popover, widget);
      gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
    }
  else
    gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (popover), menu);

  gtk_popover_set_pointing_to (GTK_POPOVER (popover),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (popover));
  return popover;
}
