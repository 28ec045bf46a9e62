import { describe, expect, it } from "vitest";
import { runBudgetCampaign } from "../../campaigns/budget.ts";

describe("campaign:budget, short", () => {
  it("concurrent runs and completions on one key, through two gateways and two gateway processes, never pass its budget", async () => {
    const report = await runBudgetCampaign({ budgets: ["0.001", "0.01"], runs: 20, completions: 10, crash: true });
    expect(report.escapes).toEqual([]);
    expect(report.scenarios).toHaveLength(4);
    expect(report.maximumSpentToBudget).toBeLessThanOrEqual(1);
    // The tight budget is contended: some runs are stopped by it, and the crash phase held money before the kill.
    const tight = report.scenarios.filter((scenario) => scenario.budgetUsd === "0.001");
    expect(tight.every((scenario) => scenario.runsBudgetExhausted > 0)).toBe(true);
    const crashed = report.scenarios.filter((scenario) => scenario.crash !== undefined);
    expect(crashed).toHaveLength(2);
  });
});
