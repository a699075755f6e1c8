/* reins-search-hit.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One full-text search result: where the words were found and a snippet around them.
 * Immutable.
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define REINS_TYPE_SEARCH_HIT (reins_search_hit_get_type ())

G_DECLARE_FINAL_TYPE (ReinsSearchHit, reins_search_hit, REINS, SEARCH_HIT, GObject)

ReinsSearchHit *reins_search_hit_new         (const char     *run_id,
                                              guint           step,
                                              const char     *task,
                                              const char     *snippet);
const char     *reins_search_hit_get_run_id  (ReinsSearchHit *self);
guint           reins_search_hit_get_step    (ReinsSearchHit *self);
const char     *reins_search_hit_get_task    (ReinsSearchHit *self);
const char     *reins_search_hit_get_snippet (ReinsSearchHit *self);

G_END_DECLS
