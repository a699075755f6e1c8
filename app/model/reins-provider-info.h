/* reins-provider-info.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One descriptor per built-in provider: what the command line, the New Run dialog, the
 * preferences and the key lookup need to know about it, written down once.
 */

#pragma once

#include "reins-provider.h"

G_BEGIN_DECLS

typedef struct _ReinsProviderInfo ReinsProviderInfo;

const ReinsProviderInfo * const *reins_provider_info_get_all (void);
const ReinsProviderInfo *reins_provider_info_lookup          (const char              *id);

const char    *reins_provider_info_get_id               (const ReinsProviderInfo  *info);
const char    *reins_provider_info_get_display_name     (const ReinsProviderInfo  *info);
const char    *reins_provider_info_get_default_base_url (const ReinsProviderInfo  *info);
const char    *reins_provider_info_get_default_model    (const ReinsProviderInfo  *info);
const char    *reins_provider_info_get_key_env          (const ReinsProviderInfo  *info);
gboolean       reins_provider_info_needs_key            (const ReinsProviderInfo  *info);
gboolean       reins_provider_info_has_endpoint         (const ReinsProviderInfo  *info);
gboolean       reins_provider_info_needs_script         (const ReinsProviderInfo  *info);
ReinsProvider *reins_provider_info_new_provider         (const ReinsProviderInfo  *info,
                                                         const ReinsProviderConfig *config,
                                                         GError                  **error);
GStrv          reins_provider_info_list_models          (const ReinsProviderInfo  *info,
                                                         const char               *base_url,
                                                         const char               *api_key,
                                                         GCancellable             *cancellable,
                                                         GError                  **error);

/* The environment variable of @id's key, or NULL (an unknown provider, or one without a key). */
const char    *reins_provider_key_env                   (const char               *id);

G_END_DECLS
