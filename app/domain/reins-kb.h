/* reins-kb.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The benchmark and demo knowledge base (CONTRACTS §3, tool `kb_lookup`). It is shared by
 * the `kb_lookup` tool and the `sim` provider, which is why it lives with the records.
 *
 * A chain of length L has keys 0 … L-1. Key 0 is `chain-<seed>-<L>/0`; key i ≥ 1 is
 * `chain-<seed>-<L>/<i>-<hash>`, with a 4-hex-digit hash of (seed, L, i), so later keys can
 * be found but not guessed. Looking up key i < L-1 gives `{"next": key i+1}`; the last key
 * gives `{"value": …}`; anything else gives `{"error": "unknown key"}`. Nothing is stored:
 * every key resolves from its own text.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define REINS_KB_MAX_LENGTH 10000

char     *reins_kb_key          (guint        seed,
                                 guint        length,
                                 guint        index);
char     *reins_kb_value        (guint        seed,
                                 guint        length);
char     *reins_kb_lookup       (const char  *key);
gboolean  reins_kb_parse_key    (const char  *key,
                                 guint       *seed,
                                 guint       *length,
                                 guint       *index);
char     *reins_kb_task         (guint        seed,
                                 guint        length);
gboolean  reins_kb_parse_task   (const char  *task,
                                 guint       *seed,
                                 guint       *length);

G_END_DECLS
