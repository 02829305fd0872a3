/**
 * How a D×D curvature estimate is stored (math.md, "Structures"): full (D² numbers), diagonal (D),
 * low-rank `A = UᵀU` with at most `rank` rows in U (r·D), or block-diagonal over named parameter blocks
 * (e.g. one per layer), each block with its own leaf structure.
 */
import { FisherdError } from '../errors.js';
import { requireInteger } from './validate.js';

/**
 * A layer's weight (outputs × inputs, plus a bias column when `bias`) whose curvature is the Kronecker
 * product of an output-gradient factor G (outputs × outputs) and an input factor A (in' × in',
 * in' = inputs + 1 with a bias): math.md, "Kronecker factors (K-FAC)". The block's coordinates are laid out
 * as torch's `parameters_to_vector([weight, bias])`: the weight row-major (`W[o][i]` at `o·inputs + i`),
 * then the bias (`b[o]` at `outputs·inputs + o`); its size must be `outputs·in'`. Fed with factor
 * statistics (`KroneckerFactors`), never with gradient rows.
 */
export interface KroneckerStructure {
  kind: 'kronecker';
  /** Rows of the weight (the layer's output features). */
  outputs: number;
  /** Columns of the weight, the bias not counted (the layer's input features). */
  inputs: number;
  /** Whether the block holds the layer's bias after its weight (then in' = inputs + 1). */
  bias: boolean;
  /**
   * How the damping λ enters the solve. 'tikhonov' (default): `(G⊗A + λI)⁻¹`, exact through the factors'
   * eigendecompositions; 'pi': `((G + √λ/π·I) ⊗ (A + π√λ·I))⁻¹` (Martens & Grosse 2015, §6.3). With
   * `eigenvalueCorrected`, only 'tikhonov'.
   */
  damping?: 'tikhonov' | 'pi';
  /** EKFAC (George et al. 2018): rescale in the Kronecker eigenbasis by second moments s. Default false. */
  eigenvalueCorrected?: boolean;
  /** T_inv: the eigendecompositions are refreshed every this many factor updates (≥ 1). Default 1. */
  refreshEvery?: number;
}

/** A structure that is not itself split into blocks. */
export type LeafStructure = { kind: 'full' } | { kind: 'diagonal' } | { kind: 'lowrank'; rank: number } | KroneckerStructure;

/** in' = inputs (+ 1 for the bias): the order of a Kronecker block's input factor A. */
export function kroneckerInputOrder(structure: KroneckerStructure): number {
  return structure.inputs + (structure.bias ? 1 : 0);
}

/** A named, contiguous range of parameters; blocks are laid out in order, the first at offset 0. */
export interface ParameterBlock {
  name: string;
  size: number;
  structure: LeafStructure;
}

export type Structure = LeafStructure | { kind: 'blocks'; blocks: readonly ParameterBlock[] };

/** Throws INVALID_CONFIG (naming the field) unless `structure` is well formed for a D-dimensional estimate. */
export function validateStructure(structure: Structure, dim: number, field = 'structure'): void {
  requireInteger(dim, 1, 'dim');
  if (structure.kind === 'blocks') {
    const { blocks } = structure;
    if (!Array.isArray(blocks) || blocks.length === 0) {
      throw new FisherdError('INVALID_CONFIG', `${field}.blocks must list at least one parameter block`, {
        field: `${field}.blocks`,
      });
    }
    const names = new Set<string>();
    let total = 0;
    blocks.forEach((block, i) => {
      const at = `${field}.blocks[${i}]`;
      if (typeof block.name !== 'string' || block.name.length === 0) {
        throw new FisherdError('INVALID_CONFIG', `${at}.name must be a non-empty string`, { field: `${at}.name` });
      }
      if (names.has(block.name)) {
        throw new FisherdError('INVALID_CONFIG', `${at}.name "${block.name}" is used twice`, { field: `${at}.name` });
      }
      names.add(block.name);
      requireInteger(block.size, 1, `${at}.size`);
      validateLeaf(block.structure, block.size, `${at}.structure`);
      total += block.size;
    });
    if (total !== dim) {
      throw new FisherdError('INVALID_CONFIG', `${field}.blocks sizes sum to ${total}, but dim is ${dim}`, {
        field: `${field}.blocks`,
      });
    }
    return;
  }
  validateLeaf(structure, dim, field);
}

function validateLeaf(structure: LeafStructure, size: number, field: string): void {
  switch (structure?.kind) {
    case 'full':
    case 'diagonal':
      return;
    case 'lowrank':
      requireInteger(structure.rank, 1, `${field}.rank`);
      return;
    case 'kronecker':
      validateKronecker(structure, size, field);
      return;
    default:
      throw new FisherdError(
        'INVALID_CONFIG',
        `${field}.kind must be one of full, diagonal, lowrank, kronecker${field === 'structure' ? ', blocks' : ''}; got ${
          (structure as { kind?: unknown } | undefined)?.kind
        }`,
        { field: `${field}.kind` },
      );
  }
}

function validateKronecker(structure: KroneckerStructure, size: number, field: string): void {
  requireInteger(structure.outputs, 1, `${field}.outputs`);
  requireInteger(structure.inputs, 1, `${field}.inputs`);
  if (typeof structure.bias !== 'boolean') {
    throw new FisherdError('INVALID_CONFIG', `${field}.bias must be true or false`, { field: `${field}.bias` });
  }
  const inputOrder = kroneckerInputOrder(structure);
  if (structure.outputs * inputOrder !== size) {
    throw new FisherdError(
      'INVALID_CONFIG',
      `${field}: a Kronecker block of ${structure.outputs} outputs × ${inputOrder} inputs${structure.bias ? ' (bias included)' : ''} holds ${structure.outputs * inputOrder} parameters, but the block has ${size}`,
      { field },
    );
  }
  const { damping, eigenvalueCorrected, refreshEvery } = structure;
  if (damping !== undefined && damping !== 'tikhonov' && damping !== 'pi') {
    throw new FisherdError('INVALID_CONFIG', `${field}.damping must be 'tikhonov' or 'pi', got ${String(damping)}`, { field: `${field}.damping` });
  }
  if (eigenvalueCorrected !== undefined && typeof eigenvalueCorrected !== 'boolean') {
    throw new FisherdError('INVALID_CONFIG', `${field}.eigenvalueCorrected must be true or false`, { field: `${field}.eigenvalueCorrected` });
  }
  if (eigenvalueCorrected === true && damping === 'pi') {
    throw new FisherdError('INVALID_CONFIG', `${field}.damping must be 'tikhonov' with eigenvalueCorrected (EKFAC adds λ to the corrected eigenvalues)`, {
      field: `${field}.damping`,
    });
  }
  if (refreshEvery !== undefined) requireInteger(refreshEvery, 1, `${field}.refreshEvery`);
}

/** The offset of each block's first parameter, and the total as the last entry (length blocks + 1). */
export function blockOffsets(blocks: readonly ParameterBlock[]): number[] {
  const offsets = [0];
  for (const block of blocks) offsets.push(offsets[offsets.length - 1] + block.size);
  return offsets;
}

/** A deep, plain copy (structures go into snapshots, which must not alias the caller's objects). */
export function copyStructure(structure: Structure): Structure {
  if (structure.kind === 'blocks') {
    return {
      kind: 'blocks',
      blocks: structure.blocks.map((b) => ({ name: b.name, size: b.size, structure: copyLeaf(b.structure) })),
    };
  }
  return copyLeaf(structure);
}

function copyLeaf(structure: LeafStructure): LeafStructure {
  switch (structure.kind) {
    case 'lowrank':
      return { kind: 'lowrank', rank: structure.rank };
    case 'kronecker':
      return copyKronecker(structure);
    default:
      return { kind: structure.kind };
  }
}

/** A plain copy of a Kronecker structure (optional fields copied only when given). */
export function copyKronecker(s: KroneckerStructure): KroneckerStructure {
  return {
    kind: 'kronecker', outputs: s.outputs, inputs: s.inputs, bias: s.bias,
    ...(s.damping === undefined ? {} : { damping: s.damping }),
    ...(s.eigenvalueCorrected === undefined ? {} : { eigenvalueCorrected: s.eigenvalueCorrected }),
    ...(s.refreshEvery === undefined ? {} : { refreshEvery: s.refreshEvery }),
  };
}

/** A short human-readable description, e.g. "lowrank(r=256)" or "blocks[conv1:full(64), fc:diagonal(10)]". */
export function describeStructure(structure: Structure): string {
  if (structure.kind === 'blocks') {
    return `blocks[${structure.blocks.map((b) => `${b.name}:${describeStructure(b.structure)}(${b.size})`).join(', ')}]`;
  }
  if (structure.kind === 'kronecker') {
    const { outputs, inputs, bias } = structure;
    return `kronecker(${outputs}×${inputs}${bias ? '+bias' : ''}${structure.eigenvalueCorrected === true ? ', ekfac' : ''})`;
  }
  return structure.kind === 'lowrank' ? `lowrank(r=${structure.rank})` : structure.kind;
}

/** Where the parameter block `name` lies; throws UNKNOWN_BLOCK when the structure has no such block. */
export function findBlock(structure: Structure, name: string): { index: number; offset: number; size: number } {
  const blocks = structure.kind === 'blocks' ? structure.blocks : [];
  let offset = 0;
  for (let index = 0; index < blocks.length; index++) {
    if (blocks[index].name === name) return { index, offset, size: blocks[index].size };
    offset += blocks[index].size;
  }
  const known = blocks.map((b) => b.name);
  throw new FisherdError(
    'UNKNOWN_BLOCK',
    known.length === 0
      ? `no parameter block named "${name}": the structure is ${structure.kind}, not blocks`
      : `no parameter block named "${name}"; the blocks are ${known.join(', ')}`,
    { field: 'block' },
  );
}
