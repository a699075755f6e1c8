/* reins-run-view.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One stored run: its task and totals over the timeline of its steps.
 */

#pragma once

#include <gtk/gtk.h>

#include "reins-run-inspector.h"
#include "reins-executor.h"
#include "reins-store.h"

G_BEGIN_DECLS

#define REINS_TYPE_RUN_VIEW (reins_run_view_get_type ())

G_DECLARE_FINAL_TYPE (ReinsRunView, reins_run_view, REINS, RUN_VIEW, GtkWidget)

GtkWidget  *reins_run_view_new         (void);
ReinsStore *reins_run_view_get_store   (ReinsRunView *self);
void        reins_run_view_set_store   (ReinsRunView *self,
                                        ReinsStore   *store);
ReinsRun   *reins_run_view_get_run     (ReinsRunView *self);
void        reins_run_view_set_run     (ReinsRunView *self,
                                        ReinsRun     *run);
gboolean    reins_run_view_get_loading (ReinsRunView *self);
GListModel *reins_run_view_get_steps   (ReinsRunView *self);
void        reins_run_view_show_step   (ReinsRunView *self,
                                        guint         index);
guint       reins_run_view_get_highlighted_step (ReinsRunView *self);
GtkListView *reins_run_view_get_list_view (ReinsRunView *self);
ReinsRunInspector *reins_run_view_get_inspector (ReinsRunView *self);
GListModel *reins_run_view_get_shown_steps (ReinsRunView *self);
void           reins_run_view_set_executor (ReinsRunView  *self,
                                            ReinsExecutor *executor);
ReinsExecutor *reins_run_view_get_executor (ReinsRunView  *self);
void           reins_run_view_annotated    (ReinsRunView  *self,
                                            const char    *run_id);

void               reins_run_view_step_rated    (ReinsRunView *self,
                                                 const char   *run_id,
                                                 guint         index,
                                                 int           rating,
                                                 const char   *comment);

G_END_DECLS
