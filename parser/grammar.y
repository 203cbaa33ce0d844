/*
** parser/grammar.y — eddy's SQL grammar, compiled by Lemon.
**
** The grammar follows SQLite's parse.y in shape and in operator precedence
** (OR < AND < NOT < IS/IN/LIKE/BETWEEN/=/<> < < <= > >= < + - < * / % <
** || < unary - +), plus eddy's statements and streaming clauses (DESIGN
** §3).  Actions are one-liners that call the constructors of ast.c; all
** nodes live in the parse arena.  Keywords that are not reserved fall
** back to identifiers wherever a keyword would be a syntax error, so that
** common column names (end, key, time, first, ...) need no quoting.
**
** The driver (parse.c) feeds tokens from the lexer one at a time and adds
** a ';' at the end of input when the script does not end with one.
*/

%name edParse
%token_prefix TK_
%token_type {EdToken}
%default_type {EdToken}
%extra_argument {EdParseCtx *ctx}
%stack_size 1000

%include {
#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "parser/parse_int.h"

/* Lemon's engine allocates its parser object with malloc. */
#define YYMALLOCARGTYPE size_t

/* Defined after the generated tables (see %code): which terminals the
** parser would accept in its current state. */
struct yyParser;
static void ed_grammar_expected(struct yyParser *p, bool *ok, int ntok);
}

%syntax_error {
  bool ok[YYNTOKEN];
  ed_grammar_expected(yypParser, ok, YYNTOKEN);
  ed_parse_syntax_error(ctx, yymajor, &TOKEN, ok, YYNTOKEN);
}

%parse_failure {
  if (!ctx->failed)
    ed_parse_error_at(ctx, &ctx->tok_pos, "unexpected end of input");
}

%stack_overflow {
  ed_parse_error_at(ctx, &ctx->tok_pos,
                    "statement too deeply nested (parentheses, subqueries, "
                    "CASE or unary operators)");
}

/* Non-reserved keywords: usable as names wherever the keyword cannot be.
** EMIT, TRIGGER, WATERMARK, LEFT and RIGHT are not in this list although
** they are not reserved either: they may follow a name that takes an
** optional alias, where a fallback would turn them into the alias, so the
** driver decides from the next tokens whether they are keywords. */
%fallback ID
  ANALYZE APPEND ASC AVAILABLE BY CAST CHANGES COMPLETE DELAY DESC END
  EXPLAIN FIRST FOR IF INDEX INTERVAL KEY LAST NOW NULLS OF OFFSET ONCE
  PRECISION PRIMARY PROCESSING QUERIES QUERY SET SHOW SINK SINKS STOP
  STREAM STREAMS TABLES TIME UNIQUE UPDATE.

/* SQLite's precedence, lowest first. */
%left OR.
%left AND.
%right NOT.
%left IS LIKE BETWEEN IN ISNULL NOTNULL NE EQ.
%left GT LE LT GE.
%right ESCAPE.
%left PLUS MINUS.
%left STAR SLASH REM.
%left CONCAT.
%right UMINUS.

/* ------------------------------------------------------------ script */

input ::= cmdlist.
cmdlist ::= cmdlist ecmd.
cmdlist ::= ecmd.
ecmd ::= SEMI.
ecmd ::= cmd(X) SEMI(S).                 { ed_ast_stmt_done(ctx, X, &S); }

%type cmd {EdAstStmt *}
%type basecmd {EdAstStmt *}
cmd(A) ::= basecmd(A).
cmd(A) ::= EXPLAIN(E) basecmd(X).
  { A = ed_ast_stmt_new(ctx, STMT_EXPLAIN, &E); A->inner = X; }
cmd(A) ::= EXPLAIN(E) ANALYZE basecmd(X).
  { A = ed_ast_stmt_new(ctx, STMT_EXPLAIN, &E); A->inner = X;
    A->analyze = true; }

/* --------------------------------------------------- CREATE / DROP */

%type ifnotexists {bool}
ifnotexists(A) ::= .                     { A = false; }
ifnotexists(A) ::= IF NOT EXISTS.        { A = true; }
%type ifexists {bool}
ifexists(A) ::= .                        { A = false; }
ifexists(A) ::= IF EXISTS.               { A = true; }

%type tabkind {EdStmtKind}
tabkind(A) ::= TABLE.                    { A = STMT_CREATE_TABLE; }
tabkind(A) ::= STREAM.                   { A = STMT_CREATE_STREAM; }

basecmd(A) ::= CREATE(C) tabkind(K) ifnotexists(E) nm(N) coldefs_opt(D)
               with_opt(W).
  { A = D ? D : ed_ast_stmt_new(ctx, K, &C);
    A->kind = K; A->pos = C.pos; A->if_not_exists = E;
    A->name = ed_ast_name(ctx, &N); A->options = W; }
basecmd(A) ::= CREATE(C) SINK ifnotexists(E) nm(N) WITH LP optlist(W) RP.
  { A = ed_ast_stmt_new(ctx, STMT_CREATE_SINK, &C); A->if_not_exists = E;
    A->name = ed_ast_name(ctx, &N); A->options = W; }
basecmd(A) ::= CREATE(C) uniq INDEX ifnotexists(E) nm(N) ON nm(T)
               LP idxlist(L) RP.
  { A = ed_ast_stmt_new(ctx, STMT_CREATE_INDEX, &C); A->if_not_exists = E;
    A->name = ed_ast_name(ctx, &N); A->target = ed_ast_name(ctx, &T);
    A->insert_cols = L; }

uniq ::= .
uniq ::= UNIQUE.

%type idxlist {EdAstList}
idxlist(A) ::= nm(X) sortorder.
  { memset(&A, 0, sizeof A); ed_ast_push(ctx, &A, ed_ast_name(ctx, &X)); }
idxlist(A) ::= idxlist(A) COMMA nm(X) sortorder.
  { ed_ast_push(ctx, &A, ed_ast_name(ctx, &X)); }

/* The column list, if any, produces the statement (kind set by caller). */
%type coldefs_opt {EdAstStmt *}
coldefs_opt(A) ::= .                     { A = NULL; }
coldefs_opt(A) ::= LP coldeflist(X) RP.  { A = X; }

%type coldeflist {EdAstStmt *}
coldeflist(A) ::= colitem(X).
  { A = ed_ast_stmt_new(ctx, STMT_CREATE_TABLE, NULL);
    ed_ast_table_item(ctx, A, &X); }
coldeflist(A) ::= coldeflist(A) COMMA colitem(X).
  { ed_ast_table_item(ctx, A, &X); }

%type colitem {EdColItem}
colitem(A) ::= nm(N) typetoken_opt(T) colcons(K).
  { memset(&A, 0, sizeof A); A.pos = N.pos;
    A.col = ed_ast_coldef(ctx, &N, T.n ? &T : NULL, K); }
colitem(A) ::= WATERMARK(W) FOR nm(N) AS expr(E).
  { memset(&A, 0, sizeof A); A.pos = W.pos;
    A.wm_column = ed_ast_name(ctx, &N); A.wm_expr = E; }

typetoken_opt(A) ::= .                   { memset(&A, 0, sizeof A); }
typetoken_opt(A) ::= typetoken(A).

/* A type name, with an ignored length or precision suffix. */
typetoken(A) ::= typename(A).
typetoken(A) ::= typename(A) LP signed RP.
typetoken(A) ::= typename(A) LP signed COMMA signed RP.
typename(A) ::= ID(A).
typename(A) ::= ID(A) PRECISION(P).      { A.n = P.pos.offset + P.n - A.pos.offset; }
signed ::= INTEGER.
signed ::= PLUS INTEGER.
signed ::= MINUS INTEGER.

%type colcons {int}
colcons(A) ::= .                         { A = 0; }
colcons(A) ::= colcons(A) PRIMARY KEY sortorder.   { A |= ED_CONS_PRIMARY_KEY; }
colcons(A) ::= colcons(A) NOT NULL.      { A |= ED_CONS_NOT_NULL; }
colcons(A) ::= colcons(A) NULL.
colcons(A) ::= colcons(A) UNIQUE.

%type with_opt {EdAstList}
with_opt(A) ::= .                        { memset(&A, 0, sizeof A); }
with_opt(A) ::= WITH LP optlist(X) RP.  { A = X; }

%type optlist {EdAstList}
optlist(A) ::= opt(X).
  { memset(&A, 0, sizeof A); ed_ast_push(ctx, &A, X); }
optlist(A) ::= optlist(A) COMMA opt(X).  { ed_ast_push(ctx, &A, X); }

%type opt {EdAstOption *}
opt(A) ::= optkey(K) EQ optval(V).       { A = ed_ast_option(ctx, &K, V); }

%type optkey {EdOptKey}
optkey(A) ::= nm(X).                     { A = ed_ast_optkey(ctx, NULL, &X); }
optkey(A) ::= STRING(X).                 { A = ed_ast_optkey(ctx, NULL, &X); }
/* Reserved words that are option names of connectors (nexmark's table). */
optkey(A) ::= TABLE(X).                  { A = ed_ast_optkey(ctx, NULL, &X); }
optkey(A) ::= optkey(B) DOT nm(X).       { A = ed_ast_optkey(ctx, &B, &X); }

/* Option values: string, number (optionally signed) or boolean. */
%type optval {EdAstExpr *}
optval(A) ::= STRING(X).                 { A = ed_ast_literal(ctx, TK_STRING, &X); }
optval(A) ::= number(A).
optval(A) ::= TRUE(X).                   { A = ed_ast_literal(ctx, TK_TRUE, &X); }
optval(A) ::= FALSE(X).                  { A = ed_ast_literal(ctx, TK_FALSE, &X); }

%type number {EdAstExpr *}
number(A) ::= INTEGER(X).                { A = ed_ast_literal(ctx, TK_INTEGER, &X); }
number(A) ::= FLOAT(X).                  { A = ed_ast_literal(ctx, TK_FLOAT, &X); }
number(A) ::= MINUS(S) INTEGER(X).
  { A = ed_ast_signed_literal(ctx, &S, TK_INTEGER, &X); }
number(A) ::= MINUS(S) FLOAT(X).
  { A = ed_ast_signed_literal(ctx, &S, TK_FLOAT, &X); }
number(A) ::= PLUS(S) INTEGER(X).
  { A = ed_ast_signed_literal(ctx, &S, TK_INTEGER, &X); }
number(A) ::= PLUS(S) FLOAT(X).
  { A = ed_ast_signed_literal(ctx, &S, TK_FLOAT, &X); }

%type objkind {EdObjKind}
objkind(A) ::= TABLE.                    { A = OBJ_TABLE; }
objkind(A) ::= STREAM.                   { A = OBJ_STREAM; }
objkind(A) ::= SINK.                     { A = OBJ_SINK; }

basecmd(A) ::= DROP(D) objkind(K) ifexists(E) nm(N).
  { A = ed_ast_stmt_new(ctx, STMT_DROP, &D); A->obj = K; A->if_exists = E;
    A->name = ed_ast_name(ctx, &N); }

/* ------------------------------------------------ INSERT / SET / ... */

basecmd(A) ::= INSERT(I) INTO nm(T) inscols(C) VALUES rowlist(R).
  { A = ed_ast_stmt_new(ctx, STMT_INSERT, &I);
    A->target = ed_ast_name(ctx, &T); A->insert_cols = C; A->rows = R; }
basecmd(A) ::= INSERT(I) INTO nm(T) inscols(C) query(Q).
  { A = ed_ast_stmt_new(ctx, STMT_INSERT, &I);
    A->target = ed_ast_name(ctx, &T); A->insert_cols = C; A->query = Q; }

%type inscols {EdAstList}
inscols(A) ::= .                         { memset(&A, 0, sizeof A); }
inscols(A) ::= LP idlist(X) RP.        { A = X; }

%type idlist {EdAstList}
idlist(A) ::= nm(X).
  { memset(&A, 0, sizeof A); ed_ast_push(ctx, &A, ed_ast_name(ctx, &X)); }
idlist(A) ::= idlist(A) COMMA nm(X).     { ed_ast_push(ctx, &A, ed_ast_name(ctx, &X)); }

%type rowlist {EdAstList}
rowlist(A) ::= row(X).
  { memset(&A, 0, sizeof A); ed_ast_push(ctx, &A, X); }
rowlist(A) ::= rowlist(A) COMMA row(X).  { ed_ast_push(ctx, &A, X); }

%type row {EdAstList *}
row(A) ::= LP nexprlist(X) RP.
  { A = ed_arena_alloc(ctx->arena, sizeof *A); *A = X; }

basecmd(A) ::= SET(S) nm(N) EQ setval(V).
  { A = ed_ast_stmt_new(ctx, STMT_SET, &S); A->name = ed_ast_name(ctx, &N);
    A->value = V; }

/* SET values: literals, or a bare word (update, complete, UTC...) kept
** as a string. */
%type setval {EdAstExpr *}
setval(A) ::= optval(A).
setval(A) ::= ID(X).                     { A = ed_ast_name_literal(ctx, &X); }
setval(A) ::= NULL(X).                   { A = ed_ast_literal(ctx, TK_NULL, &X); }
setval(A) ::= INTERVAL(K) STRING(X).     { A = ed_ast_interval(ctx, &K, &X, NULL); }
setval(A) ::= INTERVAL(K) STRING(X) UNIT(U).
  { A = ed_ast_interval(ctx, &K, &X, &U); }

basecmd(A) ::= SHOW(S) TABLES.
  { A = ed_ast_stmt_new(ctx, STMT_SHOW, &S); A->show = SHOW_TABLES; }
basecmd(A) ::= SHOW(S) STREAMS.
  { A = ed_ast_stmt_new(ctx, STMT_SHOW, &S); A->show = SHOW_STREAMS; }
basecmd(A) ::= SHOW(S) SINKS.
  { A = ed_ast_stmt_new(ctx, STMT_SHOW, &S); A->show = SHOW_SINKS; }
basecmd(A) ::= SHOW(S) QUERIES.
  { A = ed_ast_stmt_new(ctx, STMT_SHOW, &S); A->show = SHOW_QUERIES; }

basecmd(A) ::= STOP(S) QUERY qname(N).
  { A = ed_ast_stmt_new(ctx, STMT_STOP_QUERY, &S);
    A->name = ed_ast_name(ctx, &N); }
qname(A) ::= nm(A).
qname(A) ::= STRING(A).
qname(A) ::= INTEGER(A).

/* ------------------------------------------------------------ queries */

basecmd(A) ::= query(Q).
  { A = ed_ast_stmt_new(ctx, STMT_SELECT, NULL); A->pos = Q->pos;
    A->query = Q; }
basecmd(A) ::= pquery(Q).
  { A = ed_ast_stmt_new(ctx, STMT_SELECT, NULL); A->pos = Q->pos;
    A->query = Q; }

/* A statement-level query; only here may the first operand of a set
** operation be parenthesized (elsewhere "((" would be ambiguous). */
%type query {EdAstQuery *}
query(A) ::= selectbody(A) orderby_opt(O) limit_opt(L) qtail(T).
  { ed_ast_query_finish(ctx, A, &O, &L, &T); }
%type pquery {EdAstQuery *}
pquery(A) ::= pbody(A) orderby_opt(O) limit_opt(L) qtail(T).
  { ed_ast_query_finish(ctx, A, &O, &L, &T); }

/* A query in parentheses: no streaming clauses. */
%type subquery {EdAstQuery *}
subquery(A) ::= selectbody(A) orderby_opt(O) limit_opt(L).
  { EdQueryTail t; memset(&t, 0, sizeof t);
    ed_ast_query_finish(ctx, A, &O, &L, &t); }

%type selectbody {EdAstQuery *}
selectbody(A) ::= oneselect(X).          { A = ed_ast_query_new(ctx, X); }
selectbody(A) ::= selectbody(A) setop(O) setoperand(X).
  { ed_ast_query_add(ctx, A, O, X); }

%type pbody {EdAstQuery *}
pbody(A) ::= LP(L) oneselect(X) RP.
  { A = ed_ast_query_new(ctx, X); A->pos = L.pos; }
pbody(A) ::= pbody(A) setop(O) setoperand(X).
  { ed_ast_query_add(ctx, A, O, X); }

%type setoperand {EdAstSelect *}
setoperand(A) ::= oneselect(A).
setoperand(A) ::= LP oneselect(X) RP.  { A = X; }

%type setop {EdSetOp}
setop(A) ::= UNION.                      { A = SETOP_UNION; }
setop(A) ::= UNION ALL.                  { A = SETOP_UNION_ALL; }
setop(A) ::= EXCEPT.                     { A = SETOP_EXCEPT; }
setop(A) ::= INTERSECT.                  { A = SETOP_INTERSECT; }

%type oneselect {EdAstSelect *}
oneselect(A) ::= SELECT(S) distinct(D) selcollist(W) from(F) where_opt(X)
                 groupby_opt(G) having_opt(H).
  { A = ed_ast_select(ctx, &S, D, &W, F, X, &G, H); }

%type distinct {bool}
distinct(A) ::= DISTINCT.                { A = true; }
distinct(A) ::= ALL.                     { A = false; }
distinct(A) ::= .                        { A = false; }

%type selcollist {EdAstList}
%type sclp {EdAstList}
sclp(A) ::= selcollist(A) COMMA.
sclp(A) ::= .                            { memset(&A, 0, sizeof A); }
selcollist(A) ::= sclp(A) expr(X) as(N).
  { ed_ast_push(ctx, &A, ed_ast_sel_expr(ctx, X, &N)); }
selcollist(A) ::= sclp(A) STAR(S).
  { ed_ast_push(ctx, &A, ed_ast_sel_star(ctx, NULL, &S)); }
selcollist(A) ::= sclp(A) nm(Q) DOT STAR(S).
  { ed_ast_push(ctx, &A, ed_ast_sel_star(ctx, &Q, &S)); }

/* An alias: n == 0 when absent. */
as(A) ::= AS nm(X).                      { A = X; }
as(A) ::= AS STRING(X).                  { A = X; }
as(A) ::= ID(A).
as(A) ::= .                              { memset(&A, 0, sizeof A); }

%type from {EdAstFrom *}
from(A) ::= .                            { A = NULL; }
from(A) ::= FROM joinsrc(X).             { A = X; }

%type joinsrc {EdAstFrom *}
joinsrc(A) ::= tableref(A).
joinsrc(A) ::= joinsrc(L) COMMA(C) tableref(R).
  { EdJoinCond j; memset(&j, 0, sizeof j);
    A = ed_ast_from_join(ctx, L, JOIN_CROSS, &C, R, &j); }
joinsrc(A) ::= joinsrc(L) joinop(J) tableref(R) joincond(C).
  { A = ed_ast_from_join(ctx, L, J.kind, &J.tok, R, &C); }

%type tableref {EdAstFrom *}
tableref(A) ::= nm(N) as(S) wmark_opt(W).
  { A = ed_ast_from_table(ctx, &N, &S, &W); }
tableref(A) ::= LP(L) subquery(Q) RP as(S).
  { A = ed_ast_from_subquery(ctx, &L, Q, &S); }
tableref(A) ::= LP joinsrc(X) RP.        { A = X; }

%include {
/* A join keyword sequence: its kind and its first token. */
typedef struct EdJoinOp {
  int kind;
  EdToken tok;
} EdJoinOp;
}
%type joinop {EdJoinOp}
joinop(A) ::= JOIN(X).                   { A.kind = JOIN_INNER; A.tok = X; }
joinop(A) ::= INNER(X) JOIN.             { A.kind = JOIN_INNER; A.tok = X; }
joinop(A) ::= CROSS(X) JOIN.             { A.kind = JOIN_CROSS; A.tok = X; }
joinop(A) ::= LEFT(X) JOIN.              { A.kind = JOIN_LEFT; A.tok = X; }
joinop(A) ::= LEFT(X) OUTER JOIN.        { A.kind = JOIN_LEFT; A.tok = X; }
joinop(A) ::= RIGHT(X) outer_opt JOIN.
  { A.kind = ed_ast_unsupported_join(ctx, &X); A.tok = X; }
joinop(A) ::= FULL(X) outer_opt JOIN.
  { A.kind = ed_ast_unsupported_join(ctx, &X); A.tok = X; }
joinop(A) ::= NATURAL(X) natural_kind JOIN.
  { A.kind = ed_ast_unsupported_join(ctx, &X); A.tok = X; }
outer_opt ::= .
outer_opt ::= OUTER.
natural_kind ::= .
natural_kind ::= INNER.
natural_kind ::= LEFT outer_opt.
natural_kind ::= CROSS.

%type joincond {EdJoinCond}
joincond(A) ::= .                        { memset(&A, 0, sizeof A); }
joincond(A) ::= ON expr(X).              { memset(&A, 0, sizeof A); A.on = X; }
joincond(A) ::= USING LP idlist(L) RP.
  { memset(&A, 0, sizeof A); A.has_using = true; A.using_cols = L; }

%type wmark_opt {EdWmark}
wmark_opt(A) ::= .                       { memset(&A, 0, sizeof A); }
wmark_opt(A) ::= WATERMARK nm(C) DELAY OF intervalval(D).
  { A.column = ed_ast_name(ctx, &C); A.delay = D; }

/* An interval where only an interval fits: '10 seconds' is accepted
** without the INTERVAL keyword. */
%type intervalval {EdAstExpr *}
intervalval(A) ::= STRING(X).            { A = ed_ast_interval(ctx, NULL, &X, NULL); }
intervalval(A) ::= INTERVAL(K) STRING(X). { A = ed_ast_interval(ctx, &K, &X, NULL); }
intervalval(A) ::= INTERVAL(K) STRING(X) UNIT(U).
  { A = ed_ast_interval(ctx, &K, &X, &U); }

%type where_opt {EdAstExpr *}
where_opt(A) ::= .                       { A = NULL; }
where_opt(A) ::= WHERE expr(X).          { A = X; }

%type groupby_opt {EdAstList}
groupby_opt(A) ::= .                     { memset(&A, 0, sizeof A); }
groupby_opt(A) ::= GROUP BY nexprlist(X). { A = X; }

%type having_opt {EdAstExpr *}
having_opt(A) ::= .                      { A = NULL; }
having_opt(A) ::= HAVING expr(X).        { A = X; }

%type orderby_opt {EdAstList}
orderby_opt(A) ::= .                     { memset(&A, 0, sizeof A); }
orderby_opt(A) ::= ORDER BY sortlist(X). { A = X; }

%type sortlist {EdAstList}
sortlist(A) ::= expr(X) sortorder(D) nulls(N).
  { memset(&A, 0, sizeof A);
    ed_ast_push(ctx, &A, ed_ast_order_item(ctx, X, D, N)); }
sortlist(A) ::= sortlist(A) COMMA expr(X) sortorder(D) nulls(N).
  { ed_ast_push(ctx, &A, ed_ast_order_item(ctx, X, D, N)); }

%type sortorder {bool}
sortorder(A) ::= .                       { A = false; }
sortorder(A) ::= ASC.                    { A = false; }
sortorder(A) ::= DESC.                   { A = true; }

%type nulls {int}
nulls(A) ::= .                           { A = -1; }
nulls(A) ::= NULLS FIRST.                { A = 1; }
nulls(A) ::= NULLS LAST.                 { A = 0; }

%type limit_opt {EdLimit}
limit_opt(A) ::= .                       { A.limit = NULL; A.offset = NULL; }
limit_opt(A) ::= LIMIT expr(X).          { A.limit = X; A.offset = NULL; }
limit_opt(A) ::= LIMIT expr(X) OFFSET expr(Y).
  { A.limit = X; A.offset = Y; }
/* SQLite's LIMIT offset, count. */
limit_opt(A) ::= LIMIT expr(Y) COMMA expr(X).
  { A.limit = X; A.offset = Y; }

/* Streaming clauses, in any order, each at most once. */
%type qtail {EdQueryTail}
qtail(A) ::= .                           { memset(&A, 0, sizeof A); }
qtail(A) ::= qtail(A) tailitem(X).       { ed_ast_tail_merge(ctx, &A, &X.t, &X.tok); }

%include {
typedef struct EdTailItem {
  EdQueryTail t;
  EdToken tok;
} EdTailItem;
}
%type tailitem {EdTailItem}
tailitem(A) ::= EMIT(K) emitmode(M).
  { memset(&A, 0, sizeof A); A.tok = K; A.t.emit = M; }
tailitem(A) ::= TRIGGER(K) PROCESSING TIME intervalval(V).
  { memset(&A, 0, sizeof A); A.tok = K;
    ed_ast_tail_trigger_time(ctx, &A.t, V); }
tailitem(A) ::= TRIGGER(K) ONCE.
  { memset(&A, 0, sizeof A); A.tok = K; A.t.trigger = TRIGGER_ONCE; }
tailitem(A) ::= TRIGGER(K) AVAILABLE NOW.
  { memset(&A, 0, sizeof A); A.tok = K; A.t.trigger = TRIGGER_AVAILABLE_NOW; }
tailitem(A) ::= WITH(K) LP optlist(L) RP.
  { memset(&A, 0, sizeof A); A.tok = K; A.t.has_options = true;
    A.t.options = L; }

%type emitmode {EdEmitMode}
emitmode(A) ::= COMPLETE.                { A = EMIT_COMPLETE; }
emitmode(A) ::= UPDATE.                  { A = EMIT_UPDATE; }
emitmode(A) ::= APPEND.                  { A = EMIT_APPEND; }
emitmode(A) ::= CHANGES.                 { A = EMIT_CHANGES; }

nm(A) ::= ID(A).

/* -------------------------------------------------------- expressions */

%type expr {EdAstExpr *}
%type term {EdAstExpr *}

expr(A) ::= term(A).
expr(A) ::= LP(L) expr(X) RP(R).         { A = ed_ast_paren(ctx, &L, X, &R); }
expr(A) ::= nm(N).                       { A = ed_ast_column(ctx, NULL, &N); }
expr(A) ::= nm(Q) DOT nm(N).             { A = ed_ast_column(ctx, &Q, &N); }

term(A) ::= NULL(X).                     { A = ed_ast_literal(ctx, TK_NULL, &X); }
term(A) ::= TRUE(X).                     { A = ed_ast_literal(ctx, TK_TRUE, &X); }
term(A) ::= FALSE(X).                    { A = ed_ast_literal(ctx, TK_FALSE, &X); }
term(A) ::= INTEGER(X).                  { A = ed_ast_literal(ctx, TK_INTEGER, &X); }
term(A) ::= FLOAT(X).                    { A = ed_ast_literal(ctx, TK_FLOAT, &X); }
term(A) ::= STRING(X).                   { A = ed_ast_literal(ctx, TK_STRING, &X); }
term(A) ::= INTERVAL(K) STRING(X).       { A = ed_ast_interval(ctx, &K, &X, NULL); }
term(A) ::= INTERVAL(K) STRING(X) UNIT(U).
  { A = ed_ast_interval(ctx, &K, &X, &U); }

expr(A) ::= ID(N) LP distinct(D) exprlist(L) RP(R).
  { A = ed_ast_func(ctx, &N, D, &L, false, &R); }
expr(A) ::= ID(N) LP STAR RP(R).
  { A = ed_ast_func(ctx, &N, false, NULL, true, &R); }

expr(A) ::= CAST(K) LP expr(X) AS typetoken(T) RP(R).
  { A = ed_ast_cast(ctx, &K, X, &T, &R); }

expr(A) ::= expr(X) AND(O) expr(Y).      { A = ed_ast_binary(ctx, OP_AND, &O, X, Y); }
expr(A) ::= expr(X) OR(O) expr(Y).       { A = ed_ast_binary(ctx, OP_OR, &O, X, Y); }
expr(A) ::= expr(X) LT(O) expr(Y).       { A = ed_ast_binary(ctx, OP_LT, &O, X, Y); }
expr(A) ::= expr(X) GT(O) expr(Y).       { A = ed_ast_binary(ctx, OP_GT, &O, X, Y); }
expr(A) ::= expr(X) LE(O) expr(Y).       { A = ed_ast_binary(ctx, OP_LE, &O, X, Y); }
expr(A) ::= expr(X) GE(O) expr(Y).       { A = ed_ast_binary(ctx, OP_GE, &O, X, Y); }
expr(A) ::= expr(X) EQ(O) expr(Y).       { A = ed_ast_binary(ctx, OP_EQ, &O, X, Y); }
expr(A) ::= expr(X) NE(O) expr(Y).       { A = ed_ast_binary(ctx, OP_NE, &O, X, Y); }
expr(A) ::= expr(X) PLUS(O) expr(Y).     { A = ed_ast_binary(ctx, OP_ADD, &O, X, Y); }
expr(A) ::= expr(X) MINUS(O) expr(Y).    { A = ed_ast_binary(ctx, OP_SUB, &O, X, Y); }
expr(A) ::= expr(X) STAR(O) expr(Y).     { A = ed_ast_binary(ctx, OP_MUL, &O, X, Y); }
expr(A) ::= expr(X) SLASH(O) expr(Y).    { A = ed_ast_binary(ctx, OP_DIV, &O, X, Y); }
expr(A) ::= expr(X) REM(O) expr(Y).      { A = ed_ast_binary(ctx, OP_MOD, &O, X, Y); }
expr(A) ::= expr(X) CONCAT(O) expr(Y).   { A = ed_ast_binary(ctx, OP_CONCAT, &O, X, Y); }

%type likeop {EdOpTok}
likeop(A) ::= LIKE(X).                   { A.tok = X; A.neg = false; }
likeop(A) ::= NOT(X) LIKE.               { A.tok = X; A.neg = true; }
expr(A) ::= expr(X) likeop(O) expr(Y).  [LIKE]
  { A = ed_ast_like(ctx, &O, X, Y, NULL); }
expr(A) ::= expr(X) likeop(O) expr(Y) ESCAPE expr(Z).  [LIKE]
  { A = ed_ast_like(ctx, &O, X, Y, Z); }

expr(A) ::= expr(X) ISNULL(O).           { A = ed_ast_is_null(ctx, false, &O, X, &O); }
expr(A) ::= expr(X) NOTNULL(O).          { A = ed_ast_is_null(ctx, true, &O, X, &O); }
expr(A) ::= expr(X) NOT(O) NULL(E).      { A = ed_ast_is_null(ctx, true, &O, X, &E); }
expr(A) ::= expr(X) IS(O) expr(Y).       { A = ed_ast_is(ctx, false, &O, X, Y); }
expr(A) ::= expr(X) IS(O) NOT expr(Y).   { A = ed_ast_is(ctx, true, &O, X, Y); }

expr(A) ::= NOT(O) expr(X).              { A = ed_ast_unary(ctx, OP_NOT, &O, X); }
expr(A) ::= MINUS(O) expr(X). [UMINUS]   { A = ed_ast_unary(ctx, OP_NEG, &O, X); }
expr(A) ::= PLUS(O) expr(X). [UMINUS]    { A = ed_ast_unary(ctx, OP_PLUS, &O, X); }

%type between_op {EdOpTok}
between_op(A) ::= BETWEEN(X).            { A.tok = X; A.neg = false; }
between_op(A) ::= NOT(X) BETWEEN.        { A.tok = X; A.neg = true; }
expr(A) ::= expr(X) between_op(O) expr(Y) AND expr(Z).  [BETWEEN]
  { A = ed_ast_between(ctx, &O, X, Y, Z); }

%type in_op {EdOpTok}
in_op(A) ::= IN(X).                      { A.tok = X; A.neg = false; }
in_op(A) ::= NOT(X) IN.                  { A.tok = X; A.neg = true; }
expr(A) ::= expr(X) in_op(O) LP exprlist(L) RP(R).  [IN]
  { A = ed_ast_in_list(ctx, &O, X, &L, &R); }
expr(A) ::= expr(X) in_op(O) LP subquery(Q) RP(R).  [IN]
  { A = ed_ast_in_query(ctx, &O, X, Q, &R); }

expr(A) ::= LP(L) subquery(Q) RP(R).     { A = ed_ast_subquery(ctx, &L, Q, &R); }
expr(A) ::= EXISTS(K) LP subquery(Q) RP(R).
  { A = ed_ast_exists(ctx, &K, Q, &R); }

expr(A) ::= CASE(K) case_operand(X) case_exprlist(L) case_else(Z) END(E).
  { A = ed_ast_case(ctx, &K, X, &L, Z, &E); }
%type case_exprlist {EdAstList}
case_exprlist(A) ::= case_exprlist(A) WHEN expr(Y) THEN expr(Z).
  { ed_ast_push(ctx, &A, Y); ed_ast_push(ctx, &A, Z); }
case_exprlist(A) ::= WHEN expr(Y) THEN expr(Z).
  { memset(&A, 0, sizeof A); ed_ast_push(ctx, &A, Y); ed_ast_push(ctx, &A, Z); }
%type case_else {EdAstExpr *}
case_else(A) ::= ELSE expr(X).           { A = X; }
case_else(A) ::= .                       { A = NULL; }
%type case_operand {EdAstExpr *}
case_operand(A) ::= expr(A).
case_operand(A) ::= .                    { A = NULL; }

%type exprlist {EdAstList}
%type nexprlist {EdAstList}
exprlist(A) ::= nexprlist(A).
exprlist(A) ::= .                        { memset(&A, 0, sizeof A); }
nexprlist(A) ::= nexprlist(A) COMMA expr(Y).  { ed_ast_push(ctx, &A, Y); }
nexprlist(A) ::= expr(Y).
  { memset(&A, 0, sizeof A); ed_ast_push(ctx, &A, Y); }

/* ------------------------------------------------- error diagnostics */

%code {
/* True when the parser, in its current state, would shift terminal t
** (possibly after reductions).  The reductions are simulated on a copy of
** the state stack, so that the driver can reject a token before Lemon
** performs the default reductions that would hide what was expected. */
static bool ed_sim_accepts(const yyParser *p, int t) {
  /* Entries below lo are read from the real stack, the others from the
  ** overlay: a reduction only writes just above the new top, so nothing
  ** under lo is ever changed and the real stack need not be copied. */
  enum { CAP = YYSTACKDEPTH + 64 };
  YYACTIONTYPE over[CAP];
  int top = (int)(p->yytos - p->yystack);
  int lo = top + 1;
  for (;;) {
    YYACTIONTYPE state = top >= lo ? over[top] : p->yystack[top].stateno;
    YYACTIONTYPE act = yy_find_shift_action((YYCODETYPE)t, state);
    if (act < YY_MIN_REDUCE || act > YY_MAX_REDUCE)
      return act <= YY_MAX_SHIFTREDUCE || act == YY_ACCEPT_ACTION;
    unsigned rule = act - YY_MIN_REDUCE;
    top += yyRuleInfoNRhs[rule];
    if (top < 0 || top + 1 >= CAP) return false;
    state = top >= lo ? over[top] : p->yystack[top].stateno;
    over[top + 1] = yy_find_reduce_action(state,
                                          (YYCODETYPE)yyRuleInfoLhs[rule]);
    top++;
    if (top < lo) lo = top;
  }
}

bool ed_grammar_accepts(void *parser, int t) {
  assert(t > 0 && t < YYNTOKEN);
  return ed_sim_accepts(parser, t);
}

int ed_grammar_ntokens(void) {
  return YYNTOKEN;
}

/* Fills ok[t] for every terminal t the parser would accept now. */
static void ed_grammar_expected(struct yyParser *p, bool *ok, int ntok) {
  ok[0] = false;
  for (int t = 1; t < ntok; t++) ok[t] = ed_sim_accepts(p, t);
}

void ed_grammar_expected_set(void *parser, bool *ok, int ntok) {
  ed_grammar_expected(parser, ok, ntok);
}
}
