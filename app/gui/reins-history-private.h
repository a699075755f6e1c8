/* reins-history-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of the history sidebar share: its instance, and the helpers of
 * reins-history.c (the list), reins-history-nest.c (forks, tags and notes),
 * reins-history-search.c and reins-history-delete.c.
 */

#pragma once

#include <adwaita.h>

#include "reins-history.h"

G_BEGIN_DECLS

/* The status filter that shows every run. */
#define ALL_STATUSES   (-1)

struct _ReinsHistory
{
  GtkWidget           parent_instance;

  ReinsStore         *store;
  GListStore         *runs;
  GListStore         *results;
  char               *reading_id;      /* the run last selected */
  GtkSingleSelection *selection;
  guint               load_source;
  guint               n_runs;
  char               *query;
  int                 status_filter;
  /* run id → index of the step its best search hit is in */
  GHashTable         *hit_steps;
  /* runs deleted whose toast may still undo it: purged when none is left */
  GHashTable         *pending_deletes;
  guint               poll_source;
  gint64              data_version;
  /* run id → Annotation (its tags and note), read when a row first asks */
  GHashTable         *annotations;
  /* run id → how deep under its parent a fork sits in the whole history */
  GHashTable         *depths;

  GtkSearchEntry     *search_entry;
  GtkDropDown        *filter_dropdown;
  GtkStack           *stack;
  GtkListView        *list_view;
  AdwStatusPage      *no_results_page;
  AdwToastOverlay    *toast_overlay;
  AdwToast           *toast;           /* the last toast shown, while it is (weak) */
};

/* reins-history.c */
void      reins_history_set_n_runs      (ReinsHistory *self,
                                         guint         n_runs);
void      reins_history_show_model      (ReinsHistory *self,
                                         GListModel   *model);
void      reins_history_emit_annotated  (ReinsHistory *self,
                                         const char   *run_id);
ReinsRun *reins_history_find_run        (GListModel   *model,
                                         const char   *run_id,
                                         guint        *position);

/* reins-history-nest.c */
void      reins_history_nest            (ReinsHistory *self);
void      reins_history_annotation_free (gpointer      data);

G_END_DECLS
