/* reins-otlp-exporter.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Live export of runs to an OTLP/HTTP collector (POST {endpoint}/v1/traces, OTLP/JSON): each
 * step's spans as the step ends, the run's span when it ends. The spans are built and sent
 * on a thread of the exporter's own, through a bounded queue, so a slow or absent collector
 * never slows a run: 429, 5xx and lost connections are retried with exponential back-off and
 * jitter (honouring Retry-After), and when the queue is full the oldest batch is dropped and
 * counted.
 */

#pragma once

#include "reins-executor.h"
#include "reins-otlp.h"

G_BEGIN_DECLS

/* Batches (one step's spans, or one run's span) waiting at most, by default. */
#define REINS_OTLP_EXPORTER_QUEUE 512

#define REINS_TYPE_OTLP_EXPORTER (reins_otlp_exporter_get_type ())

G_DECLARE_FINAL_TYPE (ReinsOtlpExporter, reins_otlp_exporter, REINS, OTLP_EXPORTER, GObject)

typedef struct
{
  guint delivered;  /* spans the collector accepted */
  guint dropped;    /* spans given up: the queue was full, the collector refused them, or the
                     * flush's deadline passed */
  guint retries;    /* tries again scheduled after a 429, a 5xx or a lost connection */
  guint rejected;   /* of the dropped: refused by the collector (another 4xx) */
} ReinsOtlpExporterStats;

char              *reins_otlp_exporter_traces_url   (const char          *endpoint,
                                                     GError             **error);
ReinsOtlpExporter *reins_otlp_exporter_new          (const char          *url,
                                                     GError             **error);
ReinsOtlpExporter *reins_otlp_exporter_new_from_env (GError             **error);
gboolean           reins_otlp_exporter_add_header   (ReinsOtlpExporter   *self,
                                                     const char          *name_value,
                                                     GError             **error);
gboolean           reins_otlp_exporter_add_headers  (ReinsOtlpExporter   *self,
                                                     const char          *list,
                                                     GError             **error);
void               reins_otlp_exporter_set_header   (ReinsOtlpExporter   *self,
                                                     const char          *name,
                                                     const char          *value);
void               reins_otlp_exporter_set_content  (ReinsOtlpExporter   *self,
                                                     gboolean             content);
void               reins_otlp_exporter_set_queue_size (ReinsOtlpExporter *self,
                                                       guint              size);
const char        *reins_otlp_exporter_get_url      (ReinsOtlpExporter   *self);
void               reins_otlp_exporter_add          (ReinsOtlpExporter   *self,
                                                     ReinsRun            *run,
                                                     GPtrArray           *steps,
                                                     ReinsOtlpParts       parts);
void               reins_otlp_exporter_watch        (ReinsOtlpExporter   *self,
                                                     ReinsExecutor       *executor);
gboolean           reins_otlp_exporter_flush        (ReinsOtlpExporter   *self,
                                                     guint                timeout_ms);
void               reins_otlp_exporter_get_stats    (ReinsOtlpExporter   *self,
                                                     ReinsOtlpExporterStats *stats);

G_END_DECLS
