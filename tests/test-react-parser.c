/* test-react-parser.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text ReAct parser of CONTRACTS §4: what it must read and what it must refuse.
 */

#include "config.h"

#include <string.h>

#include "reins-react-parser.h"

typedef struct
{
  const char *reply;
  const char *thought;
  const char *tool;
  const char *argument;   /* "member=value" of a string argument to check, or NULL */
} GoodCase;

static const GoodCase good[] = {
  { "Thought: look it up\nAction: {\"name\": \"kb_lookup\", \"arguments\": {\"key\": \"chain-1-3/0\"}}",
    "look it up", "kb_lookup", "key=chain-1-3/0" },
  /* Code fences around the JSON. */
  { "Thought: fenced\nAction: ```json\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"a.txt\"}}\n```",
    "fenced", "read_file", "path=a.txt" },
  /* Trailing prose after the JSON. */
  { "Thought: t\nAction: {\"name\": \"list_dir\", \"arguments\": {\"path\": \".\"}} and then I will see.",
    "t", "list_dir", "path=." },
  /* Braces inside strings do not end the object. */
  { "Thought: braces\nAction: {\"name\": \"calculator\", \"arguments\": {\"expression\": \"}{(1+2)\"}}",
    "braces", "calculator", "expression=}{(1+2)" },
  /* Final Answer is a finish. */
  { "Thought: I know it now.\nFinal Answer: amber-4711", "I know it now.", "finish",
    "answer=amber-4711" },
  /* No Thought line at all. */
  { "Action: {\"name\": \"finish\", \"arguments\": {\"answer\": \"x\"}}", NULL, "finish", "answer=x" },
  /* Markdown bold labels and lower case. */
  { "**Thought:** bold\n**action:** {\"name\": \"kb_lookup\", \"arguments\": {\"key\": \"k\"}}",
    "bold", "kb_lookup", "key=k" },
  /* Action / Action Input, as some models write it. */
  { "Thought: split\nAction: kb_lookup\nAction Input: {\"key\": \"k2\"}", "split", "kb_lookup",
    "key=k2" },
  /* A multi-line thought. */
  { "Thought: first line\nsecond line\nAction: {\"name\": \"finish\", \"arguments\": {\"answer\": \"y\"}}",
    "first line\nsecond line", "finish", "answer=y" },
  /* Single-quoted JSON, as Python-minded models write it, reads unambiguously. */
  { "Thought: t\nAction: {'name': 'kb_lookup', 'arguments': {'key': 'k3'}}", "t", "kb_lookup",
    "key=k3" },
  /* Escaped quotes in strings. */
  { "Action: {\"name\": \"finish\", \"arguments\": {\"answer\": \"say \\\"hi\\\"\"}}", NULL, "finish",
    "answer=say \"hi\"" },
};

static void
test_good (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      ReinsReactParse parse;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) arg = NULL;

      if (!reins_react_parse (good[i].reply, &parse, &error))
        g_error ("case %u: %s", i, error->message);

      g_assert_cmpstr (parse.thought, ==, good[i].thought);
      g_assert_cmpstr (reins_action_get_name (parse.action), ==, good[i].tool);
      arg = g_strsplit (good[i].argument, "=", 2);
      g_assert_cmpstr (reins_action_get_string_argument (parse.action, arg[0]), ==, arg[1]);
      g_assert_cmpuint (parse.action_end, >, parse.action_start);
      g_assert_cmpuint (parse.action_end, <=, strlen (good[i].reply));
      reins_react_parse_clear (&parse);
    }
}

static void
test_action_span (void)
{
  const char *reply = "Thought: x\nAction: {\"name\": \"kb_lookup\", \"arguments\": {\"key\": \"k\"}} trailing";
  ReinsReactParse parse;
  g_autofree char *span = NULL;

  g_assert_true (reins_react_parse (reply, &parse, NULL));
  span = g_strndup (reply + parse.action_start, parse.action_end - parse.action_start);
  g_assert_cmpstr (span, ==, "{\"name\": \"kb_lookup\", \"arguments\": {\"key\": \"k\"}}");
  reins_react_parse_clear (&parse);
}

static void
test_malformed (void)
{
  const char *bad[] = {
    "",
    "   \n\t ",
    "I think the answer is 42.",
    "Thought: no action here",
    "Thought: t\nAction: read the file please",
    "Thought: t\nAction: {\"name\": \"kb_lookup\", \"arguments\": {\"key\": \"k\"}",
    "Thought: t\nAction: {\"name\": \"kb_lookup\", \"arguments\": [1]}",
    "Thought: t\nAction: {\"arguments\": {}}",
    "Thought: t\nAction: {\"name\": 7}",
    "Thought: t\nFinal Answer:   ",
    "Thought: t\nAction: kb_lookup\nAction Input: not json",
    "Thought: t\nAction: {\"name\": \"x\", \"arguments\": {\"a\": \"\xff\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      ReinsReactParse parse;
      g_autoptr(GError) error = NULL;

      if (reins_react_parse (bad[i], &parse, &error))
        g_error ("case %u was accepted: %s", i, bad[i]);
      g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
      g_assert_null (parse.action);
      /* The message tells the model what to do. */
      g_assert_cmpuint (strlen (error->message), >, 10);
      reins_react_parse_clear (&parse);
    }
}

static void
test_deep_and_escapes (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) deep_input = g_string_new ("Thought: t\nAction: kb_lookup\nAction Input: ");
  ReinsReactParse parse;

  /* 100,000 levels inside the arguments: an error the model is told, not a crash. */
  g_string_append (deep, "Thought: t\nAction: {\"name\": \"kb_lookup\", \"arguments\": {\"k\": ");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append (deep, "}}");
  for (guint i = 0; i < 100000; i++)
    g_string_append (deep_input, "{\"a\": ");
  g_string_append (deep_input, "1");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep_input, '}');

  {
    const char *texts[] = { deep->str, deep_input->str };

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      {
        g_autoptr(GError) error = NULL;

        g_assert_false (reins_react_parse (texts[i], &parse, &error));
        g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
        g_assert_nonnull (strstr (error->message, "nested deeper than 512 levels"));
        g_assert_null (parse.action);
        reins_react_parse_clear (&parse);
      }
  }

  /* An escape that decodes to a byte that is not UTF-8 becomes U+FFFD in the action. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *args = NULL;

    g_assert_true (reins_react_parse ("Thought: t\nAction: {\"name\": \"kb_lookup\", "
                                      "\"arguments\": {\"key\": \"k\\201\"}}", &parse, &error));
    g_assert_no_error (error);
    args = reins_action_dup_arguments_json (parse.action);
    g_assert_true (g_utf8_validate (args, -1, NULL));
    g_assert_nonnull (strstr (args, "k\xef\xbf\xbd"));
    reins_react_parse_clear (&parse);
  }
}

static void
test_thought_kept_on_error (void)
{
  ReinsReactParse parse;
  g_autoptr(GError) error = NULL;

  g_assert_false (reins_react_parse ("Thought: I will look\nAction: nope", &parse, &error));
  g_assert_cmpstr (parse.thought, ==, "I will look");
  reins_react_parse_clear (&parse);
}

static void
test_format_round_trip (void)
{
  g_autoptr(ReinsAction) action =
    reins_action_new_from_string ("{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"k\"}}", NULL);
  g_autofree char *text = reins_react_format ("go", action);
  ReinsReactParse parse;

  g_assert_true (reins_react_parse (text, &parse, NULL));
  g_assert_cmpstr (parse.thought, ==, "go");
  g_assert_true (reins_action_equal (parse.action, action));
  reins_react_parse_clear (&parse);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reins/loop/react-parser/good", test_good);
  g_test_add_func ("/reins/loop/react-parser/action-span", test_action_span);
  g_test_add_func ("/reins/loop/react-parser/malformed", test_malformed);
  g_test_add_func ("/reins/loop/react-parser/thought-kept-on-error", test_thought_kept_on_error);
  g_test_add_func ("/reins/loop/react-parser/deep-and-escapes", test_deep_and_escapes);
  g_test_add_func ("/reins/loop/react-parser/format-round-trip", test_format_round_trip);

  return g_test_run ();
}
