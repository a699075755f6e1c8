/* reins-expr.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Arithmetic expressions for the `calculator` tool: a recursive-descent parser that
 * evaluates as it parses. Nothing is ever handed to a shell or an interpreter.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest expression and deepest nesting accepted. */
#define REINS_EXPR_MAX_LENGTH 4096
#define REINS_EXPR_MAX_DEPTH  100

gboolean  reins_expr_evaluate (const char  *text,
                               double      *value,
                               GError     **error);
char     *reins_expr_format   (double       value);

G_END_DECLS
