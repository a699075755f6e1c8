/* reins-run-lineage.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where a run comes from and where it went, as a line of links.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-run-lineage.h"

/**
 * reins_run_lineage_markup:
 * @run: (nullable): a run
 * @forks: (nullable) (element-type ReinsRun): the runs forked from it
 * @fork_ids: (out) (optional): the ids of @forks, %NULL when it has none
 *
 * Its parent (a fork's) and its forks, as Pango markup whose links are run ids.
 *
 * Returns: (transfer full): the markup; empty when the run has neither
 */
char *
reins_run_lineage_markup (ReinsRun   *run,
                          GPtrArray  *forks,
                          GStrv      *fork_ids)
{
  g_autoptr(GString) markup = g_string_new (NULL);
  const char *parent = run != NULL ? reins_run_get_parent_run_id (run) : NULL;

  if (fork_ids != NULL)
    *fork_ids = NULL;
  if (parent != NULL && parent[0] != '\0')
    {
      g_autofree char *short_id = g_strndup (parent, 8);
      g_autofree char *link = g_markup_printf_escaped ("<a href=\"%s\">%s</a>", parent, short_id);

      /* Translators: a forked run's origin; the placeholders are a linked run id and a step */
      g_string_append_printf (markup, _("Forked from run %s at step %u."), link,
                              reins_run_get_fork_step (run));
    }
  if (forks != NULL && forks->len > 0)
    {
      g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

      if (markup->len > 0)
        g_string_append_c (markup, ' ');
      g_string_append (markup, _("Forks:"));
      for (guint i = 0; i < forks->len; i++)
        {
          ReinsRun *fork = g_ptr_array_index (forks, i);
          g_autofree char *short_id = g_strndup (reins_run_get_id (fork), 8);
          g_autofree char *link = g_markup_printf_escaped ("<a href=\"%s\">%s</a>",
                                                           reins_run_get_id (fork), short_id);

          /* Translators: one fork of a run: a linked run id and the step it starts from */
          g_string_append_printf (markup, _(" %s (from step %u)"), link,
                                  reins_run_get_fork_step (fork));
          if (i + 1 < forks->len)
            g_string_append_c (markup, ',');
          g_strv_builder_add (ids, reins_run_get_id (fork));
        }
      if (fork_ids != NULL)
        *fork_ids = g_strv_builder_end (ids);
    }

  return g_string_free (g_steal_pointer (&markup), FALSE);
}
