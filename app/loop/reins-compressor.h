/* reins-compressor.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsCompressor keeps a run's context short: the running summary of its first steps,
 * written by the model when it can (reins_prompt_summary_update()), else extracted from the
 * steps (reins_prompt_summarize()), and stored so a resumed run prompts as the first one
 * did. One per worker, used on the worker's thread only.
 */

#pragma once

#include "reins-domain.h"
#include "reins-provider.h"
#include "reins-store.h"

G_BEGIN_DECLS

typedef struct _ReinsCompressor ReinsCompressor;

ReinsCompressor *reins_compressor_new          (ReinsStore      *store,
                                                ReinsProvider   *provider,
                                                ReinsRun        *run,
                                                GPtrArray       *steps,
                                                GCancellable    *cancellable);
void             reins_compressor_free         (ReinsCompressor *self);
gboolean         reins_compressor_uses_model   (ReinsCompressor *self);
const char      *reins_compressor_summary_upto (ReinsCompressor *self,
                                                ReinsStep       *step,
                                                guint            upto);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsCompressor, reins_compressor_free)

G_END_DECLS
