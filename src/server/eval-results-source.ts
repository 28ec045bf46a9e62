/** One eval run's summary as GET /v1/evals shows it (the fields of evals' EvalSummary it reads). */
export interface EvalRunSummary {
  directory: string;
  summary: {
    suite: string;
    model: string;
    reference: boolean;
    tasks: number;
    passAt1: number;
    costUsd: string;
    costPerTaskUsd: string;
    costPerSolvedUsd: string | null;
    complete: boolean;
  };
}

/**
 * Where GET /v1/evals finds results: the folders given with `--evals <dir>`, read by the evals layer's collector
 * (the CLI passes `collectRuns`; the server layer does not import evals).
 */
export interface EvalResultsSource {
  directories: readonly string[];
  collect(root: string): Promise<EvalRunSummary[]>;
}
