import { isIP } from "node:net";

/** Why an address is not a public internet address, or undefined when it is one. */
export type NonPublicReason =
  | "loopback"
  | "private"
  | "link-local"
  | "shared (CGNAT)"
  | "unspecified"
  | "multicast"
  | "reserved"
  | "cloud metadata";

/** Classifies an IP literal (v4 or v6); what is not public is refused by fetch_url unless the user allows it. */
export function nonPublicReason(address: string): NonPublicReason | undefined {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (isIP(bare) === 4) return ipv4Reason(ipv4Octets(bare));
  if (isIP(bare) === 6) return ipv6Reason(ipv6Words(bare));
  // Not an IP at all: the caller resolves names first, so this is a bug or a hostile value; never treat it as safe.
  return "reserved";
}

function ipv4Octets(address: string): number[] {
  return address.split(".").map(Number);
}

function ipv4Reason([a = 0, b = 0, c = 0, d = 0]: number[]): NonPublicReason | undefined {
  if (a === 169 && b === 254 && c === 169 && d === 254) return "cloud metadata";
  if (a === 0) return "unspecified";
  if (a === 127) return "loopback";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "private";
  if (a === 169 && b === 254) return "link-local";
  if (a === 100 && b >= 64 && b <= 127) return "shared (CGNAT)";
  if (a >= 224 && a <= 239) return "multicast";
  // 240/4 (and the broadcast address), 192.0.0/24 (protocol assignments), 198.18/15 (benchmarking).
  if (a >= 240 || (a === 192 && b === 0 && c === 0) || (a === 198 && (b === 18 || b === 19))) return "reserved";
  return undefined;
}

/** The eight 16-bit words of an IPv6 address, with `::` expanded and a dotted IPv4 tail converted. */
function ipv6Words(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = ipv4Octets(dotted[1]!);
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const headWords = head === "" ? [] : head.split(":");
  const tailWords = tail === undefined || tail === "" ? [] : tail.split(":");
  const zeros = tail === undefined ? [] : Array(8 - headWords.length - tailWords.length).fill("0");
  return [...headWords, ...zeros, ...tailWords].map((word) => Number.parseInt(word, 16));
}

function ipv6Reason(words: number[]): NonPublicReason | undefined {
  const [w0 = 0, w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0, w6 = 0, w7 = 0] = words;
  const leadingZeros = w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0 && w4 === 0;
  const embeddedIpv4 = [w6 >> 8, w6 & 0xff, w7 >> 8, w7 & 0xff];
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (the old compatible form) reach the IPv4 address inside.
  if (leadingZeros && w5 === 0xffff) return ipv4Reason(embeddedIpv4);
  if (leadingZeros && w5 === 0 && w6 === 0 && w7 === 0) return "unspecified";
  if (leadingZeros && w5 === 0 && w6 === 0 && w7 === 1) return "loopback";
  if (leadingZeros && w5 === 0) return ipv4Reason(embeddedIpv4) ?? "reserved";
  // ::ffff:0:a.b.c.d (the IPv4-translated form, SIIT) also reaches the IPv4 address inside.
  if (w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0 && w4 === 0xffff && w5 === 0) return ipv4Reason(embeddedIpv4);
  // NAT64 (64:ff9b::/96) carries an IPv4 address a translator will reach.
  if (w0 === 0x64 && w1 === 0xff9b && w2 === 0 && w3 === 0 && w4 === 0 && w5 === 0) return ipv4Reason(embeddedIpv4);
  // NAT64 local use (64:ff9b:1::/48) is a network's own translator: its IPv4 decides, and it is never public.
  if (w0 === 0x64 && w1 === 0xff9b && w2 === 1) return ipv4Reason(embeddedIpv4) ?? "reserved";
  // Teredo (2001::/32) tunnels to an address hidden in the rest: not a public destination of its own.
  if (w0 === 0x2001 && w1 === 0) return "reserved";
  if (w0 === 0xfd00 && w1 === 0x0ec2 && w2 === 0 && w3 === 0 && w4 === 0 && w5 === 0 && w6 === 0 && w7 === 0x254) {
    return "cloud metadata";
  }
  if ((w0 & 0xfe00) === 0xfc00) return "private";
  if ((w0 & 0xffc0) === 0xfe80) return "link-local";
  // fec0::/10, the deprecated site-local range, still routes inside some networks.
  if ((w0 & 0xffc0) === 0xfec0) return "private";
  if ((w0 & 0xff00) === 0xff00) return "multicast";
  // 2002::/16 (6to4) embeds an IPv4 address in words 1 and 2.
  if (w0 === 0x2002) return ipv4Reason([w1 >> 8, w1 & 0xff, w2 >> 8, w2 & 0xff]);
  // Documentation (2001:db8::/32) and discard (100::/64) never belong on the internet.
  if ((w0 === 0x2001 && w1 === 0x0db8) || (w0 === 0x100 && w1 === 0 && w2 === 0 && w3 === 0)) return "reserved";
  return undefined;
}
