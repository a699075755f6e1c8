/* reins-run-notes.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window to tag a run and write a note on it.
 */

#pragma once

#include <adwaita.h>

#include "reins-store.h"

G_BEGIN_DECLS

#define REINS_TYPE_RUN_NOTES (reins_run_notes_get_type ())

G_DECLARE_FINAL_TYPE (ReinsRunNotes, reins_run_notes, REINS, RUN_NOTES, AdwWindow)

GtkWidget   *reins_run_notes_new         (GtkWindow     *parent,
                                          ReinsStore    *store,
                                          ReinsRun      *run);
const char  *reins_run_notes_get_run_id  (ReinsRunNotes *self);
gboolean     reins_run_notes_add_tag     (ReinsRunNotes *self,
                                          const char    *tag);
gboolean     reins_run_notes_remove_tag  (ReinsRunNotes *self,
                                          const char    *tag);
gboolean     reins_run_notes_save_note   (ReinsRunNotes *self);
gboolean     reins_run_notes_save_name   (ReinsRunNotes *self);
GtkEditable   *_reins_run_notes_get_name_entry  (ReinsRunNotes *self);
GtkTextBuffer *_reins_run_notes_get_note_buffer (ReinsRunNotes *self);
GtkEditable   *_reins_run_notes_get_tag_entry   (ReinsRunNotes *self);
const char    *_reins_run_notes_get_error       (ReinsRunNotes *self);

G_END_DECLS
