/* reins-provider-group.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One provider with a server in the preferences: endpoint, model, key, connection test.
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define REINS_TYPE_PROVIDER_GROUP (reins_provider_group_get_type ())

G_DECLARE_FINAL_TYPE (ReinsProviderGroup, reins_provider_group, REINS, PROVIDER_GROUP,
                      AdwPreferencesGroup)

GtkWidget  *reins_provider_group_new             (const char         *provider,
                                                  GSettings          *settings);
const char *reins_provider_group_get_provider    (ReinsProviderGroup *self);
void        reins_provider_group_test_connection (ReinsProviderGroup *self);
const char *reins_provider_group_get_test_status (ReinsProviderGroup *self);
void        reins_provider_group_save_key        (ReinsProviderGroup *self,
                                                  const char         *key);
const char *reins_provider_group_get_key_status  (ReinsProviderGroup *self);

G_END_DECLS
