/* test-tools.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tool registry, the schema validator and each built-in tool with good and bad
 * arguments.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reins-expr.h"
#include "reins-json-schema.h"
#include "reins-kb.h"
#include "reins-tool-registry.h"

/* libsoup 3.2.3 (Debian 12) never frees the GSocket of each connection its SoupServer
 * accepts, nor the listener's local address, even once the server is finalized: a
 * stand-alone program with one request shows it under G_SLICE=always-malloc. These two
 * entries hide exactly those allocations in this program and nothing else. */
const char *__lsan_default_suppressions (void);
const char *
__lsan_default_suppressions (void)
{
  return "leak:g_socket_accept\nleak:g_socket_get_local_address\n";
}

static ReinsToolResult *
invoke_json (ReinsToolRegistry *registry,
             ReinsToolContext  *context,
             const char        *action_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsAction) action = reins_action_new_from_string (action_json, &error);

  g_assert_no_error (error);
  return reins_tool_registry_invoke (registry, context, action, NULL);
}

static void
test_registry_builtin (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsToolRegistry) def = reins_tool_registry_new_builtin (NULL, &error);
  g_autoptr(ReinsToolRegistry) bad = NULL;
  g_autoptr(ReinsToolRegistry) some = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(JsonArray) described = NULL;
  const char *names[] = { "finish", "list_dir", "read_file", "search_files", "calculator",
                          "kb_lookup" };

  g_assert_no_error (error);
  tools = reins_tool_registry_list (def);
  g_assert_cmpuint (tools->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      ReinsTool *tool = reins_tool_registry_lookup (def, names[i]);

      g_assert_nonnull (tool);
      g_assert_cmpstr (reins_tool_get_name (tool), ==, names[i]);
      g_assert_cmpint (reins_tool_get_risk (tool), ==, REINS_RISK_READ);
    }
  g_assert_null (reins_tool_registry_lookup (def, "shell"));

  bad = reins_tool_registry_new_builtin ("read_file, rm_rf ,finish", &error);
  g_assert_null (bad);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_assert_nonnull (strstr (error->message, "“rm_rf”"));
  g_clear_error (&error);

  some = reins_tool_registry_new_builtin (" shell , write_file,http_get,ask_human,,shell", &error);
  g_assert_no_error (error);
  g_assert_cmpint (reins_tool_get_risk (reins_tool_registry_lookup (some, "shell")), ==,
                   REINS_RISK_EXEC);
  g_assert_cmpint (reins_tool_get_risk (reins_tool_registry_lookup (some, "write_file")), ==,
                   REINS_RISK_WRITE);
  g_assert_cmpint (reins_tool_get_risk (reins_tool_registry_lookup (some, "http_get")), ==,
                   REINS_RISK_NETWORK);
  g_assert_cmpint (reins_tool_get_risk (reins_tool_registry_lookup (some, "ask_human")), ==,
                   REINS_RISK_READ);
  g_assert_nonnull (reins_tool_registry_lookup (some, "finish"));

  described = reins_tool_registry_describe (some);
  g_assert_cmpuint (json_array_get_length (described), ==, 5);
  for (guint i = 0; i < json_array_get_length (described); i++)
    {
      JsonObject *item = json_array_get_object_element (described, i);
      JsonObject *params = json_object_get_object_member (item, "parameters");

      g_assert_nonnull (json_object_get_string_member (item, "name"));
      g_assert_cmpstr (json_object_get_string_member (item, "description"), !=, "");
      g_assert_cmpstr (json_object_get_string_member (params, "type"), ==, "object");
      g_assert_true (json_object_has_member (params, "required"));
    }
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (described, 0),
                                                  "name"), ==, "finish");
}

static void
test_schema (void)
{
  static const char *schema_json =
    "{\"type\":\"object\",\"properties\":{"
    "\"path\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":5},"
    "\"n\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10},"
    "\"x\":{\"type\":\"number\",\"exclusiveMaximum\":1},"
    "\"mode\":{\"enum\":[\"a\",\"b\"]},"
    "\"flag\":{\"type\":\"boolean\"},"
    "\"nothing\":{\"type\":\"null\"},"
    "\"either\":{\"type\":[\"string\",\"null\"]},"
    "\"list\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"maxItems\":2},"
    "\"obj\":{\"type\":\"object\",\"properties\":{\"k\":{\"type\":\"string\"}},"
    "\"required\":[\"k\"],\"additionalProperties\":false}},"
    "\"required\":[\"path\"],\"additionalProperties\":false}";
  const struct
  {
    const char *instance;
    const char *error;  /* NULL: valid */
  } cases[] = {
    { "{\"path\":\"a\"}", NULL },
    { "{\"path\":\"abcde\",\"n\":3,\"x\":0.5,\"mode\":\"b\",\"flag\":true,\"nothing\":null,"
      "\"either\":null,\"list\":[\"p\",\"q\"],\"obj\":{\"k\":\"v\"}}", NULL },
    { "{\"path\":\"a\",\"n\":3.0}", NULL },
    { "{\"path\":\"é\"}", NULL },
    { "{}", "“path” is required" },
    { "{\"n\":1}", "“path” is required" },
    { "{\"path\":7}", "“path” must be of type string, not integer" },
    { "{\"path\":null}", "“path” must be of type string, not null" },
    { "{\"path\":\"\"}", "“path” must not be empty" },
    { "{\"path\":\"abcdef\"}", "“path” must be at most 5 characters long" },
    { "{\"path\":\"a\",\"extra\":1}", "“extra” is not an accepted argument" },
    { "{\"path\":\"a\",\"mode\":\"c\"}", "“mode” must be one of \"a\", \"b\"" },
    { "{\"path\":\"a\",\"n\":0}", "“n” must be at least 1" },
    { "{\"path\":\"a\",\"n\":11}", "“n” must be at most 10" },
    { "{\"path\":\"a\",\"n\":1.5}", "“n” must be of type integer, not number" },
    { "{\"path\":\"a\",\"n\":\"3\"}", "“n” must be of type integer, not string" },
    { "{\"path\":\"a\",\"x\":1}", "“x” must be less than 1" },
    { "{\"path\":\"a\",\"flag\":\"yes\"}", "“flag” must be of type boolean, not string" },
    { "{\"path\":\"a\",\"either\":3}", "“either” must be of type string or null, not integer" },
    { "{\"path\":\"a\",\"list\":[\"p\",1]}", "“list[1]” must be of type string, not integer" },
    { "{\"path\":\"a\",\"list\":[\"p\",\"q\",\"r\"]}", "“list” must have at most 2 elements" },
    { "{\"path\":\"a\",\"obj\":{}}", "“obj.k” is required" },
    { "{\"path\":\"a\",\"obj\":{\"k\":\"v\",\"z\":1}}", "“obj.z” is not an accepted argument" },
    { "[]", "the arguments must be of type object, not array" },
  };
  g_autoptr(JsonNode) schema = json_from_string (schema_json, NULL);

  g_assert_nonnull (schema);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) instance = json_from_string (cases[i].instance, NULL);
      gboolean ok;

      g_assert_nonnull (instance);
      ok = reins_json_schema_validate (json_node_get_object (schema), instance, &error);
      if (cases[i].error == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
          g_assert_cmpstr (error->message, ==, cases[i].error);
        }
    }
}

static void
test_registry_validate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin (NULL, &error);
  ReinsToolContext context = { 0 };
  const struct
  {
    const char *action;
    const char *error;
  } cases[] = {
    { "{\"name\":\"nope\",\"arguments\":{}}", "There is no tool “nope”" },
    { "{\"name\":\"read_file\",\"arguments\":{}}", "Invalid arguments for read_file: “path” is required" },
    { "{\"name\":\"read_file\",\"arguments\":{\"path\":1}}", "“path” must be of type string" },
    { "{\"name\":\"read_file\",\"arguments\":{\"path\":\"a\",\"mode\":\"r\"}}",
      "“mode” is not an accepted argument" },
    { "{\"name\":\"calculator\",\"arguments\":{\"expr\":\"1+1\"}}", "“expression” is required" },
    { "{\"name\":\"finish\",\"arguments\":{\"answer\":42}}", "“answer” must be of type string" },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ReinsAction) action = reins_action_new_from_string (cases[i].action, NULL);
      g_autoptr(ReinsToolResult) result = NULL;

      g_assert_false (reins_tool_registry_validate (registry, action, &error));
      g_assert_nonnull (strstr (error->message, cases[i].error));
      g_clear_error (&error);

      /* Invoking turns the failure into an error observation. */
      result = reins_tool_registry_invoke (registry, &context, action, NULL);
      g_assert_true (result->is_error);
      g_assert_nonnull (strstr (result->text, cases[i].error));
    }
}

static void
test_finish (void)
{
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin ("", NULL);
  ReinsToolContext context = { 0 };
  g_autoptr(ReinsToolResult) r = invoke_json (registry, &context,
                                              "{\"name\":\"finish\",\"arguments\":{\"answer\":\"42 é\"}}");

  g_assert_false (r->is_error);
  g_assert_cmpstr (r->text, ==, "42 é");
  g_assert_cmpint (r->exit_status, ==, -1);
}

static void
test_calculator_table (void)
{
  const struct
  {
    const char *expr;
    double      value;
  } good[] = {
    { "1+2*3", 7 }, { "(1+2)*3", 9 }, { "2^10", 1024 }, { "2^3^2", 512 }, { "-2^2", -4 },
    { "(-2)^2", 4 }, { "2**3", 8 }, { "7 % 3", 1 }, { "-7 % 3", -1 }, { "10/4", 2.5 },
    { "--3", 3 }, { "+4", 4 }, { "1e3", 1000 }, { "2.5E-1", 0.25 }, { ".5", 0.5 },
    { "sqrt(16) + abs(-3)", 7 }, { "ln(e)", 1 }, { "log10(1000)", 3 }, { "exp(0)", 1 },
    { "sin(0) + cos(0)", 1 }, { "tan(0)", 0 }, { "min(3, 1, 2)", 1 }, { "max(3,1,2)", 3 },
    { "round(2.5)", 3 }, { "floor(-1.5)", -2 }, { "ceil(1.2)", 2 }, { "2*pi", 2 * G_PI },
    { " ( ( 1 ) ) ", 1 }, { "SQRT(4)", 2 }, { "2^-1", 0.5 }, { "1 - 2 - 3", -4 },
    { "100 / 10 / 2", 5 }, { "0.1 + 0.2", 0.3 }, { "1e308 / 10", 1e307 },
  };
  const struct
  {
    const char *expr;
    const char *error;
  } bad[] = {
    { "", "empty" }, { "   ", "empty" }, { "1/0", "Division by zero" },
    { "5 % 0", "Division by zero" }, { "0^-1", "Division by zero" },
    { "1e308 * 10", "overflow" }, { "exp(1000)", "overflow" }, { "10^400", "overflow" },
    { "sqrt(-1)", "negative" }, { "ln(0)", "positive" }, { "log10(-5)", "positive" },
    { "1 +", "ends too early" }, { "(1 + 2", "Expected “)”" }, { "1 + 2)", "Unbalanced" },
    { "2 3", "Unexpected text" }, { "foo(1)", "Unknown function “foo”" },
    { "x + 1", "Unknown name “x”" }, { "1..2", "two decimal points" }, { "1 + .", "A number is malformed" },
    { "1.2.3", "two decimal points" }, { "1e", "exponent" }, { "1e+", "exponent" },
    { "max()", "Unexpected “)”" }, { "sqrt(1, 2)", "argument" }, { "min(1,", "ends too early" },
    { "system(\"ls\")", "Unknown function" }, { "1; rm -rf /", "Unexpected text" },
    { "$(id)", "Unexpected “$”" }, { "2 * * 3", "Unexpected “*”" }, { "√4", "Unexpected “√”" },
    { "1 +\xff", "Unexpected character" }, { "()", "Unexpected “)”" },
  };
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) minus = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *long_expr = NULL;
  double value;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      if (!reins_expr_evaluate (good[i].expr, &value, &error))
        g_error ("%s: %s", good[i].expr, error->message);
      g_assert_cmpfloat_with_epsilon (value, good[i].value, 1e-9 * MAX (1, fabs (good[i].value)));
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (reins_expr_evaluate (bad[i].expr, &value, &error));
      g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
      if (strstr (error->message, bad[i].error) == NULL)
        g_error ("%s: “%s” does not say “%s”", bad[i].expr, error->message, bad[i].error);
      g_clear_error (&error);
    }

  /* Deep nesting is refused, not a stack overflow. */
  for (int i = 0; i < 2000; i++)
    g_string_append_c (deep, '(');
  g_string_append_c (deep, '1');
  for (int i = 0; i < 2000; i++)
    g_string_append_c (deep, ')');
  g_assert_false (reins_expr_evaluate (deep->str, &value, &error));
  g_assert_nonnull (strstr (error->message, "nested too deeply"));
  g_clear_error (&error);

  for (int i = 0; i < 1000; i++)
    g_string_append_c (minus, '-');
  g_string_append_c (minus, '1');
  g_assert_false (reins_expr_evaluate (minus->str, &value, &error));
  g_assert_nonnull (strstr (error->message, "nested too deeply"));
  g_clear_error (&error);

  long_expr = g_strnfill (REINS_EXPR_MAX_LENGTH + 1, '1');
  g_assert_false (reins_expr_evaluate (long_expr, &value, &error));
  g_assert_nonnull (strstr (error->message, "longer than"));
  g_clear_error (&error);

  /* 80 levels are fine. */
  g_string_truncate (deep, 0);
  for (int i = 0; i < 80; i++)
    g_string_append (deep, "(1+");
  g_string_append_c (deep, '1');
  for (int i = 0; i < 80; i++)
    g_string_append_c (deep, ')');
  g_assert_true (reins_expr_evaluate (deep->str, &value, &error));
  g_assert_cmpfloat (value, ==, 81);
}

static void
test_calculator_tool (void)
{
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin ("calculator", NULL);
  ReinsToolContext context = { 0 };
  const struct
  {
    const char *expr;
    const char *text;
    gboolean    is_error;
  } cases[] = {
    { "6*7", "42", FALSE }, { "1/3", "0.333333333333333", FALSE }, { "-0", "0", FALSE },
    { "2^50", "1125899906842624", FALSE }, { "2^60", "1.15292150460685e+18", FALSE }, { "1e20", "1e+20", FALSE },
    { "0.1+0.2", "0.3", FALSE }, { "-2.5", "-2.5", FALSE },
    { "1/0", "Division by zero (at position 2)", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) args = json_object_new ();
      g_autoptr(ReinsAction) action = NULL;
      g_autoptr(ReinsToolResult) r = NULL;

      json_object_set_string_member (args, "expression", cases[i].expr);
      action = reins_action_new ("calculator", args);
      r = reins_tool_registry_invoke (registry, &context, action, NULL);
      g_assert_cmpstr (r->text, ==, cases[i].text);
      g_assert_cmpint (r->is_error, ==, cases[i].is_error);
    }
}

static void
test_kb_lookup (void)
{
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin ("kb_lookup", NULL);
  ReinsToolContext context = { 0 };
  g_autofree char *key = reins_kb_key (7, 3, 0);
  g_autofree char *value = reins_kb_value (7, 3);
  g_autoptr(GString) current = g_string_new (key);

  /* Follow the chain through the tool to its value. */
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) args = json_object_new ();
      g_autoptr(ReinsAction) action = NULL;
      g_autoptr(ReinsToolResult) r = NULL;
      g_autoptr(JsonNode) node = NULL;
      JsonObject *obj;

      json_object_set_string_member (args, "key", current->str);
      action = reins_action_new ("kb_lookup", args);
      r = reins_tool_registry_invoke (registry, &context, action, NULL);
      g_assert_false (r->is_error);
      node = json_from_string (r->text, NULL);
      g_assert_nonnull (node);
      obj = json_node_get_object (node);
      if (i < 2)
        g_string_assign (current, json_object_get_string_member (obj, "next"));
      else
        g_assert_cmpstr (json_object_get_string_member (obj, "value"), ==, value);
    }

  {
    g_autoptr(ReinsToolResult) r = invoke_json (registry, &context,
                                                "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-3/2\"}}");
    g_assert_true (r->is_error);
    g_assert_cmpstr (r->text, ==, "{\"error\": \"unknown key\"}");
  }
  {
    g_autoptr(ReinsToolResult) r = invoke_json (registry, &context,
                                                "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"\"}}");
    g_assert_true (r->is_error);
    g_assert_nonnull (strstr (r->text, "“key” must not be empty"));
  }
}

static char *
answer_cb (const char   *question,
           gpointer      user_data,
           GCancellable *cancellable)
{
  int *calls = user_data;

  (*calls)++;
  if (strcmp (question, "silent?") == 0)
    return NULL;
  return g_strdup_printf ("answer to %s", question);
}

static void
test_ask_human (void)
{
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin ("ask_human", NULL);
  ReinsToolContext nobody = { 0 };
  ReinsToolContext someone = { 0 };
  int calls = 0;
  g_autoptr(ReinsToolResult) r1 = NULL;
  g_autoptr(ReinsToolResult) r2 = NULL;
  g_autoptr(ReinsToolResult) r3 = NULL;
  g_autoptr(ReinsToolResult) r4 = NULL;

  someone.ask_human = answer_cb;
  someone.ask_human_data = &calls;

  r1 = invoke_json (registry, &nobody, "{\"name\":\"ask_human\",\"arguments\":{\"question\":\"why?\"}}");
  g_assert_true (r1->is_error);
  g_assert_cmpstr (r1->text, ==, "no person is available to answer");

  r2 = invoke_json (registry, &someone, "{\"name\":\"ask_human\",\"arguments\":{\"question\":\"why?\"}}");
  g_assert_false (r2->is_error);
  g_assert_cmpstr (r2->text, ==, "answer to why?");

  r3 = invoke_json (registry, &someone, "{\"name\":\"ask_human\",\"arguments\":{\"question\":\"silent?\"}}");
  g_assert_true (r3->is_error);

  r4 = invoke_json (registry, &someone, "{\"name\":\"ask_human\",\"arguments\":{}}");
  g_assert_true (r4->is_error);
  g_assert_cmpint (calls, ==, 2);
}

static void
test_search_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("reins-search-XXXXXX", &error);
  g_autofree char *a = g_build_filename (root, "a.txt", NULL);
  g_autofree char *sub = g_build_filename (root, "sub", NULL);
  g_autofree char *b = g_build_filename (sub, "b.c", NULL);
  g_autofree char *hidden = g_build_filename (root, ".hidden", NULL);
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin ("search_files", NULL);
  ReinsToolContext context = { 0 };
  g_autoptr(ReinsToolResult) r1 = NULL;
  g_autoptr(ReinsToolResult) r2 = NULL;
  g_autoptr(ReinsToolResult) r3 = NULL;
  g_autoptr(ReinsToolResult) r4 = NULL;
  g_autoptr(ReinsToolResult) r5 = NULL;

  g_assert_no_error (error);
  g_mkdir (sub, 0755);
  g_assert_true (g_file_set_contents (a, "alpha\nneedle one\nbeta\n", -1, NULL));
  g_assert_true (g_file_set_contents (b, "int needle(void);\nfoo(\n", -1, NULL));
  g_assert_true (g_file_set_contents (hidden, "needle hidden\n", -1, NULL));
  context.workspace = root;

  r1 = invoke_json (registry, &context, "{\"name\":\"search_files\",\"arguments\":{\"pattern\":\"needle\"}}");
  g_assert_false (r1->is_error);
  g_assert_cmpstr (r1->text, ==, "a.txt:2:needle one\nsub/b.c:1:int needle(void);\n");

  r2 = invoke_json (registry, &context, "{\"name\":\"search_files\",\"arguments\":{\"pattern\":\"^n.*e$\",\"path\":\"a.txt\"}}");
  g_assert_cmpstr (r2->text, ==, "a.txt:2:needle one\n");

  /* Not a valid regular expression: searched literally. */
  r3 = invoke_json (registry, &context, "{\"name\":\"search_files\",\"arguments\":{\"pattern\":\"foo(\",\"path\":\"sub\"}}");
  g_assert_cmpstr (r3->text, ==, "sub/b.c:2:foo(\n");

  r4 = invoke_json (registry, &context, "{\"name\":\"search_files\",\"arguments\":{\"pattern\":\"zzz\"}}");
  g_assert_false (r4->is_error);
  g_assert_cmpstr (r4->text, ==, "No matches.\n");

  r5 = invoke_json (registry, &context, "{\"name\":\"search_files\",\"arguments\":{\"pattern\":\"x\",\"path\":\"../\"}}");
  g_assert_true (r5->is_error);

  g_unlink (a);
  g_unlink (b);
  g_unlink (hidden);
  g_rmdir (sub);
  g_rmdir (root);
}

/* Processes of group @pgid that are still alive (zombies waiting for a reaper do not count). */
static guint
live_processes_in_group (int pgid)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *stat = NULL;
      const char *p;
      char state;
      int ppid, pgrp;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_strdup_printf ("/proc/%s/stat", name);
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      p = strrchr (stat, ')');
      if (p == NULL || sscanf (p + 1, " %c %d %d", &state, &ppid, &pgrp) != 3)
        continue;
      if (pgrp == pgid && state != 'Z' && state != 'X')
        count++;
    }
  return count;
}

/* SIGKILL is delivered asynchronously: give the kernel a moment, bounded. */
static void
assert_group_gone (int pgid)
{
  guint live = 0;

  g_assert_cmpint (pgid, >, 1);
  for (int i = 0; i < 200; i++)
    {
      live = live_processes_in_group (pgid);
      if (live == 0)
        break;
      g_usleep (10 * 1000);
    }
  g_assert_cmpuint (live, ==, 0);
}

static ReinsToolResult *
run_shell (ReinsToolContext *context,
           const char       *command,
           GCancellable     *cancellable)
{
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin ("shell", NULL);
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = NULL;

  json_object_set_string_member (args, "command", command);
  action = reins_action_new ("shell", args);
  return reins_tool_registry_invoke (registry, context, action, cancellable);
}

static void
test_shell_basic (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("reins-shell-XXXXXX", &error);
  g_autofree char *real = realpath (root, NULL);
  g_autofree char *expected_pwd = g_strconcat (real, "\n", NULL);
  ReinsToolContext context = { .workspace = root };
  g_autoptr(ReinsToolResult) r1 = run_shell (&context, "echo hello; echo oops >&2", NULL);
  g_autoptr(ReinsToolResult) r2 = run_shell (&context, "echo partial; exit 3", NULL);
  g_autoptr(ReinsToolResult) r3 = run_shell (&context, "pwd", NULL);
  g_autoptr(ReinsToolResult) r4 = run_shell (&context, "true", NULL);
  g_autoptr(ReinsToolResult) r5 = run_shell (&context, "kill -9 $$", NULL);
  g_autoptr(ReinsToolResult) r6 = run_shell (&context, "head -c 200000 /dev/zero | tr '\\0' x", NULL);
  g_autoptr(ReinsToolResult) r7 = run_shell (&context, "printf 'a\\000b\\377c'", NULL);
  g_autoptr(ReinsToolResult) r8 = NULL;

  g_assert_no_error (error);
  g_assert_false (r1->is_error);
  g_assert_cmpstr (r1->text, ==, "hello\noops\n");
  g_assert_cmpint (r1->exit_status, ==, 0);

  g_assert_true (r2->is_error);
  g_assert_cmpint (r2->exit_status, ==, 3);
  g_assert_cmpstr (r2->text, ==, "partial\n[exit status 3]");

  g_assert_cmpstr (r3->text, ==, expected_pwd);
  g_assert_cmpstr (r4->text, ==, "(no output)");

  g_assert_true (r5->is_error);
  g_assert_cmpint (r5->exit_status, ==, 128 + 9);
  g_assert_nonnull (strstr (r5->text, "killed by signal 9"));

  g_assert_false (r6->is_error);
  g_assert_true (r6->truncated);
  g_assert_nonnull (strstr (r6->text, "[… output truncated: 134464 more bytes not shown]"));
  g_assert_cmpuint (strlen (r6->text), <, 64 * 1024 + 200);

  g_assert_true (g_utf8_validate (r7->text, -1, NULL));
  g_assert_cmpstr (r7->text, ==, "a?b\uFFFDc\n");

  /* The keys Reins holds are not handed to commands the model chose. */
  g_setenv ("REINS_TEST_API_KEY", "hunter2", TRUE);
  g_setenv ("REINS_TEST_PLAIN", "visible", TRUE);
  r8 = run_shell (&context, "env", NULL);
  g_assert_null (strstr (r8->text, "hunter2"));
  g_assert_nonnull (strstr (r8->text, "REINS_TEST_PLAIN=visible"));
  g_unsetenv ("REINS_TEST_API_KEY");
  g_unsetenv ("REINS_TEST_PLAIN");

  g_rmdir (root);
}

static int
first_line_pid (const char *text)
{
  return atoi (text);
}

static void
test_shell_timeout (void)
{
  ReinsToolContext context = { .workspace = (char *) "/tmp", .timeout_s = 1 };
  g_autoptr(ReinsToolResult) r = run_shell (&context, "echo $$; sleep 1000 & sleep 1000 & sleep 1000", NULL);
  g_autoptr(ReinsToolResult) r2 = NULL;

  g_assert_true (r->is_error);
  g_assert_nonnull (strstr (r->text, "[timed out after 1 s"));
  g_assert_cmpint (r->exit_status, ==, -1);
  assert_group_gone (first_line_pid (r->text));

  /* A command that ignores SIGTERM is killed with SIGKILL, children included. */
  r2 = run_shell (&context, "trap '' TERM; echo $$; sleep 1000 & sleep 1000", NULL);
  g_assert_true (r2->is_error);
  g_assert_nonnull (strstr (r2->text, "timed out"));
  assert_group_gone (first_line_pid (r2->text));
}

static void
test_shell_background (void)
{
  ReinsToolContext context = { .workspace = (char *) "/tmp", .timeout_s = 20 };
  gint64 start = g_get_monotonic_time ();
  g_autoptr(ReinsToolResult) r = run_shell (&context, "sleep 1000 & echo $$", NULL);

  /* The command is over when the shell is; background children do not keep it going. */
  g_assert_false (r->is_error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  assert_group_gone (first_line_pid (r->text));
}

typedef struct
{
  ReinsToolContext *context;
  GCancellable     *cancellable;
} ShellJob;

static gpointer
shell_thread (gpointer data)
{
  ShellJob *job = data;

  return run_shell (job->context, "echo $$; sleep 1000 & sleep 1000", job->cancellable);
}

static void
test_shell_cancel (void)
{
  ReinsToolContext context = { .workspace = (char *) "/tmp", .timeout_s = 60 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  ShellJob job = { &context, cancellable };
  g_autoptr(ReinsToolResult) r = NULL;
  GThread *thread;

  thread = g_thread_new ("shell", shell_thread, &job);
  g_usleep (300 * 1000);
  g_cancellable_cancel (cancellable);
  r = g_thread_join (thread);

  g_assert_true (r->is_error);
  g_assert_nonnull (strstr (r->text, "[cancelled"));
  assert_group_gone (first_line_pid (r->text));

  /* Already cancelled: nothing runs. */
  {
    g_autoptr(ReinsToolResult) r2 = run_shell (&context, "echo no", cancellable);
    g_assert_true (r2->is_error);
    g_assert_null (strstr (r2->text, "no\n"));
  }
}

/* A loopback HTTP server on its own thread. */
typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  GMutex        mutex;
  GCond         cond;
  guint         port;
  GPtrArray    *paused;
} HttpServer;

static void
http_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           data)
{
  HttpServer *self = data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (strcmp (path, "/text") == 0)
    soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "hello text", 10);
  else if (strcmp (path, "/json") == 0)
    soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_STATIC,
                                      "{\"a\":1}", 7);
  else if (strcmp (path, "/latin1") == 0)
    soup_server_message_set_response (msg, "text/plain; charset=iso-8859-1", SOUP_MEMORY_STATIC,
                                      "caf\xe9", 4);
  else if (strcmp (path, "/binary") == 0)
    soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_STATIC, "\x89PNG\r\n\0\0", 8);
  else if (strcmp (path, "/sneaky") == 0)
    soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ab\0cd", 5);
  else if (strcmp (path, "/big") == 0)
    {
      gsize size = 2 * 1024 * 1024;
      char *big = g_malloc (size);

      memset (big, 'a', size);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_TAKE, big, size);
    }
  else if (strcmp (path, "/redirect") == 0)
    soup_server_message_set_redirect (msg, 302, "/text");
  else if (strcmp (path, "/loop") == 0)
    soup_server_message_set_redirect (msg, 302, "/loop");
  else if (strcmp (path, "/to-file") == 0)
    soup_server_message_set_redirect (msg, 302, "file:///etc/passwd");
  else if (strcmp (path, "/slow") == 0)
    {
      /* Never answers; released when the server stops. */
      soup_server_message_pause (msg);
      g_ptr_array_add (self->paused, g_object_ref (msg));
      return;
    }
  else
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  if (soup_server_message_get_status (msg) == 0)
    soup_server_message_set_status (msg, 200, NULL);
  (void) headers;
}

static gpointer
http_thread (gpointer data)
{
  HttpServer *self = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (self->context);
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, http_handler, self, NULL);
  soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (self->server);
  g_mutex_lock (&self->mutex);
  self->port = g_uri_get_port (uris->data);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (self->loop);

  for (guint i = 0; i < self->paused->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (self->paused, i);

      soup_server_message_set_status (msg, 503, NULL);
      soup_server_message_unpause (msg);
    }
  g_ptr_array_set_size (self->paused, 0);
  soup_server_disconnect (self->server);
  g_object_add_weak_pointer (G_OBJECT (self->server), (gpointer *) &self->server);
  g_object_unref (self->server);
  /* Let the closed connections finish on this context so nothing leaks. */
  for (int i = 0; i < 50; i++)
    {
      while (g_main_context_iteration (self->context, FALSE))
        ;
      g_usleep (2000);
    }
  g_assert_null (self->server);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static HttpServer *
http_server_start (void)
{
  HttpServer *self = g_new0 (HttpServer, 1);

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->paused = g_ptr_array_new_with_free_func (g_object_unref);
  self->thread = g_thread_new ("http", http_thread, self);
  g_mutex_lock (&self->mutex);
  while (self->port == 0)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
  return self;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
http_server_stop (HttpServer *self)
{
  g_main_context_invoke (self->context, quit_cb, self->loop);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_ptr_array_unref (self->paused);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

static ReinsToolResult *
http_get (HttpServer       *server,
          ReinsToolContext *context,
          const char       *url_or_path)
{
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin ("http_get", NULL);
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = NULL;
  g_autofree char *url = NULL;

  if (url_or_path[0] == '/')
    url = g_strdup_printf ("http://127.0.0.1:%u%s", server->port, url_or_path);
  else
    url = g_strdup (url_or_path);
  json_object_set_string_member (args, "url", url);
  action = reins_action_new ("http_get", args);
  return reins_tool_registry_invoke (registry, context, action, NULL);
}

typedef struct
{
  HttpServer   *server;
  GCancellable *cancellable;
} HttpJob;

static gpointer
http_thread_cancel (gpointer data)
{
  HttpJob *job = data;
  ReinsToolContext context = { .timeout_s = 30 };
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin ("http_get", NULL);
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsAction) action = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/slow", job->server->port);

  json_object_set_string_member (args, "url", url);
  action = reins_action_new ("http_get", args);
  return reins_tool_registry_invoke (registry, &context, action, job->cancellable);
}

static void
test_http_get (void)
{
  HttpServer *server = http_server_start ();
  ReinsToolContext context = { .timeout_s = 1 };
  const struct
  {
    const char *url;
    gboolean    is_error;
    const char *text;  /* a prefix of the result */
  } cases[] = {
    { "/text", FALSE, "hello text" },
    { "/json", FALSE, "{\"a\":1}" },
    { "/latin1", FALSE, "café" },
    { "/redirect", FALSE, "hello text" },
    { "/binary", TRUE, "The document is not text (image/png)" },
    { "/sneaky", TRUE, "The document is binary" },
    { "/missing", TRUE, "HTTP 404 Not Found" },
    { "/loop", TRUE, "Too many redirects" },
    { "/to-file", TRUE, "Only http and https URLs can be fetched, not “file”" },
    { "/slow", TRUE, "The request timed out after 1 s" },
    { "ftp://127.0.0.1/x", TRUE, "Only http and https" },
    { "file:///etc/passwd", TRUE, "Only http and https" },
    { "not a url", TRUE, "“not a url” is not a valid URL" },
    { "http://", TRUE, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ReinsToolResult) r = http_get (server, &context, cases[i].url);

      g_test_message ("%s → %s", cases[i].url, r->text);
      g_assert_cmpint (r->is_error, ==, cases[i].is_error);
      g_assert_true (g_str_has_prefix (r->text, cases[i].text));
      g_assert_null (strstr (r->text, "root:x:0"));
    }

  {
    g_autoptr(ReinsToolResult) big = http_get (server, &context, "/big");

    g_assert_false (big->is_error);
    g_assert_true (big->truncated);
    g_assert_nonnull (strstr (big->text, "[… truncated: only the first 1048576 bytes are shown]"));
    g_assert_cmpuint (strlen (big->text), <, 1048576 + 200);
  }

  /* Cancelling the run ends a request that is waiting for its answer. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(ReinsToolResult) r = NULL;
    HttpJob job = { server, cancellable };
    GThread *thread = g_thread_new ("http-cancel", http_thread_cancel, &job);

    g_usleep (200 * 1000);
    g_cancellable_cancel (cancellable);
    r = g_thread_join (thread);
    g_assert_true (r->is_error);
    g_assert_cmpstr (r->text, ==, "The request was cancelled");
  }

  http_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reins/tools/registry/builtin", test_registry_builtin);
  g_test_add_func ("/reins/tools/registry/validate", test_registry_validate);
  g_test_add_func ("/reins/tools/schema/table", test_schema);
  g_test_add_func ("/reins/tools/finish/answer", test_finish);
  g_test_add_func ("/reins/tools/calculator/table", test_calculator_table);
  g_test_add_func ("/reins/tools/calculator/tool", test_calculator_tool);
  g_test_add_func ("/reins/tools/kb-lookup/chain", test_kb_lookup);
  g_test_add_func ("/reins/tools/ask-human/callback", test_ask_human);
  g_test_add_func ("/reins/tools/search-files/matches", test_search_files);
  g_test_add_func ("/reins/tools/shell/basic", test_shell_basic);
  g_test_add_func ("/reins/tools/shell/timeout", test_shell_timeout);
  g_test_add_func ("/reins/tools/shell/background", test_shell_background);
  g_test_add_func ("/reins/tools/shell/cancel", test_shell_cancel);
  g_test_add_func ("/reins/tools/http-get/loopback", test_http_get);

  return g_test_run ();
}
