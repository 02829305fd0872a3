/**
 * The one kernel of the openblas backend that BLAS does not have, `Σ_r U_r∘U_r` (the diagonal of a
 * symmetric rank-k update, `syrkDiag`), as WebAssembly SIMD: a JS loop cannot vectorize it. A second entry
 * point, `moments`, also sums the rows themselves (Σ_r U_r) in the same pass, so that a diagonal estimate
 * fed with per-example rows gets ḡ and Σ g_n∘g_n from one read of the b×D rows instead of an sgemv and
 * then this kernel (reading the rows is most of the cost at b·D = 1.28e8).
 *
 * Measured at D = 10⁶, b = 128 (1.28e8 float32 values) on this 2-core VM, CPU time per call: the best JS
 * loop (eight rows per sweep into float64 accumulators) ~70 ms; this kernel ~55 ms, of which ~30 ms is
 * copying the rows into WebAssembly memory (a module can only read its own memory; the copy runs at memcpy
 * speed, chunk by chunk, so that the kernel then reads from cache) and ~10–15 ms the SIMD arithmetic;
 * numpy's `einsum('ij,ij->j')` ~20–25 ms (it reads the rows in place). The `moments` kernel (squares and
 * sums) measured ~55 CPU-ms per call on a loaded machine, against ~45 for `sumsq` plus ~20 for ḡ's sgemv:
 * the column sums cost a few ms of arithmetic where a second read of the rows cost ~20.
 *
 * Arithmetic: squares (and, in `moments`, the values) of eight rows summed in float32 lanes (f32x4), each
 * such partial sum then added to a float64 accumulator (f64x2). The partials carry at most ~8 float32
 * roundings (error ≲ 5e-7 of Σ|terms|), far inside the float32 tolerance of the estimates, while a long
 * float32 sum would not be.
 *
 * The module is assembled here from its instructions (a few dozen opcodes, named below) rather than
 * shipped as a binary, so that what runs is what one reads.
 */
import type { ColumnSums, Vec } from './backend.js';
import { scaled } from './reference.js';

/** Columns per chunk: 128 rows × 8192 columns × 4 B = 4 MiB of rows per kernel call (measured best of 1024–16384). */
const CHUNK_COLUMNS = 8192;
/** Rows copied per kernel call; more rows are summed over several calls into the same accumulators. */
const ROW_GROUP = 128;
/** Rows whose squares are summed in float32 before they reach the float64 accumulators. */
const FLOAT32_ROWS = 8;
/** Columns per step of the kernel's inner loop: four f32x4 vectors, one 64-byte cache line. */
const COLUMN_GROUP = 16;

// ---- a minimal WebAssembly binary encoder ---------------------------------------------------------------

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
const name = (s: string): number[] => vector([...s].map((c) => [c.charCodeAt(0)]));

const I32 = 0x7f;
const V128 = 0x7b;
const localGet = (i: number): number[] => [0x20, ...uleb(i)];
const localSet = (i: number): number[] => [0x21, ...uleb(i)];
const localTee = (i: number): number[] => [0x22, ...uleb(i)];
const i32Const = (n: number): number[] => [0x41, ...sleb(n)];
const I32_ADD = [0x6a];
const I32_SUB = [0x6b];
const I32_MUL = [0x6c];
const I32_SHL = [0x74];
const I32_GE_U = [0x4f];
const I32_LT_U = [0x49];
const SELECT = [0x1b];
/** `block … end` and `loop … end` without results; `br_if 1` inside a loop's body leaves the enclosing block. */
const block = (...body: number[][]): number[] => [0x02, 0x40, ...body.flat(), 0x0b];
const loop = (...body: number[][]): number[] => [0x03, 0x40, ...body.flat(), 0x0b];
const brIf = (depth: number): number[] => [0x0d, depth];
const br = (depth: number): number[] => [0x0c, depth];
const simd = (opcode: number, ...immediates: number[]): number[] => [0xfd, ...uleb(opcode), ...immediates];
/** v128.load / v128.store with the natural 16-byte alignment hint and a constant byte offset. */
const v128Load = (offset: number): number[] => simd(0x00, 4, ...uleb(offset));
const v128Store = (offset: number): number[] => simd(0x0b, 4, ...uleb(offset));
const V128_ZERO = simd(0x0c, ...new Array<number>(16).fill(0));
/** i8x16.shuffle moving lanes 2–3 of an f32x4 to lanes 0–1, so that promote_low converts them. */
const HIGH_HALF = simd(0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
const F64X2_PROMOTE_LOW_F32X4 = simd(0x5f);
const F32X4_ADD = simd(0xe4);
const F32X4_SUB = simd(0xe5);
const F32X4_MUL = simd(0xe6);
const F64X2_ADD = simd(0xf0);

/**
 * `sumsq(rows, k, width, stride, acc, sums)`: acc[t] += Σ_{r<k} rows[r·stride + t]² for t < width, with rows
 * float32 at byte offset `rows`, acc float64 at byte offset `acc`, width a multiple of 16 (`sums` unused).
 * `moments(…)`: the same and, in the same pass, sums[t] += Σ_{r<k} rows[r·stride + t] (float64 at byte
 * offset `sums`), the column sums summed exactly like the squares.
 * `centred(…)`: acc[t] += Σ_{r<k} (rows[r·stride + t] − c[t])² with c float32 at byte offset `sums`, the
 * difference rounded to float32 (what centring the rows with a saxpby and then `sumsq` gives, in one pass).
 *
 *   for (rb = 0; rb < k; rb += 8)                      // a block of up to eight rows …
 *     for (t = 0; t < width; t += 16)                  // … sixteen columns at a time:
 *       s[0..3] = 0, c[0..3] = 0  (f32x4)
 *       for r in the block: s[g] += x[g]·x[g], c[g] += x[g], x[g] = rows[r·stride + t + 4g .. +4]
 *       acc[t .. t+16] += promote(s), sums[t .. t+16] += promote(c)   // eight f64x2 adds each
 */
/**
 * Which kernel a body is for. `all(rows, k, width, stride, acc, sums, centre, cacc, csums)` is `moments`
 * and, from the same loads, cacc[t] += Σ_r (x − c[t])², csums[t] += Σ_r (x − c[t]) with the differences
 * rounded to float32 (`centred`'s arithmetic; c float32 at byte offset `centre`), all summed alike. Its
 * column step is eight columns (two f32x4 groups), not sixteen: its four accumulators and the centre per
 * group would not fit the sixteen SIMD registers of x86-64 at four groups.
 */
type KernelMode = 'sumsq' | 'moments' | 'centred' | 'all';

function kernelBody(mode: KernelMode): number[] {
  const withSums = mode === 'moments' || mode === 'all';
  const centred = mode === 'centred';
  const all = mode === 'all';
  // Parameters (six, or nine for `all`: then also `centre`, `cacc` and `csums`), then i32 and v128 locals.
  const [ROWS, K, WIDTH, STRIDE, ACC, SUMS, CENTRE, CACC, CSUMS] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const first = all ? 9 : 6;
  const local = (i: number): number => first + i;
  const [ROW_BYTES, T, P, END, ACC_AT, WIDTH_BYTES, BLOCK_END, BLOCK_SPAN, LEFT, BLOCK_START, SUMS_AT, CACC_AT, CSUMS_AT] =
    [local(0), local(1), local(2), local(3), local(4), local(5), local(6), local(7), local(8), local(9), local(10), local(11), local(12)];
  const i32Locals = all ? 13 : 11;
  const X = first + i32Locals;
  const S = [X + 1, X + 2, X + 3, X + 4];
  const C = [X + 5, X + 6, X + 7, X + 8];
  // `all` only: the centred squares' and differences' partials, the centre's columns, and x − c.
  const Q = [X + 9, X + 10, X + 11, X + 12];
  const R = [X + 13, X + 14, X + 15, X + 16];
  const E = [X + 17, X + 18, X + 19, X + 20];
  const Y = X + 21;
  const v128Locals = all ? 22 : 9;
  const groups = all ? [0, 1] : [0, 1, 2, 3];

  const loadRow = groups.flatMap((g) => [
    ...localGet(P), ...v128Load(16 * g),
    ...(centred ? [...localGet(C[g]), ...F32X4_SUB] : []), // x − c, rounded to float32 as a saxpby would
    ...localTee(X), ...localGet(X), ...F32X4_MUL,
    ...localGet(S[g]), ...F32X4_ADD, ...localSet(S[g]),
    ...(withSums ? [...localGet(C[g]), ...localGet(X), ...F32X4_ADD, ...localSet(C[g])] : []),
    // all: y = x − e, q += y², r += y (the operations of `centred`, and of `moments` for r)
    ...(all ? [...localGet(X), ...localGet(E[g]), ...F32X4_SUB, ...localTee(Y), ...localGet(Y), ...F32X4_MUL,
      ...localGet(Q[g]), ...F32X4_ADD, ...localSet(Q[g]),
      ...localGet(R[g]), ...localGet(Y), ...F32X4_ADD, ...localSet(R[g])] : []),
  ]);
  /** at[2t ..) += promote(v[g]): the float32 partials of one column step (4 per group) into float64. */
  const addPartials = (at: number, v: number[]): number[] => groups.flatMap((g) => [
    ...localGet(at), ...localGet(at), ...v128Load(32 * g),
    ...localGet(v[g]), ...F64X2_PROMOTE_LOW_F32X4, ...F64X2_ADD, ...v128Store(32 * g),
    ...localGet(at), ...localGet(at), ...v128Load(32 * g + 16),
    ...localGet(v[g]), ...localGet(v[g]), ...HIGH_HALF, ...F64X2_PROMOTE_LOW_F32X4, ...F64X2_ADD, ...v128Store(32 * g + 16),
  ]);
  const columnStep = [
    ...localGet(T), ...localGet(WIDTH_BYTES), ...I32_GE_U, ...brIf(1),
    ...groups.flatMap((g) => [...V128_ZERO, ...localSet(S[g])]),
    ...(withSums ? groups.flatMap((g) => [...V128_ZERO, ...localSet(C[g])]) : []),
    ...(all ? groups.flatMap((g) => [...V128_ZERO, ...localSet(Q[g]), ...V128_ZERO, ...localSet(R[g])]) : []),
    // all: E[g] holds the centre's columns of the step (float32 at byte offset `centre` + t).
    ...(all ? groups.flatMap((g) => [...localGet(CENTRE), ...localGet(T), ...I32_ADD, ...v128Load(16 * g), ...localSet(E[g])]) : []),
    // centred: C[g] holds the centre's sixteen columns (float32 at byte offset `sums` + t).
    ...(centred ? groups.flatMap((g) => [...localGet(SUMS), ...localGet(T), ...I32_ADD, ...v128Load(16 * g), ...localSet(C[g])]) : []),
    ...localGet(BLOCK_START), ...localGet(T), ...I32_ADD, ...localTee(P),
    ...localGet(BLOCK_SPAN), ...I32_ADD, ...localSet(BLOCK_END),
    ...block(loop(
      localGet(P), localGet(BLOCK_END), I32_GE_U, brIf(1),
      loadRow,
      localGet(P), localGet(ROW_BYTES), I32_ADD, localSet(P),
      br(0),
    )),
    ...localGet(ACC), ...localGet(T), ...i32Const(1), ...I32_SHL, ...I32_ADD, ...localSet(ACC_AT), // acc + 2·t (8 B per 4 B)
    ...addPartials(ACC_AT, S),
    ...(withSums ? [
      ...localGet(SUMS), ...localGet(T), ...i32Const(1), ...I32_SHL, ...I32_ADD, ...localSet(SUMS_AT),
      ...addPartials(SUMS_AT, C),
    ] : []),
    ...(all ? [
      ...localGet(CACC), ...localGet(T), ...i32Const(1), ...I32_SHL, ...I32_ADD, ...localSet(CACC_AT),
      ...addPartials(CACC_AT, Q),
      ...localGet(CSUMS), ...localGet(T), ...i32Const(1), ...I32_SHL, ...I32_ADD, ...localSet(CSUMS_AT),
      ...addPartials(CSUMS_AT, R),
    ] : []),
    ...localGet(T), ...i32Const(16 * groups.length), ...I32_ADD, ...localSet(T),
    ...br(0),
  ];
  const rowBlockStep = [
    ...localGet(BLOCK_START), ...localGet(END), ...I32_GE_U, ...brIf(1),
    // span = min(8 rows, the rows left), in bytes
    ...localGet(ROW_BYTES), ...i32Const(FLOAT32_ROWS), ...I32_MUL, ...localTee(BLOCK_SPAN),
    ...localGet(END), ...localGet(BLOCK_START), ...I32_SUB, ...localTee(LEFT),
    ...localGet(BLOCK_SPAN), ...localGet(LEFT), ...I32_LT_U, ...SELECT, ...localSet(BLOCK_SPAN),
    ...i32Const(0), ...localSet(T),
    ...block(loop(columnStep)),
    ...localGet(BLOCK_START), ...localGet(BLOCK_SPAN), ...I32_ADD, ...localSet(BLOCK_START),
    ...br(0),
  ];
  const body = [
    ...vector([[...uleb(i32Locals), I32], [...uleb(v128Locals), V128]]),
    ...localGet(STRIDE), ...i32Const(2), ...I32_SHL, ...localSet(ROW_BYTES),
    ...localGet(WIDTH), ...i32Const(2), ...I32_SHL, ...localSet(WIDTH_BYTES),
    ...localGet(ROWS), ...localSet(BLOCK_START),
    ...localGet(ROWS), ...localGet(ROW_BYTES), ...localGet(K), ...I32_MUL, ...I32_ADD, ...localSet(END),
    ...block(loop(rowBlockStep)),
    0x0b,
  ];
  return [...uleb(body.length), ...body];
}

/**
 * The module: functions `sumsq` (0), `moments` (1) and `centred` (2) of type (i32 ×6) → (), `all` (3) of
 * type (i32 ×9) → (), and its memory.
 */
function kernelModule(): Uint8Array {
  const i32s = (count: number) => vector(Array.from({ length: count }, () => [I32]));
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, vector([[0x60, ...i32s(6), ...vector([])], [0x60, ...i32s(9), ...vector([])]])), // types 0 and 1
    ...section(3, vector([[0], [0], [0], [1]])), // functions 0–2 have type 0, function 3 type 1
    ...section(5, vector([[0x00, ...uleb(memoryPages())]])), // one memory, fixed minimum size
    ...section(7, vector([
      [...name('sumsq'), 0x00, 0], [...name('moments'), 0x00, 1], [...name('centred'), 0x00, 2], [...name('all'), 0x00, 3],
      [...name('memory'), 0x02, 0],
    ])),
    ...section(10, vector([kernelBody('sumsq'), kernelBody('moments'), kernelBody('centred'), kernelBody('all')])),
  ]);
}

/**
 * Rows (ROW_GROUP × CHUNK_COLUMNS float32), four accumulators (CHUNK_COLUMNS float64 each: squares, sums,
 * centred squares and centred sums) and a centre (CHUNK_COLUMNS float32), in 64 KiB pages.
 */
function memoryPages(): number {
  return Math.ceil((ROW_GROUP * CHUNK_COLUMNS * 4 + 4 * CHUNK_COLUMNS * 8 + CHUNK_COLUMNS * 4) / 65536);
}

/** `sumsq`, `moments`, `centred`: `(rows, k, width, stride, acc, sums)`, byte offsets into the module's memory. */
type Kernel = (rows: number, k: number, width: number, stride: number, acc: number, sums: number) => void;
/** `all`: the same and `(centre, cacc, csums)`. */
type FusedKernel = (rows: number, k: number, width: number, stride: number, acc: number, sums: number, centre: number, cacc: number, csums: number) => void;

/**
 * The part of the WebAssembly JS API used here. Node has it as a global, but this project compiles against
 * `lib: ES2023` without the DOM, whose typings declare it; this module-scoped declaration names just that.
 */
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
};

/** The module's memory: `grow` adds 64 KiB pages and replaces `buffer` (views of the old one go dead). */
interface KernelMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** Where the staging area starts: after the kernel's own rows and accumulators. */
const STAGING_OFFSET = memoryPages() * 65536;

/**
 * out[at .. at+width) ← β·out + α·acc. With α = 1, β = 0 that is a copy: 0 + acc is acc bit for bit, as
 * acc is never −0 (it starts at +0, and +0 + −0 = +0), so the common case of a summary skips the loop.
 */
function blend(out: Vec, at: number, acc: Float64Array, width: number, alpha: number, beta: number): void {
  if (alpha === 1 && beta === 0) out.set(acc.subarray(0, width), at);
  else if (out instanceof Float32Array) blend32(out, at, acc, width, alpha, beta);
  else blend64(out, at, acc, width, alpha, beta);
}

// One loop per array type: each stays monomorphic, ~5× faster than one loop over either (measured).
function blend32(out: Float32Array, at: number, acc: Float64Array, width: number, alpha: number, beta: number): void {
  for (let t = 0; t < width; t++) out[at + t] = scaled(beta, out[at + t]!) + alpha * acc[t]!;
}

function blend64(out: Float64Array, at: number, acc: Float64Array, width: number, alpha: number, beta: number): void {
  for (let t = 0; t < width; t++) out[at + t] = scaled(beta, out[at + t]!) + alpha * acc[t]!;
}

/** `syrkDiag` (optionally with column sums and centred squares) for float32 rows through the WebAssembly kernels; one instance per backend (not re-entrant). */
export class SimdSumOfSquares {
  private rows!: Float32Array;
  private acc!: Float64Array;
  private sums!: Float64Array;
  private cacc!: Float64Array;
  private csums!: Float64Array;
  /** The centre's chunk (float32). */
  private centre!: Float32Array;
  private readonly accOffset = ROW_GROUP * CHUNK_COLUMNS * 4;
  private readonly sumsOffset = this.accOffset + CHUNK_COLUMNS * 8;
  private readonly caccOffset = this.sumsOffset + CHUNK_COLUMNS * 8;
  private readonly csumsOffset = this.caccOffset + CHUNK_COLUMNS * 8;
  private readonly centreOffset = this.csumsOffset + CHUNK_COLUMNS * 8;

  private constructor(
    private readonly sumsq: Kernel,
    private readonly moments: Kernel,
    private readonly centred: Kernel,
    private readonly all: FusedKernel,
    private readonly memory: KernelMemory,
  ) {
    this.refreshViews();
  }

  private refreshViews(): void {
    const { buffer } = this.memory;
    this.rows = new Float32Array(buffer, 0, ROW_GROUP * CHUNK_COLUMNS);
    this.acc = new Float64Array(buffer, this.accOffset, CHUNK_COLUMNS);
    this.sums = new Float64Array(buffer, this.sumsOffset, CHUNK_COLUMNS);
    this.cacc = new Float64Array(buffer, this.caccOffset, CHUNK_COLUMNS);
    this.csums = new Float64Array(buffer, this.csumsOffset, CHUNK_COLUMNS);
    this.centre = new Float32Array(buffer, this.centreOffset, CHUNK_COLUMNS);
  }

  /**
   * `bytes` bytes of the kernels' own memory (zeroed when new, else as last left), for rows the caller is
   * about to hand to `syrkDiag`: float32 rows that lie there (4-byte aligned) are read in place, without
   * the copy into this memory that rows anywhere else cost. The view is valid until the next call, which
   * may grow the memory (then every earlier view is detached).
   */
  staging(bytes: number): Uint8Array {
    const need = STAGING_OFFSET + bytes;
    if (this.memory.buffer.byteLength < need) {
      this.memory.grow(Math.ceil((need - this.memory.buffer.byteLength) / 65536));
      this.refreshViews();
    }
    return new Uint8Array(this.memory.buffer, STAGING_OFFSET, bytes);
  }

  /** The kernels, or undefined where this WebAssembly engine lacks SIMD (then the JS loop serves). */
  static create(): SimdSumOfSquares | undefined {
    const bytes = kernelModule();
    if (!WebAssembly.validate(bytes)) return undefined;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const { sumsq, moments, centred, all, memory } = instance.exports as {
      sumsq: Kernel; moments: Kernel; centred: Kernel; all: FusedKernel; memory: KernelMemory;
    };
    return new SimdSumOfSquares(sumsq, moments, centred, all, memory);
  }

  /**
   * d ← βd + α Σ_r U_r∘U_r (U k×n, row-major); β = 0 overwrites d. With `columnSums`, also
   * out ← β'·out + α'·Σ_r U_r from the same read of each chunk (the `moments` kernel). With `centred`,
   * also out'' ← β''·out'' + α''·Σ_r (U_r − c)∘(U_r − c), the differences rounded to float32 (the `centred`
   * kernel's arithmetic), and with its `sums` sums ← β''·sums + α''·Σ_r (U_r − c); with column sums too,
   * all four from one read (the `all` kernel). Without column sums, `centred` replaces d (its `sums`
   * unsupported): that is `syrkDiagCentred`.
   */
  syrkDiag(d: Vec, U: Float32Array, k: number, n: number, alpha: number, beta: number, columnSums?: ColumnSums,
    centred?: { centre: Float32Array; out: Vec; alpha: number; beta: number; sums?: Vec }): void {
    const { rows, acc, sums, cacc, csums } = this;
    // The squares of the centred rows go to `acc` when they are the only output (`centredOnly`).
    const centredOnly = centred !== undefined && columnSums === undefined;
    const fused = centred !== undefined && columnSums !== undefined;
    const run = (at: number, count: number, width: number, stride: number) => {
      if (fused) this.all(at, count, width, stride, this.accOffset, this.sumsOffset, this.centreOffset, this.caccOffset, this.csumsOffset);
      else if (centredOnly) this.centred(at, count, width, stride, this.accOffset, this.centreOffset);
      else (columnSums === undefined ? this.sumsq : this.moments)(at, count, width, stride, this.accOffset, this.sumsOffset);
    };
    // Rows in the staging area are read where they are (stride n), in the same eight-row blocks as copies.
    const inPlace = U.buffer === this.memory.buffer && U.byteOffset >= STAGING_OFFSET;
    for (let i0 = 0; i0 < n; i0 += CHUNK_COLUMNS) {
      const len = Math.min(CHUNK_COLUMNS, n - i0);
      // The kernel's columns (a multiple of 16, so every copied row stays 16-byte aligned); the last
      // chunk's tail of < 16 columns is summed below.
      const width = len - (len % COLUMN_GROUP);
      acc.fill(0, 0, width);
      if (columnSums !== undefined) sums.fill(0, 0, width);
      if (fused) {
        cacc.fill(0, 0, width);
        csums.fill(0, 0, width);
      }
      if (centred !== undefined) this.centre.set(centred.centre.subarray(i0, i0 + width));
      if (width > 0 && inPlace) {
        run(U.byteOffset + 4 * i0, k, width, n);
      } else if (width > 0) {
        for (let r0 = 0; r0 < k; r0 += ROW_GROUP) {
          const count = Math.min(ROW_GROUP, k - r0);
          for (let r = 0; r < count; r++) {
            const from = (r0 + r) * n + i0;
            rows.set(U.subarray(from, from + width), r * width);
          }
          run(0, count, width, width);
        }
      }
      if (centredOnly) {
        blend(centred.out, i0, acc, width, centred.alpha, centred.beta);
      } else {
        blend(d, i0, acc, width, alpha, beta);
        if (columnSums !== undefined) blend(columnSums.out, i0, sums, width, columnSums.alpha, columnSums.beta);
        if (fused) blend(centred.out, i0, cacc, width, centred.alpha, centred.beta);
        if (fused && centred.sums !== undefined) blend(centred.sums, i0, csums, width, centred.alpha, centred.beta);
      }
      // The tail, in float64: squares (of the rows, or of the centred rows alone), sums, centred squares.
      for (let t = width; t < len; t++) {
        const c = centred === undefined ? 0 : centred.centre[i0 + t]!;
        let [square, sum, centredSquare, centredSum] = [0, 0, 0, 0];
        for (let r = 0; r < k; r++) {
          const u = U[r * n + i0 + t]!;
          const v = Math.fround(u - c);
          square += centredOnly ? v * v : u * u;
          sum += u;
          centredSquare += v * v;
          centredSum += v;
        }
        if (centredOnly) {
          centred.out[i0 + t] = scaled(centred.beta, centred.out[i0 + t]) + centred.alpha * square;
          continue;
        }
        d[i0 + t] = scaled(beta, d[i0 + t]) + alpha * square;
        if (columnSums !== undefined) columnSums.out[i0 + t] = scaled(columnSums.beta, columnSums.out[i0 + t]) + columnSums.alpha * sum;
        if (fused) centred.out[i0 + t] = scaled(centred.beta, centred.out[i0 + t]) + centred.alpha * centredSquare;
        if (fused && centred.sums !== undefined) centred.sums[i0 + t] = scaled(centred.beta, centred.sums[i0 + t]) + centred.alpha * centredSum;
      }
    }
  }
}
