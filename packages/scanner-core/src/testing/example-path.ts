/** A file path a rule's `paths` globs accept, so its examples can be run through the engine. */
export function examplePathFor(globs: readonly string[] | undefined): string {
  const glob = globs?.[0];
  if (glob === undefined) return 'example.txt';
  return glob.replace(/\*\*\//g, '').replace(/\*/g, 'x').replace(/[{}]/g, '').split(',')[0] ?? 'example.txt';
}
