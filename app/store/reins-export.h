/* reins-export.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A stored run as a file: the JSON object of `show --json`, or a Markdown report.
 */

#pragma once

#include "reins-domain.h"

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

G_END_DECLS
