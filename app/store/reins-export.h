/* reins-export.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A stored run as a file: the JSON object of `show --json`, or a Markdown report.
 */

#pragma once

#include "reins-domain.h"
#include "reins-store.h"

G_BEGIN_DECLS

/* Observations longer than this many characters are cut in the Markdown report. */
#define REINS_EXPORT_OBSERVATION_LIMIT 4000

JsonNode *reins_export_run_node        (ReinsRun   *run,
                                        GPtrArray  *steps);
char     *reins_export_json            (ReinsRun   *run,
                                        GPtrArray  *steps);
char     *reins_export_markdown        (ReinsRun   *run,
                                        GPtrArray  *steps);
gboolean  reins_export_is_secret_key   (const char *key);

/* The same with what a person wrote on the run: its tags and note. */
void      reins_export_add_labels          (JsonNode           *run_node,
                                            const char * const *tags,
                                            const char         *note);
char     *reins_export_json_labelled       (ReinsRun           *run,
                                            GPtrArray          *steps,
                                            const char * const *tags,
                                            const char         *note);
char     *reins_export_markdown_labelled   (ReinsRun           *run,
                                            GPtrArray          *steps,
                                            const char * const *tags,
                                            const char         *note);
gboolean  reins_export_read_labels         (ReinsStore         *store,
                                            const char         *run_id,
                                            GStrv              *tags,
                                            char              **note,
                                            GError            **error);

/* And a person's name for the run and feedback on its steps (ReinsStepFeedback). */
void      reins_export_add_feedback        (JsonNode           *run_node,
                                            const char         *name,
                                            GPtrArray          *feedback);
char     *reins_export_json_full           (ReinsRun           *run,
                                            GPtrArray          *steps,
                                            const char * const *tags,
                                            const char         *note,
                                            const char         *name,
                                            GPtrArray          *feedback);
char     *reins_export_markdown_full       (ReinsRun           *run,
                                            GPtrArray          *steps,
                                            const char * const *tags,
                                            const char         *note,
                                            const char         *name,
                                            GPtrArray          *feedback);
gboolean  reins_export_read_feedback       (ReinsStore         *store,
                                            const char         *run_id,
                                            char              **name,
                                            GPtrArray         **feedback,
                                            GError            **error);

G_END_DECLS
