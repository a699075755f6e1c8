/* main.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where the reins window starts: translations, then the application.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "reins-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ReinsApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Reins"));

  app = reins_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
