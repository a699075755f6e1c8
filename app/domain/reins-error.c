/* reins-error.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "reins-error.h"

G_DEFINE_QUARK (reins-error-quark, reins_error)

/**
 * reins_error_is_provider:
 * @error: (nullable): an error
 *
 * Returns: whether @error is the model provider's: one of the provider codes, or an error of
 *   GIO or libsoup (the network)
 */
gboolean
reins_error_is_provider (const GError *error)
{
  if (error == NULL)
    return FALSE;
  if (error->domain != REINS_ERROR)
    return TRUE;
  switch (error->code)
    {
    case REINS_ERROR_PROVIDER:
    case REINS_ERROR_PROVIDER_AUTH:
    case REINS_ERROR_PROVIDER_UNREACHABLE:
    case REINS_ERROR_PROVIDER_RATE_LIMITED:
    case REINS_ERROR_PROVIDER_PROTOCOL:
    case REINS_ERROR_PROVIDER_TIMEOUT:
      return TRUE;
    default:
      return FALSE;
    }
}
