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
/** Why a stage's web addresses (name → value) cannot be used, given the required names (name → what it is). */
export declare const deployParamsProblem: (
  stage: string,
  values: Readonly<Record<string, unknown>>,
  required: Readonly<Record<string, string>>,
) => string | undefined;
export declare const checkedDeployParams: (context: {
  resolveVariable: (address: string) => Promise<unknown>;
}) => Promise<string[]>;
