/*
** exec/op_explode.c — explode(split(s, sep)) in a select list
** (PHYS_EXPLODE): each input row becomes one output row per piece of s,
** made of the input row's columns followed by the piece (VARCHAR).
**
** Splitting follows Spark's split(s, sep) with the separator taken
** literally (not as a regular expression): every occurrence of sep ends a
** piece, and empty pieces are kept, also at the ends ('a  b' by ' ' gives
** 'a', '', 'b'; ' a' gives '', 'a'; the empty string gives one empty
** piece).  An empty separator splits s into its characters (UTF-8 code
** points; a byte that starts no valid sequence is a character of its
** own), as Spark's split(s, '') does; the empty string still gives one
** empty piece.  A NULL string or separator gives no row at all (explode
** of NULL).
**
** Nothing is allocated per row: pieces point into the input strings (or
** into the scratch arena that holds evaluated ones), which stay valid for
** the duration of the push, and the input columns of the output rows are
** gathered in bulk from the input batch.  One input batch may produce
** several output batches of up to ED_BATCH_CAP rows each.  Each output
** row carries the change kind (EdBatch.ops) of its input row.  The end of
** a micro-batch is forwarded as it comes.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "exec/executor.h"
#include "exec/ops.h"
#include "state/rowstore.h"

typedef struct ExplodeOp {
  EdOp base;
  const EdPlan *node;
  int nin;                    /* input columns; the piece is column nin */
  EdExprCols args;            /* the string and the separator */
  EdBatch *out;
  int nout;                   /* rows pending in out */
  uint16_t pos[ED_BATCH_CAP]; /* input position of pending row k */
  EdArena scratch;            /* strings of evaluated arguments */
} ExplodeOp;

/* Materializes the pending rows (input columns gathered from in, pieces
** already in place) and emits them. */
static int flush(ExplodeOp *x, EdBatch *in) {
  if (x->nout == 0) return 0;
  EdBatch *out = x->out;
  for (int c = 0; c < x->nin; c++)
    ed_vec_copy(&out->cols[c], 0, &in->cols[c], x->pos, x->nout, NULL);
  if (in->ops) {
    out->ops = out->ops_buf;
    for (int k = 0; k < x->nout; k++) out->ops[k] = in->ops[x->pos[k]];
  }
  out->nrows = x->nout;
  x->nout = 0;
  int rc = ed_op_emit(&x->base, out);
  ed_batch_reset(out);
  return rc;
}

/* Queues one output row: input position p with piece (ptr, len). */
static inline int add_piece(ExplodeOp *x, EdBatch *in, int p, const char *ptr,
                            size_t len) {
  x->pos[x->nout] = (uint16_t)p;
  ED_VEC_STR(&x->out->cols[x->nin])[x->nout] = (EdStr){ptr, (uint32_t)len};
  x->nout++;
  return x->nout == ED_BATCH_CAP ? flush(x, in) : 0;
}

/* Length of the UTF-8 character at s (n > 0 bytes left); a byte that
** starts no valid sequence counts alone. */
static size_t utf8_len(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3
             : (c >> 3) == 30 ? 4 : 1;
  if (len > n) return 1;
  for (size_t i = 1; i < len; i++)
    if ((s[i] & 0xC0) != 0x80) return 1;
  return len;
}

/* Emits the pieces of s split by sep for input position p. */
static int split_row(ExplodeOp *x, EdBatch *in, int p, EdStr s, EdStr sep) {
  const char *cur = s.ptr, *end = s.ptr + s.len;
  if (s.len == 0) return add_piece(x, in, p, cur, 0);
  if (sep.len == 0) {
    while (cur < end) {
      size_t n = utf8_len((const unsigned char *)cur, (size_t)(end - cur));
      if (add_piece(x, in, p, cur, n) < 0) return -1;
      cur += n;
    }
    return 0;
  }
  for (;;) {
    const char *hit = (size_t)(end - cur) >= sep.len
                          ? memmem(cur, (size_t)(end - cur), sep.ptr, sep.len)
                          : NULL;
    if (!hit) return add_piece(x, in, p, cur, (size_t)(end - cur));
    if (add_piece(x, in, p, cur, (size_t)(hit - cur)) < 0) return -1;
    cur = hit + sep.len;
  }
}

/* Explodes the active rows of in. */
static int explode_push(EdOp *op, int port, EdBatch *in) {
  (void)port;
  ExplodeOp *x = (ExplodeOp *)op;
  int n = ed_batch_count(in);
  if (n == 0) return 0;
  op->rows_in += n;
  ed_arena_reset(&x->scratch);
  if (ed_exprcols_run(&x->args, in, &x->scratch) < 0) return -1;
  const EdVector *sv = x->args.vecs[0], *pv = x->args.vecs[1];
  bool snull = sv->type == ED_T_NULL, pnull = pv->type == ED_T_NULL;
  x->nout = 0;
  for (int k = 0; k < n; k++) {
    int p = ed_batch_row(in, k);
    if (snull || pnull || !ed_vec_valid(sv, p) || !ed_vec_valid(pv, p))
      continue;
    if (split_row(x, in, p, ED_VEC_STR(sv)[p], ED_VEC_STR(pv)[p]) < 0)
      return -1;
  }
  return flush(x, in);
}

/* End of input: passed on. */
static int explode_finish(EdOp *op, int port) {
  (void)port;
  op->finished_inputs++;
  return ed_op_emit_finish(op);
}

/* Frees the operator (also a half-built one). */
static void explode_destroy(EdOp *op) {
  ExplodeOp *x = (ExplodeOp *)op;
  ed_exprcols_free(&x->args);
  if (x->out) ed_batch_free(x->out);
  ed_arena_free(&x->scratch);
  free(x);
}

static const EdOpVtab explode_vtab = {
    .name = "Explode",
    .push = explode_push,
    .finish = explode_finish,
    .destroy = explode_destroy,
};

EdOp *ed_op_explode_new(EdExecCtx *ctx, const EdPlan *node) {
  assert(node->nexprs == 2);
  ExplodeOp *x = ed_calloc(1, sizeof *x);
  ed_op_init(&x->base, &explode_vtab, ctx, 1);
  x->node = node;
  x->nin = node->schema.ncols - 1;
  assert(x->nin >= 0 && node->schema.cols[x->nin].type == ED_T_VARCHAR);
  ed_arena_init(&x->scratch, 16 * 1024);
  EdType *types = ed_malloc(sizeof(EdType) * (size_t)(x->nin + 1));
  for (int c = 0; c <= x->nin; c++) types[c] = node->schema.cols[c].type;
  x->out = ed_batch_new(x->nin + 1, types);
  free(types);
  if (ed_exprcols_init(&x->args, ctx, node->exprs, 2) < 0) {
    explode_destroy(&x->base);
    return NULL;
  }
  return &x->base;
}
