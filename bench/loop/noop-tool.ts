import { z } from "zod";

/** The one tool every runner offers: same name, schema and answer, and no work. */
export const noopToolName = "noop";
export const noopToolDescription = "Does nothing and answers ok.";
export const noopInputSchema = z.object({ step: z.number().int() });
export const noopOutput = "ok";
export const benchTask = "Call the noop tool until told otherwise.";
