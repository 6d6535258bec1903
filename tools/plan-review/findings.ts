/** What the review says about a change: a blocking finding or one that needs attention. */
export type FindingLevel = 'blocked' | 'attention';

export interface ReviewFinding {
  readonly level: FindingLevel;
  /** Markdown, one line. */
  readonly text: string;
}
