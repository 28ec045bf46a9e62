// A second process on one Postgres store: tries `count` holds of $0.001 at once on key `key_race`, settling each
// held one with a ledger row of the same cost, and prints how many it held. Run by test/store/postgres-race.test.ts.
import { PostgresStore } from "../../src/store/postgres/postgres-store.ts";

const [url, schema, count, name] = process.argv.slice(2) as [string, string, string, string];
const store = new PostgresStore({ url, schema });
const usage = { inputTokens: 0, cacheHitTokens: 0, cacheMissTokens: 0, cacheWriteTokens: 0, outputTokens: 0 };
const attempts = Array.from({ length: Number(count) }, async (_, index) => {
  const id = `${name}-${index}`;
  const result = await store.holdBudget({
    id,
    owner: `${name}-host:1`,
    accounts: [{ kind: "key", id: "key_race" }],
    amountUsd: "0.001",
  });
  if (!result.held) return 0;
  const entry = { at: new Date().toISOString(), keyId: "key_race", model: "m", price: {}, costUsd: "0.001" };
  await store.recordLedger({ ...entry, usage: { ...usage, reasoningTokens: 0 } }, id);
  return 1;
});
const held = (await Promise.all(attempts)).reduce((total: number, one) => total + one, 0);
await store.close();
process.stdout.write(JSON.stringify({ held }));
