// The @nlpjs packages ship no type declarations; these cover the parts Pelita uses.
declare module '@nlpjs/core' {
  export interface Container {
    use(plugin: unknown): void;
  }
  export function containerBootstrap(): Promise<Container>;
}

declare module '@nlpjs/nlu' {
  import type { Container } from '@nlpjs/core';
  export interface Classification {
    intent: string;
    score: number;
  }
  export class NluNeural {
    constructor(settings: { locale: string; log?: boolean; useNoneFeature?: boolean }, container: Container);
    train(corpus: { utterance: string; intent: string }[]): Promise<unknown>;
    process(text: string): Promise<{ classifications: Classification[] }>;
    toJSON(): unknown;
    fromJSON(json: unknown): void;
  }
}

declare module '@nlpjs/lang-id' {
  export const LangId: unknown;
}

declare module '@nlpjs/lang-en-min' {
  export const LangEn: unknown;
}
