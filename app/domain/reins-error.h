/* reins-error.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Reins error domain: every layer reports through it.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define REINS_ERROR (reins_error_quark ())

typedef enum
{
  REINS_ERROR_FAILED,
  REINS_ERROR_INVALID_DATA,       /* malformed JSON or a record that breaks the contract */
  REINS_ERROR_NOT_FOUND,          /* unknown run id, step, tool … */
  REINS_ERROR_USAGE,              /* bad options or arguments from a person */
  REINS_ERROR_STORE,              /* the run store failed (I/O, SQLite) */
  REINS_ERROR_STORE_CORRUPT,      /* the store file is damaged */
  REINS_ERROR_STORE_FOREIGN,      /* the file is a database, but not a Reins one */
  REINS_ERROR_STORE_NEWER,        /* written by a newer Reins; refused, not touched */
  REINS_ERROR_STORE_READ_ONLY,    /* the file or its folder cannot be written */
  REINS_ERROR_PROVIDER,           /* the model server answered with an error */
  REINS_ERROR_PROVIDER_AUTH,      /* 401/403: the key is missing or wrong */
  REINS_ERROR_PROVIDER_UNREACHABLE,
  REINS_ERROR_PROVIDER_RATE_LIMITED,
  REINS_ERROR_PROVIDER_PROTOCOL,  /* a reply that breaks the wire format */
  REINS_ERROR_PROVIDER_TIMEOUT,
  REINS_ERROR_TOOL,               /* a tool could not run */
  REINS_ERROR_SANDBOX,            /* a path outside the workspace */
  REINS_ERROR_MCP,                /* an MCP server died, stalled or broke the protocol */
  REINS_ERROR_CANCELLED,
} ReinsError;

GQuark   reins_error_quark       (void);
gboolean reins_error_is_provider (const GError *error);

G_END_DECLS
