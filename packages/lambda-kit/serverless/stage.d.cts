/** The stages and regions a service can be packaged and deployed to (see stage.cjs). */
export declare const STAGE_PATTERN: RegExp;
export declare const STAGE_MAX_LENGTH: number;
export declare const RESERVED_STAGE_WORDS: readonly string[];
export declare const REGION_PATTERN: RegExp;
export declare const REGION_MAX_LENGTH: number;
/** Why `stage` cannot be used, or undefined when it can. */
export declare const stageProblem: (stage: unknown) => string | undefined;
/** Why `region` cannot be used, or undefined when it can. */
export declare const regionProblem: (region: unknown) => string | undefined;
export declare const checked: (context: {
  resolveVariable: (address: string) => Promise<unknown>;
}) => Promise<string>;
