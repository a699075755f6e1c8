/* reins-run-header.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run's header: task, status and totals; while it runs, progress, controls and the bar
 * that says it waits for a person.
 */

#pragma once

#include <gtk/gtk.h>

#include "reins-executor.h"

G_BEGIN_DECLS

#define REINS_TYPE_RUN_HEADER (reins_run_header_get_type ())

G_DECLARE_FINAL_TYPE (ReinsRunHeader, reins_run_header, REINS, RUN_HEADER, GtkWidget)

void           reins_run_header_set_run          (ReinsRunHeader *self,
                                                  ReinsRun       *run);
ReinsRun      *reins_run_header_get_run          (ReinsRunHeader *self);
void           reins_run_header_set_executor     (ReinsRunHeader *self,
                                                  ReinsExecutor  *executor);
guint          reins_run_header_get_waiting_step (ReinsRunHeader *self);
gboolean       reins_run_header_get_approval_bar_shown (ReinsRunHeader *self);
void           reins_run_header_set_note         (ReinsRunHeader *self,
                                                  const char     *note);
const char    *reins_run_header_get_note_text    (ReinsRunHeader *self);
void           reins_run_header_set_name         (ReinsRunHeader *self,
                                                  const char     *name);
const char    *reins_run_header_get_title_text   (ReinsRunHeader  *self,
                                                  const char     **subtitle);

G_END_DECLS
