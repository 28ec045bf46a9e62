import { BlockList, isIP } from "node:net";

/** The `web.allowHosts` list: names match the URL's host, IPs and CIDR ranges match the resolved address. */
export class AllowedHosts {
  private readonly names = new Set<string>();
  private readonly addresses = new BlockList();

  constructor(entries: readonly string[]) {
    for (const entry of entries) this.addEntry(entry.trim().toLowerCase());
  }

  allows(hostname: string, address: string): boolean {
    if (this.names.has(bareHost(hostname))) return true;
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    return this.addresses.check(address, family);
  }

  private addEntry(entry: string): void {
    const [base = "", prefix] = entry.split("/");
    const host = withoutPort(base);
    const family = isIP(host);
    if (family === 0) {
      if (host !== "") this.names.add(bareHost(host));
      return;
    }
    const type = family === 6 ? "ipv6" : "ipv4";
    if (prefix !== undefined && Number.isInteger(Number(prefix))) this.addresses.addSubnet(host, Number(prefix), type);
    else this.addresses.addAddress(host, type);
  }
}

// Port-insensitive: "127.0.0.1:8080" and "[::1]:3000" allow the host on any port.
function withoutPort(entry: string): string {
  const bracketed = entry.match(/^\[([^\]]+)\](?::\d+)?$/);
  if (bracketed) return bracketed[1]!;
  if (isIP(entry) === 6) return entry;
  return entry.replace(/:\d+$/, "");
}

const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, "").toLowerCase();
