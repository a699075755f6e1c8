/* reins-store-async.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads of the run store on worker threads, for a caller that must not block (the window).
 */

#pragma once

#include "reins-store.h"

G_BEGIN_DECLS

/* One step as an overview of a run needs it: a few numbers, no text. */
typedef struct
{
  guint   index;            /* from 1 */
  float   confidence;       /* 0..1, or < 0 when the step has none */
  float   cost_usd;
  float   cost_total_usd;   /* spent up to and including this step */
  guint32 input_tokens;
  guint32 output_tokens;
  guint8  worst;            /* ReinsVerdictKind of the most severe stored verdict */
} ReinsStepPoint;

/* Reads something through a connection that only this call uses while it runs; called on a
 * worker thread. Returns the result (freed with the destroy notify given to
 * reins_store_read_async()), or %NULL with @error set. */
typedef gpointer (*ReinsStoreReadFunc) (ReinsStore    *store,
                                        gpointer       data,
                                        GCancellable  *cancellable,
                                        GError       **error);

GArray    *reins_store_get_step_points         (ReinsStore           *self,
                                                const char           *run_id,
                                                GArray              **loop_steps,
                                                GError              **error);

void       reins_store_read_async              (ReinsStore           *self,
                                                ReinsStoreReadFunc    func,
                                                gpointer              data,
                                                GDestroyNotify        data_destroy,
                                                GDestroyNotify        result_destroy,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gpointer   reins_store_read_finish             (GAsyncResult         *result,
                                                GError              **error);

void       reins_store_read_steps_async        (ReinsStore           *self,
                                                const char           *run_id,
                                                guint                 first,
                                                guint                 max_steps,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GPtrArray *reins_store_read_steps_finish       (GAsyncResult         *result,
                                                GError              **error);

void       reins_store_read_step_points_async  (ReinsStore           *self,
                                                const char           *run_id,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GArray    *reins_store_read_step_points_finish (GAsyncResult         *result,
                                                GArray              **loop_steps,
                                                GError              **error);

G_END_DECLS
