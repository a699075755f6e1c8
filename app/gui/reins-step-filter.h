/* reins-step-filter.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which steps of a run the timeline lists: all, or those a person wants to look at.
 */

#pragma once

#include "reins-domain.h"

G_BEGIN_DECLS

/* The filters, by name:
 *   "all"             every step
 *   "decisions"       a person was asked or decided (a question, an approval, an edit)
 *   "failures"        the tool failed, or a guard corrected the step or ended the run
 *   "low-confidence"  a measured confidence below the run's threshold
 *   "guard:NAME"      the guard NAME said more than "allow" */
#define REINS_STEP_FILTER_ALL "all"

gboolean  reins_step_filter_is_valid   (const char *filter);
gboolean  reins_step_filter_matches    (const char *filter,
                                        ReinsStep  *step,
                                        double      threshold);
char     *reins_step_filter_describe   (const char *filter);

G_END_DECLS
