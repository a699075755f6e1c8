/* reins-format.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the window writes times, costs, statuses and long texts for a person.
 */

#pragma once

#include <glib.h>

#include "reins-domain.h"

G_BEGIN_DECLS

/* The most characters a label gets of a long text; the rest is offered on demand. */
#define REINS_FORMAT_EXCERPT_CHARS 4000

char       *reins_format_relative_time   (gint64                 unix_usec,
                                          gint64                 now_usec);
char       *reins_format_cost            (double                 cost_usd);
char       *reins_format_tokens          (guint64                input_tokens,
                                          guint64                output_tokens);
char       *reins_format_duration        (gint64                 duration_ms);
char       *reins_format_excerpt         (const char            *text,
                                          gsize                  max_chars,
                                          gboolean              *truncated);
const char *reins_format_status_label    (ReinsRunStatus         status);
const char *reins_format_status_icon     (ReinsRunStatus         status);
const char *reins_format_status_style    (ReinsRunStatus         status);
const char *reins_format_verdict_style   (ReinsVerdictKind       kind);
const char *reins_format_confidence_source (ReinsConfidenceSource source);
const char *reins_format_guard_heading   (const char            *guard);
const char *reins_format_guard_name      (const char            *guard);
const char *reins_format_verdict_kind    (ReinsVerdictKind       kind);
char       *reins_format_confidence      (double                 confidence,
                                          double                 threshold);
const char *reins_format_graver_guard    (const char            *a,
                                          const char            *b);
char       *reins_format_action          (ReinsAction           *action);

G_END_DECLS
