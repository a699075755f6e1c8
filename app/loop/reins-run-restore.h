/* reins-run-restore.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How a resume or a fork takes up a stored run: its provider, endpoint, model, seed and
 * every setting as stored, with only what a person gave explicitly on top (docs/run.md).
 */

#pragma once

#include "reins-domain.h"
#include "reins-provider.h"

G_BEGIN_DECLS

const char          *reins_run_restore_provider_name (ReinsRun                  *run,
                                                      JsonObject                *overrides);
void                 reins_run_restore_settings      (ReinsRun                  *run,
                                                      JsonObject                *overrides,
                                                      const char                *how,
                                                      guint                      at_step);
ReinsProviderConfig *reins_run_restore_provider      (ReinsRun                  *run,
                                                      const ReinsProviderConfig *base);

G_END_DECLS
