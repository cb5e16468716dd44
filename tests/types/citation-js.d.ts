// citation-js ships no types; the tests use only this much of it.
declare module '@citation-js/core' {
  interface Cite {
    data: unknown[];
    format(kind: 'bibliography', options: { template: string; format: 'text' | 'html' }): string;
  }
  const core: { Cite: { new (data: unknown): Cite; async(data: string, options?: { forceType?: string }): Promise<Cite> } };
  export default core;
}
declare module '@citation-js/plugin-ris';
declare module '@citation-js/plugin-csl';
