/* reins-cli.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * reins-cli: the command-line face of the same engine — dispatch to one command.
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "reins-cli-private.h"
#include "reins-mcp-oauth.h"
#include "reins-store-projects.h"
#ifdef HAVE_LIBSECRET
#include "reins-secrets.h"
#endif

/* New commands (run, replay) are one line here and one file reins-cli-COMMAND.c. */
static const ReinsCliCommand commands[] = {
  { "run",    "TASK",    N_("Run one task headless, under the harness"), reins_cli_run },
  { "list",   "",        N_("List the stored runs, newest first"), reins_cli_list },
  { "show",   "RUN_ID",  N_("Show one run with all its steps"),    reins_cli_show },
  { "export", "RUN_ID",  N_("Write one run as JSON or Markdown"),  reins_cli_export },
  { "replay", "RUN_ID",  N_("Judge a stored run again, under other guard settings"), reins_cli_replay },
  { "bench",  "",        N_("Run a task suite under several set-ups and compare them"), reins_cli_bench },
  { "import", "FILE…",   N_("Store other agents' traces (OpenAI, Anthropic, OTLP) as runs"), reins_cli_import },
  { "judge",  "RUN…",    N_("Judge many stored runs again and report what the guards catch"), reins_cli_judge },
  { "store",  "copy",    N_("store copy FROM TO: copy runs between SQLite files and PostgreSQL"), reins_cli_store },
  { "approve", "RUN_ID", N_("Approve what a run waiting for a person asks"), reins_cli_approve },
  { "reject", "RUN_ID",  N_("Reject what a run waiting for a person asks"), reins_cli_reject },
};

/* An MCP server over HTTP that needs the person's authorization: the CLI cannot open a
 * browser for them, so it prints the URL (on stderr, beside the run's questions). */
static gboolean
print_authorization_url (const char  *server,
                         const char  *url,
                         gpointer     user_data,
                         GError     **error)
{
  g_printerr (_("MCP server “%s” needs your authorization. Open this address in a browser "
                "on this computer:\n  %s\n"), server, url);
  return TRUE;
}

static void
install_mcp_oauth (void)
{
  ReinsMcpOAuthHooks hooks = { print_authorization_url, NULL, NULL };

#ifdef HAVE_LIBSECRET
  hooks.load = reins_secrets_lookup_mcp_state;
  hooks.save = reins_secrets_store_mcp_state;
#endif
  reins_mcp_oauth_set_hooks (&hooks, NULL);
}

/* --project=NAME before the command: the project a PostgreSQL store's connection names,
 * as `-c reins.project=NAME` in the URI's options would (libpq reads $PGOPTIONS; options
 * the URI names itself win). A file store has no projects and is unaffected. */
static gboolean
set_project (const char *name)
{
  g_autofree char *options = NULL;
  const char *before = g_getenv ("PGOPTIONS");

  if (!reins_store_project_name_is_valid (name))
    return FALSE;
  options = g_strdup_printf ("%s%s-c reins.project=%s", before != NULL ? before : "",
                             before != NULL && before[0] != '\0' ? " " : "", name);
  return g_setenv ("PGOPTIONS", options, TRUE);
}

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n  reins-cli COMMAND [OPTION…]\n\n%s\n", _("Usage:"), _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-8s %-8s %s\n", commands[i].name, commands[i].parameters,
             _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Options:"));
  fprintf (out, "  -h, --help     %s\n", _("Show this help"));
  fprintf (out, "  --version      %s\n", _("Show the version"));
  fprintf (out, "  --project=NAME %s\n", _("Work in this project of a PostgreSQL store "
                                          "(before the command)"));
  fprintf (out, "\n%s\n", _("“reins-cli COMMAND --help” shows the options of a command."));
}

int
main (int   argc,
      char *argv[])
{
  const char *name;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("reins-cli");
  install_mcp_oauth ();

  if (argc < 2)
    {
      print_help (stderr);
      return REINS_CLI_EXIT_USAGE;
    }

  /* Options before the command: --project=NAME (or --project NAME). */
  while (argc >= 2 && g_str_has_prefix (argv[1], "--project"))
    {
      const char *value = NULL;
      int used = 1;

      if (g_str_has_prefix (argv[1], "--project="))
        value = argv[1] + strlen ("--project=");
      else if (g_str_equal (argv[1], "--project") && argc >= 3)
        {
          value = argv[2];
          used = 2;
        }
      if (value == NULL || !set_project (value))
        {
          reins_cli_print_error (_("--project=NAME needs a project name (letters, digits, "
                                   "“_”, “-” and “.”)"));
          return REINS_CLI_EXIT_USAGE;
        }
      argc -= used;
      argv += used;
    }
  if (argc < 2)
    {
      print_help (stderr);
      return REINS_CLI_EXIT_USAGE;
    }

  name = argv[1];
  if (g_str_equal (name, "--version") || g_str_equal (name, "-V"))
    {
      printf ("reins-cli %s\n", PACKAGE_VERSION);
      return REINS_CLI_EXIT_OK;
    }
  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") ||
      (g_str_equal (name, "help") && argc == 2))
    {
      print_help (stdout);
      return REINS_CLI_EXIT_OK;
    }
  if (g_str_equal (name, "help"))
    {
      /* "help COMMAND" is "COMMAND --help" */
      char *help_argv[] = { argv[2], (char *) "--help", NULL };

      for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
        if (g_str_equal (argv[2], commands[i].name))
          {
            g_autofree char *prgname = g_strdup_printf ("reins-cli %s", commands[i].name);

            g_set_prgname (prgname);
            return commands[i].run (2, help_argv);
          }
      name = argv[2];
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (name, commands[i].name))
      {
        g_autofree char *prgname = g_strdup_printf ("reins-cli %s", commands[i].name);

        /* The option parser names the program after the command in its usage line. */
        g_set_prgname (prgname);
        return commands[i].run (argc - 1, argv + 1);
      }

  if (name[0] == '-')
    reins_cli_print_error (_("unknown option “%s”; see “reins-cli --help”"), name);
  else
    reins_cli_print_error (_("unknown command “%s”; see “reins-cli --help”"), name);
  return REINS_CLI_EXIT_USAGE;
}
