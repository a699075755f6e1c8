/* reins-run-setup.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsRunSetup says what an executor runs and how to reach its provider: a new run, a
 * stored run resumed or a fork of one, its settings merged with the person's changes. It
 * also builds, on the worker, what a run needs from its settings: the provider, the tools
 * (with their MCP servers), the harness and the critic's provider. Replay and what-if build
 * their tools and settings through it too.
 */

#pragma once

#include <gio/gio.h>

#include "reins-domain.h"
#include "reins-harness.h"
#include "reins-provider.h"
#include "reins-store.h"
#include "reins-tool-registry.h"

G_BEGIN_DECLS

typedef enum
{
  REINS_RUN_SETUP_NEW,
  REINS_RUN_SETUP_RESUME,
  REINS_RUN_SETUP_FORK,
} ReinsRunSetupKind;

typedef struct
{
  ReinsRunSetupKind    kind;
  ReinsRun            *run;       /* the run to execute, its settings restored */
  ReinsProviderConfig *provider;  /* how to reach its provider; the key is never stored */
  ReinsProviderConfig *critic;    /* (nullable) the critic's own provider */
  char                *db_path;   /* (nullable) the store, or the default one */
  guint                fork_step; /* a fork: the first step run live */
} ReinsRunSetup;

ReinsRunSetup      *reins_run_setup_new            (ReinsRun                  *run,
                                                    const ReinsProviderConfig *provider,
                                                    const char                *db_path);
ReinsRunSetup      *reins_run_setup_new_resume     (ReinsRun                  *stored,
                                                    JsonObject                *overrides,
                                                    const ReinsProviderConfig *provider,
                                                    const char                *db_path,
                                                    GError                   **error);
ReinsRunSetup      *reins_run_setup_new_fork       (ReinsRun                  *parent,
                                                    guint                      from_step,
                                                    JsonObject                *settings,
                                                    const ReinsProviderConfig *provider,
                                                    const char                *db_path,
                                                    GError                   **error);
void                reins_run_setup_free           (ReinsRunSetup             *self);

JsonObject         *reins_run_setup_merge_settings (JsonObject                *base,
                                                    JsonObject                *overrides);
char               *reins_run_setup_tool_list      (JsonObject                *settings,
                                                    gboolean                   builtin_only);

ReinsRun           *reins_run_setup_load_resume    (ReinsRunSetup             *self,
                                                    ReinsStore                *store,
                                                    GPtrArray                **steps,
                                                    GError                   **error);
ReinsProvider      *reins_run_setup_make_provider  (ReinsRunSetup             *self,
                                                    JsonObject                *settings,
                                                    GError                   **error);
ReinsProviderConfig *reins_run_setup_critic_config (ReinsRunSetup             *self,
                                                    ReinsRun                  *run);
ReinsToolRegistry  *reins_run_setup_make_tools     (JsonObject                *settings,
                                                    const char                *workspace,
                                                    GCancellable              *cancellable,
                                                    GError                   **error);
ReinsHarness       *reins_run_setup_make_harness   (JsonObject                *settings);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsRunSetup, reins_run_setup_free)

G_END_DECLS
