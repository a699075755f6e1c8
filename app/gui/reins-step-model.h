/* reins-step-model.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The steps of a stored run as a GListModel whose items are read from the store on demand.
 */

#pragma once

#include <gio/gio.h>

#include "reins-domain.h"
#include "reins-store.h"

G_BEGIN_DECLS

#define REINS_TYPE_STEP_MODEL (reins_step_model_get_type ())

G_DECLARE_FINAL_TYPE (ReinsStepModel, reins_step_model, REINS, STEP_MODEL, GObject)

ReinsStepModel *reins_step_model_new          (ReinsStore     *store,
                                               const char     *run_id,
                                               guint           n_steps);
const char     *reins_step_model_get_run_id   (ReinsStepModel *self);
gboolean        reins_step_model_is_loaded    (ReinsStepModel *self,
                                               guint           position);
guint           reins_step_model_get_n_pending (ReinsStepModel *self);
guint           reins_step_model_get_n_steps  (ReinsStepModel *self);
void            reins_step_model_set_n_steps  (ReinsStepModel *self,
                                               guint           n_steps);
void            reins_step_model_prefetch     (ReinsStepModel *self,
                                               guint           position);
gboolean        reins_step_model_get_loading  (ReinsStepModel *self);

G_END_DECLS
