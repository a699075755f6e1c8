/* reins-test-pg.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libpq-fe.h>
#include <string.h>
#include <unistd.h>

#include "reins-test-pg.h"

static void
ignore_notice (void       *data,
               const char *message)
{
}

/* Whether there is a server to test against. */
gboolean
reins_test_pg_available (void)
{
  const char *uri = g_getenv ("REINS_TEST_PG_URI");

  return uri != NULL && *uri != '\0';
}

/* Runs @sql on @uri, failing the test when it fails. */
void
reins_test_pg_exec (const char *uri,
                    const char *sql)
{
  PGconn *conn = PQconnectdb (uri);
  PGresult *result;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("Cannot connect to %s: %s", uri, PQerrorMessage (conn));
  PQsetNoticeProcessor (conn, ignore_notice, NULL);
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (result);
  PQfinish (conn);
}

/* Creates a schema of its own and returns the URI of a store in it. */
char *
reins_test_pg_schema_new (char **schema)
{
  const char *base = g_getenv ("REINS_TEST_PG_URI");
  g_autofree char *create = NULL;
  static guint counter;

  *schema = g_strdup_printf ("t_%d_%u_%u", (int) getpid (), ++counter,
                             g_random_int () % 100000);
  create = g_strdup_printf ("CREATE SCHEMA %s", *schema);
  reins_test_pg_exec (base, create);
  return g_strdup_printf ("%s%soptions=-csearch_path%%3D%s&application_name=%s", base,
                          strchr (base, '?') != NULL ? "&" : "?", *schema, *schema);
}

void
reins_test_pg_schema_drop (const char *schema)
{
  g_autofree char *drop = g_strdup_printf ("DROP SCHEMA %s CASCADE", schema);

  reins_test_pg_exec (g_getenv ("REINS_TEST_PG_URI"), drop);
}

/* No server to test against: a failure in CI and under build-aux/test.sh, else a skip. */
void
reins_test_pg_missing (gconstpointer data)
{
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0 || g_getenv ("REINS_TEST_REQUIRE_PG") != NULL)
    g_test_fail_printf ("REINS_TEST_PG_URI is not set: the PostgreSQL store is not tested "
                        "(build-aux/test.sh starts a server)");
  else
    g_test_skip ("REINS_TEST_PG_URI is not set: no PostgreSQL server to test the store "
                 "against (build-aux/test.sh starts one)");
}
