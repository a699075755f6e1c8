/* reins-export-file.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Saving a stored run as JSON or a Markdown report, from the window.
 */

#pragma once

#include <gtk/gtk.h>

#include "reins-store.h"

G_BEGIN_DECLS

typedef enum
{
  REINS_EXPORT_FORMAT_JSON,
  REINS_EXPORT_FORMAT_MARKDOWN,
} ReinsExportFormat;

ReinsExportFormat reins_export_format_for_file (GFile               *file);
void              reins_export_run_async       (const char          *db_path,
                                                const char          *run_id,
                                                GFile               *file,
                                                ReinsExportFormat    format,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean          reins_export_run_finish      (GAsyncResult        *result,
                                                GError             **error);
GFile            *reins_export_file_for_format (GFile               *file,
                                                ReinsExportFormat    format);
void              reins_export_run_to_file     (GtkWindow           *parent,
                                                const char          *db_path,
                                                const char          *run_id,
                                                GFile               *file,
                                                const char          *choice);
void              reins_export_run_with_dialog (GtkWindow           *parent,
                                                ReinsStore          *store,
                                                ReinsRun            *run);

G_END_DECLS
