/* reins-run-cost.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a model call costs under a run's prices, and how its usage is counted: every call a
 * step makes (the step's own, a summary's, the critic's) adds its tokens and cost to the
 * step and to the run, so budgets see all of them.
 */

#pragma once

#include "reins-domain.h"

G_BEGIN_DECLS

double reins_run_cost_of       (JsonObject *settings,
                                guint64     input_tokens,
                                guint64     output_tokens);
double reins_run_cost_add_call (ReinsRun   *run,
                                ReinsStep  *step,
                                guint64     input_tokens,
                                guint64     output_tokens);

G_END_DECLS
