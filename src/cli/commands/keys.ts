import { Command } from "commander";
import { Usd } from "../../cost/usd.ts";
import { issueApiKey } from "../../server/index.ts";
import type { Store } from "../../store/store.ts";
import { CommandInputError } from "../cli-errors.ts";
import { table } from "../format.ts";
import { positiveInteger, usdAmount } from "../option-parsers.ts";

/** What `tansuo keys` needs: where keys live and where to print. */
export interface KeysCommandContext {
  openStore(): Store;
  stdout: NodeJS.WritableStream;
}

interface CreateOptions {
  name: string;
  budget?: string;
  rpm?: number;
  concurrency?: number;
  admin?: boolean;
  json?: boolean;
}

/** `tansuo keys create|list|revoke`: API keys for `tansuo serve`, each with an optional budget and limits. */
export function createKeysCommand(context: KeysCommandContext): Command {
  const keys = new Command("keys").description("API keys for `tansuo serve`: create, list, revoke");
  keys
    .command("create")
    .description("Create a key; it is printed once and only its hash is kept")
    .option("--name <name>", "a name to tell keys apart", "default")
    .option("--budget <usd>", "most money requests with this key may spend, in USD", usdAmount)
    .option("--rpm <n>", "most requests per minute", positiveInteger)
    .option("--concurrency <n>", "most requests in flight at once", positiveInteger)
    .option("--admin", "the key sees every run (all keys' runs, spend and eval results), not only its own")
    .option("--json", "print JSON")
    .action(async (options: CreateOptions) => {
      const { key, record } = await issueApiKey(context.openStore(), {
        admin: options.admin,
        name: options.name,
        budgetUsd: options.budget,
        requestsPerMinute: options.rpm,
        concurrency: options.concurrency,
      });
      if (options.json) {
        context.stdout.write(`${JSON.stringify({ key, ...record, hash: undefined }, null, 2)}\n`);
        return;
      }
      const limits = [
        options.admin ? "admin: sees every run" : undefined,
        options.budget ? `budget $${options.budget}` : "no budget",
        options.rpm ? `${options.rpm} requests/min` : undefined,
        options.concurrency ? `${options.concurrency} at once` : undefined,
      ].filter(Boolean);
      context.stdout.write(
        `${key}\n\nKey ${record.id} "${record.name}" (${limits.join(", ")}).\n` +
          "This is the only time the key is shown: only its hash is kept. Send it as `Authorization: Bearer <key>`.\n",
      );
    });
  keys
    .command("list")
    .description("Keys with their limits and spend (never the keys themselves)")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const store = context.openStore();
      const list = [];
      for (const record of await store.listApiKeys())
        list.push({ ...record, spentUsd: await store.spentByKey(record.id) });
      if (options.json) {
        context.stdout.write(
          `${JSON.stringify(
            list.map(({ hash: _hash, ...rest }) => rest),
            null,
            2,
          )}\n`,
        );
        return;
      }
      if (list.length === 0) {
        context.stdout.write("No keys. Create one with `tansuo keys create --name <name> [--budget <usd>]`.\n");
        return;
      }
      const rows = [["ID", "NAME", "PREFIX", "ADMIN", "BUDGET", "SPENT", "RPM", "CONCURRENCY", "CREATED", "STATUS"]];
      for (const record of list) {
        rows.push([
          record.id,
          record.name,
          `${record.prefix}...`,
          record.admin ? "yes" : "-",
          record.budgetUsd ? Usd.format(record.budgetUsd) : "-",
          Usd.format(record.spentUsd),
          record.requestsPerMinute ? String(record.requestsPerMinute) : "-",
          record.concurrency ? String(record.concurrency) : "-",
          record.createdAt.slice(0, 10),
          record.revokedAt ? `revoked ${record.revokedAt.slice(0, 10)}` : "active",
        ]);
      }
      context.stdout.write(`${table(rows)}\n`);
    });
  keys
    .command("revoke")
    .description("Revoke a key by id or prefix; requests with it get 401 at once")
    .argument("<id-or-prefix>")
    .action(async (idOrPrefix: string) => {
      const id = idOrPrefix.replace(/\.\.\.$/, "");
      if (!(await context.openStore().revokeApiKey(id))) {
        throw new CommandInputError(`No active key with id or prefix "${id}". List keys with \`tansuo keys list\`.`);
      }
      context.stdout.write(`Revoked ${id}.\n`);
    });
  return keys;
}
