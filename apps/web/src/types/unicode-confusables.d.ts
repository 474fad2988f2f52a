// unicode-confusables 0.1.1 ships its declarations as `index.ts.d`, which TypeScript does not find.
declare module 'unicode-confusables' {
  /** The string with every confusable character replaced by its UTS #39 prototype. */
  export function rectifyConfusion(input: string): string;
}
