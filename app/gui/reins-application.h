/* reins-application.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reins application: its actions, its options and its windows.
 */

#pragma once

#include <adwaita.h>

#include "reins-run-manager.h"

G_BEGIN_DECLS

#define REINS_TYPE_APPLICATION (reins_application_get_type ())

G_DECLARE_FINAL_TYPE (ReinsApplication, reins_application, REINS, APPLICATION, AdwApplication)

ReinsApplication *reins_application_new             (void);
ReinsRunManager  *reins_application_get_run_manager (ReinsApplication *self);

G_END_DECLS
