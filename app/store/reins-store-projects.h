/* reins-store-projects.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "reins-store.h"

G_BEGIN_DECLS

gboolean  reins_store_has_projects           (ReinsStore  *self);
GStrv     reins_store_list_projects          (ReinsStore  *self,
                                              GError     **error);
char     *reins_store_dup_connection_project (ReinsStore  *self);
gboolean  reins_store_project_name_is_valid  (const char  *name);
char     *reins_store_location_with_project  (const char  *location,
                                              const char  *project);

G_END_DECLS
