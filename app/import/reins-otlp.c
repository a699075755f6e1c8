/* reins-otlp.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * OpenTelemetry GenAI spans as OTLP/JSON.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-error.h"
#include "reins-import-private.h"

GPtrArray *
reins_otlp_read (JsonObject  *root,
                 GError     **error)
{
  g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                       _("OTLP/JSON is not read yet"));
  return NULL;
}
