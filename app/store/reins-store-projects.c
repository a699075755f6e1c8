/* reins-store-projects.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The projects of a PostgreSQL store (docs/team.md) as a window offers them: the ones the
 * person may start runs in, and a connection string that puts a run in one. A run belongs
 * to the project its connection names (`-c reins.project=NAME`), set when it is created;
 * a SQLite file has no projects.
 */

#include "config.h"

#include <string.h>

#include "reins-store-private.h"
#include "reins-store-projects.h"

/* Whether the store has projects (PostgreSQL). */
gboolean
reins_store_has_projects (ReinsStore *self)
{
  g_return_val_if_fail (REINS_IS_STORE (self), FALSE);

  return self->backend == &reins_store_pg_backend;
}

static void
read_name (const ReinsStoreRow *row,
           gpointer             data)
{
  GStrvBuilder *names = data;
  g_autofree char *name = row->text (row, 0);

  /* A name a connection option cannot carry is not offered. */
  if (name != NULL && reins_store_project_name_is_valid (name))
    g_strv_builder_add (names, name);
}

/**
 * reins_store_list_projects:
 *
 * The projects the role that logged in may start runs in: those it is a runner or an admin
 * of, or all of them for a role row-level security does not bind (the tables' owner, a
 * superuser). Reading them needs no rights beyond reading the store.
 *
 * Returns: (transfer full): the names, sorted; empty on a store without projects; %NULL
 *   with @error when they cannot be read
 */
GStrv
reins_store_list_projects (ReinsStore  *self,
                           GError     **error)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  g_return_val_if_fail (REINS_IS_STORE (self), NULL);

  if (reins_store_has_projects (self) &&
      !reins_store_query (self,
                          "SELECT name FROM projects "
                          "WHERE reins_may (name, 'write') "
                          "  OR (SELECT rolsuper OR rolbypassrls FROM pg_roles "
                          "      WHERE rolname = current_user) "
                          "  OR pg_has_role (current_user, (SELECT relowner FROM pg_class "
                          "                                 WHERE oid = 'runs'::regclass), "
                          "                  'USAGE') "
                          "ORDER BY name",
                          NULL, read_name, names, error))
    return NULL;
  return g_strv_builder_end (names);
}

static void
read_text (const ReinsStoreRow *row,
           gpointer             data)
{
  char **text = data;

  g_free (*text);
  *text = row->text (row, 0);
}

/**
 * reins_store_dup_connection_project:
 *
 * Returns: (transfer full) (nullable): the project the connection names (its URI's options or
 *   $PGOPTIONS), where its new runs go; %NULL for none, or on a store without projects
 */
char *
reins_store_dup_connection_project (ReinsStore *self)
{
  g_autofree char *project = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (REINS_IS_STORE (self), NULL);

  if (!reins_store_has_projects (self))
    return NULL;
  if (!reins_store_query (self, "SELECT nullif (current_setting ('reins.project', true), '')",
                          NULL, read_text, &project, &error))
    {
      g_debug ("Cannot read the connection's project: %s", error->message);
      return NULL;
    }
  return g_steal_pointer (&project);
}

/* Letters, digits, "_", "-" and ".": what `-c reins.project=NAME` carries as it is. */
gboolean
reins_store_project_name_is_valid (const char *name)
{
  if (name == NULL || name[0] == '\0')
    return FALSE;
  for (const char *c = name; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '_' && *c != '-' && *c != '.')
      return FALSE;
  return TRUE;
}

/**
 * reins_store_location_with_project:
 * @location: a postgresql:// URI
 * @project: (nullable): a project name, or %NULL for none
 *
 * @location with `-c reins.project=NAME` last in its `options=` parameter (added if it has
 * none), so a run created through it belongs to @project whatever project the URI named;
 * for %NULL, to no project.
 *
 * Returns: (transfer full) (nullable): the URI, or %NULL when @location is no PostgreSQL
 *   URI or @project no valid name
 */
char *
reins_store_location_with_project (const char *location,
                                   const char *project)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *option = NULL;
  g_autofree char *joined = NULL;
  g_auto(GStrv) given = NULL;
  const char *query;
  gboolean found = FALSE;

  g_return_val_if_fail (location != NULL, NULL);

  if (!reins_store_is_pg_uri (location) ||
      (project != NULL && !reins_store_project_name_is_valid (project)))
    return NULL;

  option = g_strdup_printf ("-c reins.project=%s", project != NULL ? project : "");
  query = strchr (location, '?');
  given = g_strsplit (query != NULL ? query + 1 : "", "&", -1);
  for (guint i = 0; given[i] != NULL; i++)
    {
      g_autofree char *value = NULL;
      g_autofree char *options = NULL;
      g_autofree char *escaped = NULL;

      if (given[i][0] == '\0')
        continue;
      if (found || !g_str_has_prefix (given[i], "options="))
        {
          g_ptr_array_add (params, g_strdup (given[i]));
          continue;
        }
      /* The URI's own options stay; the project comes last, so it wins. */
      value = g_uri_unescape_string (given[i] + strlen ("options="), NULL);
      if (value == NULL)
        return NULL;
      options = g_strdup_printf ("%s %s", value, option);
      escaped = g_uri_escape_string (options, NULL, FALSE);
      g_ptr_array_add (params, g_strdup_printf ("options=%s", escaped));
      found = TRUE;
    }
  if (!found)
    {
      g_autofree char *escaped = g_uri_escape_string (option, NULL, FALSE);

      g_ptr_array_add (params, g_strdup_printf ("options=%s", escaped));
    }
  g_ptr_array_add (params, NULL);
  joined = g_strjoinv ("&", (char **) params->pdata);
  return g_strdup_printf ("%.*s?%s",
                          (int) (query != NULL ? query - location : (gssize) strlen (location)),
                          location, joined);
}
