/* reins-run-options.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The choices a person makes for a run (provider, limits, tools, guards…) and how they
 * become the run's settings (docs/run.md lists the keys).
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Strings and lists NULL, numbers -1: not given. */
typedef struct
{
  const char  *provider;       /* never NULL when applied with defaults */
  const char  *model;
  const char  *base_url;
  const char  *mode;           /* tools, react */
  const char  *tools;          /* comma-separated built-ins */
  const char  *workspace;
  char       **mcp;            /* NAME=COMMAND */
  char       **no_guard;
  int          max_steps;
  int          goal_every;
  int          tool_timeout;
  double       budget;
  double       threshold;
  double       price_in;
  double       price_out;
  double       sim_accuracy;
  gint64       seed;
  gboolean     no_stream;
  const char  *inject_mistakes; /* RATE[:KIND,…], for the mistake injection of issue 11 */
} ReinsRunOptions;

void        reins_run_options_init          (ReinsRunOptions        *options);
gboolean    reins_run_options_apply         (const ReinsRunOptions  *options,
                                             JsonObject             *settings,
                                             gboolean                defaults,
                                             GError                **error);
const char *reins_run_options_default_model (const char             *provider);

G_END_DECLS
