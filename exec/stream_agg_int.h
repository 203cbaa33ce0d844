/*
** exec/stream_agg_int.h — internals of the incremental aggregation
** (PHYS_STREAM_AGGREGATE), shared by its files:
**
**   op_stream_agg.c       the operator: set up, push / end_batch / finish,
**                         evaluation of keys, arguments and event times
**   stream_agg_emit.c     output rows (keys, time key, values, changelog
**                         ops), the last emitted values of CHANGES mode,
**                         ordering, time arithmetic
**   stream_agg_group.c    one state row per group: running aggregates
**                         (WIN_NONE), tumbling windows, raw event time
**   stream_agg_slide.c    sliding windows kept as panes
**   stream_agg_session.c  session windows
**
** Vocabulary.  The *key table* maps group keys to dense ids: for the
** one-row-per-group kinds it holds the other keys plus the time slot (so
** its id is the group), for sliding and session windows only the other
** keys (a "kid"; panes and sessions hang off it).  The *time key* is the
** window key's output value: a WINDOW, or the TIMESTAMP for WIN_EVENT_TIME;
** a row whose event time is NULL has a NULL time key, belongs to no window
** and is never late or evicted by the watermark (it is final only when the
** input ends).  `drop` says whether the watermark bounds the state (the
** window's time is the watermark column and the mode is not COMPLETE):
** only then are late rows dropped and state evicted.
*/
#ifndef ED_STREAM_AGG_INT_H
#define ED_STREAM_AGG_INT_H

#include "exec/agg_acc.h"
#include "exec/executor.h"
#include "exec/ops.h"
#include "state/hashtable.h"

#define SA_NONE UINT32_MAX

/* Where the aggregate values of an output row come from. */
enum { SA_SRC_ACC, SA_SRC_TMP, SA_SRC_PREV };

/* One output row waiting in the row buffer. */
typedef struct SaRow {
  uint32_t key;       /* id in the key table (keys are gathered from it) */
  uint32_t id;        /* group in the source (acc, tmp or prev) */
  uint32_t save;      /* prev slot that records this row, or SA_NONE */
  uint8_t src;
  uint8_t op;         /* EdRowOp */
  bool tnull;         /* NULL time key (SA_SRC_PREV: taken from prev) */
  EdWindow w;         /* time key: a window; the timestamp in w.start */
} SaRow;

/* A sort item: time, then key sequence (first appearance). */
typedef struct SaOrd {
  int64_t t;
  uint64_t seq;
  uint32_t id;        /* what is being ordered (group, slot, session) */
  uint32_t key;       /* its key id */
  bool tnull;         /* NULL time sorts first */
} SaOrd;

/* The last emitted row of each group (CHANGES mode): time key and values.
** VARCHAR values are copied into slots that are reused in place. */
typedef struct SaPrev {
  uint32_t cap;
  uint8_t *emitted;
  uint8_t *tnull;
  EdWindow *win;
  EdValue *vals;      /* naggs per id */
  EdAccStr *strs;     /* naggs per id (VARCHAR values) */
  EdArena arena;      /* string bytes */
  size_t live;        /* bytes of slots of emitted ids */
} SaPrev;

/* A growable array of ids (changed groups, closed sessions, ...). */
typedef struct SaIds {
  uint32_t *v;
  uint32_t n, cap;
} SaIds;

/* State of the one-row-per-group kinds (NONE, TUMBLING, EVENT_TIME),
** by group id. */
typedef struct SaGroups {
  uint32_t cap;
  int64_t *slot;      /* window start, or the event time */
  int64_t *close;     /* final once close <= wm (window end, event time) */
  uint8_t *tnull;     /* NULL event time */
  uint32_t *stamp;    /* batch of the last change */
  int64_t *last;      /* processing time of the last change (TTL) */
  SaIds changed;
  SaIds pick;         /* scratch: groups selected for output or eviction */
  int64_t min_close;  /* lower bound of close over the live groups */
  int64_t min_last;   /* lower bound of last over the live groups */
} SaGroups;

/* Sliding windows: panes (kid, pane start) and their slots. */
typedef struct SaSlide {
  EdHashTable *panes;       /* (kid BIGINT, pane start TIMESTAMP) -> pid */
  uint32_t pcap;
  uint32_t *pkid;
  int64_t *pstart;
  uint8_t *pnull;
  int64_t *pclose;          /* end of the last window covering the pane */
  uint32_t *phead;          /* slots of the pane, largest cut first */
  uint32_t *pprev, *pnext;  /* the kid's panes */
  /* Slots, by sid (accumulators in op->acc). */
  uint32_t scap, slimit;    /* capacity, ids handed out */
  SaIds sfree;
  uint32_t *spane, *snext, *sstamp;
  int64_t *scut;            /* first window start the slot counts in */
  SaIds changed;            /* slots changed in this batch */
  /* Per kid. */
  uint32_t kcap;
  uint32_t *khead;          /* first pane of the kid */
  uint32_t *kpanes;         /* panes of the kid */
  int64_t closed_upto;      /* APPEND: windows ending <= this were emitted */
  int64_t min_close;        /* lower bound of pclose over live panes */
  /* CHANGES: emitted windows (kid BIGINT, start TIMESTAMP) -> eid. */
  EdHashTable *emitted;
  uint32_t ecap;
  int64_t *eclose;
  /* Emission scratch. */
  SaOrd *pairs;
  uint32_t npairs, pairs_cap;
} SaSlide;

/* Session windows, by sid (accumulators in op->acc). */
enum { SS_FREE, SS_OPEN, SS_CLOSED, SS_NULL, SS_MERGED };

typedef struct SaSession {
  uint32_t cap, limit;      /* capacity, ids handed out */
  SaIds free;
  uint32_t *skid;
  int64_t *start, *end;
  uint8_t *state;           /* SS_* */
  uint32_t *left, *right, *prio;  /* treap of the kid's open sessions */
  uint32_t *stamp;
  uint32_t *fwd;            /* SS_MERGED: the session it merged into */
  uint32_t kcap;
  uint32_t *root;           /* per kid: treap root */
  uint32_t *knull;          /* per kid: session of NULL event times */
  uint32_t *kcount;         /* per kid: sessions referencing it */
  SaIds changed, closed, merged;
  int64_t swept_wm;         /* sessions ending <= this are closed */
  int64_t min_end;          /* lower bound of end over open sessions */
  uint32_t rng;
  uint32_t sids[ED_BATCH_CAP];
} SaSession;

typedef struct SaOp {
  EdOp base;
  const EdPlan *node;
  EdWindowKind kind;
  EdEmitMode mode;
  bool drop;                /* late rows dropped, state evicted by wm */
  int nkeys, naggs;         /* output = keys then aggregates */
  int wkey;                 /* output column of the time key, or -1 */
  int nother;               /* group keys other than the time key */
  int *other_col;           /* output column of each other key */
  int64_t size, slide, pane, gap;
  int64_t ttl;              /* WIN_NONE: state TTL (us), 0 = none */
  EdExprCols keys;          /* other keys */
  EdExprCols args;          /* aggregate arguments */
  EdExprCols ts;            /* the event time (one expression, or none) */
  EdArena scratch;          /* strings of evaluated expressions */
  EdAccSet acc;             /* state accumulators */
  EdAccSet tmp;             /* sliding: windows being emitted */
  bool changes;             /* CHANGES mode: keep prev */
  SaPrev prev;
  /* Key table. */
  EdHashTable *keytab;
  bool key_slot;            /* its last column is the time slot */
  uint64_t *kseq;           /* first appearance, by key id */
  uint32_t kseq_cap;
  uint64_t next_seq;
  /* The current batch. */
  int64_t wm;               /* watermark rows are checked against */
  bool final;               /* the input has ended: everything is final */
  bool final_done;          /* a final batch has been emitted */
  uint32_t stamp;           /* number of the current batch, from 1 */
  /* Per-row scratch of one input batch. */
  uint16_t pos[ED_BATCH_CAP];
  uint32_t ids[ED_BATCH_CAP];
  uint32_t kids[ED_BATCH_CAP];
  uint64_t hashes[ED_BATCH_CAP];
  bool is_new[ED_BATCH_CAP];
  int64_t tv[ED_BATCH_CAP];       /* event time (pane start, ...) */
  int64_t cut[ED_BATCH_CAP];
  EdVector kidvec, slotvec;       /* BIGINT kid, TIMESTAMP slot */
  EdVector *tvecs[2];             /* {kidvec, slotvec} */
  EdVector **keyvecs;             /* other keys [+ slotvec] */
  /* Output. */
  EdBatch *out;
  EdBatch kview;                  /* the key columns of out, in key-table
                                     order */
  EdVector *kview_cols;
  EdVector slot_out;              /* gather target of the slot column */
  SaRow rows[ED_BATCH_CAP];
  int nrows;
  uint16_t rpos[ED_BATCH_CAP];
  uint32_t rids[ED_BATCH_CAP];
  SaOrd *ord;
  uint32_t ord_cap;
  /* Kind-specific state. */
  SaGroups g;
  SaSlide sl;
  SaSession ss;
} SaOp;

/* ------------------------------------------------ stream_agg_emit.c */

/* Floor division and saturating arithmetic on microseconds. */
int64_t sa_floor_div(int64_t a, int64_t b);
int64_t sa_sat_add(int64_t a, int64_t b);
int64_t sa_sat_sub(int64_t a, int64_t b);

void sa_ids_push(SaIds *a, uint32_t id);
void sa_ids_free(SaIds *a);

/* Sorts n items by (NULL time first, time, sequence). */
void sa_ord_sort(SaOrd *o, uint32_t n);
/* Makes room for n sort items in op->ord. */
SaOrd *sa_ord_reserve(SaOp *op, uint32_t n);

/* Registers id as a new key-table entry: gives it the next sequence. */
void sa_key_new(SaOp *op, uint32_t id);

/* Appends a row to the output buffer (flushing it when full). */
int sa_put(SaOp *op, const SaRow *r);
/* Emits the buffered rows as one batch. */
int sa_flush(SaOp *op);

/* Puts the rows of a group whose values are in src/id: in CHANGES mode
** +I the first time (prev_id not emitted), else -U old and +U new, and
** records the values in prev_id; in the other modes one plain row. */
int sa_put_group(SaOp *op, uint32_t key, bool tnull, EdWindow w, int src,
                 uint32_t id, uint32_t prev_id);

/* Prev store (CHANGES). */
void sa_prev_init(SaOp *op);
void sa_prev_free(SaOp *op);
void sa_prev_reserve(SaOp *op, uint32_t need);
void sa_prev_forget(SaOp *op, uint32_t id);
bool sa_prev_emitted(const SaOp *op, uint32_t id);
void sa_prev_compact(SaOp *op);
size_t sa_prev_bytes(const SaOp *op);

/* Deletes key id from the key table (its state is gone). */
void sa_key_delete(SaOp *op, uint32_t id);
/* Compacts the key table when deleted keys left much garbage. */
void sa_key_compact(SaOp *op);

/* ------------------------------------------------ stream_agg_group.c */

int sa_group_init(SaOp *op);
/* Creates the one group of a running aggregate without keys (after the
** operator is set up). */
void sa_group_start(SaOp *op);
void sa_group_free(SaOp *op);
int sa_group_push(SaOp *op, EdBatch *b, int n);
int sa_group_end(SaOp *op);
int sa_group_emit_all(SaOp *op);
size_t sa_group_bytes(const SaOp *op);

/* ------------------------------------------------ stream_agg_slide.c */

int sa_slide_init(SaOp *op);
void sa_slide_free(SaOp *op);
int sa_slide_push(SaOp *op, EdBatch *b, int n);
int sa_slide_end(SaOp *op);
int sa_slide_emit_all(SaOp *op);
size_t sa_slide_bytes(const SaOp *op);

/* ---------------------------------------------- stream_agg_session.c */

int sa_session_init(SaOp *op);
void sa_session_free(SaOp *op);
int sa_session_push(SaOp *op, EdBatch *b, int n);
int sa_session_end(SaOp *op);
int sa_session_emit_all(SaOp *op);
size_t sa_session_bytes(const SaOp *op);

/* ------------------------------------------------ op_stream_agg.c */

/* Evaluates the other keys, arguments and event time over b's active
** rows. */
int sa_eval(SaOp *op, EdBatch *b);
/* Maps the rows pos[0..m) to kids (the key table of sliding and session
** windows) in op->kids, registering new keys. */
void sa_assign_kids(SaOp *op, int m);
/* Grows the per-key arrays (sequence) to ids below need. */
void sa_keys_reserve(SaOp *op, uint32_t need);

#endif
