// TEMPORARY development stub until schema/index.ts lands; replaced by the real import.
export function admitObject(_g: string, _v: string, _k: string, _o: Record<string, unknown>): undefined {
  return undefined;
}
