import { isIP } from "node:net";
import { isLoopbackHost } from "./bind-policy.ts";

/** A Host header's name (lowercase, IPv6 without brackets) and port; undefined port when none was given. */
interface HostParts {
  name: string;
  port: number | undefined;
}

function hostParts(host: string): HostParts | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(host.trim());
  if (!match) return undefined;
  const name = match[1]!.toLowerCase().replace(/^\[|\]$/g, "");
  return { name, port: match[2] === undefined ? undefined : Number(match[2]) };
}

const loopbackNames = ["localhost", "127.0.0.1", "::1"];
const wildcardAddresses = new Set(["0.0.0.0", "::", "0:0:0:0:0:0:0:0"]);
const shown = (name: string) => (name.includes(":") ? `[${name}]` : name);

/**
 * Which Host headers the gateway answers: its bound address with its port, the loopback names on a loopback bind,
 * any IP literal on a wildcard bind (an IP names no DNS record a web page could rebind), and the configured names
 * (`server.allowedHosts`, with or without a port). Until the port is known (the app used in memory, before or
 * without listening) any port is taken.
 */
export class HostPolicy {
  private port: number | undefined;
  private readonly names: Set<string>;
  private readonly anyAddress: boolean;
  private readonly configured: HostParts[];

  constructor(bindHost: string, allowedHosts: readonly string[]) {
    const bound = hostParts(bindHost.includes(":") && !bindHost.startsWith("[") ? `[${bindHost}]` : bindHost);
    const boundName = bound?.name ?? bindHost.toLowerCase();
    this.anyAddress = wildcardAddresses.has(boundName);
    this.names = new Set([boundName, ...(this.anyAddress || isLoopbackHost(boundName) ? loopbackNames : [])]);
    this.configured = allowedHosts.flatMap((entry) => hostParts(entry) ?? []);
  }

  /** Called once the server listens: from then on the port in Host must be the bound one. */
  listeningOn(port: number): void {
    this.port = port;
  }

  allows(host: string | undefined): boolean {
    if (host === undefined) return false;
    const parts = hostParts(host);
    if (!parts) return false;
    const port = parts.port ?? 80;
    if (this.configured.some((entry) => entry.name === parts.name && (entry.port ?? port) === port)) return true;
    if (this.port !== undefined && port !== this.port) return false;
    return this.names.has(parts.name) || (this.anyAddress && isIP(parts.name) !== 0);
  }

  /** The accepted forms, for the refusal's message. */
  accepted(): string[] {
    const port = this.port === undefined ? "" : `:${this.port}`;
    return [
      ...[...this.names].map((name) => shown(name) + port),
      ...(this.anyAddress ? [`any IP address${port}`] : []),
      ...this.configured.map((entry) => shown(entry.name) + (entry.port === undefined ? "" : `:${entry.port}`)),
    ];
  }
}
