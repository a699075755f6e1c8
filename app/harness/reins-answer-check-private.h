/* reins-answer-check-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of the answer check share: the units of an answer, the evidence index, and
 * the reading of text (reins-answer-text.c) and of evidence (reins-answer-index.c).
 */

#pragma once

#include "reins-answer-check.h"

G_BEGIN_DECLS

typedef enum
{
  UNIT_WORD,
  UNIT_NUMBER,
  UNIT_DATE,
} UnitKind;

typedef struct
{
  int y, m, d;        /* 0: not given */
} Date;

typedef struct
{
  UnitKind  kind;
  char     *text;     /* as the answer writes it */
  char     *plain;    /* lower case, accents removed */
  char     *stem;     /* words: the plain form without its inflection */
  gboolean  compound; /* a word with inner punctuation: an identifier, a key, a path */
  gboolean  name;     /* capitalised inside a sentence */
  double    value;    /* numbers */
  gboolean  percent;
  int       decimals; /* as written */
  double    scale;    /* 1e6 for "1.2 million" */
  Date      date[2];  /* dates; [1] is the other reading of 03/04/2024, or empty */
} Unit;

typedef struct
{
  GHashTable *stems;      /* plain words and their stems */
  GHashTable *compounds;  /* plain identifiers */
  GArray     *numbers;    /* double */
  GArray     *parts;      /* double: numbers only seen inside an identifier ("chain-52-12") */
  GArray     *dates;      /* Date */
  char       *plain;      /* the whole text, plain, for phrases */
} Index;

typedef void (*TokenFunc) (const char *start,
                           gsize       len,
                           gpointer    data);

/* reins-answer-text.c */
char       *reins_answer_plain_text            (const char         *text,
                                                gssize              len);
gboolean    reins_answer_is_core               (gunichar            c);
gboolean    reins_answer_is_currency           (gunichar            c);
void        reins_answer_tokenize              (const char         *text,
                                                TokenFunc           func,
                                                gpointer            data);
gboolean    reins_answer_in_list               (const char * const *list,
                                                const char         *word);
char       *reins_answer_stem                  (const char         *word);
GHashTable *reins_answer_stop_stems            (void);
gboolean    reins_answer_has_letter            (const char         *text);
gboolean    reins_answer_has_digit             (const char         *text);
gboolean    reins_answer_has_inner_punctuation (const char         *text);
gboolean    reins_answer_parse_number_word     (const char         *word,
                                                double             *value);
double      reins_answer_scale_of              (const char         *word);
gboolean    reins_answer_parse_number_full     (const char         *text,
                                                double             *value,
                                                gboolean           *percent,
                                                int                *decimals);
gboolean    reins_answer_parse_numeric_date    (const char         *token,
                                                Date                dates[2]);
guint       reins_answer_parse_named_date      (GPtrArray          *tokens,
                                                guint               i,
                                                Date               *date);
void        reins_answer_collect_token         (const char         *start,
                                                gsize               len,
                                                gpointer            data);
gboolean    reins_answer_date_matches          (const Date         *a,
                                                const Date         *b);

/* reins-answer-index.c */
void     reins_answer_unit_free      (Unit        *unit);
void     reins_answer_collect_units  (GPtrArray   *tokens,
                                      GArray      *names,
                                      GPtrArray   *units);
void     reins_answer_index_clear    (Index       *index);
void     reins_answer_index_init     (Index       *index,
                                      const char  *plain);
gboolean reins_answer_find_whole     (const char  *haystack,
                                      const char  *needle);
gboolean reins_answer_index_has_part (const Index *index,
                                      const Unit  *unit);
gboolean reins_answer_index_supports (const Index *index,
                                      const Unit  *unit);

G_END_DECLS
