/* reins-expr.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Arithmetic expressions for the `calculator` tool: a recursive-descent parser that
 * evaluates as it parses.
 *
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/' | '%') unary)*
 *   unary   := ('-' | '+') unary | power
 *   power   := primary (('^' | '**') unary)?        right-associative; -2^2 = -4
 *   primary := NUMBER | NAME | NAME '(' expr (',' expr)* ')' | '(' expr ')'
 *   NUMBER  := digits ['.' digits] [('e' | 'E') ['+' | '-'] digits]   (or '.' digits)
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "reins-error.h"
#include "reins-expr.h"

typedef struct
{
  const char  *text;
  const char  *p;
  guint        depth;
  GError     **error;
} Parser;

static gboolean parse_expr (Parser *parser, double *value);
static gboolean parse_unary (Parser *parser, double *value);

static gboolean
fail (Parser     *parser,
      const char *message)
{
  if (*parser->error == NULL)
    g_set_error (parser->error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                 _("%s (at position %d)"), message, (int) (parser->p - parser->text) + 1);
  return FALSE;
}

/* Every level of nesting (parentheses, signs, exponents) goes through here, so that the
 * recursion is bounded whatever the input. */
static gboolean
enter (Parser *parser)
{
  if (++parser->depth > REINS_EXPR_MAX_DEPTH)
    return fail (parser, _("The expression is nested too deeply"));
  return TRUE;
}

static void
skip_space (Parser *parser)
{
  while (*parser->p == ' ' || *parser->p == '\t' || *parser->p == '\n' || *parser->p == '\r')
    parser->p++;
}

/* Every intermediate value is checked, so an overflow is reported where it happens. */
static gboolean
check (Parser *parser,
       double  value)
{
  if (isnan (value))
    return fail (parser, _("The result is not a number"));
  if (!isfinite (value))
    return fail (parser, _("The result is too large (overflow)"));
  return TRUE;
}

static gboolean
parse_number (Parser *parser,
              double *value)
{
  const char *start = parser->p;
  g_autofree char *span = NULL;
  gboolean digits = FALSE;

  while (g_ascii_isdigit (*parser->p))
    parser->p++, digits = TRUE;
  if (*parser->p == '.')
    {
      parser->p++;
      while (g_ascii_isdigit (*parser->p))
        parser->p++, digits = TRUE;
    }
  if (!digits)
    {
      parser->p = start;
      return fail (parser, _("A number is malformed"));
    }
  if (*parser->p == 'e' || *parser->p == 'E')
    {
      const char *exp = parser->p + 1;

      if (*exp == '+' || *exp == '-')
        exp++;
      if (!g_ascii_isdigit (*exp))
        {
          parser->p = exp;
          return fail (parser, _("An exponent has no digits"));
        }
      while (g_ascii_isdigit (*exp))
        exp++;
      parser->p = exp;
    }
  if (*parser->p == '.')
    return fail (parser, _("A number has two decimal points"));

  span = g_strndup (start, parser->p - start);
  *value = g_ascii_strtod (span, NULL);
  return check (parser, *value);
}

typedef enum
{
  F_SQRT, F_ABS, F_LN, F_LOG10, F_EXP, F_SIN, F_COS, F_TAN, F_MIN, F_MAX, F_ROUND,
  F_FLOOR, F_CEIL,
} Function;

static const struct
{
  const char *name;
  Function    function;
  guint       min_args;
  guint       max_args;
} functions[] = {
  { "sqrt", F_SQRT, 1, 1 }, { "abs", F_ABS, 1, 1 }, { "ln", F_LN, 1, 1 },
  { "log10", F_LOG10, 1, 1 }, { "log", F_LOG10, 1, 1 }, { "exp", F_EXP, 1, 1 },
  { "sin", F_SIN, 1, 1 }, { "cos", F_COS, 1, 1 }, { "tan", F_TAN, 1, 1 },
  { "min", F_MIN, 1, 64 }, { "max", F_MAX, 1, 64 }, { "round", F_ROUND, 1, 1 },
  { "floor", F_FLOOR, 1, 1 }, { "ceil", F_CEIL, 1, 1 },
};

static gboolean
apply (Parser   *parser,
       Function  function,
       double   *args,
       guint     n,
       double   *value)
{
  double x = args[0];

  switch (function)
    {
    case F_SQRT:
      if (x < 0)
        return fail (parser, _("The square root of a negative number is not real"));
      *value = sqrt (x);
      break;
    case F_ABS:
      *value = fabs (x);
      break;
    case F_LN:
    case F_LOG10:
      if (x <= 0)
        return fail (parser, _("The logarithm is only defined for positive numbers"));
      *value = function == F_LN ? log (x) : log10 (x);
      break;
    case F_EXP:
      *value = exp (x);
      break;
    case F_SIN:
      *value = sin (x);
      break;
    case F_COS:
      *value = cos (x);
      break;
    case F_TAN:
      *value = tan (x);
      break;
    case F_MIN:
    case F_MAX:
      *value = x;
      for (guint i = 1; i < n; i++)
        *value = function == F_MIN ? MIN (*value, args[i]) : MAX (*value, args[i]);
      break;
    case F_ROUND:
      *value = round (x);
      break;
    case F_FLOOR:
      *value = floor (x);
      break;
    case F_CEIL:
      *value = ceil (x);
      break;
    default:
      g_assert_not_reached ();
    }
  return check (parser, *value);
}

static gboolean
parse_name (Parser *parser,
            double *value)
{
  const char *start = parser->p;
  g_autofree char *name = NULL;

  while (g_ascii_isalnum (*parser->p) || *parser->p == '_')
    parser->p++;
  name = g_ascii_strdown (start, parser->p - start);
  skip_space (parser);

  if (*parser->p != '(')
    {
      if (strcmp (name, "pi") == 0)
        *value = G_PI;
      else if (strcmp (name, "e") == 0)
        *value = G_E;
      else
        {
          g_autofree char *message = g_strdup_printf (_("Unknown name “%s”"), name);
          parser->p = start;
          return fail (parser, message);
        }
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    {
      double args[64];
      guint n = 0;

      if (strcmp (functions[i].name, name) != 0)
        continue;

      parser->p++;  /* ( */
      if (!enter (parser))
        return FALSE;
      for (;;)
        {
          if (n == G_N_ELEMENTS (args))
            return fail (parser, _("Too many arguments"));
          if (!parse_expr (parser, &args[n++]))
            return FALSE;
          skip_space (parser);
          if (*parser->p == ',')
            {
              parser->p++;
              continue;
            }
          if (*parser->p == ')')
            {
              parser->p++;
              break;
            }
          return fail (parser, _("Expected “,” or “)”"));
        }
      parser->depth--;
      if (n < functions[i].min_args || n > functions[i].max_args)
        {
          g_autofree char *message = g_strdup_printf (_("%s() takes %u argument(s), not %u"),
                                                      name, functions[i].max_args, n);
          return fail (parser, message);
        }
      return apply (parser, functions[i].function, args, n, value);
    }

  {
    g_autofree char *message = g_strdup_printf (_("Unknown function “%s”"), name);
    parser->p = start;
    return fail (parser, message);
  }
}

static gboolean
parse_primary (Parser *parser,
               double *value)
{
  skip_space (parser);

  if (*parser->p == '(')
    {
      parser->p++;
      if (!enter (parser) || !parse_expr (parser, value))
        return FALSE;
      parser->depth--;
      skip_space (parser);
      if (*parser->p != ')')
        return fail (parser, _("Expected “)”"));
      parser->p++;
      return TRUE;
    }
  if (g_ascii_isdigit (*parser->p) || *parser->p == '.')
    return parse_number (parser, value);
  if (g_ascii_isalpha (*parser->p))
    return parse_name (parser, value);
  if (*parser->p == '\0')
    return fail (parser, _("The expression ends too early"));
  {
    g_autofree char *message = NULL;
    gunichar c = g_utf8_get_char_validated (parser->p, -1);

    if (c == (gunichar) -1 || c == (gunichar) -2 || c < 0x20)
      message = g_strdup (_("Unexpected character"));
    else
      message = g_strdup_printf (_("Unexpected “%.*s”"),
                                 (int) (g_utf8_next_char (parser->p) - parser->p), parser->p);
    return fail (parser, message);
  }
}

static gboolean
parse_power (Parser *parser,
             double *value)
{
  double exponent;

  if (!parse_primary (parser, value))
    return FALSE;
  skip_space (parser);
  if (*parser->p == '^' || (parser->p[0] == '*' && parser->p[1] == '*'))
    {
      parser->p += *parser->p == '^' ? 1 : 2;
      if (!enter (parser) || !parse_unary (parser, &exponent))
        return FALSE;
      parser->depth--;
      if (*value == 0 && exponent < 0)
        return fail (parser, _("Division by zero"));
      *value = pow (*value, exponent);
      return check (parser, *value);
    }
  return TRUE;
}

static gboolean
parse_unary (Parser *parser,
             double *value)
{
  gboolean ok;

  skip_space (parser);
  if (*parser->p != '-' && *parser->p != '+')
    return parse_power (parser, value);

  if (!enter (parser))
    return FALSE;
  {
    gboolean negate = *parser->p == '-';

    parser->p++;
    ok = parse_unary (parser, value);
    if (ok && negate)
      *value = -*value;
  }
  parser->depth--;
  return ok;
}

static gboolean
parse_term (Parser *parser,
            double *value)
{
  if (!parse_unary (parser, value))
    return FALSE;

  for (;;)
    {
      const char *at;
      char op;
      double rhs;

      skip_space (parser);
      op = *parser->p;
      if ((op != '*' && op != '/' && op != '%') || (op == '*' && parser->p[1] == '*'))
        return TRUE;
      at = parser->p++;
      if (!parse_unary (parser, &rhs))
        return FALSE;
      if ((op == '/' || op == '%') && rhs == 0)
        {
          parser->p = at;  /* point at the operator */
          return fail (parser, _("Division by zero"));
        }
      if (op == '*')
        *value *= rhs;
      else if (op == '/')
        *value /= rhs;
      else
        *value = fmod (*value, rhs);
      if (!check (parser, *value))
        return FALSE;
    }
}

static gboolean
parse_expr (Parser *parser,
            double *value)
{
  if (!parse_term (parser, value))
    return FALSE;

  for (;;)
    {
      char op;
      double rhs;

      skip_space (parser);
      op = *parser->p;
      if (op != '+' && op != '-')
        break;
      parser->p++;
      if (!parse_term (parser, &rhs))
        return FALSE;
      *value = op == '+' ? *value + rhs : *value - rhs;
      if (!check (parser, *value))
        return FALSE;
    }

  return TRUE;
}

gboolean
reins_expr_evaluate (const char  *text,
                     double      *value,
                     GError     **error)
{
  Parser parser = { text, text, 0, error };
  double result = 0;

  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A local error so that fail() always has somewhere to write. */
  {
    g_autoptr(GError) local = NULL;

    parser.error = &local;
    if (text == NULL || *text == '\0' || strspn (text, " \t\r\n") == strlen (text))
      {
        g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA, _("The expression is empty"));
        return FALSE;
      }
    if (strlen (text) > REINS_EXPR_MAX_LENGTH)
      {
        g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "The expression is longer than %d character",
                                  "The expression is longer than %d characters",
                                  REINS_EXPR_MAX_LENGTH),
                     REINS_EXPR_MAX_LENGTH);
        return FALSE;
      }
    if (parse_expr (&parser, &result))
      {
        skip_space (&parser);
        if (*parser.p == ')')
          fail (&parser, _("Unbalanced “)”"));
        else if (*parser.p != '\0')
          fail (&parser, _("Unexpected text after the expression"));
      }
    if (local != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local));
        return FALSE;
      }
  }

  *value = result == 0 ? 0 : result;  /* no “-0” */
  return TRUE;
}

/* Integers print without a decimal point; other values with up to 15 significant digits. */
char *
reins_expr_format (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (value == 0)
    return g_strdup ("0");
  if (value == floor (value) && fabs (value) <= 9007199254740992.0)  /* 2^53: exact */
    return g_strdup_printf ("%.0f", value);
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.15g", value));
}
