/* reins-provider-inject.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mistake injection: a provider that wraps any other and replaces a fraction of its agent
 * replies with a mistake of a named kind (docs/mistakes.md).
 */

#pragma once

#include "reins-provider.h"

G_BEGIN_DECLS

#define REINS_TYPE_PROVIDER_INJECT (reins_provider_inject_get_type ())

G_DECLARE_FINAL_TYPE (ReinsProviderInject, reins_provider_inject, REINS, PROVIDER_INJECT, GObject)

/* The member of a stored raw response that names the injected kind. */
#define REINS_INJECT_RAW_MEMBER "reins_injected"

gboolean            reins_inject_parse_spec       (const char          *spec,
                                                   double              *rate,
                                                   guint               *kinds,
                                                   GError             **error);
const char * const *reins_inject_get_kind_names   (void);
const char         *reins_inject_get_kind_set     (const char          *kind);

ReinsProvider      *reins_provider_inject_new     (ReinsProvider       *inner,
                                                   const char          *spec,
                                                   guint64              seed,
                                                   GError             **error);
ReinsProvider      *reins_provider_inject_wrap_for_settings (ReinsProvider *inner,
                                                             JsonObject    *settings,
                                                             GError       **error);
ReinsProvider      *reins_provider_inject_get_inner (ReinsProviderInject *self);
char               *reins_inject_dup_kind_of_raw  (const char          *raw_response);

G_END_DECLS
