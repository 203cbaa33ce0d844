/*
** tests/unit/parser/test_parse_sqlite.c — operator precedence checked
** against SQLite itself.
**
** Random expressions are written without parentheses, so that precedence
** and associativity decide their meaning.  eddy parses each one; the test
** prints eddy's tree back as SQL with every node parenthesized; SQLite
** evaluates both the original text and eddy's parenthesized form.  If eddy
** grouped any operator differently from SQLite the two results differ
** (the constants are chosen so that different groupings rarely agree).
** Every expression SQLite accepts must also parse in eddy.
*/
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "parser/ast.h"
#include "tests/unit/tap.h"

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint32_t rnd(uint32_t n) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32) % n;
}

typedef struct Buf {
  char s[4096];
  size_t n;
} Buf;

static void put(Buf *b, const char *s) {
  size_t l = strlen(s);
  if (b->n + l + 1 >= sizeof b->s) return;
  memcpy(b->s + b->n, s, l + 1);
  b->n += l;
}

/* ------------------------------------------------------ generation */

static const char *const atoms[] = {
  "2", "3", "5", "7", "11", "0", "1", "NULL", "'a'", "'b%'", "'ab'",
};
static const char *const binops[] = {
  "+", "-", "*", "/", "%", "||", "=", "==", "<>", "!=", "<", "<=", ">",
  ">=", "AND", "OR", "IS", "IS NOT", "LIKE", "NOT LIKE",
};

static void gen(Buf *b, int depth) {
  int r = depth <= 0 ? 0 : (int)rnd(14);
  switch (r) {
  case 0: case 1: case 2:
    put(b, atoms[rnd(sizeof atoms / sizeof atoms[0])]);
    break;
  case 3:
    put(b, rnd(2) ? "- " : rnd(2) ? "+ " : "NOT ");
    gen(b, depth - 1);
    break;
  case 4:
    gen(b, depth - 1);
    put(b, rnd(2) ? " BETWEEN " : " NOT BETWEEN ");
    gen(b, depth - 1);
    put(b, " AND ");
    gen(b, depth - 1);
    break;
  case 5:
    gen(b, depth - 1);
    put(b, rnd(2) ? " IN (" : " NOT IN (");
    gen(b, depth - 1);
    put(b, ", ");
    gen(b, depth - 1);
    put(b, ")");
    break;
  case 6:
    gen(b, depth - 1);
    put(b, rnd(3) == 0 ? " ISNULL" : rnd(2) ? " IS NOT NULL" : " NOT NULL");
    break;
  case 7:
    put(b, "CASE WHEN ");
    gen(b, depth - 1);
    put(b, " THEN ");
    gen(b, depth - 1);
    put(b, " ELSE ");
    gen(b, depth - 1);
    put(b, " END");
    break;
  default:
    gen(b, depth - 1);
    put(b, " ");
    put(b, binops[rnd(sizeof binops / sizeof binops[0])]);
    put(b, " ");
    gen(b, depth - 1);
    break;
  }
}

/* ------------------------------------------- eddy's tree back to SQL */

static bool render(Buf *b, const EdAstExpr *e) {
  char tmp[64];
  bool ok = true;
  put(b, "(");
  switch (e->kind) {
  case AST_LITERAL:
    if (e->lit.type == ED_T_NULL) put(b, "NULL");
    else if (e->lit.type == ED_T_BIGINT) {
      snprintf(tmp, sizeof tmp, "%lld", (long long)e->lit.i);
      put(b, tmp);
    } else if (e->lit.type == ED_T_VARCHAR) {
      put(b, "'");
      put(b, e->lit.s);
      put(b, "'");
    } else {
      ok = false;
    }
    break;
  case AST_UNARY:
    put(b, ed_ast_op_text(e->op));
    put(b, " ");
    ok = render(b, e->left);
    break;
  case AST_BINARY:
    ok = render(b, e->left);
    put(b, " ");
    put(b, ed_ast_op_text(e->op));
    put(b, " ");
    ok = ok && render(b, e->right);
    break;
  case AST_IS_NULL:
    ok = render(b, e->left);
    put(b, e->negated ? " IS NOT NULL" : " IS NULL");
    break;
  case AST_BETWEEN:
    ok = render(b, e->left);
    put(b, e->negated ? " NOT BETWEEN " : " BETWEEN ");
    ok = ok && render(b, e->right);
    put(b, " AND ");
    ok = ok && render(b, e->third);
    break;
  case AST_IN_LIST:
    ok = render(b, e->left);
    put(b, e->negated ? " NOT IN (" : " IN (");
    for (int i = 0; ok && i < e->list.n; i++) {
      if (i) put(b, ", ");
      ok = render(b, e->list.items[i]);
    }
    put(b, ")");
    break;
  case AST_LIKE:
    ok = render(b, e->left);
    put(b, e->negated ? " NOT LIKE " : " LIKE ");
    ok = ok && render(b, e->right);
    break;
  case AST_CASE:
    put(b, "CASE");
    for (int i = 0; ok && i + 1 < e->list.n; i += 2) {
      put(b, " WHEN ");
      ok = render(b, e->list.items[i]);
      put(b, " THEN ");
      ok = ok && render(b, e->list.items[i + 1]);
    }
    if (e->third) {
      put(b, " ELSE ");
      ok = ok && render(b, e->third);
    }
    put(b, " END");
    break;
  default:
    ok = false;
    break;
  }
  put(b, ")");
  return ok;
}

/* ------------------------------------------------------ evaluation */

/* Evaluates SELECT <expr> in SQLite into a printable "type:value". */
static int eval(sqlite3 *db, const char *expr, char *out, size_t n) {
  char sql[8192];
  snprintf(sql, sizeof sql, "SELECT %s", expr);
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    int t = sqlite3_column_type(st, 0);
    const unsigned char *v = sqlite3_column_text(st, 0);
    snprintf(out, n, "%d:%s", t, v ? (const char *)v : "NULL");
  }
  sqlite3_finalize(st);
  return rc == SQLITE_ROW ? 0 : -1;
}

int main(void) {
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    printf("Bail out! cannot open SQLite\n");
    return 1;
  }
  EdArena a;
  ed_arena_init(&a, 1 << 14);
  int compared = 0, rejected = 0, mismatched = 0, unparsed = 0;
  for (int k = 0; k < 5000; k++) {
    Buf text = {.n = 0};
    text.s[0] = 0;
    gen(&text, 2 + (int)rnd(4));
    char want[512], got[512];
    if (eval(db, text.s, want, sizeof want) != 0) {
      rejected++;
      continue;
    }
    char sql[4200];
    snprintf(sql, sizeof sql, "SELECT %s", text.s);
    EdAstList out = {0};
    EdError err;
    ed_arena_reset(&a);
    if (ed_parse(&a, sql, &out, &err) != 0 || out.n != 1) {
      if (unparsed++ < 5) printf("#   eddy rejects: %s (%s)\n", sql, err.msg);
      continue;
    }
    const EdAstSelect *sel = ((EdAstStmt *)out.items[0])->query->selects.items[0];
    const EdAstSelItem *it = sel->items.items[0];
    Buf paren = {.n = 0};
    paren.s[0] = 0;
    if (!render(&paren, it->expr)) continue;
    compared++;
    if (eval(db, paren.s, got, sizeof got) != 0 || strcmp(got, want) != 0) {
      if (mismatched++ < 5)
        printf("#   %s\n#     SQLite: %s\n#     eddy's grouping: %s -> %s\n",
               text.s, want, paren.s, got);
    }
  }
  printf("# %d expressions compared, %d rejected by SQLite\n", compared,
         rejected);
  TAP_EQ_INT(unparsed, 0, "every expression SQLite accepts parses");
  TAP_EQ_INT(mismatched, 0, "eddy groups operators as SQLite does");
  TAP_OK(compared > 3000, "enough expressions compared");
  ed_arena_free(&a);
  sqlite3_close(db);
  return tap_done();
}
