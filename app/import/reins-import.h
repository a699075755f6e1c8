/* reins-import.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Traces of other agents read into ordinary runs: OpenAI Chat Completions conversations,
 * Anthropic Messages conversations and OpenTelemetry GenAI spans (OTLP/JSON). Each
 * conversation becomes one run of provider `imported`; its id follows from its content, so
 * the same conversation imported twice is recognised and stored once.
 */

#pragma once

#include "reins-store.h"

G_BEGIN_DECLS

/* JSON from outside is refused when nested deeper than this. */
#define REINS_IMPORT_MAX_DEPTH 64
/* One JSON Lines line, or one whole JSON file, may be at most this large. */
#define REINS_IMPORT_MAX_DOCUMENT (256 * 1024 * 1024)

typedef struct
{
  guint imported;    /* runs stored */
  guint duplicates;  /* conversations already in the store */
  guint notes;       /* what could not be mapped, kept as notes on the runs */
} ReinsImportStats;

/* Called for each conversation read, after it is stored (or found already stored). */
typedef void (*ReinsImportFunc) (ReinsRun  *run,
                                 gboolean   duplicate,
                                 gpointer   user_data);

gboolean  reins_import_file          (ReinsStore        *store,
                                      const char        *path,
                                      ReinsImportStats  *stats,
                                      ReinsImportFunc    func,
                                      gpointer           user_data,
                                      GError           **error);
ReinsRun *reins_import_document      (JsonNode          *node,
                                      const char        *file,
                                      guint              line,
                                      GPtrArray        **steps,
                                      GError           **error);
JsonNode *reins_import_parse         (const char        *text,
                                      gsize              length,
                                      const char        *file,
                                      guint              first_line,
                                      GError           **error);
JsonObject *reins_import_get_labels  (ReinsRun          *run);

G_END_DECLS
