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
function kernelBody(mode: 'sumsq' | 'moments' | 'centred'): number[] {
  const withSums = mode === 'moments';
  const centred = mode === 'centred';
  // Parameters, then i32 and v128 locals.
  const [ROWS, K, WIDTH, STRIDE, ACC, SUMS] = [0, 1, 2, 3, 4, 5];
  const [ROW_BYTES, T, P, END, ACC_AT, WIDTH_BYTES, BLOCK_END, BLOCK_SPAN, LEFT, BLOCK_START, SUMS_AT] = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
  const X = 17;
  const S = [18, 19, 20, 21];
  const C = [22, 23, 24, 25];
  const groups = [0, 1, 2, 3];

  const loadRow = groups.flatMap((g) => [
    ...localGet(P), ...v128Load(16 * g),
    ...(centred ? [...localGet(C[g]), ...F32X4_SUB] : []), // x − c, rounded to float32 as a saxpby would
    ...localTee(X), ...localGet(X), ...F32X4_MUL,
    ...localGet(S[g]), ...F32X4_ADD, ...localSet(S[g]),
    ...(withSums ? [...localGet(C[g]), ...localGet(X), ...F32X4_ADD, ...localSet(C[g])] : []),
  ]);
  /** at[2t .. 2t+32) += promote(v[0..3]): the sixteen float32 partials of one column step into float64. */
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
    ...localGet(T), ...i32Const(4 * COLUMN_GROUP), ...I32_ADD, ...localSet(T),
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
    ...vector([[...uleb(11), I32], [...uleb(9), V128]]),
    ...localGet(STRIDE), ...i32Const(2), ...I32_SHL, ...localSet(ROW_BYTES),
    ...localGet(WIDTH), ...i32Const(2), ...I32_SHL, ...localSet(WIDTH_BYTES),
    ...localGet(ROWS), ...localSet(BLOCK_START),
    ...localGet(ROWS), ...localGet(ROW_BYTES), ...localGet(K), ...I32_MUL, ...I32_ADD, ...localSet(END),
    ...block(loop(rowBlockStep)),
    0x0b,
  ];
  return [...uleb(body.length), ...body];
}

/** The module: functions `sumsq` (0), `moments` (1) and `centred` (2), all of type (i32 ×6) → (), and its memory. */
function kernelModule(): Uint8Array {
  const i32x6 = vector([[I32], [I32], [I32], [I32], [I32], [I32]]);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, vector([[0x60, ...i32x6, ...vector([])]])), // type 0: (i32 ×6) → ()
    ...section(3, vector([[0], [0], [0]])), // functions 0, 1 and 2 have type 0
    ...section(5, vector([[0x00, ...uleb(memoryPages())]])), // one memory, fixed minimum size
    ...section(7, vector([
      [...name('sumsq'), 0x00, 0], [...name('moments'), 0x00, 1], [...name('centred'), 0x00, 2], [...name('memory'), 0x02, 0],
    ])),
    ...section(10, vector([kernelBody('sumsq'), kernelBody('moments'), kernelBody('centred')])),
  ]);
}

/** Rows (ROW_GROUP × CHUNK_COLUMNS float32), then two accumulators (CHUNK_COLUMNS float64 each), in 64 KiB pages. */
function memoryPages(): number {
  return Math.ceil((ROW_GROUP * CHUNK_COLUMNS * 4 + 2 * CHUNK_COLUMNS * 8) / 65536);
}

/** Either kernel: `(rows, k, width, stride, acc, sums)`, byte offsets into the module's memory. */
type Kernel = (rows: number, k: number, width: number, stride: number, acc: number, sums: number) => void;

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

/** `syrkDiag` (optionally with column sums) for float32 rows through the WebAssembly kernels; one instance per backend (not re-entrant). */
export class SimdSumOfSquares {
  private rows!: Float32Array;
  private acc!: Float64Array;
  private sums!: Float64Array;
  /** The centre's chunk for `centred` (float32), where `sums` is otherwise. */
  private centre!: Float32Array;
  private readonly accOffset = ROW_GROUP * CHUNK_COLUMNS * 4;
  private readonly sumsOffset = this.accOffset + CHUNK_COLUMNS * 8;

  private constructor(
    private readonly sumsq: Kernel,
    private readonly moments: Kernel,
    private readonly centred: Kernel,
    private readonly memory: KernelMemory,
  ) {
    this.refreshViews();
  }

  private refreshViews(): void {
    const { buffer } = this.memory;
    this.rows = new Float32Array(buffer, 0, ROW_GROUP * CHUNK_COLUMNS);
    this.acc = new Float64Array(buffer, this.accOffset, CHUNK_COLUMNS);
    this.sums = new Float64Array(buffer, this.sumsOffset, CHUNK_COLUMNS);
    this.centre = new Float32Array(buffer, this.sumsOffset, CHUNK_COLUMNS);
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
    const { sumsq, moments, centred, memory } = instance.exports as { sumsq: Kernel; moments: Kernel; centred: Kernel; memory: KernelMemory };
    return new SimdSumOfSquares(sumsq, moments, centred, memory);
  }

  /**
   * d ← βd + α Σ_r U_r∘U_r (U k×n, row-major); β = 0 overwrites d. With `columnSums`, also
   * out ← β'·out + α'·Σ_r U_r from the same copy of each chunk (the `moments` kernel). With `centre` (and
   * no column sums), d ← βd + α Σ_r (U_r − c)∘(U_r − c), the differences rounded to float32 (`centred`).
   */
  syrkDiag(d: Vec, U: Float32Array, k: number, n: number, alpha: number, beta: number, columnSums?: ColumnSums, centre?: Float32Array): void {
    const { rows, acc, sums } = this;
    const kernel = centre !== undefined ? this.centred : columnSums === undefined ? this.sumsq : this.moments;
    // Rows in the staging area are read where they are (stride n), in the same eight-row blocks as copies.
    const inPlace = U.buffer === this.memory.buffer && U.byteOffset >= STAGING_OFFSET;
    for (let i0 = 0; i0 < n; i0 += CHUNK_COLUMNS) {
      const len = Math.min(CHUNK_COLUMNS, n - i0);
      // The kernel's columns (a multiple of 16, so every copied row stays 16-byte aligned); the last
      // chunk's tail of < 16 columns is summed below.
      const width = len - (len % COLUMN_GROUP);
      acc.fill(0, 0, width);
      if (columnSums !== undefined) sums.fill(0, 0, width);
      if (centre !== undefined) this.centre.set(centre.subarray(i0, i0 + width));
      if (width > 0 && inPlace) {
        kernel(U.byteOffset + 4 * i0, k, width, n, this.accOffset, this.sumsOffset);
      } else if (width > 0) {
        for (let r0 = 0; r0 < k; r0 += ROW_GROUP) {
          const count = Math.min(ROW_GROUP, k - r0);
          for (let r = 0; r < count; r++) {
            const from = (r0 + r) * n + i0;
            rows.set(U.subarray(from, from + width), r * width);
          }
          kernel(0, count, width, width, this.accOffset, this.sumsOffset);
        }
      }
      for (let t = 0; t < width; t++) d[i0 + t] = scaled(beta, d[i0 + t]) + alpha * acc[t];
      for (let t = width; t < len; t++) {
        const c = centre === undefined ? 0 : centre[i0 + t]!;
        let s = 0;
        for (let r = 0; r < k; r++) {
          const u = centre === undefined ? U[r * n + i0 + t]! : Math.fround(U[r * n + i0 + t]! - c);
          s += u * u;
        }
        d[i0 + t] = scaled(beta, d[i0 + t]) + alpha * s;
      }
      if (columnSums !== undefined) {
        const { out, alpha: a, beta: b } = columnSums;
        for (let t = 0; t < width; t++) out[i0 + t] = scaled(b, out[i0 + t]) + a * sums[t];
        for (let t = width; t < len; t++) {
          let s = 0;
          for (let r = 0; r < k; r++) s += U[r * n + i0 + t];
          out[i0 + t] = scaled(b, out[i0 + t]) + a * s;
        }
      }
    }
  }
}
