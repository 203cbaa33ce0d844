/*
** exec/agg_acc.h — aggregate accumulators shared by the hash aggregate
** (exec/op_aggregate.c) and the incremental aggregation
** (exec/op_stream_agg.c).
**
** An EdAccSet holds the state of n aggregate calls for many groups at once:
** one typed array per call, indexed by a dense group id that the owner
** assigns (from a hash table or its own allocator).  Folding works on whole
** batches: the values of call i at positions pos[k] go into groups ids[k].
** Nothing is allocated per row: arrays grow geometrically with the ids, the
** bytes of VARCHAR min/max live in one arena, DISTINCT sets in one hash
** table per call keyed by (group id, value).
**
** Semantics are SQLite's over typed columns (see exec/op_aggregate.c):
** count(x) counts non-NULL values; sum, avg, min and max ignore NULLs and
** are NULL over no values; sum(BIGINT) stops the query on overflow; avg
** over integers keeps an exact integer sum (falling back to a double on
** overflow), over doubles a compensated sum.
**
** A set made with `mergeable` also supports what streaming state needs:
** merging one group into another (panes into windows, sessions into
** sessions) and releasing a group's memory when it is evicted.  For that
** it threads each group's DISTINCT values on a chain, and keeps a flag per
** id saying whether the id is in use so that string storage can be
** compacted.
*/
#ifndef ED_AGG_ACC_H
#define ED_AGG_ACC_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/batch.h"
#include "exec/operator.h"
#include "planner/plan.h"
#include "state/hashtable.h"

typedef enum EdAccKind {
  ED_ACC_COUNT_STAR, ED_ACC_COUNT, ED_ACC_SUM_INT, ED_ACC_SUM_DBL,
  ED_ACC_AVG_INT, ED_ACC_AVG_DBL, ED_ACC_MINMAX_INT, ED_ACC_MINMAX_DBL,
  ED_ACC_MINMAX_STR, ED_ACC_MINMAX_WIN
} EdAccKind;

/* A group's copy of a VARCHAR min/max, reused in place while the new value
** fits. */
typedef struct EdAccStr {
  char *ptr;
  uint32_t len, cap;
} EdAccStr;

typedef struct EdAcc {
  const EdAggCall *call;
  EdAccKind kind;
  bool is_max;
  EdType arg_type;
  int64_t *cnt;       /* values folded in (count; "has a value" for others);
                         shared with call cnt_of when that is >= 0 */
  int cnt_of;         /* an earlier call counting the same values, or -1 */
  int64_t *i64;       /* integer sum, integer min/max; avg over integers:
                         the sum, after overflow (approx) a double's bits */
  double *f64;        /* double sum, double min/max */
  double *comp;       /* Neumaier compensation of f64 sums */
  uint8_t *approx;    /* avg over integers: sum overflowed into f64 */
  EdWindow *win;
  EdAccStr *str;
  EdHashTable *seen;  /* DISTINCT: (group id, value) */
  uint32_t *dhead;    /* mergeable DISTINCT: first entry of each group */
  uint32_t *dnext;    /* next entry of the same group, by entry id */
  uint32_t dnext_cap;
  EdVector one;       /* DISTINCT: one value being re-folded by a merge */
} EdAcc;

typedef struct EdAccSet {
  EdExecCtx *ctx;
  int n;              /* aggregate calls */
  EdAcc *accs;
  uint32_t cap;       /* groups the arrays hold */
  bool mergeable;
  bool track_used;    /* mergeable with strings or DISTINCT values */
  uint8_t *used;      /* track_used: id reset and not yet released */
  EdArena strs;       /* EdAccStr bytes */
  size_t str_live;    /* bytes of the slots of ids in use (mergeable) */
  /* Scratch of a DISTINCT fold, one entry per row of a batch. */
  EdVector gidvec;    /* BIGINT group ids by position */
  uint16_t *pos;
  uint32_t *gids, *dids;
  uint64_t *hashes;
  bool *is_new;
} EdAccSet;

/* The argument expression call i folds: NULL for count(*). */
static inline EdExpr *ed_acc_arg(const EdAggCall *call) {
  return call->fn == AGG_COUNT_STAR ? NULL : call->arg;
}

/* Prepares accumulators for calls[0..n) (which must outlive the set).
** Returns 0, or -1 with the context error set for a combination of
** function and argument type that cannot be computed (the set is then
** already freed).  ed_accs_free is safe on a zeroed or freed set. */
int ed_accs_init(EdAccSet *s, EdExecCtx *ctx, const EdAggCall *calls, int n,
                 bool mergeable);
void ed_accs_free(EdAccSet *s);

/* Grows every array so that ids below need are valid. */
void ed_accs_reserve(EdAccSet *s, uint32_t need);

/* Starts group id empty (count 0, every other aggregate NULL).  id must be
** below the reserved capacity. */
void ed_accs_reset(EdAccSet *s, uint32_t id);

/* Folds, for every call i, the value of args[i] (NULL for count(*)) at
** position pos[k] (pos NULL: k) into group ids[k], k < n.  Returns 0, or -1
** with the context error set (BIGINT overflow in sum()). */
int ed_accs_fold(EdAccSet *s, EdVector *const *args, const uint16_t *pos,
                 const uint32_t *ids, int n);

/* Folds group src of set from into group dst of set s (same calls; s and
** from may be the same set, then dst != src).  from's group is unchanged.
** Needs mergeable sets.  Returns 0 or -1 (sum overflow). */
int ed_accs_merge(EdAccSet *s, uint32_t dst, EdAccSet *from, uint32_t src);

/* Forgets group id (mergeable sets): its DISTINCT values and its string
** bytes are released; the id may be reset and used again. */
void ed_accs_release(EdAccSet *s, uint32_t id);

/* Forgets every group at once (mergeable sets used as scratch). */
void ed_accs_clear(EdAccSet *s);

/* Writes the result of call i for groups ids[k] into out at row rows[k]
** (rows NULL: row k), k < n.  Strings point into the set; they stay valid
** until the group changes or the set is compacted. */
void ed_accs_finalize(const EdAccSet *s, int i, const uint32_t *ids,
                      const uint16_t *rows, int n, EdVector *out);

/* Copies the string bytes of the groups in use into fresh memory when
** released groups left much garbage (mergeable sets), and compacts the
** DISTINCT sets.  Invalidates strings handed out by ed_accs_finalize. */
void ed_accs_compact(EdAccSet *s);

/* Bytes held by the set, for state size reporting. */
size_t ed_accs_bytes(const EdAccSet *s);

#endif
