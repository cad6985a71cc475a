/**
 * A small reader of Dockerfiles, enough to check them statically (no container engine runs
 * here): instructions with their arguments, line continuations joined, comments dropped, and
 * what the final stage runs (its workdir and user).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEPLOY_DIR } from './manifests.ts';

export interface Instruction {
  /** Upper-cased: `FROM`, `RUN`, `USER`, ... */
  keyword: string;
  args: string;
}

export interface Dockerfile {
  instructions: Instruction[];
  /** Base image references of every `FROM`, with stage names resolved out. */
  baseImages: string[];
  /** The last stage's instructions. */
  finalStage: Instruction[];
}

export const IMAGES_DIR = join(DEPLOY_DIR, 'images');

export function parseDockerfile(text: string): Dockerfile {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const instructions = logical.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
  const stages = new Set<string>();
  const baseImages: string[] = [];
  let finalStart = 0;
  instructions.forEach((instruction, i) => {
    if (instruction.keyword !== 'FROM') return;
    finalStart = i;
    const [image = '', as, stage] = instruction.args.replace(/--\S+\s+/g, '').split(/\s+/);
    if (!stages.has(image)) baseImages.push(image);
    if (as?.toUpperCase() === 'AS' && stage) stages.add(stage);
  });
  return { instructions, baseImages, finalStage: instructions.slice(finalStart) };
}

/** The last value of an instruction in the final stage (`WORKDIR`, `USER`). */
export function lastOf(dockerfile: Dockerfile, keyword: string): string | undefined {
  return dockerfile.finalStage.filter((i) => i.keyword === keyword).at(-1)?.args;
}

/** `deploy/images/Dockerfile.<suffix>` for an image named `.../portico-<suffix>[:tag]`. */
export function dockerfileNameFor(image: string): string | undefined {
  const name = /(?:^|\/)portico-([a-z0-9-]+)(?:[:@].*)?$/.exec(image)?.[1];
  return name ? `Dockerfile.${name}` : undefined;
}

export async function readDockerfile(name: string): Promise<Dockerfile> {
  return parseDockerfile(await readFile(join(IMAGES_DIR, name), 'utf8'));
}
