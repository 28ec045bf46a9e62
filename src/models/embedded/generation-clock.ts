/** Times one answer: the prompt until the first generated token, then generation until the end. */
export class GenerationClock {
  private readonly startedAt = performance.now();
  private firstTokenAt: number | undefined;

  tokenArrived(): void {
    this.firstTokenAt ??= performance.now();
  }

  /** Tokens per second of prompt evaluation and of generation, rounded to one decimal; 0 when unmeasured. */
  rates(
    evaluatedPromptTokens: number,
    generatedTokens: number,
  ): {
    promptTokensPerSecond: number;
    generationTokensPerSecond: number;
  } {
    const endedAt = performance.now();
    const firstTokenAt = this.firstTokenAt ?? endedAt;
    return {
      promptTokensPerSecond: perSecond(evaluatedPromptTokens, firstTokenAt - this.startedAt),
      generationTokensPerSecond: perSecond(generatedTokens, endedAt - firstTokenAt),
    };
  }
}

function perSecond(tokens: number, milliseconds: number): number {
  if (tokens <= 0 || milliseconds <= 0) return 0;
  return Math.round((tokens / milliseconds) * 10_000) / 10;
}
