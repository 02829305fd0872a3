/**
 * How a D×D curvature estimate is stored (math.md, "Structures"): full (D² numbers), diagonal (D),
 * low-rank `A = UᵀU` with at most `rank` rows in U (r·D), or block-diagonal over named parameter blocks
 * (e.g. one per layer), each block with its own leaf structure.
 */
import { FisherdError } from '../errors.js';
import { requireInteger } from './validate.js';

/** A structure that is not itself split into blocks. */
export type LeafStructure = { kind: 'full' } | { kind: 'diagonal' } | { kind: 'lowrank'; rank: number };

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
      validateLeaf(block.structure, `${at}.structure`);
      total += block.size;
    });
    if (total !== dim) {
      throw new FisherdError('INVALID_CONFIG', `${field}.blocks sizes sum to ${total}, but dim is ${dim}`, {
        field: `${field}.blocks`,
      });
    }
    return;
  }
  validateLeaf(structure, field);
}

function validateLeaf(structure: LeafStructure, field: string): void {
  switch (structure?.kind) {
    case 'full':
    case 'diagonal':
      return;
    case 'lowrank':
      requireInteger(structure.rank, 1, `${field}.rank`);
      return;
    default:
      throw new FisherdError(
        'INVALID_CONFIG',
        `${field}.kind must be one of full, diagonal, lowrank${field === 'structure' ? ', blocks' : ''}; got ${
          (structure as { kind?: unknown } | undefined)?.kind
        }`,
        { field: `${field}.kind` },
      );
  }
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
  return structure.kind === 'lowrank' ? { kind: 'lowrank', rank: structure.rank } : { kind: structure.kind };
}

/** A short human-readable description, e.g. "lowrank(r=256)" or "blocks[conv1:full(64), fc:diagonal(10)]". */
export function describeStructure(structure: Structure): string {
  if (structure.kind === 'blocks') {
    return `blocks[${structure.blocks.map((b) => `${b.name}:${describeStructure(b.structure)}(${b.size})`).join(', ')}]`;
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
