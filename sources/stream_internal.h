/*
** sources/stream_internal.h — what the streaming sources share inside
** sources/: the parsed WITH options of a stream, the record scanner that
** fixes micro-batch boundaries, reading a byte range of a file into a
** decoder, and the constructors of each kind of source.
**
** Every decoding source works the same way.  begin_batch decides where
** the micro-batch ends by scanning the new bytes for record ends with the
** decoders' own rules (CSV quoting, blank lines, the header), bounded by
** max_rows_per_trigger; next() then feeds exactly those bytes to the
** incremental decoder (sources/decoder.h).  Batches therefore start and
** end on record boundaries and the decoder never carries a record from
** one micro-batch to the next.
*/
#ifndef ED_STREAM_INTERNAL_H
#define ED_STREAM_INTERNAL_H

#include "sources/decoder.h"
#include "sources/stream_source.h"

/* ---------------------------------------------------------- options */

typedef enum EdSrcKind { SRC_MEMORY, SRC_STDIN, SRC_FILE, SRC_DIRECTORY,
                         SRC_SOCKET, SRC_RATE } EdSrcKind;

/* A stream's WITH options, validated.  Strings point into the options. */
typedef struct EdSrcConf {
  EdSrcKind kind;
  const char *connector;     /* as written (lower case) */
  const char *path;          /* file, directory */
  bool follow;               /* file */
  bool new_files_only;       /* directory */
  bool include_timestamp;    /* decoding sources: fill _arrival */
  bool has_format;           /* the format option was given */
  int64_t max_rows;          /* max_rows_per_trigger, 0 = none */
  int64_t max_files;         /* max_files_per_trigger, 0 = none */
  const char *host;          /* socket */
  int port;
  int64_t rows_per_second;   /* rate */
  int fd;                    /* stdin */
  EdDecodeOpts dec;          /* decoding options (format as resolved) */
  const bool *read;          /* columns the query reads (NULL: all); the
                                decoders skip converting the others
                                (ed_decoder_prune); owned by the caller
                                of ed_stream_source_open_cols */
} EdSrcConf;

/* Validates and parses the options of a stream (see ed_stream_prepare for
** the errors).  *bad receives the index of the faulty option or -1. */
int ed_src_conf(const char *connector, const EdOption *opts, int nopts,
                EdSrcConf *c, int *bad, EdError *err);

/* Format of a file by its name (no format option): .jsonl/.json/.ndjson
** JSON lines, .txt/.log text, else CSV. */
EdInFormat ed_src_format_of(const char *path);

/* ------------------------------------------------------- the scanner */

/* Finds record ends in bytes that start at a record boundary, the way the
** decoder will split them, and counts the data records (not blank, not
** the CSV header) among them. */
typedef struct EdRecScan {
  EdInFormat format;
  char delim;
  bool header_pending;      /* the next non-blank CSV record is a header */
  int csv_state;            /* ed_csv_scan state */
  int bom;                  /* byte order mark bytes matched at the very
                               start of an input (0..3), -1: none */
  int64_t rec_len;          /* bytes of the unfinished record so far */
  bool rec_last_cr;         /* its last byte is '\r' */
  bool rec_content;         /* JSON lines: it has a non-blank byte */
  int64_t pos;              /* bytes scanned */
  int64_t end;              /* just past the last complete record */
  int64_t data;             /* data records up to end */
  bool limited;             /* stopped at the limit: end follows the
                               limit-th data record */
  int64_t buf_from;         /* ed_src_scan_fd: file offset of the bytes
                               its buffer holds at the end */
  size_t buf_len;           /* and how many (0: none) */
} EdRecScan;

/* Starts a scan where decoder d stands (between records). */
void ed_recscan_init(EdRecScan *s, const EdDecoder *d);

/* Starts a scan of an input with a format and options, at its start
** (fresh) or in its middle (after a record boundary). */
void ed_recscan_init_opts(EdRecScan *s, const EdDecodeOpts *o,
                          bool input_start);

/* Scans the next n bytes.  Stops right after the limit-th data record
** (limit 0: none) and returns true then; s->pos tells how far it went. */
bool ed_recscan_feed(EdRecScan *s, const char *p, size_t n, int64_t limit);

/* The input ends after the bytes scanned: an unterminated last record
** counts (the decoder's flush decodes it); end becomes pos. */
void ed_recscan_final(EdRecScan *s);

/* ------------------------------------------------- feeding, helpers */

#define ED_SRC_CHUNK (1u << 20)   /* bytes per read of a file */

/* Creates the decoder of a source for schema; with include_timestamp the
** column _arrival is external and *arrival_col is its index (else -1). */
EdDecoder *ed_src_decoder(const EdSrcConf *c, const EdDecodeOpts *o,
                          const EdSchema *schema, int *arrival_col,
                          EdError *err);

/* Feeds buf[0..n) to d, appending rows to out, and sets the arrival
** column (when >= 0) of the new rows to arrival.  Returns the bytes taken
** (fewer than n when out filled up) or -1 with err set. */
/* Sets the arrival column col of rows [from, out->nrows) to t. */
void ed_src_fill_arrival(EdBatch *out, int col, int from, int64_t t);

long ed_src_feed(EdDecoder *d, const char *buf, size_t n, EdBatch *out,
                 int arrival_col, int64_t arrival, EdError *err);

/* ed_decoder_flush with the arrival column set as ed_src_feed does. */
int ed_src_flush(EdDecoder *d, EdBatch *out, int arrival_col,
                 int64_t arrival, EdError *err);

/* Scans bytes [from, to) of a file with s, reading them into buf (bufsz
** bytes), until the limit is reached.  Returns 0 or -1 with err set. */
int ed_src_scan_fd(int fd, const char *path, int64_t from, int64_t to,
                   EdRecScan *s, int64_t limit, char *buf, size_t bufsz,
                   EdError *err);

/* A byte range of a file being fed to a decoder. */
typedef struct EdFileFeed {
  int fd;
  const char *path;
  int64_t pos;              /* next byte to read from the file */
  int64_t end;              /* end of the range */
  char *buf;                /* ED_SRC_CHUNK bytes */
  size_t lo, hi;            /* read but not yet fed */
} EdFileFeed;

/* A file range decoded on several threads (sources/par_decode.h) in
** place of ed_src_feed_file. */
typedef struct EdParFeed {
  struct EdParDecode *par;  /* running, or NULL */
  int64_t from;             /* where it started */
} EdParFeed;

/* Starts decoding [from, rd->end) of rd's file on several threads when the
** range is large enough, there is more than one processor and dec's
** options allow it; otherwise leaves pf->par NULL.  final: the range ends
** the input. */
void ed_src_par_start(EdParFeed *pf, EdFileFeed *rd, EdDecoder *dec,
                      int64_t from, bool final);

/* The next rows of the parallel decode into out (arrival_col set to t).
** Returns the rows (> 0); 0 when the range is done (rd->pos = rd->end and
** *flushed: the workers decoded the last record too); -2 when the rest is
** to be fed from rd->pos with ed_src_feed_file (a quoted line break at a
** chunk cut that no new parallel decode can step over); -1 on failure.
** pf->par is NULL after anything but rows. */
int ed_src_par_next(EdParFeed *pf, EdFileFeed *rd, EdDecoder *dec,
                    bool final, EdBatch *out, int arrival_col, int64_t t,
                    bool *flushed, EdError *err);

/* Stops and frees a parallel decode still running. */
void ed_src_par_free(EdParFeed *pf);

/* Lets f start from the bytes a scan of its file left in f->buf (the
** buffer ed_src_scan_fd was given) when they begin at f->pos, so that a
** batch that fits in one chunk is read from the file once. */
void ed_src_feed_reuse(EdFileFeed *f, const EdRecScan *s);

/* Feeds the range to d until it is consumed (returns 1) or out is full
** (returns 0); -1 with err set on a read or decoding failure. */
int ed_src_feed_file(EdFileFeed *f, EdDecoder *d, EdBatch *out,
                     int arrival_col, int64_t arrival, EdError *err);

/* Wall clock in microseconds since the epoch. */
int64_t ed_src_now_us(void);

/* Sleeps ms milliseconds.  Returns false when a signal cut the sleep
** short (a wait then returns at once, so that its caller can look at
** its interrupt flag). */
bool ed_src_sleep_ms(int ms);

/* The slice of a wait loop: step ms, or less when a timeout of
** timeout_ms (< 0: none) has only that much left after waited ms.
** Returns 0 when the timeout has passed. */
int ed_src_wait_step(int timeout_ms, int waited, int step);

/* The tighter of two limits where 0 means none. */
int64_t ed_src_limit(int64_t a, int64_t b);

/* Appends s as a JSON string literal to the text in buf (cap bytes, kept
** NUL-terminated; cut short when it does not fit). */
void ed_src_json_str(char *buf, size_t cap, const char *s);

/* Appends printf text to buf (cap bytes, kept NUL-terminated). */
void ed_src_appendf(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Fills the fields every source shares. */
void ed_src_base_init(EdStreamSource *s, const EdSourceVtab *vt,
                      const EdTable *t, const EdSrcConf *c);

/* ------------------------------------------------------- the sources */

EdStreamSource *ed_src_memory_open(const EdTable *t, const EdSrcConf *c,
                                   EdError *err);
EdStreamSource *ed_src_rate_open(const EdTable *t, const EdSrcConf *c,
                                 EdError *err);
EdStreamSource *ed_src_file_open(const EdTable *t, const EdSrcConf *c,
                                 EdError *err);
EdStreamSource *ed_src_directory_open(const EdTable *t, const EdSrcConf *c,
                                      EdError *err);
EdStreamSource *ed_src_socket_open(const EdTable *t, const EdSrcConf *c,
                                   EdError *err);
EdStreamSource *ed_src_stdin_open(const EdTable *t, const EdSrcConf *c,
                                  EdError *err);

/* A source over a descriptor that delivers bytes as they arrive (a pipe,
** a terminal, a socket): reads what is there without blocking, keeps it
** in a window, and decodes it.  ahead[0..nahead) are bytes already read
** from fd at time ahead_us (eof: the input had ended).  own_fd: close fd
** on destroy.  name is used in messages ("stdin", "host:port"); desc is
** the source's description. */
EdStreamSource *ed_src_fdstream_new(const EdTable *t, const EdSrcConf *c,
                                    const EdDecodeOpts *o, int fd,
                                    bool own_fd, const char *ahead,
                                    size_t nahead, int64_t ahead_us,
                                    bool eof, const char *name,
                                    const char *desc, EdError *err);

/* Has fn(fd) called when the fd source is destroyed. */
void ed_src_fdstream_on_destroy(EdStreamSource *s, void (*fn)(int fd));

/* Detection and inference for a stdin-like descriptor (src_stdin.c):
** reads ahead on fd as ed_stdin_prepare describes, and resolves the
** decoding options: the format given in o (when has_format) or detected.
** With want_schema, infers a schema into *schema. */
int ed_src_stdin_resolve(int fd, EdDecodeOpts *o, bool has_format,
                         bool want_schema, EdSchema *schema, EdError *err);

/* Schema of a file, or of the first file of a directory (by name). */
int ed_src_infer_path(const EdSrcConf *c, EdSchema *out, EdError *err);

/* Lists the data files of dir not starting with '.' or '_' (regular
** files), sorted by name, as malloc'ed full paths.  Returns the count or
** -1 with err set. */
int ed_src_list_dir(const char *dir, char ***out, EdError *err);

#endif
