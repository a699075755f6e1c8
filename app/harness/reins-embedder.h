/* reins-embedder.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsEmbedder: a deterministic hashed character-n-gram embedder for the guards that compare
 * actions (loop, drift). No model, no I/O: the same text always gives the same vector.
 */

#pragma once

#include "reins-guard.h"

G_BEGIN_DECLS

#define REINS_EMBEDDER_DIM 384

#define REINS_TYPE_EMBEDDER (reins_embedder_get_type ())

G_DECLARE_FINAL_TYPE (ReinsEmbedder, reins_embedder, REINS, EMBEDDER, GObject)

ReinsEmbedder *reins_embedder_new            (void);
ReinsEmbedder *reins_embedder_get_default    (void);
void           reins_embedder_embed_text     (ReinsEmbedder     *self,
                                              const char        *text,
                                              float             *out);
void           reins_embedder_embed_action   (ReinsEmbedder     *self,
                                              ReinsAction       *action,
                                              float             *out);

char          *reins_action_canonical_text   (ReinsAction       *action);
double         reins_embedding_cosine        (const float       *a,
                                              const float       *b,
                                              guint              dim);

/* Embeds @texts for a guard: with the provider's embeddings when the run's settings say
 * "embeddings": "provider" and the context offers them (and they all succeed), else with the
 * built-in embedder. Returns: (element-type GArray) one GArray of float per text. */
GPtrArray     *reins_guard_context_embed     (ReinsGuardContext *context,
                                              const char * const *texts);

G_END_DECLS
