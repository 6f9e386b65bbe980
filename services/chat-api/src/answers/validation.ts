import type * as z from 'zod';

/** Human-readable validation issues by field path; the submitted values are never echoed. */
export const issuesOf = (error: z.ZodError): string[] =>
  error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
