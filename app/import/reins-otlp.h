/* reins-otlp.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run as OpenTelemetry GenAI spans in OTLP/JSON: an `invoke_agent` span for the run, a
 * `chat` span per model call and an `execute_tool` span per tool call, with `gen_ai.*`
 * attributes, and the harness's verdicts and a person's decisions as span events. Prompts,
 * tool arguments and results are written only when asked for (@content). reins-import.c
 * reads such files back.
 */

#pragma once

#include "reins-domain.h"

G_BEGIN_DECLS

typedef enum
{
  REINS_OTLP_RUN_SPAN   = 1 << 0,  /* the run's invoke_agent span */
  REINS_OTLP_STEP_SPANS = 1 << 1,  /* the chat and execute_tool spans of the steps given */
  REINS_OTLP_ALL        = REINS_OTLP_RUN_SPAN | REINS_OTLP_STEP_SPANS,
} ReinsOtlpParts;

char *reins_otlp_export       (ReinsRun        *run,
                               GPtrArray       *steps,
                               gboolean         content);
char *reins_otlp_export_parts (ReinsRun        *run,
                               GPtrArray       *steps,
                               ReinsOtlpParts   parts,
                               gboolean         content,
                               gboolean         pretty,
                               guint           *n_spans);

G_END_DECLS
