/* reins-run-lineage.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where a run comes from and where it went, as a line of links.
 */

#pragma once

#include "reins-domain.h"

G_BEGIN_DECLS

char *reins_run_lineage_markup (ReinsRun   *run,
                                GPtrArray  *forks,
                                GStrv      *fork_ids);

G_END_DECLS
