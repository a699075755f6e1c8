/* reins-bench-page.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bench in the window: start one on the simulator, see its table and chart (docs/bench.md).
 */

#pragma once

#include <adwaita.h>

#include "reins-bench.h"

G_BEGIN_DECLS

#define REINS_TYPE_BENCH_PAGE (reins_bench_page_get_type ())

G_DECLARE_FINAL_TYPE (ReinsBenchPage, reins_bench_page, REINS, BENCH_PAGE, AdwBin)

GtkWidget  *reins_bench_page_new       (const char     *store_path);
ReinsBench *reins_bench_page_get_bench (ReinsBenchPage *self);
void        reins_bench_page_set_bench (ReinsBenchPage *self,
                                        ReinsBench     *bench);
void        reins_bench_page_start     (ReinsBenchPage *self);
GtkWindow  *reins_bench_page_present_window (GtkWindow  *parent,
                                             const char *store_path);

G_END_DECLS
