/* reins-test-pg.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A schema of its own in the test database (REINS_TEST_PG_URI, which build-aux/test.sh
 * sets), for the tests that run the same cases on SQLite and PostgreSQL.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  reins_test_pg_available     (void);
char     *reins_test_pg_schema_new    (char       **schema);
void      reins_test_pg_schema_drop   (const char  *schema);
void      reins_test_pg_exec          (const char  *uri,
                                       const char  *sql);
void      reins_test_pg_missing       (gconstpointer data);

G_END_DECLS
