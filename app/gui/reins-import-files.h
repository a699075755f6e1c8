/* reins-import-files.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Import… in the window: trace files chosen in a file chooser or dropped on the window are
 * read on a worker thread (app/import/ does the reading), the runs appear in the history as
 * they are stored, and a toast says how many were imported, skipped as already stored, or
 * failed, with the first error.
 */

#pragma once

#include <adwaita.h>

#include "reins-history.h"

G_BEGIN_DECLS

typedef struct
{
  guint  imported;     /* runs stored */
  guint  duplicates;   /* conversations already in the store */
  guint  failed;       /* files that could not be read, or stopped at a malformed part */
  char  *first_error;  /* (nullable) the first file's error */
} ReinsImportFilesResult;

void      reins_import_files_result_clear  (ReinsImportFilesResult  *result);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReinsImportFilesResult, reins_import_files_result_clear)

void      reins_import_files_async         (const char              *db_path,
                                            GFile                  **files,
                                            guint                    n_files,
                                            ReinsHistory            *history,
                                            GCancellable            *cancellable,
                                            GAsyncReadyCallback      callback,
                                            gpointer                 user_data);
gboolean  reins_import_files_finish        (GAsyncResult            *result,
                                            ReinsImportFilesResult  *out,
                                            GError                 **error);
char     *reins_import_files_describe      (const ReinsImportFilesResult *result);

void      reins_import_files               (ReinsHistory            *history,
                                            GFile                  **files,
                                            guint                    n_files);
void      reins_import_files_with_dialog   (GtkWindow               *parent,
                                            ReinsHistory            *history);
void      reins_import_files_add_drop_target (GtkWidget             *widget,
                                              ReinsHistory          *history);

G_END_DECLS
