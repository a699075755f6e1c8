/* reins-history.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history sidebar: the stored runs, newest first, and full-text search over them.
 */

#pragma once

#include <adwaita.h>

#include "reins-store.h"

G_BEGIN_DECLS

#define REINS_TYPE_HISTORY (reins_history_get_type ())

G_DECLARE_FINAL_TYPE (ReinsHistory, reins_history, REINS, HISTORY, GtkWidget)

GtkWidget  *reins_history_new              (void);
ReinsStore *reins_history_get_store        (ReinsHistory *self);
void        reins_history_set_store        (ReinsHistory *self,
                                            ReinsStore   *store);
void        reins_history_reload           (ReinsHistory *self);
gboolean    reins_history_get_loading      (ReinsHistory *self);
guint       reins_history_get_n_runs       (ReinsHistory *self);
GListModel *reins_history_get_model        (ReinsHistory *self);
ReinsRun   *reins_history_get_selected_run (ReinsHistory *self);
gboolean    reins_history_select_run       (ReinsHistory *self,
                                            const char   *run_id);
void        reins_history_search           (ReinsHistory *self,
                                            const char   *query);
void        reins_history_focus_search     (ReinsHistory *self);
void        reins_history_update_run       (ReinsHistory *self,
                                            ReinsRun     *run);
void        reins_history_poll             (ReinsHistory *self);
int         reins_history_get_status_filter (ReinsHistory *self);
void        reins_history_set_status_filter (ReinsHistory *self,
                                             int           status);
guint       reins_history_get_selected_step (ReinsHistory *self);
gboolean    reins_history_delete_run       (ReinsHistory *self,
                                            const char   *run_id);
gboolean    reins_history_undelete_run     (ReinsHistory *self,
                                            const char   *run_id);
guint       reins_history_get_depth        (ReinsHistory *self,
                                            ReinsRun     *run);
const char * const *reins_history_get_labels (ReinsHistory *self,
                                            const char   *run_id);
const char *reins_history_get_note         (ReinsHistory *self,
                                            const char   *run_id);
const char *reins_history_get_name         (ReinsHistory *self,
                                            const char   *run_id);
void        reins_history_annotated        (ReinsHistory *self,
                                            const char   *run_id);
void        reins_history_unselect         (ReinsHistory *self);
AdwToast   *_reins_history_get_toast       (ReinsHistory *self);

G_END_DECLS
