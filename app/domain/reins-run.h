/* reins-run.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One supervised run: its task, settings, status, totals and lineage. The steps live in the
 * store and are read lazily; a run object does not hold them.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "reins-domain-types.h"

G_BEGIN_DECLS

#define REINS_TYPE_RUN (reins_run_get_type ())

G_DECLARE_FINAL_TYPE (ReinsRun, reins_run, REINS, RUN, GObject)

ReinsRun       *reins_run_new                  (const char     *task);
ReinsRun       *reins_run_new_from_json        (JsonNode       *node,
                                                GPtrArray     **steps,
                                                GError        **error);
ReinsRun       *reins_run_copy                 (ReinsRun       *self);
char           *reins_run_generate_id          (void);
const char     *reins_run_get_id               (ReinsRun       *self);
void            reins_run_set_id               (ReinsRun       *self,
                                                const char     *id);
const char     *reins_run_get_task             (ReinsRun       *self);
void            reins_run_set_task             (ReinsRun       *self,
                                                const char     *task);
ReinsRunStatus  reins_run_get_status           (ReinsRun       *self);
void            reins_run_set_status           (ReinsRun       *self,
                                                ReinsRunStatus  status);
const char     *reins_run_get_provider         (ReinsRun       *self);
void            reins_run_set_provider         (ReinsRun       *self,
                                                const char     *provider);
const char     *reins_run_get_model            (ReinsRun       *self);
void            reins_run_set_model            (ReinsRun       *self,
                                                const char     *model);
JsonObject     *reins_run_get_settings         (ReinsRun       *self);
void            reins_run_set_settings         (ReinsRun       *self,
                                                JsonObject     *settings);
gint64          reins_run_get_created_at       (ReinsRun       *self);
void            reins_run_set_created_at       (ReinsRun       *self,
                                                gint64          unix_usec);
gint64          reins_run_get_finished_at      (ReinsRun       *self);
void            reins_run_set_finished_at      (ReinsRun       *self,
                                                gint64          unix_usec);
const char     *reins_run_get_final_answer     (ReinsRun       *self);
void            reins_run_set_final_answer     (ReinsRun       *self,
                                                const char     *answer);
const char     *reins_run_get_reason           (ReinsRun       *self);
void            reins_run_set_reason           (ReinsRun       *self,
                                                const char     *reason);
guint64         reins_run_get_input_tokens     (ReinsRun       *self);
guint64         reins_run_get_output_tokens    (ReinsRun       *self);
void            reins_run_set_tokens           (ReinsRun       *self,
                                                guint64         input_tokens,
                                                guint64         output_tokens);
double          reins_run_get_cost_usd         (ReinsRun       *self);
void            reins_run_set_cost_usd         (ReinsRun       *self,
                                                double          cost_usd);
guint           reins_run_get_step_count       (ReinsRun       *self);
void            reins_run_set_step_count       (ReinsRun       *self,
                                                guint           step_count);
const char     *reins_run_get_parent_run_id    (ReinsRun       *self);
guint           reins_run_get_fork_step        (ReinsRun       *self);
void            reins_run_set_parent           (ReinsRun       *self,
                                                const char     *parent_run_id,
                                                guint           fork_step);
JsonNode       *reins_run_to_json              (ReinsRun       *self,
                                                GPtrArray      *steps);

G_END_DECLS
