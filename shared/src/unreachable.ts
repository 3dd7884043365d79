/** The end of every `switch` over a union: a case added to the union and not handled fails to compile. */
export function unreachable(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
