/*
** sources/par_decode.h — decoding one byte range of a file on several
** threads, rows delivered in file order.
**
** The range is cut into chunks of about chunk_bytes.  Worker threads each
** take the next chunk, read it with pread(2) and decode it with a decoder
** of their own (a clone of the source's) into batches; the reader takes
** the batches back in chunk order, so rows come out exactly as one
** decoder would give them.  A chunk other than the first starts after the
** first newline at or after its nominal start and ends after the first
** newline at or after its nominal end, so that neighbours meet.
**
** That cut is a record boundary for JSON lines and text, and for CSV
** unless a quoted field holds a line break across it.  Each worker checks
** that its decoder finished a record exactly at its chunk's end; the
** first chunk that did not is a "stop": its complete records are
** delivered, and the rest of the range is left to the caller to decode
** the ordinary way, from the offset just past its last complete record
** (ed_pardec_next returns ED_PARDEC_SEQUENTIAL).  Chunks after it were
** cut at a guessed boundary and are thrown away.
**
** Line numbers are only known after the fact, so only decoders whose
** messages carry none may run in parallel (ed_pardec_plan): not
** FAILFAST, no bad_records_path.  Counts (records, malformed records,
** lines) are added to the source's decoder chunk by chunk.
*/
#ifndef ED_PAR_DECODE_H
#define ED_PAR_DECODE_H

#include "sources/decoder.h"

typedef struct EdParDecode EdParDecode;

/* What ed_pardec_next returns besides a row count. */
#define ED_PARDEC_DONE 0          /* the whole range is delivered */
#define ED_PARDEC_FAIL (-1)       /* err is set (a read failed) */
#define ED_PARDEC_SEQUENTIAL (-2) /* decode the rest from
                                     ed_pardec_resume_offset yourself */

/* Default chunk size, and the smallest range worth the threads. */
#define ED_PARDEC_CHUNK (2u << 20)
#define ED_PARDEC_MIN_BYTES (8u << 20)

/* The number of decoding threads to use: EDDY_THREADS when set, else the
** processors online; at most 8.  1 means decode on the caller's thread. */
int ed_pardec_threads(void);

/* The threads to decode `bytes` bytes with d on, or 0 when the range is to
** be decoded the ordinary way: one processor only, a range smaller than
** ED_PARDEC_MIN_BYTES, or d's messages need line numbers (see the top). */
int ed_pardec_plan(const EdDecoder *d, int64_t bytes);

/* Starts nthreads workers decoding bytes [pos, end) of fd (path for
** messages).  d stands at pos, a record boundary (its header and
** start-of-input state apply to the first chunk); final says that the
** range ends the input, so the last record may lack its line end.
** Batches have the column types of d's schema.  d must not be fed until
** ed_pardec_next has returned DONE or SEQUENTIAL or the decode is freed. */
EdParDecode *ed_pardec_start(EdDecoder *d, int fd, const char *path,
                             int64_t pos, int64_t end, bool final,
                             int nthreads, size_t chunk_bytes);

/* As ed_pardec_start, for bytes already in memory: bytes[0..end - pos)
** are the input's bytes from offset pos (a stdin or socket window); they
** must stay in place until the decode is freed. */
EdParDecode *ed_pardec_start_mem(EdDecoder *d, const char *bytes,
                                 const char *name, int64_t pos, int64_t end,
                                 bool final, int nthreads,
                                 size_t chunk_bytes);

/* Delivers the next decoded rows into out: when out is empty its contents
** are swapped with a decoded batch (no copy), else rows are copied until
** out is full.  Returns the number of rows (> 0) or an ED_PARDEC_ code.
** On DONE, d stands at the range's end; on SEQUENTIAL, at
** ed_pardec_resume_offset (its counts and line number up to date). */
int ed_pardec_next(EdParDecode *p, EdBatch *out, EdError *err);

/* The offset from which the caller decodes after ED_PARDEC_SEQUENTIAL. */
int64_t ed_pardec_resume_offset(const EdParDecode *p);

/* Stops the workers (waiting for them) and frees everything. */
void ed_pardec_free(EdParDecode *p);

#endif
