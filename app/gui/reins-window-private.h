/* reins-window-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's fields, shared with its actions (reins-window-actions.c, reins-window-views.c)
 * and its live runs (reins-window-runs.c), and the parts of the window the tests look into.
 */

#pragma once

#include "reins-history.h"
#include "reins-overview.h"
#include "reins-run-manager.h"
#include "reins-run-view.h"
#include "reins-store.h"
#include "reins-window.h"

G_BEGIN_DECLS

struct _ReinsWindow
{
  AdwApplicationWindow  parent_instance;

  char                 *store_path;
  ReinsStore           *store;
  GSettings            *settings;
  ReinsRunManager      *run_manager;     /* the application's, or the window's own */
  GtkWidget            *new_run_dialog;  /* weak */
  GtkWidget            *approval_dialog; /* weak */
  gboolean              updating_history;

  GtkStack             *stack;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar_pane;
  GtkWidget            *content_pane;
  ReinsHistory         *history;
  GtkStack             *content_stack;
  ReinsRunView         *run_view;
  ReinsOverview        *overview;
  AdwStatusPage        *error_page;
  GtkWidget            *remote_questions; /* in content_pane; NULL without a store */
};

void          _reins_window_class_add_actions   (GtkWidgetClass *widget_class);
void          _reins_window_show_approval_for   (ReinsWindow    *self,
                                                 ReinsApproval  *approval);

ReinsHistory *_reins_window_get_history      (ReinsWindow *self);
ReinsRunView *_reins_window_get_run_view     (ReinsWindow *self);
const char   *_reins_window_get_page         (ReinsWindow *self);
const char   *_reins_window_get_error_text   (ReinsWindow *self);
GtkWidget    *_reins_window_get_approval_dialog (ReinsWindow *self);
GtkWidget    *_reins_window_get_new_run_dialog  (ReinsWindow *self);
guint         _reins_window_get_n_live_runs     (ReinsWindow *self);
GtkWidget    *_reins_window_get_remote_questions (ReinsWindow *self);
void          _reins_window_show_content        (ReinsWindow *self);
void          _reins_window_show_selected_run   (ReinsWindow *self);

/* reins-window-runs.c */
void          _reins_window_update_actions      (ReinsWindow *self);

/* reins-window-views.c */
void          _reins_window_class_add_view_actions (GtkWidgetClass *widget_class);
char         *_reins_window_dup_exchange_text   (ReinsStore  *store,
                                                 const char  *run_id,
                                                 guint        index,
                                                 GError     **error);

G_END_DECLS
